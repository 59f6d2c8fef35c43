"""Aggregate queries for evidence. Every figure is computed in SQL (GROUP BY, COUNT, SUM,
window functions); no query loads one row per response into Python.

Works on SQLite (3.25+, for window functions) and PostgreSQL. JSON answers are read with
SQLAlchemy's JSON index operators (`answers["item"].as_string()`), which compile to
`json_extract` on SQLite and `->>` on PostgreSQL; multiple-choice arrays need a per-dialect
membership test (`_json_array_contains`). The tests run every query on both databases.

A person is a linked participant, or a response of its own when no participant is linked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import case, func, literal, select, text
from sqlalchemy.sql import ColumnElement

from app.evidence.periods import Period
from app.extensions import db
from app.instruments.model import Instrument
from app.models import Campaign, Response

# Metric scores are two-decimal floats; a change of exactly the threshold must count
# (the same tolerance as app.scoring.change).
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Scope:
    """Which responses: those to campaigns of `service_ids`, submitted in [since, until)
    (naive UTC), optionally one instrument, one language and one age band."""

    service_ids: tuple[int, ...]
    since: datetime
    until: datetime
    instrument_id: str | None = None
    language: str | None = None
    age_band: str | None = None

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
        if self.age_band is not None:
            where.append(Response.age_band == self.age_band)
        return where


def scope_of(ids, period: Period, instrument_id: str | None = None) -> Scope:
    """The responses of `ids` (service ids, or a filtered `View` of them) in `period`."""
    since, until = period.utc_bounds()
    language = getattr(ids, "language", None)
    age_band = getattr(ids, "age_band", None)
    return Scope(tuple(ids), since, until, instrument_id, language, age_band)


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


def _ranked_scores(
    scope: Scope, instrument: Instrument, linked_only: bool, history_since: datetime | None = None
):
    """Each person's complete scores in the scope, numbered in time order (`rn_first`), with
    how many they have (`readings`, so the latest is numbered `readings`) and when the
    latest was. Every column uses the same window (the whole partition), so the database
    sorts the rows once.

    With `history_since`, scores from then on count, but only for linked people with a score
    in the scope's own window: nobody else can be in a change cohort, and reading only their
    histories, through the participant index, keeps this quick however much history a
    provider has."""
    score = score_column(instrument)
    person = person_key()
    window = {
        "partition_by": person,
        "order_by": (Response.submitted_at, Response.id),
        "rows": (None, None),
    }
    where = [Response.complete.is_(True), score.is_not(None)]
    if linked_only:
        where.append(Response.participant_id.is_not(None))
    rows = scope
    if history_since is not None:
        seen = (
            _base(scope)
            .add_columns(Response.participant_id)
            .where(*scope.conditions(), *where, Response.participant_id.is_not(None))
        )
        rows = replace(scope, since=history_since)
        where.append(Response.participant_id.in_(seen))
    return (
        _base(rows)
        .add_columns(
            person.label("person"),
            score.label("score"),
            Response.band.label("band"),
            func.row_number().over(**window).label("rn_first"),
            func.count(Response.id).over(**window).label("readings"),
            func.max(Response.submitted_at).over(**window).label("last_at"),
        )
        .where(*rows.conditions(), *where)
        .subquery()
    )


def scale_summary(scope: Scope, instrument: Instrument) -> ScaleSummary:
    """n, sum and sum of squares of each person's latest complete score, and band counts.

    One score per person, so a young person who answered twice in a period counts once.
    """
    ranked = _ranked_scores(scope, instrument, linked_only=False)
    score = ranked.c.score
    rows = db.session.execute(
        select(ranked.c.band, func.count(), func.sum(score), func.sum(score * score))
        .where(ranked.c.rn_first == ranked.c.readings)
        .group_by(ranked.c.band)
    ).all()
    band_counts = {band.key: 0 for band in instrument.scoring.bands}
    band_counts.update({band: count for band, count, _, _ in rows if band is not None})
    return ScaleSummary(
        sum(row[1] for row in rows),
        float(sum(row[2] or 0 for row in rows)),
        float(sum(row[3] or 0 for row in rows)),
        band_counts,
    )


def change_summary(
    scope: Scope, instrument: Instrument, history_since: datetime | None = None
) -> ChangeSummary:
    """Change from each linked person's first to latest complete score, for people with two
    or more; thresholds from the instrument's data.

    Without `history_since`, both scores are inside the scope's window. With it, the first
    score may be as early as `history_since` and the latest must be inside the window: the
    distance travelled by the people seen in this period. Those cohorts do not nest from one
    period to the next, so two periods' figures cannot be subtracted to isolate anyone."""
    scoring = instrument.scoring
    ranked = _ranked_scores(scope, instrument, linked_only=True, history_since=history_since)
    where = [ranked.c.readings >= 2]
    if history_since is not None:
        where.append(ranked.c.last_at >= scope.since)
    pairs = (
        select(
            ranked.c.person,
            func.max(case((ranked.c.rn_first == 1, ranked.c.score))).label("first"),
            func.max(case((ranked.c.rn_first == ranked.c.readings, ranked.c.score))).label(
                "latest"
            ),
        )
        .where(*where)
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


def change_people(scope: Scope, instrument: Instrument, history_since: datetime) -> int:
    """The number of people `change_summary(scope, instrument, history_since)` counts, without
    ranking anyone's scores: linked people with a complete score in the scope's window and
    two or more since `history_since` (no score after the window counts, so their latest is
    in it). Secondary suppression needs only this of a provider's services."""
    score = score_column(instrument)
    where = [Response.complete.is_(True), score.is_not(None), Response.participant_id.is_not(None)]
    seen = _base(scope).add_columns(Response.participant_id).where(*scope.conditions(), *where)
    history = replace(scope, since=history_since)
    people = (
        _base(history)
        .add_columns(Response.participant_id)
        .where(*history.conditions(), *where, Response.participant_id.in_(seen))
        .group_by(Response.participant_id)
        .having(func.count(Response.id) >= 2)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(people))


def _latest_per_person(scope: Scope, instrument: Instrument) -> ColumnElement[bool]:
    """Only each person's latest response to `instrument` in the scope: a question's cells
    count people, so one young person answering twelve times counts once."""
    ranked = (
        _base(scope)
        .add_columns(
            Response.id.label("id"),
            func.row_number()
            .over(
                partition_by=person_key(),
                order_by=(Response.submitted_at.desc(), Response.id.desc()),
            )
            .label("rn"),
        )
        .where(*scope.conditions(), Response.instrument_id == instrument.id)
        .subquery()
    )
    return Response.id.in_(select(ranked.c.id).where(ranked.c.rn == 1))


def question_distribution(
    scope: Scope, instrument: Instrument, item_id: str
) -> tuple[dict[str, int], int]:
    """(people per value, number of people who answered) for a closed question in the
    scope, from each person's latest response.

    Single choice, yes/no and rating answers are JSON strings, grouped in SQL. Multiple
    choice answers are JSON arrays: one SUM(CASE) per option with a per-dialect membership
    test, so counts do not add up to the number who answered.
    """
    item = instrument.item(item_id)
    answer = Response.answers[item_id]
    where = [
        *scope.conditions(),
        Response.instrument_id == instrument.id,
        _latest_per_person(scope, instrument),
    ]
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


def question_distributions(
    scope: Scope, instrument: Instrument, item_ids: Sequence[str] | None = None
) -> dict[str, tuple[dict[str, int], int]]:
    """`question_distribution` for several closed questions (by default all of them) in one
    pass over the scope's responses instead of one pass each: what an evidence page needs.

    Grouped by the combination of single-choice answers (a few hundred groups at most),
    with each multiple-choice option tallied per group; the groups are added up here.
    """
    if item_ids is None:
        items = [item for item in instrument.items if item.is_choice]
    else:
        items = [instrument.item(item_id) for item_id in item_ids]
    single = [item for item in items if item.kind != "multiple_choice"]
    multiple = [item for item in items if item.kind == "multiple_choice"]
    dialect = db.session.get_bind().dialect.name
    values = [Response.answers[item.id].as_string() for item in single]
    tallies = []
    for n, item in enumerate(multiple):
        tallies.append(_tally(_answered(dialect, item.id, name=f"answered_{n}")))
        tallies += [
            _tally(_json_array_contains(dialect, item.id, value, f"{n}_{i}"))
            for i, value in enumerate(item.values)
        ]
    rows = db.session.execute(
        _base(scope)
        .add_columns(*values, func.count(Response.id), *tallies)
        .where(
            *scope.conditions(),
            Response.instrument_id == instrument.id,
            _latest_per_person(scope, instrument),
        )
        .group_by(*values)
    ).all()
    result = {item.id: ({value: 0 for value in item.values}, 0) for item in items}
    for row in rows:
        group = row[len(single)]
        for item, chosen in zip(single, row[: len(single)], strict=True):
            if chosen is not None:
                counts, answered = result[item.id]
                counts[str(chosen)] = counts.get(str(chosen), 0) + group
                result[item.id] = (counts, answered + group)
        position = len(single) + 1
        for item in multiple:
            counts, answered = result[item.id]
            for value, count in zip(item.values, row[position + 1 :], strict=False):
                counts[value] += int(count)
            result[item.id] = (counts, answered + int(row[position]))
            position += 1 + len(item.values)
    return result


def _tally(condition) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _json_array_contains(
    dialect: str, item_id: str, value: str, index: int | str
) -> ColumnElement[bool]:
    # Item ids and option values come from validated instrument files, but they are still
    # bound parameters, never pasted into SQL; each option gets its own parameter names.
    item, option = f"item_{index}", f"option_{index}"
    if _PLAIN_VALUE.fullmatch(value):
        # A value JSON writes as itself is in the array exactly when its quoted form is in
        # the array's text: a string search, much cheaper than unpacking the array per option.
        if dialect == "postgresql":
            sql = f"strpos(CAST(response.answers -> :{item} AS TEXT), :{option}) > 0"
        else:
            sql = f"instr(json_extract(response.answers, '$.' || :{item}), :{option}) > 0"
        return text(sql).bindparams(**{item: item_id, option: f'"{value}"'})
    if dialect == "postgresql":
        sql = f"jsonb_exists(CAST(response.answers -> :{item} AS jsonb), :{option})"
    else:
        sql = (
            f"EXISTS (SELECT 1 FROM json_each(response.answers, '$.' || :{item}) "
            f"WHERE value = :{option})"
        )
    return text(sql).bindparams(**{item: item_id, option: value})


# Letters, digits and _ . - only: JSON writes these as they are, in every encoder.
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.\-]+")


def _answered(dialect: str, item_id: str, name: str = "item_a") -> ColumnElement[bool]:
    if dialect == "postgresql":
        sql = f"json_array_length(response.answers -> :{name}) > 0"
    else:
        sql = f"json_array_length(response.answers, '$.' || :{name}) > 0"
    return text(sql).bindparams(**{name: item_id})


__all__ = [
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
    "question_distributions",
    "response_summary",
    "scale_summary",
]
