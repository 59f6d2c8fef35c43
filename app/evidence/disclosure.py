"""Which evidence may be published: the one disclosure policy every pack goes through. No Flask.

`suppression.SmallNumbers` hides small figures inside one table; this module decides, for a
whole family of views, which groups and sections may be published at all and what a view
must hide so that it cannot be subtracted from another. Queries count the people
(`app.evidence.inventory.section_sizes`); the decisions here take those counts.

Sibling services. A provider's figures are the sum of its services' figures, so a service's
own figures are published only when the small-numbers row rule leaves that service visible
among its provider's services for that section (responses, each scale, the outcomes wheel,
each questionnaire): otherwise the provider total minus the published services would give
the hidden ones. `published_services` decides it, section by section, for this period and
the one before (the page shows both).

Filtered views. One language's or one age band's figures are offered only when the row rule
over every category of that dimension leaves the category visible (`offered_groups`), so no
view can be subtracted from the whole, or from the others, to reveal a small group; inside
such a view, a figure is hidden when the whole minus it is small (`against_parent`,
`scale_against_parent`, `areas_against_parent`).

Family tables. Every figure of a service beside its siblings is cut from one table of the
family (`family_table`, `linked_rows`, `linked_count`, `linked_share`): every service whose
page shows the figure is a row, those with nobody as cells of 0, hidden like any small cell
and protected by secondary suppression along every row and every column under a published
provider figure. A row whose hidden cells cannot be made safe is withheld; its total is
still published, so its cells count as known in every column (never as protection), and a
column they leave unsafe withholds every row hiding one of its cells.

Three ways at once. The groups' tables (one language's bands or answers) and the services'
tables both add up to the whole's row, so a group's breakdown is published only where the
whole publishes every cell of it (`within_whole`), and is cut from the table of every group
under the whole's row (`cut_from`). A service left out for one period's sake (a page shows
two) is hidden in each period's table of services (`published_services`).

Change over time is for the people seen in the period (latest score in it, first up to
`periods.HISTORY_MONTHS` before); those cohorts do not nest, so two periods cannot be
subtracted to isolate anyone. Visits are counts of panel ratings, not of people, so none of
this applies to them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.evidence.suppression import SmallNumbers
from app.figures import PRIMARY, SECONDARY, Row, is_suppressed

# What a page may be filtered by: `?show=language:cy`, `?show=age_band:13_15`.
DIMENSIONS = ("language", "age_band")
# Under this key in `allowed`, every section is allowed (a provider's own, unfiltered pack).
EVERY_SECTION = "*"


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


def view_of(service_ids: Iterable[int], only: tuple[str, str] | None = None) -> View:
    """The view of `service_ids` filtered by `only` (None, or ("language", "cy"), ...)."""
    if only is None:
        return View(tuple(service_ids))
    dimension, value = only
    if dimension not in DIMENSIONS:
        raise ValueError(f"cannot filter by {dimension!r}")
    return View(tuple(service_ids), **{dimension: value})


def published_services(
    *periods: Mapping[str, Mapping[int, int]], rule: SmallNumbers
) -> dict[str, frozenset[int]]:
    """For each section, the services (or categories) whose own figures may be published
    beside their provider's in every one of `periods` (each the output of `section_sizes`).

    A service with nobody in a period is a cell of 0 in that period's table, hidden like
    any cell below the threshold and protected by hiding its siblings: beside siblings that
    are all shown, the provider's total would pin it. A section (an instrument) a service
    has nobody for in any of `periods` is not on that service's page at all, so it is no
    cell there; every service is in "responses", which every page and the provider's table
    of services show.
    """
    sections = {section for sizes in periods for section in sizes}
    published: dict[str, frozenset[int]] = {}
    for section in sections:
        members = {
            key
            for sizes in periods
            for key, n in sizes.get(section, {}).items()
            if n or section == "responses"
        }
        # A service left out for one period's sake is left out of every period its page
        # shows, so each period's table hides it and protects it like any hidden cell:
        # else that period's total minus its siblings' would give it. Until nothing changes.
        allowed: set | None = None
        while True:
            left_out = members - allowed if allowed is not None else set()
            here = _published_in_every(periods, section, members, rule, left_out)
            if here is None:
                break
            narrower = here if allowed is None else allowed & here
            if narrower == allowed:
                break
            allowed = narrower
        published[section] = frozenset(allowed or ())
    return published


def _published_in_every(periods, section, members, rule, left_out) -> set | None:
    """The members of `section` published in every one of `periods` (None when nobody is
    in it in any), those `left_out` hidden in each period's table."""
    allowed: set | None = None
    for i, sizes in enumerate(periods):
        per_service = sizes.get(section)
        if not per_service or not any(per_service.values()):
            continue  # nobody in this section in this period: nothing to protect
        row = rule.row({k: per_service.get(k, 0) for k in members}, already=left_out)
        here = visible_or_small(row, rule, first=i == 0)
        allowed = here if allowed is None else allowed & here
    return allowed


