"""Star readings: stages, distance travelled and who moved up a stage. No Flask.

A reading is one sitting of a key worker and a young person: a score for each area of a
star instrument (`Instrument.star`), e.g. ``{"feeling_safe": 3, "settled_home": 6, ...}``.
Scores may be whole numbers or their digits as text (form answers are text); every function
here reads both. The headline report (shared INSTRUMENTS.md) is the distance travelled per
area between the first and latest reading, and whether each area moved up a stage.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.instruments.fieldwork import Stage, Star
from app.instruments.model import Instrument

Reading = Mapping[str, int | str]


def star_of(instrument: Instrument) -> Star:
    """The instrument's star definition; ValueError for an instrument of another type."""
    if instrument.star is None:
        raise ValueError(f"{instrument.key} is a {instrument.type}, not a star")
    return instrument.star


def stage_for(instrument: Instrument, area_id: str, score: int | str) -> Stage:
    """The stage a score in an area falls in (e.g. 5 on a 1-10 star -> the third stage).

    Every area shares the star's stages; the area is checked so a mistyped id is caught.
    KeyError for an unknown area, ValueError for a score off the scale.
    """
    star = star_of(instrument)
    if area_id not in star.areas:
        raise KeyError(f"{instrument.key} has no area {area_id!r}")
    return star.stage_for(_score(score, star, area_id))


def reading_problems(
    instrument: Instrument, reading: Reading, *, complete: bool = True
) -> list[str]:
    """Everything wrong with a reading, in words: unknown areas, scores off the scale and,
    when `complete`, areas with no score. Empty when the reading is good."""
    star = star_of(instrument)
    problems = [f"unknown area {area!r}" for area in reading if area not in star.areas]
    for area in star.areas:
        if area not in reading or reading[area] in (None, ""):
            if complete:
                problems.append(f"no score for {area!r}")
            continue
        try:
            _score(reading[area], star, area)
        except ValueError as error:
            problems.append(str(error))
    return problems


def validate_reading(
    instrument: Instrument, reading: Reading, *, complete: bool = True
) -> dict[str, int]:
    """The reading as whole numbers in area order, ready to store.

    Raises ValueError naming every problem: an unknown area, a score that is not a whole
    number from 1 to N and, unless `complete` is False (a draft), an area with no score.
    """
    problems = reading_problems(instrument, reading, complete=complete)
    if problems:
        raise ValueError(f"{instrument.key} reading: " + "; ".join(problems))
    star = star_of(instrument)
    return {
        area: _score(reading[area], star, area)
        for area in star.areas
        if reading.get(area) not in (None, "")
    }


def distance_travelled(first: Reading, latest: Reading) -> dict[str, int]:
    """Latest minus first score for each area scored in both readings (negative when an
    area went down), in the order of the first reading."""
    return {
        area: _whole(latest[area]) - _whole(first[area])
        for area in first
        if _is_scored(first.get(area)) and _is_scored(latest.get(area))
    }


def stages(instrument: Instrument, reading: Reading) -> dict[str, int]:
    """The stage number (1 = lowest) of each area scored in a reading."""
    star = star_of(instrument)
    return {
        area: star.stage_for(_score(reading[area], star, area)).number
        for area in star.areas
        if _is_scored(reading.get(area))
    }


def moved_up_a_stage(instrument: Instrument, first: Reading, latest: Reading) -> dict[str, bool]:
    """For each area scored in both readings, whether the latest is in a higher stage.

    A move within a stage (3 to 4 on a two-points-a-stage star) is not a move up a stage;
    3 to 5 is.
    """
    before, after = stages(instrument, first), stages(instrument, latest)
    return {area: after[area] > before[area] for area in before if area in after}


def _is_scored(value: object) -> bool:
    return value is not None and value != ""


def _whole(value: object) -> int:
    # bool is an int in Python, but True is never a score.
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a score")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError(f"{value!r} is not a whole number")


def _score(value: object, star: Star, area: str) -> int:
    try:
        score = _whole(value)
    except ValueError:
        score = None
    if score is None or not 1 <= score <= star.points:
        raise ValueError(f"{area!r}: {value!r} is not a score from 1 to {star.points}")
    return score
