"""The inspections and mystery shops section: the finalised visits with their reports'
summaries, the moderated ratings per framework, a mystery shop's checklist (on how many
visits each thing was done) and the recommendations with the provider's replies.

Ratings and checklists are the panel's, counted in visits, not people's answers, so the
small-numbers rule does not apply (as before for ratings). Reads the inspections package's
helpers for wording, panel answers and reply status."""

from __future__ import annotations

from datetime import date

from app.dates import format_day
from app.evidence.summary import NOT_SEEN
from app.evidence.tables import COUNT, Column, Section, Table
from app.evidence.words import LOCALE
from app.inspections.frameworks import characteristic_text
from app.inspections.panel_table import panel_table
from app.inspections.replies import RECOMMENDATION_STATUSES, recommendation_status
from app.inspections.visits import kind_name
from app.instruments.fieldwork import NOT_OBSERVED

# Each stored kind of visit (`app.models.fieldwork.VISIT_KINDS`), as a group of visits.
GROUP_LABELS = {"known": "Young inspectors' visits", "mystery": "Mystery shops"}
VISITS_NOTE = (
    "Counts of visits. Ratings and checklists are the panel's, not people's answers, so the "
    "small-numbers rule does not apply."
)


def group_label(kind: str) -> str:
    """A stored kind of visit as the heading of a group of them ("Mystery shops")."""
    return GROUP_LABELS.get(kind, "Visits")


def report_path(visit) -> str:
    """Where a visit's finalised report is read (the reports pages)."""
    return f"/reports/{visit.id}"


def visits_section(visits, registry, today: date | None = None) -> Section | None:
    """The section for finalised `visits` (`inventory.finalised_visits`), or None when
    there are none. `registry` gives each visit's framework."""
    if not visits:
        return None
    today = today or date.today()
    instruments = {}
    for visit in visits:
        try:
            instruments[visit.id] = registry.get(visit.framework_id, visit.framework_version)
        except KeyError:
            continue
    tables = [_visits_table(visits, instruments)]
    by_framework: dict[tuple[str, int, str], list] = {}
    for visit in visits:
        if visit.id in instruments:
            key = (visit.framework_id, visit.framework_version, visit.kind)
            by_framework.setdefault(key, []).append(visit)
    kinds_of: dict[str, int] = {}
    for framework_id, _version, _kind in by_framework:
        kinds_of[framework_id] = kinds_of.get(framework_id, 0) + 1
    for (framework_id, version, kind), group in by_framework.items():
        instrument = instruments[group[0].id]
        # A framework used in two versions or for both kinds of visit: a table for each.
        key = framework_id if kinds_of[framework_id] == 1 else f"{framework_id}-{version}-{kind}"
        tables.append(_ratings_table(key, kind, group, instrument))
        checklist = _checklist_table(key, group, instrument)
        if checklist is not None:
            tables.append(checklist)
    recommendations = [
        (
            format_day(visit.visit_on, "medium"),
            rec.text,
            rec.reply or "",
            format_day(rec.reply_due_on, "medium"),
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


def _visits_table(visits, instruments) -> Table:
    return Table(
        key="visits",
        caption="Finalised reports of the period",
        columns=(
            Column("Visit"),
            Column("Kind"),
            Column("Framework"),
            Column("Summary"),
            Column("Report"),
        ),
        rows=tuple(
            (
                format_day(visit.visit_on, "medium"),
                kind_name(visit.kind),
                instruments[visit.id].title(LOCALE) if visit.id in instruments else "",
                (visit.summary or "").strip() or "No summary written.",
                report_path(visit),
            )
            for visit in visits
        ),
    )


def _ratings_table(key: str, kind: str, group, instrument) -> Table:
    framework = instrument.framework
    choices = instrument.option_choices(framework.characteristics[0], LOCALE)
    counts = {
        c: dict.fromkeys((value for value, _ in choices), 0) for c in framework.characteristics
    }
    for visit in group:
        for rating in visit.moderated:
            if rating.characteristic in counts and rating.rating in counts[rating.characteristic]:
                counts[rating.characteristic][rating.rating] += 1
    return Table(
        key=f"{key}-ratings",
        caption=f"{group_label(kind)}: moderated ratings across {_visits(len(group))} "
        f"({instrument.title(LOCALE)})",
        columns=(Column("Quality characteristic"),)
        + tuple(
            Column(NOT_SEEN if value == NOT_OBSERVED else label, COUNT) for value, label in choices
        ),
        rows=tuple(
            (characteristic_text(instrument, c),) + tuple(counts[c][value] for value, _ in choices)
            for c in framework.characteristics
        ),
        note=f"{VISITS_NOTE} The framework: {instrument.co_written.rstrip('.')}."
        if instrument.co_written
        else VISITS_NOTE,
    )


def checklist_done(yes: int, answered: int) -> bool:
    """Whether a visit counts as having had a checklist item done: more of the panel members
    who answered said yes than did not."""
    return answered > 0 and yes * 2 > answered


def _checklist_table(key: str, group, instrument) -> Table | None:
    """On how many of the visits each checklist item was done, of those where the panel
    answered it; None for a framework without a checklist."""
    if instrument.mystery_shop is None:
        return None
    done: dict[str, list[int]] = {}
    texts: dict[str, str] = {}
    for visit in group:
        for row in panel_table(visit, instrument).checklist:
            texts[row.item_id] = row.text
            tally = done.setdefault(row.item_id, [0, 0])
            if row.answered:
                tally[1] += 1
                tally[0] += checklist_done(row.yes, row.answered)
    rows = tuple(
        (texts[item], done[item][0], done[item][1])
        for item in instrument.mystery_shop.checklist
        if item in done
    )
    return Table(
        key=f"{key}-checklist",
        caption=f"Mystery shops: checklist across {_visits(len(group))} "
        f"({instrument.title(LOCALE)})",
        columns=(
            Column("Checklist question"),
            Column("Visits where it was done", COUNT),
            Column("Visits where the panel answered", COUNT),
        ),
        rows=rows,
        note="A visit counts as done when most of its panel answered yes. " + VISITS_NOTE,
    )


def _visits(n: int) -> str:
    return f"{n} visit{'s' if n != 1 else ''}"


__all__ = ["GROUP_LABELS", "checklist_done", "group_label", "report_path", "visits_section"]
