"""Forms shared by more than one blueprint: instrument pages built from data, a date field,
a button form, and the one way an instrument page's POST is handled.

A shared UI package: it may use Flask-WTF, Flask-Babel, instruments, scoring, fragments
and widgets, but never a blueprint package, so any blueprint can import it.
"""

from app.forms.actions import ActionForm
from app.forms.fields import DayMonthYearField, day_month_year, not_before, strip_text
from app.forms.instrument import (
    ERROR_MESSAGES,
    FIELD_BUILDERS,
    InstrumentPageForm,
    answers_from_form,
    build_page_form,
    initial_data,
)
from app.forms.pages import PageStep, handle_instrument_page

__all__ = [
    "ERROR_MESSAGES",
    "FIELD_BUILDERS",
    "ActionForm",
    "DayMonthYearField",
    "InstrumentPageForm",
    "PageStep",
    "answers_from_form",
    "build_page_form",
    "day_month_year",
    "handle_instrument_page",
    "initial_data",
    "not_before",
    "strip_text",
]
