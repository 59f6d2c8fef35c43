"""One evidence pack for one view and period: its sections in order and the method notes
that say how the figures were made. Which sections a view may show (`allowed`) comes from
`app.evidence.disclosure`; each section from `app.evidence.sections`.
"""

from __future__ import annotations

from app.dates import format_day
from app.evidence import inventory, reading_queries
from app.evidence.disclosure import may_publish
from app.evidence.maths import MIN_PEOPLE_FOR_TEST
from app.evidence.periods import HISTORY_MONTHS, previous
from app.evidence.sections.questionnaires import questionnaire_section
from app.evidence.sections.responses import responses_section
from app.evidence.sections.scales import scale_section
from app.evidence.sections.wheel import wheel_section
from app.evidence.suppression import SUPPRESSION_NOTE
from app.evidence.tables import Pack, Section
from app.evidence.words import LOCALE, filter_label
from app.models.timeutil import utcnow


def assemble_pack(
    subject, view, period, registry, rule, allowed, *, draw, charts, parent=None
) -> Pack:
    """`parent`: the view this one is part of (the provider's services, or the unfiltered
    service); figures that the parent's figures minus this view's would reveal about few
    people are hidden."""
    before = previous(period)
    ids = view
    sections: list[Section] = []
    method: list[tuple[str, str]] = [
        ("About", subject.scope),
        ("Period", f"{period.label} ({format_day(period.start)} to {format_day(period.end)})"),
        (
            "Compared with",
            f"{before.label} ({format_day(before.start)} to {format_day(before.end)})",
        ),
    ]
    hidden_whole = []
    if may_publish(allowed, "responses", ids):
        section, facts = responses_section(ids, period, before, rule, parent)
        sections.append(section)
        method += facts
    else:
        hidden_whole.append("responses")
    instruments = inventory.instruments_used(ids, period, before, registry)
    for instrument in instruments:
        label = instrument.title(LOCALE)
        if not may_publish(allowed, instrument.id, ids):
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
                scale_section(ids, period, before, instrument, rule, draw, charts, parent)
            )
        elif instrument.type == "questionnaire":
            sections.append(
                questionnaire_section(ids, period, before, instrument, rule, draw, charts, parent)
            )
    stars = [] if view.filtered else reading_queries.stars_used(ids, period, registry)
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
        if not may_publish(allowed, f"reading:{instrument.id}", ids):
            hidden_whole.append(label)
            continue
        method.append(("Instrument", f"{label}, version {instrument.version}"))
        sections.append(wheel_section(ids, period, before, instrument, rule, draw, charts, parent))
    method += [
        (
            "Scores",
            "Each person's latest complete score in the period counts once. Means have 95% "
            "confidence intervals (t distribution). Bands are indicative. Young people's "
            "results are compared with a norm for their ages where the scale has one "
            "(WEMWBS: pupils aged 13 to 16), otherwise with the population named beside "
            "them; results are young people's unless most of those who gave their age were "
            "18 or over. Expected shares come from that norm's mean and SD, assuming a "
            "normal distribution.",
        ),
        (
            "Change",
            f"For people with a score in the period and an earlier one up to {HISTORY_MONTHS} "
            "months before: first to latest. Meaningful and reliable change use each "
            "instrument's published thresholds; where the meaningful threshold is already "
            "beyond measurement error (SWEMWBS: 3 metric points), one share is given. A "
            "paired t-test is given only when at least "
            f"{MIN_PEOPLE_FOR_TEST} people have both scores.",
        ),
        (
            "Small numbers",
            f"Threshold {rule.threshold}: every count is of distinct people, and a count "
            f"of fewer than {rule.threshold} (zero included) is hidden. Each count (people, "
            "responses, bands, answers, change, outcomes-wheel areas) is cut from one table "
            "for the whole provider (services by groups by categories, with the provider's "
            "totals; a service with nobody in the period is a hidden 0 in it), and any line "
            "of that table with a hidden cell hides "
            "more of its cells, smallest first, until no hidden cell can be narrowed to "
            f"fewer than {rule.threshold} values, even by reading every hidden figure as "
            f"below {rule.threshold}; a breakdown that cannot be protected is left out, and "
            "as its total is still shown, its cells count as known in the provider's table, "
            "never as protection for another's. A service left out for one period's sake is "
            "hidden in every period its page shows. One group's bands and answers are shown "
            "only where the whole view shows every band and answer, and are judged by the "
            "people behind them. So a "
            "figure hidden on one page is hidden on every page, group view and download it "
            "could be subtracted from. All services of a provider are reported on one period "
            "grid. Shares are whole percentages. Written answers are listed only where the "
            "service's figures are shown, without language tags.",
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


__all__ = ["assemble_pack"]
