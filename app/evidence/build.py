"""Build the evidence `Pack` for a service or a provider and one monitoring period. No Flask.

Everything a commissioner sees comes from here, already suppressed: the page, the CSV, the
XLSX and the PDF render the same `Pack` (see `app.evidence.tables`).

Small numbers across views. A provider's figures are the sum of its services' figures, so
a service's own figures are published only when the small-numbers row rule leaves that
service visible among its provider's services for that section (responses, each scale, the
outcomes wheel, each questionnaire): otherwise the provider total minus the published
services would give the hidden ones. `published_services` decides it, section by section.

Change over time ("distance travelled") is for the people seen in the period: latest score
in the period, first score up to `HISTORY_MONTHS` before it. Those cohorts do not nest, so
two periods cannot be subtracted to isolate anyone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from sqlalchemy import func, select

from app.charts import Chart
from app.evidence import queries, statistics
from app.evidence.figures_cache import FiguresCache
from app.evidence.periods import Period, period_for_service, previous
from app.evidence.suppression import SUPPRESSION_NOTE, Figure, Row, SmallNumbers, Suppressed
from app.evidence.tables import (
    COUNT,
    NUMBER,
    P_VALUE,
    SHARE,
    Column,
    Pack,
    Section,
    Table,
)
from app.extensions import db, instrument_registry
from app.instruments.model import Instrument, InstrumentRegistry
from app.models import Campaign, Reading, Response, Service, Visit
from app.models.timeutil import utcnow

T = TypeVar("T")
HISTORY_MONTHS = 24
# Warwick's rule of thumb (shared INSTRUMENTS.md): a paired test needs at least 30 people
# with two readings; below that the page says so instead of giving a p-value.
MIN_PEOPLE_FOR_TEST = 30
TOO_FEW_TO_TEST = "too few people to test"
LOCALE = "en"  # staff pages and packs are in English
MODE_NAMES = {"self": "Self-completed", "with_worker": "With a worker"}
PROVENANCE_NAMES = {
    "validated": "validated wording",
    "project": "project translation, not validated",
    "machine": "machine translation, not validated",
}

ENGLISH_NAMES = {"bn": "Bengali"}  # what UK services call it (CLDR says "Bangla")


def language_name(code: str) -> str:
    """A language's English name ("cy" -> "Welsh"), or the code when Babel does not know it."""
    if code in ENGLISH_NAMES:
        return ENGLISH_NAMES[code]
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


# Chart drawing is slow; a page passes a cached drawer (app.charts.cache.cached_chart).
Draw = Callable[..., Chart]


def _direct(draw, /, *args, **kwargs) -> Chart:
    return draw(*args, **kwargs)


@dataclass(frozen=True)
class View:
    """Some services' responses, optionally only one language's or one age band's: a
    filtered view. Iterating gives the service ids, so a view goes wherever ids do."""

    service_ids: tuple[int, ...]
    language: str | None = None
    age_band: str | None = None

    def __iter__(self):
        return iter(self.service_ids)

    def __len__(self) -> int:
        return len(self.service_ids)

    @property
    def filtered(self) -> bool:
        return self.language is not None or self.age_band is not None

    def unfiltered(self) -> View:
        return View(self.service_ids)

    @property
    def dimension(self) -> tuple[str, str] | None:
        """("language", "cy") or ("age_band", "13_15"), or None when not filtered."""
        if self.language is not None:
            return ("language", self.language)
        if self.age_band is not None:
            return ("age_band", self.age_band)
        return None


FILTER_COLUMNS = {"language": Response.language, "age_band": Response.age_band}


def filter_label(dimension: str, value: str) -> str:
    from app.age_bands import age_band

    if dimension == "language":
        return f"in {language_name(value)}"
    band = age_band(value)
    return f"aged {band.label.lower()}" if band and band.key != "not_said" else "age not said"


@dataclass(frozen=True)
class Subject:
    """What the pack is about: one service, or every service of a provider."""

    title: str
    scope: str
    services: tuple[Service, ...]
    published: frozenset[int] | None = None  # services whose own figures may show

    @property
    def service_ids(self) -> tuple[int, ...]:
        return tuple(service.id for service in self.services)


