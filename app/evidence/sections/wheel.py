"""The outcomes wheel's section: distance travelled in each area, first to latest reading,
for people with a reading in the period and an earlier one."""

from __future__ import annotations

from app.evidence import reading_queries, statistics
from app.evidence.disclosure import areas_against_parent
from app.evidence.periods import history_start
from app.evidence.tables import COUNT, NUMBER, SHARE, Column, Section, Table
from app.evidence.words import LOCALE


def wheel_section(ids, period, before, instrument, rule, draw, charts, parent=None) -> Section:
    star = instrument.star
    texts = instrument.fieldwork_texts(LOCALE)
    results = {}
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


__all__ = ["wheel_section"]
