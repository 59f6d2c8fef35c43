"""Dates and times as people in the UK read them, in the reader's own language.

The one place that turns a date or a stored time into words for a page, a pack or an email:
"7 December 2026" and "7 Dec 2026, 16:30" in English, and each language's own order and
month names otherwise ("7 Rhagfyr 2026", "7 de diciembre de 2026"). Times are stored as
naive UTC (`app.models.timeutil.utcnow`) and always shown in UK time (Europe/London, GMT in
winter and BST in summer), whatever the server's own zone. No Flask here: templates reach
these through the `date` and `datetime` filters (`app.date_filters`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format

UK_TIME = ZoneInfo("Europe/London")
# English on this platform is British English: "7 December 2026", not "December 7, 2026".
_REGIONS = {"en": "en_GB"}
STYLES = ("long", "medium")


@cache
def _locale(language: str | None) -> Locale:
    code = _REGIONS.get(language or "en", language or "en")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def in_uk_time(moment: datetime) -> datetime:
    """A stored time (naive means UTC) as the clock in the UK showed it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK_TIME)


def uk_day_start(day: date) -> datetime:
    """When a UK calendar day begins, as a stored (naive UTC) time, to select by the day shown:
    8 June begins at 23:00 UTC on 7 June (BST), 8 December at midnight UTC (GMT)."""
    return datetime.combine(day, time(), tzinfo=UK_TIME).astimezone(UTC).replace(tzinfo=None)


def _parsed(value: date | datetime | str) -> date | datetime:
    # Snapshots kept as JSON (a plan version's actions, an audit record) hold ISO text.
    if isinstance(value, str):
        return (
            datetime.fromisoformat(value)
            if "T" in value or " " in value
            else date.fromisoformat(value)
        )
    return value


def uk_day(value: date | datetime | str) -> date:
    """The UK calendar day of a date, or of a stored time (23:30 UTC in June is the next day)."""
    value = _parsed(value)
    return in_uk_time(value).date() if isinstance(value, datetime) else value


def format_day(
    value: date | datetime | str | None, style: str = "long", language: str = "en"
) -> str:
    """A day in words: "7 December 2026" (long) or "7 Dec 2026" (medium); "" for None.

    A stored time is first moved to UK time, so the day is the one people in the UK lived.
    """
    if value is None or value == "":
        return ""
    if style not in STYLES:
        raise ValueError(f"unknown date style {style!r}; use one of {STYLES}")
    return format_date(uk_day(value), style, locale=_locale(language))


def format_clock(value: datetime | None, language: str = "en") -> str:
    """The UK time of day of a stored time: "16:30" in English; "" for None."""
    if value is None:
        return ""
    return format_time(in_uk_time(value), "short", tzinfo=UK_TIME, locale=_locale(language))


def format_moment(value: date | datetime | str | None, language: str = "en") -> str:
    """A stored time in UK time, day and time: "7 Dec 2026, 16:30"; "" for None.

    A plain date (no time) is shown as its day alone.
    """
    if value is None or value == "":
        return ""
    value = _parsed(value)
    if not isinstance(value, datetime):
        return format_day(value, "medium", language)
    locale = _locale(language)
    return (
        get_datetime_format("medium", locale=locale)
        .replace("'", "")
        .replace("{0}", format_clock(value, language))
        .replace("{1}", format_day(value, "medium", language))
    )
