"""Aggregate queries over outcomes-wheel readings: distance travelled per area, and which
wheels were used. Every figure is computed in SQL, as in `app.evidence.queries`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.sql import ColumnElement

from app.evidence.periods import Period
from app.extensions import db
from app.instruments.model import Instrument, InstrumentRegistry
from app.models import Reading


@dataclass(frozen=True)
class AreaChange:
    """One star area, for people with two or more readings: first and latest totals and
    how many moved up at least one stage."""

    n: int
    sum_first: int
    sum_latest: int
    moved_up: int


def star_change(
    service_ids: Sequence[int],
    since: date,
    until: date,
    instrument: Instrument,
    history_since: date | None = None,
) -> dict[str, AreaChange]:
    """Per area of a star: first and latest score totals for people with two or more
    readings taken in [since, until] (UK dates), and how many moved up a stage.

    With `history_since`, the first reading may be as early as that and the latest must be
    in [since, until], as in `change_summary`."""
    star = instrument.star
    person = Reading.participant_id
    # One window for every column, so the rows are sorted once (as in `_ranked_scores`).
    window = {
        "partition_by": person,
        "order_by": (Reading.taken_on, Reading.id),
        "rows": (None, None),
    }
    where = [Reading.service_id.in_(tuple(service_ids)), Reading.instrument_id == instrument.id]
    if history_since is None:
        where += [Reading.taken_on >= since, Reading.taken_on <= until]
    else:
        # Only people with a reading in the period can be in the cohort: read their histories.
        seen = select(Reading.participant_id).where(
            *where, Reading.taken_on >= since, Reading.taken_on <= until
        )
        where += [
            Reading.taken_on >= history_since,
            Reading.taken_on <= until,
            Reading.participant_id.in_(seen),
        ]
    ranked = (
        select(
            person.label("person"),
            *[Reading.scores[area].as_integer().label(area) for area in star.areas],
            func.row_number().over(**window).label("rn_first"),
            func.count(Reading.id).over(**window).label("readings"),
            func.max(Reading.taken_on).over(**window).label("last_on"),
        )
        .where(*where)
        .subquery()
    )
    cohort = [ranked.c.readings >= 2]
    if history_since is not None:
        cohort.append(ranked.c.last_on >= since)
    pair_columns = []
    for area in star.areas:
        score = ranked.c[area]
        pair_columns.append(func.max(case((ranked.c.rn_first == 1, score))).label(f"{area}_1"))
        latest = ranked.c.rn_first == ranked.c.readings
        pair_columns.append(func.max(case((latest, score))).label(f"{area}_2"))
    pairs = (
        select(ranked.c.person, *pair_columns).where(*cohort).group_by(ranked.c.person).subquery()
    )

    def stage(score) -> ColumnElement:
        return case(*[(score <= s.max, s.number) for s in star.stages], else_=None)

    columns = []
    for area in star.areas:
        first, latest = pairs.c[f"{area}_1"], pairs.c[f"{area}_2"]
        both = and_(first.is_not(None), latest.is_not(None))
        columns += [
            func.coalesce(func.sum(case((both, 1), else_=0)), 0),
            func.coalesce(func.sum(case((both, first), else_=0)), 0),
            func.coalesce(func.sum(case((both, latest), else_=0)), 0),
            func.coalesce(
                func.sum(case((and_(both, stage(latest) > stage(first)), 1), else_=0)), 0
            ),
        ]
    row = db.session.execute(select(*columns).select_from(pairs)).one()
    return {
        area: AreaChange(*(int(v) for v in row[i * 4 : i * 4 + 4]))
        for i, area in enumerate(star.areas)
    }


def stars_used(service_ids: Sequence[int], period: Period, registry: InstrumentRegistry):
    """The star (outcomes-wheel) instruments with a reading for these services in `period`,
    as the registry knows them."""
    rows = db.session.execute(
        select(Reading.instrument_id, Reading.instrument_version)
        .where(
            Reading.service_id.in_(tuple(service_ids)),
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


__all__ = ["AreaChange", "star_change", "stars_used"]
