"""The inspections and mystery shops section: moderated ratings per framework and the
recommendations with the provider's replies. Ratings are the panel's, not people's answers,
so the small-numbers rule does not apply. Reads the inspections package's pure helpers for
wording and reply status."""

from __future__ import annotations

from datetime import date

from app.dates import format_day
from app.evidence.tables import COUNT, Column, Section, Table
from app.evidence.words import LOCALE
from app.inspections.frameworks import characteristic_text
from app.inspections.replies import RECOMMENDATION_STATUSES, recommendation_status


def visits_section(visits, registry, today: date | None = None) -> Section | None:
    """The section for finalised `visits` (`inventory.finalised_visits`), or None when
    there are none. `registry` gives each visit's framework."""
    if not visits:
        return None
    by_framework: dict[tuple[str, int], list] = {}
    for visit in visits:
        by_framework.setdefault((visit.framework_id, visit.framework_version), []).append(visit)
    tables = []
    today = today or date.today()
    for (framework_id, version), group in by_framework.items():
        try:
            instrument = registry.get(framework_id, version)
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


__all__ = ["visits_section"]
