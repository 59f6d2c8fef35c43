"""A questionnaire's section: the answers to each closed question. Written answers are not
part of the pack; staff allowed to read them see them on their own page."""

from __future__ import annotations

from app.evidence import inventory, queries
from app.evidence.disclosure import (
    against_parent,
    cut_from,
    family_table,
    linked_rows,
    linked_share,
    view_of,
    within_whole,
)
from app.evidence.tables import COUNT, SHARE, Column, Section, Table
from app.evidence.words import LOCALE
from app.figures import Row, is_suppressed


def questionnaire_section(
    ids, period, before, instrument, rule, draw, charts, parent=None
) -> Section:
    tables = []
    drawn = []
    # One pass over the responses per period (and per parent view) for every closed question.
    found = {}
    # One service beside its siblings: each question is cut from the family's linked table
    # (services by answers, under the provider's), instead of from its parent's alone.
    family = (
        inventory.family_of(tuple(ids)[0])
        if len(ids) == 1 and not getattr(ids, "filtered", False)
        else ()
    )
    for p in (period, before):
        found[p] = queries.question_distributions(
            queries.scope_of(ids, p, instrument.id), instrument
        )
        if len(family) > 1:
            shown = inventory.answering(family, instrument.id, p) | {tuple(ids)[0]}
            found[p, "family"] = {
                sid: found[p]
                if sid == tuple(ids)[0]
                else queries.question_distributions(
                    queries.scope_of((sid,), p, instrument.id), instrument
                )
                for sid in family
                if sid in shown
            }
        elif parent:
            found[p, "all"] = queries.question_distributions(
                queries.scope_of(parent, p, instrument.id), instrument
            )
            if getattr(ids, "filtered", False) and not getattr(parent, "filtered", False):
                found[p, "groups"] = _groups(ids, parent, p, instrument, found[p])
                found[p, "whole"] = _whole(parent, p, instrument, found[p, "all"])
    for item in instrument.items:
        if not item.is_choice:
            continue
        partition = item.kind != "multiple_choice"
        rows = {}
        for p in (period, before):
            counts, answered = found[p][item.id]
            rows[p] = rule.row(counts, answered, partition=partition)
            if (p, "family") in found:
                rows[p] = _beside_siblings(
                    rule, rows[p], tuple(ids)[0], found[p, "family"], item.id, partition
                )
            elif parent:
                of_all, answered_all = found[p, "all"][item.id]
                rows[p] = against_parent(
                    rule, of_all, answered_all, counts, answered, partition=partition
                )
                if (p, "groups") in found:
                    # One group: cut from the table of every group under the whole's
                    # answers, and shown only where the whole shows every answer.
                    rows[p] = _beside_siblings(
                        rule, rows[p], ids.dimension[1], found[p, "groups"], item.id, partition
                    )
                    rows[p] = within_whole(
                        rule, found[p, "whole"](rule, item.id, partition), rows[p]
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


def _groups(view, parent, period, instrument, own) -> dict:
    """The answers of every group of `view`'s dimension in its whole (`parent`), by the
    group's name as `view` writes it, those with nobody in the section left out."""
    dimension, value = view.dimension
    sizes = inventory.section_sizes(parent, period, by=dimension).get(instrument.id, {})
    groups = {
        str(group): queries.question_distributions(
            queries.scope_of(
                view_of(parent.service_ids, (dimension, group)), period, instrument.id
            ),
            instrument,
        )
        for group in sizes
        if group is not None and str(group) != value
    }
    return {**groups, value: own}


def _whole(parent, period, instrument, of_all):
    """How the whole (`parent`) publishes a question's answers, as a function of (rule,
    item id, partition): beside its siblings when it is one service of several."""
    family = inventory.family_of(parent.service_ids[0]) if len(parent) == 1 else ()
    siblings = {}
    if len(family) > 1:
        shown = inventory.answering(family, instrument.id, period) | {parent.service_ids[0]}
        siblings = {
            sid: of_all
            if sid == parent.service_ids[0]
            else queries.question_distributions(
                queries.scope_of((sid,), period, instrument.id), instrument
            )
            for sid in family
            if sid in shown
        }

    def published(rule, item_id, partition) -> Row:
        counts, answered = of_all[item_id]
        row = rule.row(counts, answered, partition=partition)
        if siblings:
            row = _beside_siblings(rule, row, parent.service_ids[0], siblings, item_id, partition)
        return row

    return published


def _beside_siblings(rule, row: Row, service_id, family: dict, item_id, partition) -> Row:
    """A service's answers to one question (or a group's: `family` then holds the groups),
    hidden wherever the family's linked table hides them: services by answers under the
    provider's answers (a single-choice question), or, for each option of a multiple-choice
    one, those who chose it and those who did not."""
    if is_suppressed(row.total):
        return row
    if partition:
        table = family_table(
            {
                (sid, value): n
                for sid, found in family.items()
                for value, n in found[item_id][0].items()
            },
            family,
            row.cells,
        )
        return cut_from(linked_rows(table, rule)[service_id], row)
    cells = {}
    for value, figure in row.cells.items():
        parts = {
            sid: (found[item_id][0].get(value, 0), found[item_id][1])
            for sid, found in family.items()
        }
        cells[value] = figure if linked_share(parts, service_id, rule) else rule.hidden()
    return Row(cells, row.total, withheld=row.withheld)


__all__ = ["questionnaire_section"]
