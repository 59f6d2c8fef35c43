"""The `date` and `datetime` template filters: `app.dates` in the page's language.

Registered once by the application factory. Staff pages are in English; a respondent's page
is in the language they chose, so its dates follow that language's own format.
"""

from __future__ import annotations

from flask_babel import get_locale

from app import dates


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def date_filter(value, style: str = "long") -> str:
    """`{{ visit.visit_on|date }}` -> "7 December 2026"; `|date('medium')` -> "7 Dec 2026"."""
    return dates.format_day(value, style, _language())


def datetime_filter(value) -> str:
    """`{{ alert.created_at|datetime }}` -> "7 Dec 2026, 16:30" in UK time."""
    return dates.format_moment(value, _language())


def time_filter(value) -> str:
    """`{{ alert.created_at|time }}` -> "16:30" in UK time."""
    return dates.format_clock(value, _language())


def init_app(app) -> None:
    app.jinja_env.filters.update(date=date_filter, datetime=datetime_filter, time=time_filter)
