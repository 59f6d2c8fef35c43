"""Forms for setting a campaign up: what to ask, its details, a later change of details,
and the licence. The languages and instruments are drawn by the templates (each choice
with its reason); the checks that need the chosen instrument are in the views."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.forms import DayMonthYearField
from app.languages import LANGUAGE_CODES

# Which fields each page of "Create a campaign" shows; the rest travel as hidden fields.
CHOOSE_FIELDS = ("instrument",)
DETAILS_FIELDS = (
    "name",
    "service_id",
    "opens_on",
    "closes_on",
    "languages",
    "links_over_time",
    "licence_reference",
)


def _name():
    return StringField(
        "Name of the campaign",
        validators=[
            InputRequired("Enter a name for the campaign"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
        description="Respondents do not see this; it is for you and the reports.",
    )


def _date(label: str, missing: str, example: str):
    return DayMonthYearField(
        label,
        validators=[InputRequired(missing)],
        widget=GovDateInput(),
        description=f"For example, {example}",
    )


def _whole_number(value):
    """A chosen id; None for anything else, which the form then refuses in words."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _languages():
    return SelectMultipleField(
        "Languages respondents may choose",
        choices=[SelectChoice(code, code) for code in LANGUAGE_CODES],
        validate_choice=False,
        validators=[InputRequired("Select at least one language")],
    )


class _Dates:
    def validate_closes_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("The close date must be on or after the open date")


class CampaignChooseForm(FlaskForm):
    instrument = RadioField(
        "What do you want to ask?",
        validate_choice=False,
        validators=[InputRequired("Select what you want to ask")],
    )


class CampaignDetailsForm(_Dates, FlaskForm):
    instrument = HiddenField()
    name = _name()
    service_id = SelectField(
        "Service",
        coerce=_whole_number,
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired("Select the service the campaign is for")],
    )
    opens_on = _date("Opens on", "Enter the date the campaign opens", "10 1 2027")
    closes_on = _date("Closes on", "Enter the date the campaign closes", "31 3 2027")
    languages = _languages()
    links_over_time = BooleanField(
        "Link answers over time with the code each person keeps",
        default=True,
        widget=GovCheckboxInput(),
    )
    licence_reference = StringField(
        "Licence reference (if you have it now)",
        validators=[
            Optional(),
            Length(max=200, message="The licence reference must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
    )

    def validate_service_id(self, field):
        if field.data not in [choice.value for choice in self.service_id.choices]:
            raise ValidationError("Select one of the services listed")


class CampaignEditForm(_Dates, FlaskForm):
    name = _name()
    opens_on = _date("Opens on", "Enter the date the campaign opens", "10 1 2027")
    closes_on = _date("Closes on", "Enter the date the campaign closes", "31 3 2027")
    languages = _languages()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class LicenceForm(FlaskForm):
    licence_reference = StringField(
        "Licence reference",
        validators=[
            InputRequired("Enter the licence reference"),
            Length(max=200, message="The licence reference must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
        description="The registration or licence number the licence holder gave your organisation.",
    )
    submit = SubmitField("Save licence reference", widget=GovSubmitInput())


class OpenForm(FlaskForm):
    """Opening a campaign; for a licensed instrument with no reference yet, it is asked here."""

    licence_reference = StringField(
        "Licence reference",
        validators=[
            Optional(),
            Length(max=200, message="The licence reference must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