def history_start(period: Period) -> datetime:
    """How far back a first score may be for the change figures of `period`."""
    start = period.start
    months = start.year * 12 + start.month - 1 - HISTORY_MONTHS
    first = date(months // 12, months % 12 + 1, 1)
    return Period(first, first, 1).utc_bounds()[0]


# --- Which services may be shown on their own ----------------------------------------------


def section_sizes(
    service_ids: Sequence[int], period: Period, by=None
) -> dict[str, dict[object, int]]:
    """People per service (or per value of `by`, e.g. Response.language) for each evidence
    section in `period`: "responses" (everyone), "<instrument id>" (people with a response
    to it) and, per service only, "reading:<instrument id>" (outcomes-wheel readings).
    `service_ids` may be a filtered `View`."""
    since, until = period.utc_bounds()
    scope = _scope(service_ids, period)
    column = Campaign.service_id if by is None else by
    keys = tuple(service_ids) if by is None else ()
    people = func.count(func.distinct(queries.person_key()))
    sizes: dict[str, dict[object, int]] = {"responses": dict.fromkeys(keys, 0)}
    rows = db.session.execute(
        select(column, Response.instrument_id, people)
        .select_from(Response)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*scope.conditions())
        .group_by(column, Response.instrument_id)
    ).all()
    for key, instrument_id, count in rows:
        sizes.setdefault(instrument_id, dict.fromkeys(keys, 0))[key] = count
    everyone = db.session.execute(
        select(column, people)
        .select_from(Response)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*scope.conditions())
        .group_by(column)
    ).all()
    for key, count in everyone:
        sizes["responses"][key] = count
    if by is not None:
        return sizes
    readings = db.session.execute(
        select(
            Reading.service_id,
            Reading.instrument_id,
            func.count(func.distinct(Reading.participant_id)),
        )
        .where(
            Reading.service_id.in_(tuple(service_ids)),
            Reading.taken_on >= period.start,
            Reading.taken_on <= period.end,
        )
        .group_by(Reading.service_id, Reading.instrument_id)
    ).all()
    for service_id, instrument_id, count in readings:
        sizes.setdefault(f"reading:{instrument_id}", dict.fromkeys(service_ids, 0))[service_id] = (
            count
        )
    return sizes


def published_services(
    *periods: dict[str, dict[int, int]], rule: SmallNumbers
) -> dict[str, frozenset[int]]:
    """For each section, the services whose own figures may be published beside their
    provider's in every one of `periods` (each the output of `section_sizes`).

    A service with nobody in a period adds nothing to its provider's figures there, so it
    neither needs protecting nor protects the others; among the rest, the row rule decides.
    """
    sections = {section for sizes in periods for section in sizes}
    published: dict[str, frozenset[int]] = {}
    for section in sections:
        allowed: set[int] | None = None
        for sizes in periods:
            per_service = sizes.get(section)
            if not per_service:
                continue  # nobody in this section in this period: nothing to protect
            present = {k: v for k, v in per_service.items() if v > 0}
            empty = {k for k, v in per_service.items() if v == 0}
            here = rule.available_subsets(present) | empty if present else set(per_service)
            allowed = here if allowed is None else allowed & here
        published[section] = frozenset(allowed or ())
    return published


