"""Forms for starting and recording an outcomes-wheel reading, one step at a time. The 1-to-N
question for each area is built from the wheel's data (`app.forms.build_page_form`)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.forms import DayMonthYearField, build_page_form
from app.models.codes import looks_like_code
from app.models.timeutil import uk_today


class ReadingStartForm(FlaskForm):
    code = StringField(
        "The young person's code",
        validators=[Optional(), Length(max=32)],
        description=(
            "Their code for key workers (8 letters and numbers, like ABCD-2345), shown on "
            "their 'Your answers' page: never their own code. Leave empty for a new one."
        ),
        widget=GovTextInput(),
    )
    service_id = SelectField("Service", coerce=int, widget=GovSelect())
    instrument = SelectField("Outcomes wheel", widget=GovSelect())
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_code(self, field):
        if field.data and field.data.strip() and not looks_like_code(field.data):
            raise ValidationError("Check the code: it has 8 letters and numbers, like ABCD-2345")


class ReadingDateForm(FlaskForm):
    """The first step of a reading: when it was taken."""

    taken_on = DayMonthYearField(
        "Date of the reading",
        validators=[InputRequired("Enter the date of the reading")],
        description="For example, 27 3 2027",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_taken_on(self, field):
        if field.data and field.data > uk_today():
            raise ValidationError("The date of the reading cannot be in the future")


class ReadingCheckForm(FlaskForm):
    """The last step: a note, and saving the reading as checked."""

    submission_key = HiddenField()
    note = TextAreaField(
        "Note (optional)",
        validators=[
            Optional(),
            Length(max=2000, message="The note must be 2,000 characters or fewer"),
        ],
        description="Anything to remember about this reading. Do not write names.",
        widget=GovTextArea(),
    )
    submit = SubmitField("Save reading", widget=GovSubmitInput())


def area_form_class(instrument, number: int, locale: str):
    """The 1-to-N question for one area (the wheel's page `number`), from the wheel's data."""
    return build_page_form(instrument, number, locale)
