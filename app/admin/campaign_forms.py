"""Forms for setting a campaign up: what to ask, its details, a later change of details,
and the licence. The languages and instruments are drawn by the templates (each choice
with its reason); the checks that need the chosen instrument are in the views.

Setting a campaign up and changing it later ask for its name, dates and languages with the
same fields, and every licence reference is checked the same way: each is made once below,
by a function rather than a shared base class, so that each form keeps its fields (and its
error summary) in the order of its page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
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

from app.forms import day_month_year, not_before
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


def _opens_on():
    return day_month_year(
        "Opens on", "10 1 2027", InputRequired("Enter the date the campaign opens")
    )


def _closes_on():
    return day_month_year(
        "Closes on", "31 3 2027", InputRequired("Enter the date the campaign closes")
    )


def _licence_reference(label: str = "Licence reference", *, needed: bool = False, **hint):
    """Required where the licence is being given, otherwise optional; never over 200."""
    return StringField(
        label,
        validators=[
            InputRequired("Enter the licence reference") if needed else Optional(),
            Length(max=200, message="The licence reference must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
        **hint,
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
    """Set-up and a later change alike keep the close date on or after the open date."""

    validate_closes_on = not_before("opens_on", "The close date must be on or after the open date")


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
    opens_on = _opens_on()
    closes_on = _closes_on()
    languages = _languages()
    links_over_time = BooleanField(
        "Link answers over time with the code each person keeps",
        default=True,
        widget=GovCheckboxInput(),
    )
    licence_reference = _licence_reference("Licence reference (if you have it now)")

    def validate_service_id(self, field):
        if field.data not in [choice.value for choice in self.service_id.choices]:
            raise ValidationError("Select one of the services listed")


class CampaignEditForm(_Dates, FlaskForm):
    name = _name()
    opens_on = _opens_on()
    closes_on = _closes_on()
    languages = _languages()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class LicenceForm(FlaskForm):
    licence_reference = _licence_reference(
        needed=True,
        description="The registration or licence number the licence holder gave your organisation.",
    )
    submit = SubmitField("Save licence reference", widget=GovSubmitInput())


class OpenForm(FlaskForm):
    """Opening a campaign; for a licensed instrument with no reference yet, it is asked here."""

    licence_reference = _licence_reference()
