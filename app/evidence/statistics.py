"""Group statistics from sufficient statistics (n, sum, sum of squares). No Flask.

SQL computes COUNT, SUM(x) and SUM(x * x) without sending rows to Python; everything here
works from those three numbers. The t distribution comes from scipy, which is well kept and
exact to double precision; hand-rolled incomplete beta functions are easy to get subtly wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# scipy.special's t distribution functions: the same values as scipy.stats.t, for half the
# memory in every worker (scipy.stats alone adds about 45 MB).
from scipy.special import stdtr, stdtrit


@dataclass(frozen=True)
class Moments:
    """Sufficient statistics of a set of values: how many, their sum, their sum of squares."""

    n: int
    total: float
    sum_squares: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Moments:
        """The moments of values held in Python (tests, small lists)."""
        values = list(values)
        return cls(len(values), sum(values), sum(v * v for v in values))

    @property
    def mean(self) -> float | None:
        return mean(self.n, self.total)

    @property
    def sd(self) -> float | None:
        return sample_sd(self.n, self.total, self.sum_squares)

    def confidence_interval(self, level: float = 0.95) -> tuple[float, float] | None:
        return confidence_interval(self.n, self.total, self.sum_squares, level)


@dataclass(frozen=True)
class TTest:
    """A paired t-test: the mean difference, t, degrees of freedom and two-sided p."""

    n: int
    mean_difference: float
    t: float
    df: int
    p: float


def mean(n: int, total: float) -> float | None:
    """The mean, or None for no values."""
    if n <= 0:
        return None
    return total / n


def sample_variance(n: int, total: float, sum_squares: float) -> float | None:
    """The sample variance (divisor n - 1), or None for fewer than two values."""
    if n < 2:
        return None
    # Rounding can leave a tiny negative number when every value is the same.
    return max((sum_squares - total * total / n) / (n - 1), 0.0)


def sample_sd(n: int, total: float, sum_squares: float) -> float | None:
    """The sample standard deviation (divisor n - 1), or None for fewer than two values."""
    variance = sample_variance(n, total, sum_squares)
    return None if variance is None else math.sqrt(variance)


def t_critical(df: int, level: float = 0.95) -> float:
    """The two-sided critical value of Student's t with `df` degrees of freedom."""
    return float(stdtrit(df, 0.5 + level / 2))


def t_two_sided_p(t: float, df: int) -> float:
    """P(|T| >= |t|) for Student's t with `df` degrees of freedom."""
    if math.isinf(t):
        return 0.0
    return float(2 * stdtr(df, -abs(t)))


def confidence_interval(
    n: int, total: float, sum_squares: float, level: float = 0.95
) -> tuple[float, float] | None:
    """The `level` confidence interval of the mean, mean ± t(n-1) * SD / sqrt(n).

    None for fewer than two values, where no interval can be estimated.
    """
    centre, sd = mean(n, total), sample_sd(n, total, sum_squares)
    if centre is None or sd is None:
        return None
    half_width = t_critical(n - 1, level) * sd / math.sqrt(n)
    return centre - half_width, centre + half_width


def paired_t_test(n: int, sum_differences: float, sum_squares_differences: float) -> TTest | None:
    """Paired t-test from the differences (latest minus first) of `n` people.

    t = mean(d) / (SD(d) / sqrt(n)), df = n - 1, two-sided p. When every difference is the
    same, SD is 0: t is 0 with p 1 if they are all 0, else infinite with p 0. None for fewer
    than two people. Whether there are enough people to test is the caller's rule.
    """
    if n < 2:
        return None
    centre = sum_differences / n
    sd = sample_sd(n, sum_differences, sum_squares_differences)
    if sd == 0 or sd < 1e-12 * max(1.0, abs(centre)):
        t = 0.0 if centre == 0 else math.copysign(math.inf, centre)
    else:
        t = centre / (sd / math.sqrt(n))
    return TTest(n=n, mean_difference=centre, t=t, df=n - 1, p=t_two_sided_p(t, n - 1))
