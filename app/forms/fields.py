"""Fields shared by staff pages: a GOV.UK date input that reads day, month and year, made
with its example hint, and the check that one date is not before another."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.validators import ValidationError


class DayMonthYearField(DateField):
    """A date typed as day, month and year boxes (GOV.UK date input), all sharing one name.

    Always keeps three parts, however many the browser sent, so a tampered form gets a
    message rather than breaking the page.
    """

    widget = GovDateInput()

    def process_formdata(self, valuelist):
        parts = [str(part).strip() for part in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        try:
            day, month, year = (int(part) for part in parts)
            self.data = date(year, month, day)
        except ValueError:
            raise ValueError("Enter a real date, like 27 3 2027") from None


def day_month_year(label: str, example: str, *validators):
    """A date field whose hint shows an example date: "For example, 1 4 2026"."""
    return DayMonthYearField(
        label,
        validators=list(validators),
        widget=GovDateInput(),
        description=f"For example, {example}",
    )


def not_before(earlier: str, message: str):
    """A form's check of a later date (`validate_ends_on = not_before("starts_on", ...)`):
    when both dates are given, this one may be the same day as the field `earlier`, never
    before it; `message` says so."""

    def validate(form, field):
        start = getattr(form, earlier).data
        if field.data and start and field.data < start:
            raise ValidationError(message)

    return validate


def strip_text(value: str | None) -> str | None:
    """A WTForms filter: trim, so an answer of only spaces counts as no answer."""
    return value.strip() if isinstance(value, str) else value
