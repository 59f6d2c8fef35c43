"""A questionnaire's section: the answers to each closed question. Written answers are not
part of the pack; staff allowed to read them see them on their own page."""

from __future__ import annotations

from app.evidence import queries
from app.evidence.disclosure import against_parent
from app.evidence.tables import COUNT, SHARE, Column, Section, Table
from app.evidence.words import LOCALE


def questionnaire_section(
    ids, period, before, instrument, rule, draw, charts, parent=None
) -> Section:
    tables = []
    drawn = []
    # One pass over the responses per period (and per parent view) for every closed question.
    found = {}
    for p in (period, before):
        found[p] = queries.question_distributions(
            queries.scope_of(ids, p, instrument.id), instrument
        )
        if parent:
            found[p, "all"] = queries.question_distributions(
                queries.scope_of(parent, p, instrument.id), instrument
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
                rows[p] = against_parent(
                    rule, of_all, answered_all, counts, answered, partition=partition
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
                    (
                        label,
                        None if now.withheld else now.cells[value],
                        now.share(value),
                        then.share(value),
                    )
                    for value, label in choices
                )
                + (("People who answered", now.total, None, None),),
                note="People could choose more than one answer, so shares add up to more than 100%."
                if not partition
                else "",
            )
        )
        if charts:
            from app.charts import answers as answer_charts

            drawn.append(
                draw(
                    answer_charts.distribution_chart,
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


__all__ = ["questionnaire_section"]
