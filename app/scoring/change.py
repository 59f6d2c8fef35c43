"""Has one person's score changed, between their first and latest reading?

Two judgements, both read from the instrument's data: a meaningful change (a published
number of points, e.g. 3 on WEMWBS) and a reliable change (Jacobson and Truax: larger than
measurement error would explain, at the instrument's z).
"""

from __future__ import annotations

import math

from app.instruments.model import Instrument
from app.scoring.totals import Score

# Metric scores are two-decimal floats; a difference of exactly the threshold must count.
_TOLERANCE = 1e-9


def score_change(instrument: Instrument, first: Score, latest: Score) -> float | None:
    """Latest minus first, on the scale the instrument's change rules use; None if unscored."""
    scoring = instrument.scoring
    if scoring is None:
        return None
    rule = scoring.meaningful_change or scoring.reliable_change
    scale = rule.applies_to if rule else ("metric" if scoring.conversion else "raw")
    return _difference(first, latest, scale)


def meaningful_change(instrument: Instrument, first: Score, latest: Score) -> bool | None:
    """True when the scores differ (either way) by at least the meaningful number of points.

    None when the instrument has no such threshold or either reading was not scored.
    """
    rule = instrument.scoring.meaningful_change if instrument.scoring else None
    if rule is None:
        return None
    difference = _difference(first, latest, rule.applies_to)
    if difference is None:
        return None
    return abs(difference) >= rule.points - _TOLERANCE


def reliable_change(
    instrument: Instrument, first: Score, latest: Score
) -> tuple[float, bool] | None:
    """The reliable change index and whether it is reliable, (RC, |RC| > z).

    RC = (x2 - x1) / sqrt(2 * SE^2), where SE = SD * sqrt(1 - r) or the published SEM.
    None when the instrument has no reliable-change data or either reading was not scored.
    """
    rule = instrument.scoring.reliable_change if instrument.scoring else None
    if rule is None:
        return None
    difference = _difference(first, latest, rule.applies_to)
    if difference is None:
        return None
    index = difference / math.sqrt(2 * rule.standard_error**2)
    return index, abs(index) > rule.z


def _difference(first: Score, latest: Score, scale: str) -> float | None:
    before, after = first.on(scale), latest.on(scale)
    if before is None or after is None:
        return None
    return after - before
