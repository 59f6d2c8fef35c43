"""Build the evidence `Pack` for a service or a provider and one monitoring period.

Everything a commissioner sees comes from here, already suppressed: the page, the CSV, the
XLSX and the PDF render the same `Pack` (see `app.evidence.tables`). This module only
orchestrates: it counts who is there (`inventory`), asks the disclosure policy what may be
published (`disclosure`), assembles the sections (`assemble`, `sections`) and keeps the
result while its data is unchanged (`page_figures`). Visits are read afresh every time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from app.charts import Chart
from app.evidence import disclosure, inventory
from app.evidence.assemble import assemble_pack
from app.evidence.disclosure import View, view_of
from app.evidence.page_figures import PageFigures, kept
from app.evidence.periods import Period, period_for_family, previous
from app.evidence.sections.responses import shown_languages
from app.evidence.sections.visits import visits_section
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import COUNT, Column, Pack, Section, Table
from app.evidence.words import filter_label
from app.extensions import db
from app.figures import is_suppressed
from app.instruments.model import InstrumentRegistry
from app.models import Service
from app.models.timeutil import uk_today

# Chart drawing is slow; a page passes a cached drawer (app.charts.cache.cached_chart).
Draw = Callable[..., Chart]


def _direct(draw, /, *args, **kwargs) -> Chart:
    return draw(*args, **kwargs)


@dataclass(frozen=True)
class Subject:
    """What the pack is about: one service, or every service of a provider."""

    title: str
    scope: str
    services: tuple[Service, ...]

    @property
    def service_ids(self) -> tuple[int, ...]:
        return tuple(service.id for service in self.services)


def _named(name: str, only, scope: str) -> tuple[str, str]:
    if only is None:
        return f"Evidence: {name}", scope
    return f"Evidence: {name}, {filter_label(*only)}", f"{scope}; people {filter_label(*only)}"


def service_pack(
    service: Service,
    period: Period,
    registry: InstrumentRegistry,
    rule: SmallNumbers,
    *,
    draw: Draw = _direct,
    charts: bool = True,
    only: tuple[str, str] | None = None,
    cache: PageFigures | None = None,
) -> Pack:
    """The evidence for one service: hidden section by section when its provider's other
    services are too small to publish it on its own (see `app.evidence.disclosure`).

    `only` = ("language", "cy") or ("age_band", "13_15") filters every figure to those
    people; each section is then shown only when that group may be published beside the
    rest of the service (and beside the provider's other services, filtered the same way).

    With a `cache`, figures built from the same data (`data_version` of the provider's
    services) are reused; visits, whose replies and statuses change by the day, never are.
    """
    if period != period_for_family(service.provider, period.start):
        # Off-grid periods could overlap and be subtracted from each other.
        raise ValueError(f"{period.label} is not one of this service's monitoring periods")
    sibling_ids = tuple(s.id for s in service.provider.services)
    key = ("service", service.id, period, only, rule, charts, draw, id(registry))
    pack = kept(
        cache,
        key,
        sibling_ids,
        period,
        lambda: _service_figures(service, sibling_ids, period, registry, rule, draw, charts, only),
    )
    return _with_visits(pack, view_of((service.id,), only), period, registry)


def _service_figures(service, sibling_ids, period, registry, rule, draw, charts, only) -> Pack:
    siblings = view_of(sibling_ids, only)
    periods = (period, previous(period))
    published = disclosure.published_services(
        *(inventory.section_sizes(siblings, p) for p in periods), rule=rule
    )
    allowed = disclosure.service_sections(published, service.id)
    view = view_of((service.id,), only)
    parent = View(siblings.service_ids) if len(siblings) > 1 else None
    if only is not None:
        if len(sibling_ids) > 1 and only[1] not in _available_filters(
            View(sibling_ids), period, rule
        ).get(only[0], ()):
            # The provider's view of the group is not published, so there is no total of
            # the group to subtract the siblings' from: a group of a service publishes
            # what its whole service may, where the family table shows the group.
            allowed = disclosure.service_sections(
                disclosure.published_services(
                    *(inventory.section_sizes(View(sibling_ids), p) for p in periods), rule=rule
                ),
                service.id,
            )
        allowed = _filtered_allowed(View((service.id,)), only, periods, rule, allowed)
        parent = View((service.id,))
    title, scope = _named(service.name, only, f"{service.name}, {service.provider.name}")
    subject = Subject(title=title, scope=scope, services=(service,))
    return assemble_pack(
        subject, view, period, registry, rule, allowed, draw=draw, charts=charts, parent=parent
    )


def written_sections(service: Service, period: Period, rule: SmallNumbers) -> frozenset[str]:
    """The sections (instrument ids) whose written answers of `service` may be listed for
    `period`: only where the service's own figures are publishable beside its siblings'
    (the sibling rule, which also needs at least `rule.threshold` people) for everyone and
    for that instrument. A few people's own words are as telling as their count."""
    siblings = View(tuple(s.id for s in service.provider.services))
    published = disclosure.published_services(inventory.section_sizes(siblings, period), rule=rule)
    if service.id not in published.get("responses", frozenset()):
        return frozenset()
    return frozenset(
        section
        for section, services in published.items()
        if section != "responses" and service.id in services
    )


def available_filters(
    view: View, period: Period, rule: SmallNumbers, cache: PageFigures | None = None
) -> dict[str, list[str]]:
    """The languages and age bands whose filtered view of `view` may be published for this
    period and the one before (`disclosure.offered_groups`)."""
    key = ("filters", view, period, rule)
    return kept(
        cache, key, view.service_ids, period, lambda: _available_filters(view, period, rule)
    )


def _available_filters(view: View, period: Period, rule: SmallNumbers) -> dict[str, list[str]]:
    sizes = {
        dimension: [
            inventory.section_sizes(view, p, by=dimension) for p in (period, previous(period))
        ]
        for dimension in disclosure.DIMENSIONS
    }
    offered = disclosure.offered_groups(sizes, rule)
    siblings: tuple[int, ...] = ()
    if len(view) == 1:
        service = db.session.get(Service, view.service_ids[0])
        siblings = tuple(s.id for s in service.provider.services) if service else ()
    # A language's view publishes its count: offered only where this view's own languages
    # table shows that count, not where it hides it to protect a smaller one.
    parent = View(siblings) if len(siblings) > 1 else None
    languages = shown_languages(view, (period, previous(period)), rule, parent)
    offered["language"] = [value for value in offered["language"] if value in languages]
    if len(siblings) > 1:
        # A service's group is offered only where the family table (services x groups,
        # under the provider's groups) leaves it shown: else the provider's filtered
        # view minus this one would give a sibling's hidden group.
        for dimension in disclosure.DIMENSIONS:
            shown = set(offered[dimension])
            counts = [
                inventory.people_by_service(siblings, p, dimension)
                for p in (period, previous(period))
            ]
            groups = {value for table in counts for _, value in table}
            for i, table in enumerate(counts):
                if not table:
                    continue  # nobody in the family in this period
                # Every service is a row, every group of either period a column, with 0
                # where nobody is.
                family = disclosure.family_table(table, siblings, groups)
                row = disclosure.linked_rows(family, rule)[service.id]
                shown &= {
                    str(value) for value in disclosure.visible_or_small(row, rule, first=i == 0)
                }
            offered[dimension] = sorted(shown)
    return offered


def _filtered_allowed(whole: View, only, periods, rule, allowed=None) -> dict:
    dimension, value = only
    by_category = disclosure.published_services(
        *(inventory.section_sizes(whole, p, by=dimension) for p in periods), rule=rule
    )
    return disclosure.filtered_sections(by_category, value, whole.service_ids, allowed)


def provider_pack(
    provider,
    period: Period,
    registry: InstrumentRegistry,
    rule: SmallNumbers,
    *,
    draw: Draw = _direct,
    charts: bool = True,
    only: tuple[str, str] | None = None,
    cache: PageFigures | None = None,
) -> Pack:
    """The evidence for all of a provider's services together, with a table of the services
    whose own figures may be published. `only` filters as in `service_pack`, and `cache`
    as there."""
    services = tuple(sorted(provider.services, key=lambda s: s.name))
    ids = tuple(service.id for service in services)
    key = ("provider", provider.id, ids, period, only, rule, charts, draw, id(registry))
    pack = kept(
        cache,
        key,
        ids,
        period,
        lambda: _provider_figures(provider, services, period, registry, rule, draw, charts, only),
    )
    return _with_visits(pack, view_of(ids, only), period, registry)


def _provider_figures(provider, services, period, registry, rule, draw, charts, only) -> Pack:
    count = f"{len(services)} service{'s' if len(services) != 1 else ''}"
    title, scope = _named(provider.name, only, f"{provider.name}, {count}")
    subject = Subject(title=title, scope=scope, services=services)
    view = view_of(subject.service_ids, only)
    periods = (period, previous(period))
    allowed, parent = {disclosure.EVERY_SECTION: frozenset(view.service_ids)}, None
    if only is not None:
        allowed = _filtered_allowed(view.unfiltered(), only, periods, rule)
        parent = view.unfiltered()
    pack = assemble_pack(
        subject, view, period, registry, rule, allowed, draw=draw, charts=charts, parent=parent
    )
    sizes = inventory.section_sizes(view, period)
    earlier = inventory.section_sizes(view, previous(period))
    published = disclosure.published_services(sizes, earlier, rule=rule).get(
        "responses", frozenset()
    )
    if only is not None:
        published = _group_column(ids_of(services), period, only, rule, published)
    concealed = [sizes["responses"].get(s.id, 0) for s in services if s.id not in published]
    # Hidden people that cannot be made safe beside the provider's total are left out.
    withheld = bool(concealed) and not rule.safe_together(concealed)
    rows = tuple(
        (
            service.name,
            # Zero is "fewer than 10" too: a shown 0 would pin the service's hidden figures.
            rule.count(sizes["responses"].get(service.id, 0))
            if service.id in published
            else None
            if withheld
            else rule.hidden(),
            "Shown on the service's own page"
            if service.id in published
            else "Not shown on its own (too few people, or it would reveal another service)",
        )
        for service in services
    )
    table = Table(
        key="services",
        caption=f"People who answered, by service, {period.label}",
        columns=(Column("Service"), Column("People", COUNT), Column("Published")),
        rows=rows,
    )
    services_section = Section(key="services", title="Services", tables=(table,))
    return replace(pack, sections=(*pack.sections[:1], services_section, *pack.sections[1:]))


def ids_of(services) -> tuple[int, ...]:
    return tuple(service.id for service in services)


def _group_column(ids, period: Period, only, rule: SmallNumbers, published) -> frozenset[int]:
    """The services whose people in group `only` may be shown beside the provider's: the
    group's column of the family table (services x groups), secondary suppression run
    across every line of it; none when the column's hidden cells cannot be made safe."""
    dimension, value = only
    # Every service is a row of the group's column, with 0 where nobody is.
    table = disclosure.family_table(inventory.people_by_service(ids, period, dimension), ids)
    rows = disclosure.linked_rows(table, rule)
    column = {sid: rows[sid].cells[key] for (sid, key) in table if str(key) == value}
    concealed = [
        n for (sid, key), n in table.items() if str(key) == value and is_suppressed(column[sid])
    ]
    if concealed and not rule.safe_together(concealed):
        return frozenset()
    return frozenset(sid for sid in published if sid in column and not is_suppressed(column[sid]))


def _with_visits(pack: Pack, view: View, period: Period, registry) -> Pack:
    """The pack with the inspections and mystery shops of the period, read afresh. While
    the period is in progress, the last complete period's visits are listed too, as every
    other table sets that period beside this one: a visit finalised last week is seen
    whichever side of a period's start it fell."""
    if view.filtered:
        return pack
    visits = inventory.finalised_visits(view, period)
    note = ""
    if uk_today() in period:
        before = previous(period)
        earlier = inventory.finalised_visits(view, before)
        if earlier:
            visits = [*earlier, *visits]
            note = f"Visits in {period.label} so far and in {before.label}."
    section = visits_section(visits, registry)
    if section is None:
        return pack
    if note:
        section = replace(section, note=" ".join(filter(None, (note, section.note))))
    return replace(pack, sections=(*pack.sections, section))


__all__ = [
    "Draw",
    "Subject",
    "available_filters",
    "provider_pack",
    "service_pack",
    "written_sections",
]