# --- The pack ------------------------------------------------------------------------------


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
    services are too small to publish it on its own (see the module docstring).

    `only` = ("language", "cy") or ("age_band", "13_15") filters every figure to those
    people; each section is then shown only when that group may be published beside the
    rest of the service (and beside the provider's other services, filtered the same way).

    With a `cache`, figures built from the same data (`data_version` of the provider's
    services) are reused; visits, whose replies and statuses change by the day, never are.
    """
    if period != period_for_service(service, period.start):
        # Off-grid periods could overlap and be subtracted from each other.
        raise ValueError(f"{period.label} is not one of this service's monitoring periods")
    sibling_ids = tuple(s.id for s in service.provider.services)
    key = ("service", service.id, period, only, rule, charts, draw, id(registry))
    pack = _kept(
        cache,
        key,
        sibling_ids,
        period,
        lambda: _service_figures(service, sibling_ids, period, registry, rule, draw, charts, only),
    )
    return _with_visits(pack, View((service.id,), **_filter(only)), period)


def _service_figures(service, sibling_ids, period, registry, rule, draw, charts, only) -> Pack:
    siblings = View(sibling_ids, **_filter(only))
    periods = (period, previous(period))
    published = published_services(*(section_sizes(siblings, p) for p in periods), rule=rule)
    allowed = {
        section: frozenset({service.id}) if service.id in services else frozenset()
        for section, services in published.items()
    }
    view = View((service.id,), **_filter(only))
    parent = View(siblings.service_ids) if len(siblings) > 1 else None
    if only is not None:
        allowed = _filtered_allowed(View((service.id,)), only, periods, rule, allowed)
        parent = View((service.id,))
    subject = Subject(
        title=f"Evidence: {service.name}" + (f", {filter_label(*only)}" if only else ""),
        scope=f"{service.name}, {service.provider.name}"
        + (f"; people {filter_label(*only)}" if only else ""),
        services=(service,),
    )
    return _pack(
        subject, view, period, registry, rule, allowed, draw=draw, charts=charts, parent=parent
    )


def _filter(only: tuple[str, str] | None) -> dict[str, str]:
    if only is None:
        return {}
    dimension, value = only
    if dimension not in FILTER_COLUMNS:
        raise ValueError(f"cannot filter by {dimension!r}")
    return {dimension: value}


def available_filters(
    view: View, period: Period, rule: SmallNumbers, cache: PageFigures | None = None
) -> dict[str, list[str]]:
    """The languages and age bands whose filtered view of `view` may be published for this
    period and the one before: the row rule over the categories of each dimension, so no
    view can be subtracted from the whole (or from the others) to reveal a small group."""
    key = ("filters", view, period, rule)
    return _kept(
        cache, key, view.service_ids, period, lambda: _available_filters(view, period, rule)
    )


def _available_filters(view: View, period: Period, rule: SmallNumbers) -> dict[str, list[str]]:
    offered = {}
    for dimension, column in FILTER_COLUMNS.items():
        sizes = [section_sizes(view, p, by=column) for p in (period, previous(period))]
        published = published_services(*sizes, rule=rule).get("responses", frozenset())
        offered[dimension] = sorted(str(v) for v in published if v is not None)
    return offered


def _filtered_allowed(whole: View, only, periods, rule, allowed=None) -> dict:
    dimension, value = only
    column = FILTER_COLUMNS[dimension]
    by_category = published_services(
        *(section_sizes(whole, p, by=column) for p in periods), rule=rule
    )
    result = {}
    for section, categories in by_category.items():
        ok = value in categories
        if allowed is not None:
            ok = ok and bool(allowed.get(section))
        result[section] = frozenset(whole.service_ids) if ok else frozenset()
    return result


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
    pack = _kept(
        cache,
        key,
        ids,
        period,
        lambda: _provider_figures(provider, services, period, registry, rule, draw, charts, only),
    )
    return _with_visits(pack, View(ids, **_filter(only)), period)


def _provider_figures(provider, services, period, registry, rule, draw, charts, only) -> Pack:
    subject = Subject(
        title=f"Evidence: {provider.name}" + (f", {filter_label(*only)}" if only else ""),
        scope=f"{provider.name}, {len(services)} service{'s' if len(services) != 1 else ''}"
        + (f"; people {filter_label(*only)}" if only else ""),
        services=services,
    )
    view = View(subject.service_ids, **_filter(only))
    periods = (period, previous(period))
    allowed, parent = {"*": frozenset(view.service_ids)}, None
    if only is not None:
        allowed = _filtered_allowed(view.unfiltered(), only, periods, rule)
        parent = view.unfiltered()
    pack = _pack(
        subject, view, period, registry, rule, allowed, draw=draw, charts=charts, parent=parent
    )
    sizes = section_sizes(view, period)
    published = published_services(sizes, section_sizes(view, previous(period)), rule=rule).get(
        "responses", frozenset()
    )
    rows = tuple(
        (
            service.name,
            sizes["responses"].get(service.id, 0) if service.id in published else rule.hidden(),
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


def data_version(service_ids: Sequence[int], period: Period) -> tuple:
    """What changes whenever any figure about these services for `period` (and the period
    before, which the page shows beside it) could: per service, the count, highest id and
    number still linked to a participant (anonymising lowers it) of the responses sent
    before the period's end, and the count and highest id of readings taken by then. A
    figure never looks later than the period's end, so answers arriving now leave a past
    period's figures as they were. Both come from covering indexes."""
    ids = tuple(service_ids)
    until = period.utc_bounds()[1]
    responses = db.session.execute(
        select(
            Campaign.service_id,
            func.count(Response.id),
            func.max(Response.id),
            func.count(Response.participant_id),
        )
        .join(Response, Response.campaign_id == Campaign.id)
        .where(Campaign.service_id.in_(ids), Response.submitted_at < until)
        .group_by(Campaign.service_id)
        .order_by(Campaign.service_id)
    ).all()
    readings = db.session.execute(
        select(Reading.service_id, func.count(Reading.id), func.max(Reading.id))
        .where(Reading.service_id.in_(ids), Reading.taken_on <= period.end)
        .group_by(Reading.service_id)
        .order_by(Reading.service_id)
    ).all()
    return tuple(map(tuple, responses)), tuple(map(tuple, readings))


class PageFigures:
    """The worker's kept figures (a `FiguresCache`) as one page uses them.

    A page keeps several parts (the groups on offer, the pack) under the data version of
    some of its services. The version of all of `service_ids` is read once per period for
    the page, and each part's version is its own services' share of it, so a page reads it
    once instead of once per part."""

    def __init__(self, figures: FiguresCache, service_ids: Sequence[int]):
        self.figures = figures
        self.service_ids = frozenset(service_ids)
        self._versions: dict[Period, tuple] = {}

    def version(self, service_ids: Sequence[int], period: Period) -> tuple:
        wanted = set(service_ids)
        if not wanted <= self.service_ids:
            return data_version(service_ids, period)
        if period not in self._versions:
            self._versions[period] = data_version(sorted(self.service_ids), period)
        return tuple(
            tuple(row for row in rows if row[0] in wanted) for rows in self._versions[period]
        )

    def get(self, key, service_ids: Sequence[int], period: Period, build: Callable[[], T]) -> T:
        return self.figures.get(key, self.version(service_ids, period), build)


def _kept(cache: PageFigures | None, key, service_ids, period, build: Callable[[], T]) -> T:
    if cache is None:
        return build()
    return cache.get(key, service_ids, period, build)


def _with_visits(pack: Pack, view: View, period: Period) -> Pack:
    """The pack with the inspections and mystery shops of the period, read afresh."""
    visits = None if view.filtered else _visits_section(view, period)
    if visits is None:
        return pack
    return replace(pack, sections=(*pack.sections, visits))


def _allowed(allowed: dict[str, frozenset[int]], section: str, service_ids) -> bool:
    if "*" in allowed:
        return True
    return bool(allowed.get(section)) and set(service_ids) <= allowed[section]


def _pack(subject, view, period, registry, rule, allowed, *, draw, charts, parent=None) -> Pack:
    """`parent`: the view this one is part of (the provider's services, or the unfiltered
    service); figures that the parent's figures minus this view's would reveal about few
    people are hidden."""
    before = previous(period)
    ids = view
    sections: list[Section] = []
    method: list[tuple[str, str]] = [
        ("About", subject.scope),
        ("Period", f"{period.label} ({period.start:%d %B %Y} to {period.end:%d %B %Y})"),
        ("Compared with", f"{before.label} ({before.start:%d %B %Y} to {before.end:%d %B %Y})"),
    ]
    hidden_whole = []
    if _allowed(allowed, "responses", ids):
        section, facts = _responses_section(ids, period, before, rule, parent)
        sections.append(section)
        method += facts
    else:
        hidden_whole.append("responses")
    instruments = _instruments_used(ids, period, before, registry)
    for instrument in instruments:
        label = instrument.title(LOCALE)
        if not _allowed(allowed, instrument.id, ids):
            hidden_whole.append(label)
            continue
        method.append(
            (
                "Instrument",
                f"{label}, version {instrument.version}"
                + (f" ({instrument.licence.notice})" if instrument.licence else ""),
            )
        )
        if instrument.type == "scale":
            sections.append(
                _scale_section(ids, period, before, instrument, rule, draw, charts, parent)
            )
        elif instrument.type == "questionnaire":
            sections.append(
                _questionnaire_section(ids, period, before, instrument, rule, draw, charts, parent)
            )
    stars = [] if view.filtered else _stars_used(ids, period, registry)
    if view.filtered:
        method.append(
            (
                "Filtered",
                f"Only people {filter_label(*view.dimension)}. Outcomes-wheel readings and "
                "visits are not split this way, so they are on the unfiltered page.",
            )
        )
    for instrument in stars:
        label = instrument.title(LOCALE)
        if not _allowed(allowed, f"reading:{instrument.id}", ids):
            hidden_whole.append(label)
            continue
        method.append(("Instrument", f"{label}, version {instrument.version}"))
        sections.append(_star_section(ids, period, before, instrument, rule, draw, charts, parent))
    method += [
        (
            "Scores",
            "Each person's latest complete score in the period counts once. Means have 95% "
            "confidence intervals (t distribution). Bands are indicative. Expected shares "
            "come from the national norm's mean and SD, assuming a normal distribution.",
        ),
        (
            "Change",
            f"For people with a score in the period and an earlier one up to {HISTORY_MONTHS} "
            "months before: first to latest. Meaningful and reliable change use each "
            "instrument's published thresholds. A paired t-test is given only when at least "
            f"{MIN_PEOPLE_FOR_TEST} people have both scores.",
        ),
        (
            "Small numbers",
            f"Threshold {rule.threshold}: figures about fewer than {rule.threshold} people are "
            "hidden, with secondary suppression in rows with totals. A service's own figures "
            "are shown only when the provider's other services do not reveal them.",
        ),
    ]
    if hidden_whole:
        method.append(
            (
                "Not shown",
                "Not published for this service and period, to protect small numbers: "
                + ", ".join(hidden_whole)
                + ".",
            )
        )
    return Pack(
        title=subject.title,
        scope=subject.scope,
        period=period.label,
        previous_period=before.label,
        generated_at=utcnow(),
        method=tuple(method),
        sections=tuple(sections),
        suppression_note=SUPPRESSION_NOTE.format(threshold=rule.threshold),
    )


def _scope(ids, period: Period, instrument_id: str | None = None) -> queries.Scope:
    since, until = period.utc_bounds()
    language = getattr(ids, "language", None)
    age_band = getattr(ids, "age_band", None)
    return queries.Scope(tuple(ids), since, until, instrument_id, language, age_band)


def _instruments_used(ids, period, before, registry) -> list[Instrument]:
    since = before.utc_bounds()[0]
    until = period.utc_bounds()[1]
    rows = db.session.execute(
        select(Response.instrument_id, Response.instrument_version)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*queries.Scope(tuple(ids), since, until).conditions())
        .distinct()
    ).all()
    found = []
    for instrument_id, version in sorted(rows):
        try:
            found.append(registry.get(instrument_id, version))
        except KeyError:
            continue
    order = {"scale": 0, "questionnaire": 1}
    return sorted(found, key=lambda i: (order.get(i.type, 2), i.id, i.version))


