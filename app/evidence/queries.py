"""Aggregate queries for evidence. Every figure is computed in SQL (GROUP BY, COUNT, SUM,
window functions); no query loads one row per response into Python.

Works on SQLite (3.25+, for window functions) and PostgreSQL. JSON answers are read with
SQLAlchemy's JSON index operators (`answers["item"].as_string()`), which compile to
`json_extract` on SQLite and `->>` on PostgreSQL; multiple-choice arrays need a per-dialect
membership test (`_json_array_contains`). The tests run every query on both databases.

A person is a linked participant, or a response of its own when no participant is linked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, select, text
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.instruments.model import Instrument
from app.models import Campaign, Reading, Response

# Metric scores are two-decimal floats; a change of exactly the threshold must count
# (the same tolerance as app.scoring.change).
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Scope:
    """Which responses: those to campaigns of `service_ids`, submitted in [since, until)
    (naive UTC), optionally one instrument and one language."""

    service_ids: tuple[int, ...]
    since: datetime
    until: datetime
    instrument_id: str | None = None
    language: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where = [
            Campaign.service_id.in_(self.service_ids),
            Response.submitted_at >= self.since,
            Response.submitted_at < self.until,
        ]
        if self.instrument_id is not None:
            where.append(Response.instrument_id == self.instrument_id)
        if self.language is not None:
            where.append(Response.language == self.language)
        return where


def person_key():
    """One key per person: the participant, or (negated, so never equal) the response."""
    return func.coalesce(Response.participant_id, -Response.id)


@dataclass(frozen=True)
class Count:
    """How many responses, and from how many people."""

    responses: int
    people: int


@dataclass(frozen=True)
class ResponseSummary:
    """Counts for a scope: all responses, complete ones, and people."""

    responses: int
    complete: int
    people: int


@dataclass(frozen=True)
class ScaleSummary:
    """Sufficient statistics of each person's latest complete score in a scope, and how
    many of those scores fall in each band."""

    n: int
    total: float
    sum_squares: float
    bands: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeSummary:
    """First-to-latest change for people with two or more complete scores in a window."""

    n: int
    sum_differences: float
    sum_squares_differences: float
    sum_first: float
    sum_latest: float
    meaningful_improvement: int
    reliable_improvement: int
    reliable_deterioration: int

    @property
    def reliable_change(self) -> int:
        return self.reliable_improvement + self.reliable_deterioration


@dataclass(frozen=True)
class AreaChange:
    """One star area, for people with two or more readings: first and latest totals and
    how many moved up at least one stage."""

    n: int
    sum_first: int
    sum_latest: int
    moved_up: int


def _base(scope: Scope):
    return select().select_from(Response).join(Campaign, Campaign.id == Response.campaign_id)


def response_summary(scope: Scope) -> ResponseSummary:
    """Responses, complete responses and people in the scope."""
    row = db.session.execute(
        _base(scope)
        .add_columns(
            func.count(Response.id),
            func.coalesce(func.sum(case((Response.complete, 1), else_=0)), 0),
            func.count(func.distinct(person_key())),
        )
        .where(*scope.conditions())
    ).one()
    return ResponseSummary(responses=row[0], complete=row[1], people=row[2])


def counts_by(scope: Scope, *columns) -> dict[tuple, Count]:
    """Responses and people per value of `columns` (e.g. Response.mode, or Response.language
    and Response.text_provenance, or Response.campaign_id)."""
    rows = db.session.execute(
        _base(scope)
        .add_columns(*columns, func.count(Response.id), func.count(func.distinct(person_key())))
        .where(*scope.conditions())
        .group_by(*columns)
    ).all()
    return {tuple(row[: len(columns)]): Count(row[-2], row[-1]) for row in rows}


def counts_by_service(scope: Scope) -> dict[int, Count]:
    """Responses and people per service in the scope (the services of a provider)."""
    return {key[0]: count for key, count in counts_by(scope, Campaign.service_id).items()}


def score_column(instrument: Instrument):
    """The stored score the instrument reports on: metric when it has a conversion."""
    scoring = instrument.scoring
    return Response.metric_score if scoring and scoring.conversion else Response.raw_score


def _ranked_scores(scope: Scope, instrument: Instrument, linked_only: bool):
    score = score_column(instrument)
    person = person_key()
    order_first = (Response.submitted_at, Response.id)
    order_last = (Response.submitted_at.desc(), Response.id.desc())
    where = [*scope.conditions(), Response.complete.is_(True), score.is_not(None)]
    if linked_only:
        where.append(Response.participant_id.is_not(None))
    return (
        _base(scope)
        .add_columns(
            person.label("person"),
            score.label("score"),
            Response.band.label("band"),
            func.row_number().over(partition_by=person, order_by=order_first).label("rn_first"),
            func.row_number().over(partition_by=person, order_by=order_last).label("rn_last"),
            func.count(Response.id).over(partition_by=person).label("readings"),
        )
        .where(*where)
        .subquery()
    )


def scale_summary(scope: Scope, instrument: Instrument) -> ScaleSummary:
    """n, sum and sum of squares of each person's latest complete score, and band counts.

    One score per person, so a young person who answered twice in a period counts once.
    """
    ranked = _ranked_scores(scope, instrument, linked_only=False)
    latest = ranked.c.rn_last == 1
    row = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(ranked.c.score), 0),
            func.coalesce(func.sum(ranked.c.score * ranked.c.score), 0),
        ).where(latest)
    ).one()
    bands = db.session.execute(
        select(ranked.c.band, func.count()).where(latest).group_by(ranked.c.band)
    ).all()
    band_counts = {band.key: 0 for band in instrument.scoring.bands}
    band_counts.update({band: count for band, count in bands if band is not None})
    return ScaleSummary(row[0], float(row[1]), float(row[2]), band_counts)


def change_summary(scope: Scope, instrument: Instrument) -> ChangeSummary:
    """Change from each linked person's first to latest complete score in the scope's
    window, for people with two or more; thresholds from the instrument's data."""
    scoring = instrument.scoring
    ranked = _ranked_scores(scope, instrument, linked_only=True)
    pairs = (
        select(
            ranked.c.person,
            func.max(case((ranked.c.rn_first == 1, ranked.c.score))).label("first"),
            func.max(case((ranked.c.rn_last == 1, ranked.c.score))).label("latest"),
        )
        .where(ranked.c.readings >= 2)
        .group_by(ranked.c.person)
        .subquery()
    )
    difference = pairs.c.latest - pairs.c.first
    meaningful = scoring.meaningful_change
    reliable = scoring.reliable_change

    def tally(condition) -> ColumnElement:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    columns = [
        func.count(),
        func.coalesce(func.sum(difference), 0),
        func.coalesce(func.sum(difference * difference), 0),
        func.coalesce(func.sum(pairs.c.first), 0),
        func.coalesce(func.sum(pairs.c.latest), 0),
        tally(difference >= meaningful.points - _TOLERANCE) if meaningful else literal(0),
    ]
    if reliable:
        threshold = reliable.difference_threshold
        columns += [tally(difference > threshold), tally(difference < -threshold)]
    else:
        columns += [literal(0), literal(0)]
    row = db.session.execute(select(*columns).select_from(pairs)).one()
    return ChangeSummary(
        n=row[0],
        sum_differences=float(row[1]),
        sum_squares_differences=float(row[2]),
        sum_first=float(row[3]),
        sum_latest=float(row[4]),
        meaningful_improvement=int(row[5]),
        reliable_improvement=int(row[6]),
        reliable_deterioration=int(row[7]),
    )


