"""Monitoring periods: the stretches of time a service's evidence is reported over.

Periods are whole calendar months, `months` long, counted from an anchor month: the month a
service started, or by default April 2000, so that a three-month interval gives the UK
financial quarters (April to June, July to September, ...). Every period of a service lies on
one grid, so two periods are either the same or do not overlap: one period can never be
subtracted from a longer one to reveal a short stretch of time (see `suppression`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The UK calendar (as in app.models.timeutil, which cannot be imported without the models).
UK = ZoneInfo("Europe/London")

# Change over time ("distance travelled") looks back this far for a person's first score.
HISTORY_MONTHS = 24
# UK public bodies report by financial year, which starts in April.
DEFAULT_ANCHOR = date(2000, 4, 1)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both UK calendar dates and both included."""

    start: date
    end: date
    months: int

    @property
    def label(self) -> str:
        """How the period reads on a page: "April to June 2026", "April 2026",
        "November 2025 to January 2026"."""
        first, last = MONTHS[self.start.month - 1], MONTHS[self.end.month - 1]
        if self.months == 1:
            return f"{first} {self.start.year}"
        if self.start.year == self.end.year:
            return f"{first} to {last} {self.end.year}"
        return f"{first} {self.start.year} to {last} {self.end.year}"

    def __str__(self) -> str:
        return self.label

    def __contains__(self, day: object) -> bool:
        if isinstance(day, datetime):
            day = day.date()
        return isinstance(day, date) and self.start <= day <= self.end

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[from, until) as naive UTC datetimes, the way `submitted_at` is stored.

        The period is in UK dates, so midnight is UK midnight (an hour earlier in summer).
        """
        return _uk_midnight_as_utc(self.start), _uk_midnight_as_utc(self.end + timedelta(days=1))


def period_containing(day: date, start: date | None = None, months: int = 3) -> Period:
    """The monitoring period, `months` long on the grid anchored at `start`'s month, that
    holds `day`. `start` None uses `DEFAULT_ANCHOR` (UK financial quarters for 3 months).

    ValueError when `months` is not a whole number from 1 to 12.
    """
    if not isinstance(months, int) or not 1 <= months <= 12:
        raise ValueError(f"a monitoring interval is 1 to 12 months, not {months!r}")
    anchor = start or DEFAULT_ANCHOR
    offset = _month_index(day) - _month_index(anchor)
    # Floor division keeps days before the anchor on the same grid.
    first = _month_index(anchor) + (offset // months) * months
    return _period_from(first, months)


def previous(period: Period) -> Period:
    """The period of the same length that ends the day before `period` starts."""
    return _period_from(_month_index(period.start) - period.months, period.months)


def following(period: Period) -> Period:
    """The period of the same length that starts the day after `period` ends."""
    return _period_from(_month_index(period.start) + period.months, period.months)


def history_start(period: Period) -> datetime:
    """How far back a first score may be for the change figures of `period` (naive UTC):
    the start of the month `HISTORY_MONTHS` before the period's first month."""
    start = period.start
    months = start.year * 12 + start.month - 1 - HISTORY_MONTHS
    first = date(months // 12, months % 12 + 1, 1)
    return Period(first, first, 1).utc_bounds()[0]


def period_for_service(service, day: date) -> Period:
    """The period of `service` (anything with `starts_on` and `monitoring_interval_months`)
    that holds `day`."""
    return period_containing(day, service.starts_on, service.monitoring_interval_months or 3)


def period_for_family(provider, day: date) -> Period:
    """The period holding `day` on the one grid of `provider`'s family (every service of it):
    the services' own grid when they share one, else UK financial quarters. A service is
    reported on its family's grid, so a month of one service can never be subtracted from a
    quarter of the provider."""
    grids = {
        (s.starts_on.month if s.starts_on else None, s.monitoring_interval_months or 3)
        for s in provider.services
    }
    if len(grids) == 1:
        return period_for_service(provider.services[0], day)
    return period_containing(day, None, 3)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _period_from(first_month: int, months: int) -> Period:
    start = _first_of(first_month)
    end = _first_of(first_month + months) - timedelta(days=1)
    return Period(start=start, end=end, months=months)


def _uk_midnight_as_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UK).astimezone(UTC).replace(tzinfo=None)