def _stars_used(ids, period, registry) -> list[Instrument]:
    rows = db.session.execute(
        select(Reading.instrument_id, Reading.instrument_version)
        .where(
            Reading.service_id.in_(tuple(ids)),
            Reading.taken_on >= period.start,
            Reading.taken_on <= period.end,
        )
        .distinct()
    ).all()
    found = []
    for instrument_id, version in sorted(rows):
        try:
            instrument = registry.get(instrument_id, version)
        except KeyError:
            continue
        if instrument.star is not None:
            found.append(instrument)
    return found


# --- Responses -----------------------------------------------------------------------------


def _responses_section(
    ids, period, before, rule, parent=None
) -> tuple[Section, list[tuple[str, str]]]:
    both = [response_figures(ids, p, rule, parent) for p in (period, before)]
    columns = (Column("Measure"), Column(period.label, COUNT), Column(before.label, COUNT))
    counts = Table(
        key="responses",
        caption="Responses and people",
        columns=columns,
        rows=(
            ("Responses", both[0]["responses"], both[1]["responses"]),
            ("People", both[0]["people"], both[1]["people"]),
        ),
    )
    completion = Table(
        key="completion",
        caption="Completion rate (complete responses as a share of all responses)",
        columns=(Column("Measure"), Column(period.label, SHARE), Column(before.label, SHARE)),
        rows=(("Completion rate", both[0]["completion"], both[1]["completion"]),),
    )
    languages = _row_table(
        "languages",
        "Languages used (responses)",
        "Language",
        both[0]["languages"],
        both[1]["languages"],
        lambda key: f"{language_name(key[0])} ({PROVENANCE_NAMES.get(key[1], key[1])})",
        period,
        before,
    )
    modes = _row_table(
        "modes",
        "How people answered (responses)",
        "Mode",
        both[0]["modes"],
        both[1]["modes"],
        lambda key: MODE_NAMES.get(key, key),
        period,
        before,
    )
    facts = [
        ("Responses in the period", _text(both[0]["responses"])),
        ("People in the period", _text(both[0]["people"])),
        (
            "Languages",
            ", ".join(
                sorted(
                    {
                        language_name(key[0])
                        for key in (*both[0]["languages"].cells, *both[1]["languages"].cells)
                    }
                )
            )
            or "none",
        ),
    ]
    section = Section(
        key="responses",
        title="Responses",
        tables=(counts, completion, languages, modes),
    )
    return section, facts


