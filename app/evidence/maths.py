"""Figure maths for evidence: a scale's published figures from its summaries, and the band
shares the national norm predicts. No Flask, no database: the queries' summaries come in,
published figures (numbers or `Suppressed`) go out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from app.age_bands import age_band
from app.evidence import statistics
from app.evidence.suppression import SmallNumbers
from app.figures import Figure, Row
from app.instruments.model import Instrument, Norm

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


def expected_band_shares(instrument: Instrument, norm=None) -> dict[str, float] | None:
    """The share of a population expected in each band, from its norm (`norm`, default the
    first on the bands' scale with a spread), under a normal distribution; None without a
    norm with a spread on the bands' scale."""
    scoring = instrument.scoring
    if norm is None:
        norm = next(
            (n for n in instrument.norms if n.sd and n.applies_to == scoring.bands_apply_to),
            None,
        )
    if norm is None or not norm.sd or norm.applies_to != scoring.bands_apply_to:
        return None
    if not scoring.bands:
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


@dataclass(frozen=True)
class Comparator:
    """The population a scale's results are set beside: its norms (men and women in England,
    say) and who they are in plain words, and whether they are the readers' own age group."""

    group: str  # "pupils aged 13 to 16", "adults in England"
    norms: tuple[Norm, ...]
    matches_young_people: bool

    @property
    def norm(self) -> Norm:
        """The norm drawn as the line on a chart: the first of the group."""
        return self.norms[0]

    def note(self, young_people: bool) -> str:
        """The sentence under the scores: who the comparator is, its mean(s) and source."""
        first = self.norms[0]
        if len(self.norms) == 1 and first.population.casefold().startswith(self.group.casefold()):
            sentence = (
                f"Compared with {self.group}{first.population[len(self.group) :]}: "
                f"mean {first.mean:g}."
            )
        else:
            means = "; ".join(f"{n.population}, mean {n.mean:g}" for n in self.norms)
            sentence = f"Compared with {self.group}: {means}."
        if young_people and not self.matches_young_people:
            sentence += (
                f" No norm for young people is held for this scale, so these young people's "
                f"results are set beside {self.group}: read the difference with care."
            )
        return sentence


def is_young_people(ages: Mapping[object, int]) -> bool:
    """Whether a scale's results are young people's, from how many people gave each age
    band (`app.age_bands` keys; None or "not_said" when not given).

    The platform serves children's and young people's services, so results are young
    people's unless most of the people who gave their age were 18 or over (a parents' and
    carers' campaign that asked ages, or a view of one adult age band)."""
    adults = young = 0
    for key, people in ages.items():
        band = age_band(key if isinstance(key, str) else None)
        if band is None or band.key == "not_said":
            continue
        if band.youngest is not None and band.youngest >= 18:
            adults += people
        else:
            young += people
    return adults <= young


def comparator(instrument: Instrument, young_people: bool) -> Comparator | None:
    """The norms to set a scale's results beside (shared INSTRUMENTS.md): for young people's
    results the norm for their ages where the instrument has one (WEMWBS: pupils aged 13 to
    16), otherwise its adults' norms, named plainly; None when it has no norm on the scale
    it reports."""
    scale = "metric" if instrument.scoring.conversion else "raw"
    norms = [n for n in instrument.norms if n.applies_to == scale]
    if not norms:
        return None
    young = [n for n in norms if n.for_young_people]
    adult = [n for n in norms if not n.for_young_people]
    chosen = young if young_people and young else adult or young
    group = chosen[0].plain_group
    return Comparator(
        group=group,
        norms=tuple(n for n in chosen if n.plain_group == group),
        matches_young_people=chosen[0].for_young_people,
    )


def reports_reliable_change(instrument: Instrument) -> bool:
    """Whether a scale's pages show a "reliable change" share beside the "meaningful" one.

    Only when reliable change needs a bigger change than meaningful change does (WEMWBS:
    3 points meaningful, about 10 reliable). Where the meaningful threshold is already
    beyond measurement error (SWEMWBS: 3 metric points against 2.87), everyone who changed
    meaningfully changed reliably too, and a second share with a lower threshold would only
    confuse: one individual-change figure is shown (shared INSTRUMENTS.md)."""
    scoring = instrument.scoring
    reliable, meaningful = scoring.reliable_change, scoring.meaningful_change
    if reliable is None:
        return False
    return meaningful is None or meaningful.points < reliable.difference_threshold


__all__ = [
    "MIN_PEOPLE_FOR_TEST",
    "Comparator",
    "comparator",
    "is_young_people",
    "reports_reliable_change",
    "TOO_FEW_TO_TEST",
    "ScaleFigures",
    "expected_band_shares",
    "reporting_norm",
    "scale_figures",
]
