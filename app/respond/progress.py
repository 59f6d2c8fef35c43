"""A young person's own scores over time, in words made for them.

Only the scale's score and whether it went up, stayed about the same or went down, judged
against the scale's own smallest meaningful change. Never a band name: a label such as
"probable depression" is a screening category for professionals, not something to show a
young person about themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

HIGHER = "higher"
ABOUT_THE_SAME = "same"
LOWER = "lower"
FIRST = "first"


@dataclass(frozen=True)
class Point:
    sent_at: datetime
    score: float


@dataclass(frozen=True)
class ScoresOverTime:
    instrument_id: str
    title: str
    lowest: int
    highest: int
    points: tuple[Point, ...]  # oldest first
    trend: str  # HIGHER, ABOUT_THE_SAME, LOWER or FIRST

    @property
    def latest(self) -> Point:
        return self.points[-1]


def trend(previous: float | None, latest: float, meaningful: float) -> str:
    """How the latest score compares with the one before, by the scale's smallest change
    that means something for a person (a smaller difference is "about the same")."""
    if previous is None:
        return FIRST
    difference = latest - previous
    if difference >= meaningful:
        return HIGHER
    if difference <= -meaningful:
        return LOWER
    return ABOUT_THE_SAME


def scores_over_time(responses: Iterable, instrument_for, locale: str) -> list[ScoresOverTime]:
    """Each scored scale the person answered, with every complete score, oldest first.

    `responses` are stored responses (any order); `instrument_for(id, version)` finds the
    instrument, or None when it is no longer loaded.
    """
    by_scale: dict[str, list] = {}
    for response in responses:
        instrument = instrument_for(response.instrument_id, response.instrument_version)
        scoring = getattr(instrument, "scoring", None)
        if scoring is None or not response.complete:
            continue
        score = _score(response, scoring)
        if score is None:
            continue
        by_scale.setdefault(response.instrument_id, []).append((response, instrument, score))
    result = []
    for instrument_id, rows in by_scale.items():
        rows.sort(key=lambda row: (row[0].submitted_at, row[0].id))
        instrument = rows[-1][1]
        scoring = instrument.scoring
        points = tuple(Point(response.submitted_at, score) for response, _, score in rows)
        meaningful = scoring.meaningful_change.points if scoring.meaningful_change else 1
        previous = points[-2].score if len(points) > 1 else None
        result.append(
            ScoresOverTime(
                instrument_id=instrument_id,
                title=instrument.title(locale),
                lowest=scoring.min,
                highest=scoring.max,
                points=points,
                trend=trend(previous, points[-1].score, meaningful),
            )
        )
    result.sort(key=lambda scale: scale.latest.sent_at, reverse=True)
    return result


def _score(response, scoring) -> float | None:
    """The score the scale judges change on: the metric score where it has one."""
    change = scoring.meaningful_change
    if change is not None and change.applies_to == "metric" and response.metric_score is not None:
        return float(response.metric_score)
    if response.raw_score is None:
        return None
    return float(response.raw_score)


def share_of_range(scale: ScoresOverTime, score: float) -> int:
    """Where a score sits between the scale's lowest and highest, as a whole percent (for a
    bar's length)."""
    span = scale.highest - scale.lowest
    if span <= 0:
        return 0
    return max(0, min(100, round((score - scale.lowest) * 100 / span)))