def visible_or_small(row: Row, rule: SmallNumbers, *, first: bool = True) -> set:
    """The cells of a suppressed row whose views may be published. For the view's own
    period (`first`), those the row shows. For an earlier period shown beside it, also
    those hidden because they are about fewer than `rule.threshold` people, when the row's
    hidden cells are safe together: every figure of that column of the view is then
    hidden too, as it is in the row."""
    cells = row.cells
    if is_suppressed(row.total) and first:
        return set()
    visible = {k for k, v in cells.items() if not is_suppressed(v)}
    if row.withheld:
        return set()
    if first:
        return visible
    if is_suppressed(row.total):
        return set(cells)
    return visible | {k for k, v in cells.items() if is_suppressed(v) and v.reason == PRIMARY}


def service_sections(
    published: Mapping[str, frozenset[int]], service_id: int
) -> dict[str, frozenset[int]]:
    """The sections a service's own page may show (the sibling rule), as `allowed`."""
    return {
        section: frozenset({service_id}) if service_id in services else frozenset()
        for section, services in published.items()
    }


def filtered_sections(
    by_category: Mapping[str, frozenset],
    value: str,
    service_ids: Sequence[int],
    allowed: Mapping[str, frozenset[int]] | None = None,
) -> dict[str, frozenset[int]]:
    """The sections a view filtered to `value` may show: those where the category is
    published among its dimension's (`by_category`, from `published_services` over the
    sizes per category), and, with `allowed`, that the unfiltered view may show too."""
    result = {}
    for section, categories in by_category.items():
        ok = value in categories
        if allowed is not None:
            ok = ok and bool(allowed.get(section))
        result[section] = frozenset(service_ids) if ok else frozenset()
    return result


def offered_groups(
    sizes: Mapping[str, Sequence[Mapping[str, Mapping[object, int]]]], rule: SmallNumbers
) -> dict[str, list[str]]:
    """The languages and age bands whose filtered views may be published: for each
    dimension, `sizes` holds its `section_sizes` for the period and the one before."""
    offered = {}
    for dimension in DIMENSIONS:
        published = published_services(*sizes[dimension], rule=rule).get("responses", frozenset())
        offered[dimension] = sorted(str(v) for v in published if v is not None)
    return offered


def family_table(
    counts: Mapping[tuple[object, object], int],
    rows: Iterable[object] = (),
    columns: Iterable[object] = (),
) -> dict[tuple[object, object], int]:
    """A family table for `linked_rows` with every cell in it: each of `rows` (the
    services whose pages show the measure, those with nobody included) by each column
    (`columns`, and every column some row of `counts` has), 0 where `counts` has none. An
    empty cell is a cell of 0: hidden as fewer than the threshold and protected by
    secondary suppression like any other, since its row's total and its column's total
    would otherwise pin it."""
    rows = list(dict.fromkeys([*rows, *(r for r, _ in counts)]))
    columns = list(dict.fromkeys([*columns, *(c for _, c in counts)]))
    return {(r, c): counts.get((r, c), 0) for r in rows for c in columns}


