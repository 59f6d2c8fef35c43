"""Forms for setting a contract up, choosing its measures and targets, and adding a body's
own local measure. Choices are filled in by the views (`app.contracts.manage`)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput

from app.forms import DayMonthYearField, strip_text
from app.models.contract import RISK_LEVELS
from app.models.timeutil import uk_today
from app.monitoring.library import DIRECTIONS, KINDS

POUNDS = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.00)?$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _number(text: str | None) -> float | None:
    """A number typed as digits with an optional point (commas and a % sign allowed)."""
    cleaned = (text or "").strip().replace(",", "").rstrip("%").strip()
    if not NUMBER.match(cleaned):
        return None
    return float(cleaned)


class ContractForm(FlaskForm):
    reference = StringField(
        "Contract reference",
        filters=[strip_text],
        validators=[InputRequired("Enter the contract reference"), Length(max=100)],
        widget=GovTextInput(),
        description="As it appears on the contract, for example CYP-2026-014.",
    )
    title = StringField(
        "Title",
        filters=[strip_text],
        validators=[InputRequired("Enter the contract's title"), Length(max=200)],
        widget=GovTextInput(),
        description="What the contract is for, for example Early help for young people.",
    )
    bodies = SelectMultipleField(
        "Commissioning body or bodies",
        coerce=int,
        validate_choice=False,
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        description="Choose more than one when bodies commission this jointly.",
    )
    provider_id = SelectField("Provider", coerce=int, widget=GovSelect())
    services = SelectMultipleField(
        "Services the contract covers",
        coerce=int,
        validate_choice=False,
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        description="The provider's services that are not under another contract. They "
        "take this contract's dates and monitoring period.",
    )
    starts_on = DayMonthYearField(
        "Start date",
        validators=[InputRequired("Enter the date the contract starts")],
        widget=GovDateInput(),
        description="For example, 1 4 2026",
    )
    ends_on = DayMonthYearField(
        "End date",
        validators=[InputRequired("Enter the date the contract ends")],
        widget=GovDateInput(),
        description="For example, 31 3 2029",
    )
    value_pounds = StringField(
        "Value in pounds (optional)",
        filters=[strip_text],
        validators=[Optional()],
        widget=GovTextInput(),
        description="The whole contract's value in whole pounds, for example 450000.",
    )
    monitoring_interval_months = IntegerField(
        "Monitoring period, in months",
        default=3,
        validators=[
            InputRequired("Enter how many months each monitoring period lasts, from 1 to 12"),
            NumberRange(1, 12, "The monitoring period must be between 1 and 12 months"),
        ],
        widget=GovTextInput(),
        description="Evidence and returns are per period: 3 for quarterly, 12 for yearly.",
    )
    risk = RadioField(
        "Risk",
        choices=_choices(RISK_LEVELS.items()),
        default="medium",
        validate_choice=False,
        validators=[
            InputRequired("Choose the contract's risk: low, medium or high"),
            AnyOf(list(RISK_LEVELS), message="Choose the contract's risk: low, medium or high"),
        ],
        widget=GovRadioInput(),
        description="A higher risk means the contract is reviewed more often.",
    )
    last_reviewed_on = DayMonthYearField(
        "Last reviewed (optional)",
        validators=[Optional()],
        widget=GovDateInput(),
        description="The date of the last contract review meeting, for example 14 1 2027.",
    )
    submit = SubmitField("Save contract", widget=GovSubmitInput())

    # Set by the view: the whole pounds once validated.
    pounds: int | None = None

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise ValidationError("The end date must be after the start date")

    def validate_value_pounds(self, field):
        self.pounds = None
        if not field.data:
            return
        match = POUNDS.match(field.data)
        if not match:
            raise ValidationError("Enter the value in whole pounds, like 450000")
        pounds = int(match.group(1).replace(",", ""))
        if pounds > 2_000_000_000:
            raise ValidationError("The value must be less than £2,000,000,000")
        self.pounds = pounds

    def validate_last_reviewed_on(self, field):
        if field.data and field.data > uk_today():
            raise ValidationError("The last review date must be today or in the past")


class TargetForm(FlaskForm):
    """A target and a tolerance for one measure; `unit` (set by the view) sets the limits."""

    target = StringField(
        "Target",
        filters=[strip_text],
        validators=[InputRequired("Enter the target, as a number")],
        widget=GovTextInput(),
    )
    tolerance = StringField(
        "Tolerance",
        filters=[strip_text],
        default="0",
        validators=[InputRequired("Enter the tolerance, as a number (0 for none)")],
        widget=GovTextInput(),
        description="How far on the wrong side of the target still counts as close, "
        "rather than not met. 0 for none.",
    )
    submit = SubmitField("Save target", widget=GovSubmitInput())

    unit = "count"
    target_value: float | None = None
    tolerance_value: float | None = None

    def validate_target(self, field):
        value = _number(field.data)
        if value is None:
            raise ValidationError("Enter the target as a number, like 60")
        if self.unit == "percent" and not 0 <= value <= 100:
            raise ValidationError("The target must be a percentage from 0 to 100")
        if self.unit in ("count", "days") and value < 0:
            raise ValidationError("The target must be 0 or more")
        if abs(value) > 1_000_000_000:
            raise ValidationError("The target must be less than 1,000,000,000")
        self.target_value = value

    def validate_tolerance(self, field):
        value = _number(field.data)
        if value is None:
            raise ValidationError("Enter the tolerance as a number, like 5, or 0 for none")
        if value < 0:
            raise ValidationError("The tolerance must be 0 or more")
        if self.unit == "percent" and value > 100:
            raise ValidationError("The tolerance must be a percentage from 0 to 100")
        if value > 1_000_000_000:
            raise ValidationError("The tolerance must be less than 1,000,000,000")
        self.tolerance_value = value


# Where a local measure's figure comes from, in words, and the unit each gives.
LOCAL_SOURCES = {
    "return_figure": "A figure from the provider's return",
    "return_ratio": "One return figure as a share of another",
    "scale_mean": "The mean score of a wellbeing scale",
    "scale_meaningful": "The share with a meaningful improvement on a wellbeing scale",
    "wheel_distance": "Distance travelled in one outcomes-wheel area",
    "question_positive": "The share answering a questionnaire question positively",
    "inspection_rating": "The share of young inspectors' visits rating a quality well",
}
SOURCE_UNITS = {
    "return_ratio": "percent",
    "scale_mean": "score",
    "scale_meaningful": "percent",
    "wheel_distance": "score",
    "question_positive": "percent",
    "inspection_rating": "percent",
}
FIGURE_UNITS = {"count": "A count", "days": "A number of days"}


class LocalMeasureForm(FlaskForm):
    name = StringField(
        "Name of the measure",
        filters=[strip_text],
        validators=[InputRequired("Enter a name for the measure"), Length(max=200)],
        widget=GovTextInput(),
        description="As a commissioner would say it, for example Share of referrals seen "
        "within 4 weeks.",
    )
    description = TextAreaField(
        "What it measures (optional)",
        filters=[strip_text],
        validators=[Optional(), Length(max=2000)],
        widget=GovTextArea(),
    )
    body_id = SelectField(
        "Commissioning body it belongs to",
        coerce=int,
        validate_choice=False,
        widget=GovSelect(),
        description="Its commissioners can then choose it for any of the body's contracts.",
    )
    kind = RadioField(
        "Kind of measure",
        choices=_choices(KINDS.items()),
        validate_choice=False,
        validators=[
            InputRequired("Choose the kind of measure"),
            AnyOf(list(KINDS), message="Choose the kind of measure"),
        ],
        widget=GovRadioInput(),
    )
    direction = RadioField(
        "Which way is better",
        choices=_choices(DIRECTIONS.items()),
        validate_choice=False,
        validators=[
            InputRequired("Choose whether higher or lower is better"),
            AnyOf(list(DIRECTIONS), message="Choose whether higher or lower is better"),
        ],
        widget=GovRadioInput(),
    )
    source = RadioField(
        "Where the figure comes from",
        choices=_choices(LOCAL_SOURCES.items()),
        validate_choice=False,
        validators=[
            InputRequired("Choose where the figure comes from"),
            AnyOf(list(LOCAL_SOURCES), message="Choose where the figure comes from"),
        ],
        widget=GovRadioInput(),
    )
    field = SelectField(
        "Return figure (for a figure from the return)",
        widget=GovSelect(),
        validate_choice=False,
    )
    unit = SelectField(
        "Unit of the return figure",
        choices=_choices([("", "Choose a unit"), *FIGURE_UNITS.items()]),
        widget=GovSelect(),
        validate_choice=False,
    )
    numerator = SelectField(
        "Figure to take as a share (for a share of another figure)",
        widget=GovSelect(),
        validate_choice=False,
    )
    denominator = SelectField(
        "Figure it is a share of",
        widget=GovSelect(),
        validate_choice=False,
    )
    scale = SelectField(
        "Wellbeing scale (for a scale's mean or meaningful improvement)",
        widget=GovSelect(),
        validate_choice=False,
    )
    area = SelectField(
        "Outcomes-wheel area (for distance travelled)",
        widget=GovSelect(),
        validate_choice=False,
    )
    question = SelectField(
        "Questionnaire question (for answering positively)",
        widget=GovSelect(),
        validate_choice=False,
    )
    characteristic = SelectField(
        "Quality characteristic (for young inspectors' ratings)",
        widget=GovSelect(),
        validate_choice=False,
    )
    positive = SelectMultipleField(
        "Answers or ratings that count as positive",
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    submit = SubmitField("Add measure", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    submit = SubmitField("Remove measure", widget=GovSubmitInput())
