"""Group statistics from sufficient statistics, against published and hand-worked values."""

import itertools
import math
from datetime import date, datetime

import pytest

from app.evidence import statistics
from app.evidence.periods import period_containing, previous


def test_mean_and_sample_sd_match_hand_computation():
    moments = statistics.Moments.of([2, 4, 4, 4, 5, 5, 7, 9])
    assert moments.mean == 5
    # Sum of squared deviations 32, divided by n - 1 = 7.
    assert moments.sd == pytest.approx(math.sqrt(32 / 7))


def test_sd_of_identical_values_is_zero_not_a_rounding_error():
    assert statistics.sample_sd(3, 3 * 49.4, 3 * 49.4**2) == 0


def test_too_few_values_give_no_sd_or_interval():
    assert statistics.sample_sd(1, 50, 2500) is None
    assert statistics.confidence_interval(1, 50, 2500) is None
    assert statistics.mean(0, 0) is None


@pytest.mark.parametrize(
    ("df", "critical"), [(1, 12.7062), (9, 2.2622), (29, 2.0452), (1000, 1.9623)]
)
def test_t_critical_values_match_printed_tables(df, critical):
    assert statistics.t_critical(df) == pytest.approx(critical, abs=1e-4)


def test_confidence_interval_uses_the_t_distribution():
    values = [44, 48, 50, 52, 56, 47, 51, 49, 53, 50]
    moments = statistics.Moments.of(values)
    low, high = moments.confidence_interval()
    half = 2.262157 * moments.sd / math.sqrt(10)
    assert (low, high) == (pytest.approx(50 - half), pytest.approx(50 + half))


def test_paired_t_test_matches_a_worked_example():
    differences = [1, 2, 3, 4, 5]
    result = statistics.paired_t_test(5, sum(differences), sum(d * d for d in differences))
    # mean 3, SD sqrt(2.5), t = 3 / (sqrt(2.5) / sqrt(5)) = 4.2426, df 4, p = 0.01324.
    assert result.t == pytest.approx(4.242641, abs=1e-6)
    assert result.df == 4
    assert result.p == pytest.approx(0.013236, abs=1e-6)


def test_two_sided_p_values_match_tables():
    assert statistics.t_two_sided_p(2.0, 10) == pytest.approx(0.073388, abs=1e-6)
    assert statistics.t_two_sided_p(-2.0, 10) == pytest.approx(0.073388, abs=1e-6)
    assert statistics.t_two_sided_p(0.0, 5) == pytest.approx(1.0)


def test_paired_t_test_when_everyone_changed_by_the_same_amount():
    assert statistics.paired_t_test(4, 12, 36).p == 0.0
    assert statistics.paired_t_test(4, 0, 0).p == pytest.approx(1.0)
    assert statistics.paired_t_test(1, 3, 9) is None


def test_quarters_default_to_the_uk_financial_year_and_read_naturally():
    period = period_containing(date(2026, 5, 14))
    assert (period.start, period.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period.label == "April to June 2026"
    assert previous(period).label == "January to March 2026"
    assert previous(previous(period)).label == "October to December 2025"


def test_periods_follow_the_service_start_and_interval():
    period = period_containing(date(2026, 1, 10), start=date(2025, 11, 20), months=3)
    assert period.label == "November 2025 to January 2026"
    assert period_containing(date(2026, 2, 1), date(2025, 11, 20), 3).start == date(2026, 2, 1)
    assert period_containing(date(2026, 3, 31), months=1).label == "March 2026"
    assert period_containing(date(2026, 3, 31), date(2025, 4, 1), 12).label == (
        "April 2025 to March 2026"
    )


def test_days_before_the_anchor_still_fall_on_the_grid():
    assert period_containing(date(2025, 10, 1), date(2026, 1, 15), 6).label == (
        "July to December 2025"
    )


def test_period_bounds_are_uk_midnights_in_utc():
    since, until = period_containing(date(2026, 5, 1)).utc_bounds()
    # 1 April 2026 is in British Summer Time: UK midnight is 23:00 UTC the day before.
    assert since == datetime(2026, 3, 31, 23, 0)
    assert until == datetime(2026, 6, 30, 23, 0)


def test_periods_on_one_grid_never_overlap():
    periods = {period_containing(date(2026, 1, 1).replace(month=m), months=3) for m in range(1, 13)}
    ordered = sorted(periods, key=lambda p: p.start)
    assert all(a.end < b.start for a, b in itertools.pairwise(ordered))


def test_an_interval_outside_one_to_twelve_months_is_refused():
    with pytest.raises(ValueError, match="1 to 12 months"):
        period_containing(date(2026, 1, 1), months=0)