def star_change(
    service_ids: Sequence[int], since: date, until: date, instrument: Instrument
) -> dict[str, AreaChange]:
    """Per area of a star: first and latest score totals for people with two or more
    readings taken in [since, until] (UK dates), and how many moved up a stage."""
    star = instrument.star
    person = Reading.participant_id
    ranked = (
        select(
            person.label("person"),
            *[Reading.scores[area].as_integer().label(area) for area in star.areas],
            func.row_number()
            .over(partition_by=person, order_by=(Reading.taken_on, Reading.id))
            .label("rn_first"),
            func.row_number()
            .over(partition_by=person, order_by=(Reading.taken_on.desc(), Reading.id.desc()))
            .label("rn_last"),
            func.count(Reading.id).over(partition_by=person).label("readings"),
        )
        .where(
            Reading.service_id.in_(tuple(service_ids)),
            Reading.instrument_id == instrument.id,
            Reading.taken_on >= since,
            Reading.taken_on <= until,
        )
        .subquery()
    )
    pair_columns = []
    for area in star.areas:
        score = ranked.c[area]
        pair_columns.append(func.max(case((ranked.c.rn_first == 1, score))).label(f"{area}_1"))
        pair_columns.append(func.max(case((ranked.c.rn_last == 1, score))).label(f"{area}_2"))
    pairs = (
        select(ranked.c.person, *pair_columns)
        .where(ranked.c.readings >= 2)
        .group_by(ranked.c.person)
        .subquery()
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


def question_distribution(
    scope: Scope, instrument: Instrument, item_id: str
) -> tuple[dict[str, int], int]:
    """(count per value, number who answered) for a closed question in the scope.

    Single choice, yes/no and rating answers are JSON strings, grouped in SQL. Multiple
    choice answers are JSON arrays: one SUM(CASE) per option with a per-dialect membership
    test, so counts do not add up to the number who answered.
    """
    item = instrument.item(item_id)
    answer = Response.answers[item_id]
    where = [*scope.conditions(), Response.instrument_id == instrument.id]
    counts = {value: 0 for value in item.values}
    if item.kind == "multiple_choice":
        dialect = db.session.get_bind().dialect.name
        columns = [func.count(Response.id)] + [
            func.coalesce(
                func.sum(case((_json_array_contains(dialect, item_id, v, i), 1), else_=0)), 0
            )
            for i, v in enumerate(item.values)
        ]
        answered = _answered(dialect, item_id)
        row = db.session.execute(_base(scope).add_columns(*columns).where(*where, answered)).one()
        counts.update({v: int(c) for v, c in zip(item.values, row[1:], strict=True)})
        return counts, int(row[0])
    value = answer.as_string()
    rows = db.session.execute(
        _base(scope)
        .add_columns(value, func.count(Response.id))
        .where(*where, value.is_not(None))
        .group_by(value)
    ).all()
    for chosen, count in rows:
        counts[str(chosen)] = counts.get(str(chosen), 0) + count
    return counts, sum(count for _, count in rows)


def _json_array_contains(dialect: str, item_id: str, value: str, index: int) -> ColumnElement[bool]:
    # Item ids and option values come from validated instrument files, but they are still
    # bound parameters, never pasted into SQL; each option gets its own parameter names.
    item, option = f"item_{index}", f"option_{index}"
    if dialect == "postgresql":
        sql = f"jsonb_exists(CAST(response.answers -> :{item} AS jsonb), :{option})"
    else:
        sql = (
            f"EXISTS (SELECT 1 FROM json_each(response.answers, '$.' || :{item}) "
            f"WHERE value = :{option})"
        )
    return text(sql).bindparams(**{item: item_id, option: value})


def _answered(dialect: str, item_id: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return text("json_array_length(response.answers -> :item_a) > 0").bindparams(item_a=item_id)
    return text("json_array_length(response.answers, '$.' || :item_a) > 0").bindparams(
        item_a=item_id
    )


__all__ = [
    "AreaChange",
    "ChangeSummary",
    "Count",
    "ResponseSummary",
    "ScaleSummary",
    "Scope",
    "change_summary",
    "counts_by",
    "counts_by_service",
    "person_key",
    "question_distribution",
    "response_summary",
    "scale_summary",
    "star_change",
]