def response_figures(ids, period, rule, parent=None) -> dict:
    """Responses, people, completion rate, languages (with provenance) and modes for some
    services (or a filtered `View`) in one period, suppressed (against `parent` too)."""
    scope = _scope(ids, period)
    summary = queries.response_summary(scope)
    languages = queries.counts_by(scope, Response.language, Response.text_provenance)
    modes = {k[0]: v for k, v in queries.counts_by(scope, Response.mode).items()}
    hides = rule.hides(summary.people)
    figures = {
        "responses": rule.count(summary.responses, summary.people),
        "people": rule.count(summary.people),
        "completion": rule.hidden() if hides else rule.share(summary.complete, summary.responses),
        "languages": _people_row(rule, languages, summary.responses),
        "modes": _people_row(rule, modes, summary.responses),
    }
    if parent:
        whole = _scope(parent, period)
        total = queries.response_summary(whole).responses
        for key, own, of_all in (
            (
                "languages",
                languages,
                queries.counts_by(whole, Response.language, Response.text_provenance),
            ),
            ("modes", modes, {k[0]: v for k, v in queries.counts_by(whole, Response.mode).items()}),
        ):
            figures[key] = rule.subset_row(
                {k: c.responses for k, c in of_all.items()},
                total,
                {k: c.responses for k, c in own.items()},
                summary.responses,
            )
    return figures


def _people_row(rule, counts, total) -> Row:
    return rule.row(
        {key: count.responses for key, count in counts.items()},
        total,
        people={key: count.people for key, count in counts.items()},
    )


def _row_table(key, caption, heading, current: Row, earlier: Row, name, period, before) -> Table:
    keys = sorted(set(current.cells) | set(earlier.cells), key=lambda k: name(k))
    hidden = Suppressed()

    def cell(row: Row, k):
        if k in row.cells:
            return row.cells[k]
        return hidden if isinstance(row.total, Suppressed) else 0

    return Table(
        key=key,
        caption=caption,
        columns=(Column(heading), Column(period.label, COUNT), Column(before.label, COUNT)),
        rows=tuple((name(k), cell(current, k), cell(earlier, k)) for k in keys)
        + (("Total", current.total, earlier.total),),
    )


def _text(value: Figure) -> str:
    return str(value)


# --- Wellbeing scales ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleFigures:
    n: Figure
    mean: Figure | None
    sd: Figure | None
    ci_low: Figure | None
    ci_high: Figure | None
    bands: Row
    paired_n: Figure
    mean_change: Figure | None
    meaningful: Figure
    reliable_improvement: Figure
    reliable_deterioration: Figure
    test: statistics.TTest | None


