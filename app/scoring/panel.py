"""How far a panel of young inspectors agreed, characteristic by characteristic. No Flask.

Several inspectors rate one visit against a framework; a coordinator then moderates to
agreed ratings. The disagreement is evidence in itself (shared INSTRUMENTS.md), so for each
characteristic this reports who rated it, the most common rating, the spread, the share who
gave the most common rating, and a plain-language level:

    full     every rating the same
    close    ratings differ by one point at most
    split    ratings two or more points apart
    too_few  fewer than two inspectors rated it, so there is nothing to compare

"We didn't see this" (`NOT_OBSERVED`) and a blank are not ratings: they are counted apart
and left out of everything else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from app.instruments.fieldwork import NOT_OBSERVED
from app.instruments.model import Instrument

AGREEMENT_LEVELS = ("full", "close", "split", "too_few")
# Ratings this far apart or closer count as close agreement.
CLOSE_POINTS = 1


@dataclass(frozen=True)
class Agreement:
    """Agreement on one characteristic.

    `ratings` keeps the panel's order. `mode` is None when no rating is the single most
    common (a tie, or no ratings); `modes` then lists the tied ratings, lowest first.
    `share_agreeing` is the share of raters who gave the most common rating (0 to 1).
    """

    characteristic: str
    ratings: tuple[int, ...]
    not_observed: int
    missing: int
    mode: int | None
    modes: tuple[int, ...]
    range: int | None
    share_agreeing: float | None
    level: str

    @property
    def n_raters(self) -> int:
        """How many inspectors gave a rating on the scale."""
        return len(self.ratings)

    @property
    def n_members(self) -> int:
        """Everyone counted: raters, those who did not see it and those who left it blank."""
        return len(self.ratings) + self.not_observed + self.missing


def agreement(
    ratings: Iterable[object], characteristic: str = "", *, points: int | None = None
) -> Agreement:
    """Agreement among one characteristic's ratings, one per panel member.

    A rating is a whole number or its digits ("3"); `NOT_OBSERVED`, None and "" are not
    ratings. With `points`, ValueError for a rating outside 1..points.
    """
    given: list[int] = []
    not_observed = missing = 0
    for value in ratings:
        if value == NOT_OBSERVED:
            not_observed += 1
        elif value is None or value == "":
            missing += 1
        else:
            given.append(_rating(value, points, characteristic))
    counts = Counter(given)
    top = max(counts.values(), default=0)
    modes = tuple(sorted(r for r, c in counts.items() if c == top)) if given else ()
    spread = max(given) - min(given) if given else None
    if len(given) < 2:
        level = "too_few"
    elif spread == 0:
        level = "full"
    elif spread <= CLOSE_POINTS:
        level = "close"
    else:
        level = "split"
    return Agreement(
        characteristic=characteristic,
        ratings=tuple(given),
        not_observed=not_observed,
        missing=missing,
        mode=modes[0] if len(modes) == 1 else None,
        modes=modes,
        range=spread,
        share_agreeing=top / len(given) if given else None,
        level=level,
    )


def panel_agreement(
    instrument: Instrument, ratings_by_member: Mapping[Hashable, Mapping[str, object]]
) -> dict[str, Agreement]:
    """Agreement on every characteristic of an inspection or mystery shop, in framework order.

    `ratings_by_member` maps each panel member (any key: a user id, a name) to their answers
    as stored, e.g. ``{7: {"listen_to_me": "3", "safe_here": "not_observed"}, ...}``. A
    member with no answer for a characteristic counts as missing. Other answers (evidence
    notes, checklist items) are ignored. ValueError for a rating off the framework's scale.
    """
    framework = instrument.framework
    if framework is None:
        raise ValueError(f"{instrument.key} is a {instrument.type}, not a rated framework")
    return {
        characteristic: agreement(
            (answers.get(characteristic) for answers in ratings_by_member.values()),
            characteristic,
            points=framework.points,
        )
        for characteristic in framework.characteristics
    }


def _rating(value: object, points: int | None, characteristic: str) -> int:
    where = f"{characteristic!r}: " if characteristic else ""
    if isinstance(value, bool):
        raise ValueError(f"{where}{value!r} is not a rating")
    rating = int(value) if isinstance(value, str) and value.strip().isdigit() else value
    if not isinstance(rating, int) or rating < 1 or (points is not None and rating > points):
        scale = f" from 1 to {points}" if points is not None else ""
        raise ValueError(f"{where}{value!r} is not a rating{scale}")
    return rating
