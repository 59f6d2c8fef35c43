"""Figure maths for evidence: a scale's published figures from its summaries, and the band
shares the national norm predicts. No Flask, no database: the queries' summaries come in,
published figures (numbers or `Suppressed`) go out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.evidence import statistics
from app.evidence.suppression import SmallNumbers
from app.figures import Figure, Row
from app.instruments.model import Instrument

# Warwick's rule of thumb (shared INSTRUMENTS.md): a paired test needs at least 30 people
# with two readings; below that the page says so instead of giving a p-value.
MIN_PEOPLE_FOR_TEST = 30
TOO_FEW_TO_TEST = "too few people to test"


@dataclass(frozen=True)
class ScaleFigures:
    """A scale's published figures for one view and period."""

    n: Figure
    mean: Figure | None
    sd: Figure | None
    ci_low: Figure | None
    ci_high: Figure | None
    bands: Row
    paired_n: Figure
    mean_change: Figure | None
    meaningful: Figure
    reliable_improvement: Figure
    reliable_deterioration: Figure
    test: statistics.TTest | None


def scale_figures(
    summary, change, rule: SmallNumbers, bands: Row, change_people: int
) -> ScaleFigures:
    """Published figures from a `ScaleSummary` and a `ChangeSummary`: `bands` is the band
    row already suppressed, `change_people` how many people with change may be published
    (0 when the disclosure policy hides them)."""
    moments = statistics.Moments(summary.n, summary.total, summary.sum_squares)
    low, high = moments.confidence_interval() or (None, None)
    test = None
    if change_people >= MIN_PEOPLE_FOR_TEST:
        test = statistics.paired_t_test(
            change.n, change.sum_differences, change.sum_squares_differences
        )

    def share(part: int) -> Figure:
        return rule.share(part, change.n) if change_people else rule.hidden()

    return ScaleFigures(
        n=rule.count(summary.n),
        mean=rule.statistic(moments.mean, summary.n),
        sd=rule.statistic(moments.sd, summary.n),
        ci_low=rule.statistic(low, summary.n),
        ci_high=rule.statistic(high, summary.n),
        bands=bands,
        paired_n=rule.count(change_people),
        mean_change=rule.statistic(
            statistics.mean(change.n, change.sum_differences), change_people
        ),
        meaningful=share(change.meaningful_improvement),
        reliable_improvement=share(change.reliable_improvement),
        reliable_deterioration=share(change.reliable_deterioration),
        test=test,
    )


def expected_band_shares(instrument: Instrument) -> dict[str, float] | None:
    """The share of the national population expected in each band, from the first norm on
    the bands' scale, under a normal distribution; None without such a norm."""
    scoring = instrument.scoring
    norm = next(
        (n for n in instrument.norms if n.sd and n.applies_to == scoring.bands_apply_to), None
    )
    if norm is None or not scoring.bands:
        return None
    step = 0.5 if scoring.bands_apply_to == "raw" else 0.005

    def below(x: float) -> float:
        return 0.5 * (1 + math.erf((x - norm.mean) / (norm.sd * math.sqrt(2))))

    shares = {}
    for i, band in enumerate(scoring.bands):
        low = -math.inf if i == 0 else band.min - step
        high = math.inf if i == len(scoring.bands) - 1 else band.max + step
        shares[band.key] = below(high) - (below(low) if low != -math.inf else 0.0)
    return shares


def reporting_norm(instrument: Instrument):
    """The instrument's norm on the scale it reports (metric when it has a conversion)."""
    scale = "metric" if instrument.scoring.conversion else "raw"
    return next((n for n in instrument.norms if n.applies_to == scale), None)


__all__ = [
    "MIN_PEOPLE_FOR_TEST",
    "TOO_FEW_TO_TEST",
    "ScaleFigures",
    "expected_band_shares",
    "reporting_norm",
    "scale_figures",
]