def scale_figures(ids, period: Period, instrument: Instrument, rule, parent=None) -> ScaleFigures:
    scope = _scope(ids, period, instrument.id)
    summary = queries.scale_summary(scope, instrument)
    change = queries.change_summary(scope, instrument, history_since=history_start(period))
    bands = rule.row(summary.bands, summary.n)
    change_people = change.n
    if parent:
        whole = _scope(parent, period, instrument.id)
        of_all = queries.scale_summary(whole, instrument)
        bands = rule.subset_row(of_all.bands, of_all.n, summary.bands, summary.n)
        rest = of_all.n - summary.n
        if 0 < rest < rule.threshold:
            summary = queries.ScaleSummary(0, 0.0, 0.0, summary.bands)  # hide every statistic
        changed_all = queries.change_people(whole, instrument, history_start(period))
        if 0 < changed_all - change.n < rule.threshold:
            change_people = 0
    moments = statistics.Moments(summary.n, summary.total, summary.sum_squares)
    low, high = moments.confidence_interval() or (None, None)
    test = None
    if change_people >= MIN_PEOPLE_FOR_TEST:
        test = statistics.paired_t_test(
            change.n, change.sum_differences, change.sum_squares_differences
        )
    return ScaleFigures(
        n=rule.count(summary.n),
        mean=rule.statistic(moments.mean, summary.n),
        sd=rule.statistic(moments.sd, summary.n),
        ci_low=rule.statistic(low, summary.n),
        ci_high=rule.statistic(high, summary.n),
        bands=bands,
        paired_n=rule.count(change_people),
        mean_change=rule.statistic(
            statistics.mean(change.n, change.sum_differences), change_people
        ),
        meaningful=rule.share(change.meaningful_improvement, change.n)
        if change_people
        else rule.hidden(),
        reliable_improvement=rule.share(change.reliable_improvement, change.n)
        if change_people
        else rule.hidden(),
        reliable_deterioration=rule.share(change.reliable_deterioration, change.n)
        if change_people
        else rule.hidden(),
        test=test,
    )


def expected_band_shares(instrument: Instrument) -> dict[str, float] | None:
    """The share of the national population expected in each band, from the first norm on
    the bands' scale, under a normal distribution; None without such a norm."""
    scoring = instrument.scoring
    norm = next(
        (n for n in instrument.norms if n.sd and n.applies_to == scoring.bands_apply_to), None
    )
    if norm is None or not scoring.bands:
        return None
    step = 0.5 if scoring.bands_apply_to == "raw" else 0.005

    def below(x: float) -> float:
        return 0.5 * (1 + math.erf((x - norm.mean) / (norm.sd * math.sqrt(2))))

    shares = {}
    for i, band in enumerate(scoring.bands):
        low = -math.inf if i == 0 else band.min - step
        high = math.inf if i == len(scoring.bands) - 1 else band.max + step
        shares[band.key] = below(high) - (below(low) if low != -math.inf else 0.0)
    return shares


def _norm(instrument: Instrument):
    scale = "metric" if instrument.scoring.conversion else "raw"
    return next((n for n in instrument.norms if n.applies_to == scale), None)


def _scale_section(ids, period, before, instrument, rule, draw, charts, parent=None) -> Section:
    now, then = (scale_figures(ids, p, instrument, rule, parent) for p in (period, before))
    scale = "metric score" if instrument.scoring.conversion else "score"
    norm = _norm(instrument)
    number = (Column("Measure"), Column(period.label, NUMBER), Column(before.label, NUMBER))
    scores = Table(
        key=f"{instrument.id}-scores",
        caption=f"{instrument.title(LOCALE)}: {scale}s",
        columns=number,
        rows=(
            ("People", now.n, then.n),
            ("Mean", now.mean, then.mean),
            ("95% confidence interval, lower", now.ci_low, then.ci_low),
            ("95% confidence interval, upper", now.ci_high, then.ci_high),
            ("Standard deviation", now.sd, then.sd),
        ),
        note=f"National norm: mean {norm.mean} ({norm.population})." if norm else "",
    )
    expected = expected_band_shares(instrument)
    band_rows = []
    for band in instrument.scoring.bands:
        band_rows.append(
            (
                instrument.band_label(band.key, LOCALE),
                now.bands.cells.get(band.key),
                now.bands.share(band.key),
                then.bands.share(band.key),
                expected[band.key] if expected else None,
            )
        )
    bands = Table(
        key=f"{instrument.id}-bands",
        caption=f"{instrument.title(LOCALE)}: indicative bands",
        columns=(
            Column("Band"),
            Column(f"People, {period.label}", COUNT),
            Column(f"Share, {period.label}", SHARE),
            Column(f"Share, {before.label}", SHARE),
            Column("Expected from the national norm", SHARE),
        ),
        rows=tuple(band_rows),
        note="Bands are indicative, not a diagnosis.",
    )
    change_rows = [
        ("People with an earlier score", now.paired_n, then.paired_n),
        ("Mean change", now.mean_change, then.mean_change),
        ("Share with meaningful improvement", now.meaningful, then.meaningful),
        ("Share with reliable improvement", now.reliable_improvement, then.reliable_improvement),
        (
            "Share with reliable deterioration",
            now.reliable_deterioration,
            then.reliable_deterioration,
        ),
    ]
    change = Table(
        key=f"{instrument.id}-change",
        caption=f"{instrument.title(LOCALE)}: change from first to latest score",
        columns=(Column("Measure"), Column(period.label, NUMBER), Column(before.label, NUMBER)),
        rows=tuple(change_rows),
    )
    test_rows = []
    for label, figures in ((period.label, now), (before.label, then)):
        if figures.test is None:
            test_rows.append((label, TOO_FEW_TO_TEST, None, None, None))
        else:
            t = figures.test
            test_rows.append(
                (label, "paired t-test", round(t.mean_difference, 2), round(t.t, 2), t.p)
            )
    test = Table(
        key=f"{instrument.id}-test",
        caption=f"{instrument.title(LOCALE)}: is the change more than chance?",
        columns=(
            Column("Period"),
            Column("Test"),
            Column("Mean difference", NUMBER),
            Column("t", NUMBER),
            Column("p", P_VALUE),
        ),
        rows=tuple(test_rows),
        note=f"Tested only when at least {MIN_PEOPLE_FOR_TEST} people have two scores.",
    )
    drawn: tuple[Chart, ...] = ()
    if charts:
        from app.charts import evidence as evidence_charts

        drawn = (
            draw(
                evidence_charts.means_chart,
                (
                    (period.label, now.mean, now.ci_low, now.ci_high),
                    (before.label, then.mean, then.ci_low, then.ci_high),
                ),
                scale_label=f"Mean {scale}",
                norm=norm.mean if norm else None,
                norm_label=f"National norm, {norm.mean}" if norm else None,
            ),
            draw(
                evidence_charts.band_chart,
                tuple(
                    (b.key, instrument.band_label(b.key, LOCALE)) for b in instrument.scoring.bands
                ),
                {b.key: now.bands.share(b.key) for b in instrument.scoring.bands},
                {b.key: then.bands.share(b.key) for b in instrument.scoring.bands},
                expected,
                current_label=period.label,
                previous_label=before.label,
                norm_label="Expected from the national norm" if expected else None,
                title=f"{instrument.title(LOCALE)}: indicative bands",
            ),
        )
    return Section(
        key=instrument.id,
        title=instrument.title(LOCALE),
        tables=(scores, bands, change, test),
        charts=drawn,
        note=instrument.licence.notice if instrument.licence else "",
    )