def linked_rows(
    table: Mapping[tuple[object, object], int],
    rule: SmallNumbers,
    *,
    people: Mapping[tuple[object, object], int] | None = None,
) -> dict[object, Row]:
    """Linked-table suppression for one count measure of a provider family: `table` holds
    (service, category) -> count for every service (rows, each published with its own
    total) and category (columns, whose totals are the provider's row). Returns each
    service's published `Row`.

    Primary: a cell about fewer than `rule.threshold` people (`people`, default the count)
    is hidden, zero included. Secondary, until nothing changes: every line of the table,
    each service's row and each category's column under a published provider cell, that
    hides a cell hides more of its cells, smallest first, until its hidden cells are safe
    together (the row rule of `SmallNumbers`). So a cell hidden on one service's page is
    hidden wherever it could be subtracted back: on every sibling's page and beside the
    provider's. A row whose hidden cells cannot be made safe is withheld."""
    services = list(dict.fromkeys(r for r, _ in table))
    categories = list(dict.fromkeys(c for _, c in table))
    margins = {c: sum(table.get((r, c), 0) for r in services) for c in categories}
    provider = rule.row(margins)
    bases = people or table
    hidden = {key for key in table if rule.hides(bases[key])}
    lines = [[(r, c) for c in categories if (r, c) in table] for r in services]
    columns = [
        [(r, c) for r in services if (r, c) in table]
        for c in categories
        if not is_suppressed(provider.cells[c])
    ]
    # A row whose hidden cells cannot be made safe beside its published total is withheld,
    # and that total bounds them: in the columns its cells then count as known (`pinned`),
    # never as protection, and a column left unsafe withholds every row hiding one of its
    # cells in turn.
    pinned: set = set()
    withheld: set = set()
    while True:
        _spread(lines + columns, hidden, pinned, table, rule)
        withheld |= {
            r
            for r, line in zip(services, lines, strict=False)
            if not rule.hides(sum(table[key] for key in line))
            and any(key in hidden for key in line)
            and not rule.safe_together([table[key] for key in line if key in hidden])
        }
        for line in columns:
            concealed = [key for key in line if key in hidden and key not in pinned]
            if concealed and not rule.safe_together([table[key] for key in concealed]):
                withheld |= {r for r, _ in concealed}
        more = {(r, c) for r in withheld for c in categories if (r, c) in table} - pinned
        if not more:
            break
        pinned |= more
        hidden |= more
    rows = {}
    for r, line in zip(services, lines, strict=False):
        total = sum(table[key] for key in line)
        if rule.hides(total):
            # Left out too when a column cannot be made safe with its cells "fewer than".
            rows[r] = Row({c: rule.hidden() for _, c in line}, rule.hidden(), r in withheld)
            continue
        rows[r] = Row(
            {
                c: rule.hidden(PRIMARY if rule.hides(bases[r, c]) else SECONDARY)
                if (r, c) in hidden
                else table[r, c]
                for _, c in line
            },
            total,
            withheld=r in withheld,
        )
    return rows


def _spread(lines, hidden: set, pinned: set, table, rule: SmallNumbers) -> None:
    """Secondary suppression along `lines` until nothing changes: a line hiding cells that
    are not safe together hides its smallest shown cell. A `pinned` cell (of a withheld
    row, known from its row's total) counts as shown and is never hidden to protect."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            concealed = [table[k] for k in line if k in hidden and k not in pinned]
            if concealed and not rule.safe_together(concealed):
                shown = [key for key in line if key not in hidden]
                if shown:
                    hidden.add(min(shown, key=lambda key: table[key]))
                    changed = True


def cut_from(linked: Row | None, row: Row) -> Row:
    """`row` with every cell hidden that the family table's `linked` row hides too."""
    if linked is None or is_suppressed(row.total):
        return row
    cells = {k: v if is_suppressed(v) else linked.cells.get(k, v) for k, v in row.cells.items()}
    return Row(cells, row.total, withheld=row.withheld or linked.withheld)


