"""The outcomes wheel's section: distance travelled in each area, first to latest reading,
for people with a reading in the period and an earlier one."""

from __future__ import annotations

import dataclasses

from app.evidence import inventory, reading_queries, statistics
from app.evidence.disclosure import areas_against_parent, linked_count, linked_share
from app.evidence.periods import history_start
from app.evidence.tables import COUNT, NUMBER, SHARE, Column, Section, Table
from app.evidence.words import LOCALE


def wheel_section(ids, period, before, instrument, rule, draw, charts, parent=None) -> Section:
    star = instrument.star
    texts = instrument.fieldwork_texts(LOCALE)
    results = {}
    shares_hidden = set()
    family = inventory.family_of(tuple(ids)[0]) if len(ids) == 1 else ()
    for p in (period, before):
        start = history_start(p).date()
        results[p] = reading_queries.star_change(
            ids, p.start, p.end, instrument, history_since=start
        )
        if parent:
            of_all = reading_queries.star_change(
                parent, p.start, p.end, instrument, history_since=start
            )
            results[p] = areas_against_parent(rule, results[p], of_all)
        if len(family) > 1:
            results[p], hidden = _beside_siblings(
                tuple(ids)[0], family, p, instrument, rule, results[p]
            )
            shares_hidden |= {(p, area) for area in hidden}
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
                rule.hidden()
                if (period, area) in shares_hidden
                else rule.share(now.moved_up, now.n),
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
        from app.charts import change as change_charts

        drawn = (
            draw(
                change_charts.distance_chart,
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


def _beside_siblings(service_id, family, period, instrument, rule, areas):
    """A service's area figures cut from its family's linked tables: in each area, the
    people of each sibling whose page shows the wheel (a column under the provider's), and
    those who moved up and did not (rows under the provider's). An area whose people are
    hidden there is published as if nobody had moved; returns the areas too, and the areas
    whose share who moved up is hidden."""
    shown = inventory.reading(family, instrument.id, period)
    start = history_start(period).date()
    siblings = {
        sid: areas
        if sid == service_id
        else reading_queries.star_change(
            (sid,), period.start, period.end, instrument, history_since=start
        )
        for sid in family
        if sid in shown or sid == service_id
    }
    published, hidden = {}, set()
    for area, figures in areas.items():
        if not linked_count({sid: a[area].n for sid, a in siblings.items()}, service_id, rule):
            figures = dataclasses.replace(figures, n=0, sum_first=0, sum_latest=0, moved_up=0)
        elif not linked_share(
            {sid: (a[area].moved_up, a[area].n) for sid, a in siblings.items()}, service_id, rule
        ):
            hidden.add(area)
        published[area] = figures
    return published, hidden


__all__ = ["wheel_section"]