# --- Questionnaires ------------------------------------------------------------------------


def _questionnaire_section(
    ids, period, before, instrument, rule, draw, charts, parent=None
) -> Section:
    tables = []
    drawn = []
    # One pass over the responses per period (and per parent view) for every closed question.
    found = {}
    for p in (period, before):
        found[p] = queries.question_distributions(_scope(ids, p, instrument.id), instrument)
        if parent:
            found[p, "all"] = queries.question_distributions(
                _scope(parent, p, instrument.id), instrument
            )
    for item in instrument.items:
        if not item.is_choice:
            continue
        partition = item.kind != "multiple_choice"
        rows = {}
        for p in (period, before):
            counts, answered = found[p][item.id]
            rows[p] = rule.row(counts, answered, partition=partition)
            if parent:
                of_all, answered_all = found[p, "all"][item.id]
                rows[p] = rule.subset_row(
                    of_all, answered_all, counts, answered, partition=partition
                )
        now, then = rows[period], rows[before]
        choices = instrument.option_choices(item.id, LOCALE)
        tables.append(
            Table(
                key=f"{instrument.id}-{item.id}",
                caption=instrument.item_text(item.id, LOCALE),
                columns=(
                    Column("Answer"),
                    Column(f"People, {period.label}", COUNT),
                    Column(f"Share, {period.label}", SHARE),
                    Column(f"Share, {before.label}", SHARE),
                ),
                rows=tuple(
                    (label, now.cells[value], now.share(value), then.share(value))
                    for value, label in choices
                )
                + (("People who answered", now.total, None, None),),
                note="People could choose more than one answer, so shares add up to more than 100%."
                if not partition
                else "",
            )
        )
        if charts:
            from app.charts import evidence as evidence_charts

            drawn.append(
                draw(
                    evidence_charts.distribution_chart,
                    tuple(choices),
                    dict(now.cells),
                    answered=now.total,
                    title=instrument.item_text(item.id, LOCALE),
                )
            )
    return Section(
        key=instrument.id,
        title=instrument.title(LOCALE),
        tables=tuple(tables),
        charts=tuple(drawn),
        note="Written answers are not part of the evidence pack; staff allowed to read them "
        "see them on their own page.",
    )


# --- Outcomes wheel ------------------------------------------------------------------------