def within_whole(rule: SmallNumbers, whole: Row, row: Row) -> Row:
    """A group's breakdown (one language's bands or answers), withheld unless its whole
    (the unfiltered view, as published) shows every cell. The groups' tables and the
    services' tables both add up to the whole's row: where the whole hides a cell, each
    bounds it, and one table's bound narrows the other's hidden cells (services by groups
    by categories). A cell the whole publishes is a margin both are protected against."""
    if is_suppressed(row.total) or row.withheld:
        return row
    if whole.withheld or is_suppressed(whole.total) or whole.hidden():
        return Row({k: rule.hidden() for k in row.cells}, row.total, withheld=True)
    return row


def linked_count(counts: Mapping[object, int], key: object, rule: SmallNumbers) -> bool:
    """Whether `key`'s count may be shown beside its siblings' (`counts`, every sibling
    whose page shows the figure, 0 where nobody is) and their total: the family's column
    of that count, with secondary suppression run down it (`linked_rows`)."""
    rows = linked_rows(family_table({(k, "n"): n for k, n in counts.items()}), rule)
    row = rows.get(key)
    return row is not None and not row.withheld and not is_suppressed(row.cells["n"])


def linked_share(parts: Mapping[object, tuple[int, int]], key: object, rule: SmallNumbers) -> bool:
    """Whether `key`'s share (part, whole) may be shown beside its siblings' (`parts`) and
    the provider's: the family table of those who are and are not in the part, by
    service, under the provider's two counts; hidden where either of its cells is."""
    counts: dict[tuple[object, object], int] = {}
    for k, (part, whole) in parts.items():
        counts[k, True], counts[k, False] = part, whole - part
    row = linked_rows(family_table(counts, parts, (True, False)), rule).get(key)
    return row is not None and not row.withheld and not row.hidden()


def may_publish(allowed: Mapping[str, frozenset[int]], section: str, service_ids) -> bool:
    """True when `allowed` lets every one of `service_ids` show `section`."""
    if EVERY_SECTION in allowed:
        return True
    return bool(allowed.get(section)) and set(service_ids) <= allowed[section]


def rest_is_small(rule: SmallNumbers, whole: int, part: int) -> bool:
    """True when the whole minus a published part would be a figure about a few people."""
    return 0 < whole - part < rule.threshold


def against_parent(
    rule: SmallNumbers,
    parent: Mapping,
    parent_total: int,
    cells: Mapping,
    total: int,
    *,
    partition: bool = True,
    people: Mapping | None = None,
    people_total: int | None = None,
) -> Row:
    """A row of a filtered view, safe beside the same row of its parent view (`people`
    and `people_total` as in `SmallNumbers.subset_row`)."""
    return rule.subset_row(
        parent,
        parent_total,
        cells,
        total,
        partition=partition,
        people=people,
        people_total=people_total,
    )


def scale_against_parent(rule: SmallNumbers, summary, of_all, change_n: int, changed_all: int):
    """A scale's figures in a view beside its parent's: (bands row, the summary to publish,
    the number of people with change to publish). The statistics go when the rest of the
    parent is small, the change figures when the rest of its change cohort is."""
    bands = against_parent(rule, of_all.bands, of_all.n, summary.bands, summary.n)
    if rest_is_small(rule, of_all.n, summary.n):
        summary = dataclasses.replace(summary, n=0, total=0.0, sum_squares=0.0)
    change_people = 0 if rest_is_small(rule, changed_all, change_n) else change_n
    return bands, summary, change_people


def areas_against_parent(rule: SmallNumbers, areas: Mapping, of_all: Mapping) -> dict:
    """Outcomes-wheel area figures in a view beside its parent's: an area whose rest is
    small is published as if nobody had moved (every figure then hidden)."""
    return {
        area: dataclasses.replace(figures, n=0, sum_first=0, sum_latest=0, moved_up=0)
        if rest_is_small(rule, of_all[area].n, figures.n)
        else figures
        for area, figures in areas.items()
    }


__all__ = [
    "DIMENSIONS",
    "EVERY_SECTION",
    "View",
    "against_parent",
    "areas_against_parent",
    "family_table",
    "filtered_sections",
    "linked_count",
    "linked_rows",
    "linked_share",
    "cut_from",
    "may_publish",
    "offered_groups",
    "published_services",
    "rest_is_small",
    "scale_against_parent",
    "service_sections",
    "view_of",
    "visible_or_small",
    "within_whole",
]