def _star_section(ids, period, before, instrument, rule, draw, charts, parent=None) -> Section:
    star = instrument.star
    texts = instrument.fieldwork_texts(LOCALE)
    results = {}
    for p in (period, before):
        start = history_start(p).date()
        results[p] = queries.star_change(ids, p.start, p.end, instrument, history_since=start)
        if parent:
            of_all = queries.star_change(parent, p.start, p.end, instrument, history_since=start)
            for area, figures in results[p].items():
                if 0 < of_all[area].n - figures.n < rule.threshold:
                    results[p][area] = queries.AreaChange(0, 0, 0, 0)
    rows = []
    first_means, latest_means = {}, {}
    for area in star.areas:
        now = results[period][area]
        then = results[before][area]
        first = rule.statistic(statistics.mean(now.n, now.sum_first), now.n)
        latest = rule.statistic(statistics.mean(now.n, now.sum_latest), now.n)
        first_means[area], latest_means[area] = first, latest
        change = rule.statistic(statistics.mean(now.n, now.sum_latest - now.sum_first), now.n)
        earlier_change = rule.statistic(
            statistics.mean(then.n, then.sum_latest - then.sum_first), then.n
        )
        rows.append(
            (
                texts.areas[area].name,
                rule.count(now.n),
                first,
                latest,
                change,
                rule.share(now.moved_up, now.n),
                earlier_change,
            )
        )
    table = Table(
        key=f"{instrument.id}-distance",
        caption=f"{instrument.title(LOCALE)}: distance travelled, first to latest reading",
        columns=(
            Column("Area"),
            Column("People", COUNT),
            Column("Mean first", NUMBER),
            Column("Mean latest", NUMBER),
            Column(f"Mean change, {period.label}", NUMBER),
            Column("Moved up at least one stage", SHARE),
            Column(f"Mean change, {before.label}", NUMBER),
        ),
        rows=tuple(rows),
        note="People with a reading in the period and an earlier one.",
    )
    drawn = ()
    if charts:
        from app.charts import evidence as evidence_charts

        drawn = (
            draw(
                evidence_charts.distance_chart,
                tuple((area, texts.areas[area].name) for area in star.areas),
                first_means,
                latest_means,
                stages=tuple(
                    (texts.stages.get(stage.key, stage.key), stage.min, stage.max)
                    for stage in star.stages
                ),
                points=star.points,
            ),
        )
    return Section(key=instrument.id, title=instrument.title(LOCALE), tables=(table,), charts=drawn)


# --- Inspections and mystery shops ---------------------------------------------------------


def _visits_section(ids, period) -> Section | None:
    from app.inspections.frameworks import characteristic_text
    from app.inspections.replies import RECOMMENDATION_STATUSES, recommendation_status

    visits = db.session.scalars(
        select(Visit)
        .where(
            Visit.service_id.in_(tuple(ids)),
            Visit.finalised_at.is_not(None),
            Visit.superseded_by_id.is_(None),
            Visit.visit_on >= period.start,
            Visit.visit_on <= period.end,
        )
        .order_by(Visit.visit_on, Visit.id)
    ).all()
    if not visits:
        return None
    by_framework: dict[tuple[str, int], list[Visit]] = {}
    for visit in visits:
        by_framework.setdefault((visit.framework_id, visit.framework_version), []).append(visit)
    tables = []
    today = date.today()
    for (framework_id, version), group in by_framework.items():
        try:
            instrument = instrument_registry().get(framework_id, version)
        except KeyError:
            continue
        framework = instrument.framework
        choices = instrument.option_choices(framework.characteristics[0], LOCALE)
        counts = {
            c: dict.fromkeys((value for value, _ in choices), 0) for c in framework.characteristics
        }
        for visit in group:
            for rating in visit.moderated:
                if (
                    rating.characteristic in counts
                    and rating.rating in counts[rating.characteristic]
                ):
                    counts[rating.characteristic][rating.rating] += 1
        kind = "Mystery shops" if group[0].kind == "mystery_shop" else "Young inspectors' visits"
        tables.append(
            Table(
                key=f"{framework_id}-ratings",
                caption=f"{kind}: moderated ratings across {len(group)} "
                f"visit{'s' if len(group) != 1 else ''} ({instrument.title(LOCALE)})",
                columns=(Column("Quality characteristic"),)
                + tuple(Column(label, COUNT) for _, label in choices),
                rows=tuple(
                    (characteristic_text(instrument, c),)
                    + tuple(counts[c][value] for value, _ in choices)
                    for c in framework.characteristics
                ),
                note="Counts of visits. Ratings are the panel's, not people's answers, so the "
                "small-numbers rule does not apply.",
            )
        )
    recommendations = [
        (
            f"{visit.visit_on:%d %b %Y}",
            rec.text,
            rec.reply or "",
            f"{rec.reply_due_on:%d %b %Y}" if rec.reply_due_on else "",
            RECOMMENDATION_STATUSES[recommendation_status(rec, today)],
        )
        for visit in visits
        for rec in visit.recommendations
    ]
    if recommendations:
        tables.append(
            Table(
                key="recommendations",
                caption="Recommendations and the provider's replies",
                columns=(
                    Column("Visit"),
                    Column("Recommendation"),
                    Column("Provider's reply"),
                    Column("By when"),
                    Column("Status"),
                ),
                rows=tuple(recommendations),
            )
        )
    return Section(key="visits", title="Inspections and mystery shops", tables=tuple(tables))


__all__ = [
    "HISTORY_MONTHS",
    "MIN_PEOPLE_FOR_TEST",
    "TOO_FEW_TO_TEST",
    "Subject",
    "expected_band_shares",
    "history_start",
    "provider_pack",
    "published_services",
    "response_figures",
    "scale_figures",
    "section_sizes",
    "service_pack",
]
