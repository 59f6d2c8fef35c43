"""The forms of an improvement case's pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
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
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput

from app.forms import DayMonthYearField, strip_text
from app.models.improvement import (
    ACTION_STATUSES,
    CASE_SOURCES,
    ESCALATION_LEVELS,
    OUTCOMES,
    OWNERS,
    PROGRESS,
)

TEXT_LIMIT = 5000


def choice_list(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _text(label, message=None, description=None, required=False):
    validators = [
        Length(max=TEXT_LIMIT, message=f"{label} must be {TEXT_LIMIT:,} characters or fewer")
    ]
    validators.insert(0, DataRequired(message) if required else Optional())
    return TextAreaField(
        label,
        filters=[strip_text],
        validators=validators,
        widget=GovTextArea(),
        description=description,
    )


def _radios(label, choices, message):
    return RadioField(
        label,
        choices=choice_list(choices.items()),
        validate_choice=False,
        validators=[InputRequired(message), AnyOf(list(choices), message=message)],
        widget=GovRadioInput(),
    )


class OpenCaseForm(FlaskForm):
    contract_id = SelectField(
        "Contract",
        coerce=int,
        validate_choice=False,
        widget=GovSelect(),
    )
    measure_id = SelectField(
        "Measure not met (if the case is about one)",
        coerce=int,
        validate_choice=False,
        widget=GovSelect(),
    )
    title = StringField(
        "Name of the case",
        filters=[strip_text],
        validators=[
            DataRequired("Enter a name for the case"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
        description="A few words the provider will recognise, for example "
        "'Waiting times for a first visit'.",
    )
    source = _radios("Where the concern came from", CASE_SOURCES, "Choose where it came from")
    concerns = _text(
        "The concerns",
        "Enter the concerns",
        "What is going wrong. Do not name young people or families.",
        required=True,
    )
    danger = BooleanField(
        "This suggests danger or harm to a young person",
        widget=GovCheckboxInput(),
        description="The safeguarding leads are alerted at once, as well as the case opened.",
    )
    submit = SubmitField("Open the case", widget=GovSubmitInput())

    def validate_contract_id(self, field):
        if not field.data or field.data not in {c.value for c in field.choices}:
            raise ValidationError("Choose a contract from the list")

    def validate_measure_id(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError("Choose a measure from the list, or none")


class ConcernsForm(FlaskForm):
    concerns = _text("The concerns", "Enter the concerns", required=True)
    evidence = _text(
        "The evidence behind them",
        description="Figures, reports and returns, with their links or references.",
    )
    submit = SubmitField("Save and return to the case", widget=GovSubmitInput())


class WhyForm(FlaskForm):
    why = _text(
        "Why improvement is needed",
        "Enter why improvement is needed",
        "Written for the provider to read: plain words, what must change and why.",
        required=True,
    )
    submit = SubmitField("Save and return to the case", widget=GovSubmitInput())


class ReasonsForm(FlaskForm):
    reasons = _text("Your reasons", "Enter the reasons as you see them", required=True)
    submit = SubmitField("Save and return to the case", widget=GovSubmitInput())


class OptionForm(FlaskForm):
    title = StringField(
        "The option",
        filters=[strip_text],
        validators=[
            DataRequired("Enter the option"),
            Length(max=200, message="The option must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    benefits = _text("Its benefits", "Enter the option's benefits", required=True)
    risks = _text("Its risks", "Enter the option's risks", required=True)
    submit = SubmitField("Add the option", widget=GovSubmitInput())


class AgreedForm(FlaskForm):
    agreed_option = _text(
        "The agreed option",
        "Enter the option both sides agreed",
        "Which option, and why it was chosen.",
        required=True,
    )
    submit = SubmitField("Save and return to the case", widget=GovSubmitInput())


class CriteriaForm(FlaskForm):
    measures = SelectMultipleField(
        "Contract measures the case is judged by",
        coerce=int,
        validate_choice=False,
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
    )
    criteria = _text(
        "Criteria for success",
        description="What will show the improvement, including any new measure, for "
        "example 'four in five families seen within 21 days for two quarters running'.",
    )
    submit = SubmitField("Save and return to the case", widget=GovSubmitInput())

    def validate_criteria(self, field):
        if not field.data and not self.measures.data:
            raise ValidationError("Choose a measure or enter the criteria for success")

    def validate_measures(self, field):
        known = {choice.value for choice in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError("Choose measures from the list")


class MonitoringForm(FlaskForm):
    weeks = IntegerField(
        "Weeks between reviews",
        validators=[
            InputRequired("Enter how many weeks between reviews"),
            NumberRange(1, 52, "The weeks between reviews must be between 1 and 52"),
        ],
        widget=GovTextInput(),
    )
    next_review_on = DayMonthYearField(
        "Date of the next review",
        validators=[InputRequired("Enter the date of the next review")],
        description="For example, 30 6 2027",
    )
    submit = SubmitField("Save and return to the case", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = _text("The action", "Enter the action", required=True)
    plan = _text("How it will be done", description="What the owner will do.")
    owner = _radios("Who owns it", OWNERS, "Choose who owns the action")
    partner_name = StringField(
        "Name of the partner",
        filters=[strip_text],
        validators=[
            Optional(),
            Length(max=100, message="The name must be 100 characters or fewer"),
        ],
        widget=GovTextInput(),
        description="For example, the health visiting team or the school.",
    )
    due_on = DayMonthYearField(
        "Due date",
        validators=[InputRequired("Enter the due date")],
        description="For example, 30 6 2027",
    )
    criterion = _text(
        "The success criterion it serves", "Enter the success criterion it serves", required=True
    )
    submit = SubmitField("Save the action", widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.owner.data == "partner" and not self.partner_name.data:
            self.partner_name.errors = [*self.partner_name.errors, "Enter the partner's name"]
            return False
        return valid


class StatusForm(FlaskForm):
    status = _radios("Status", ACTION_STATUSES, "Choose a status")
    submit = SubmitField("Save the status", widget=GovSubmitInput())


class ReviseForm(FlaskForm):
    reason = _text("Why the plan is being revised", "Enter why the plan is revised", required=True)
    submit = SubmitField("Revise the plan", widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    held_on = DayMonthYearField(
        "Date of the meeting",
        validators=[InputRequired("Enter the date of the meeting")],
        description="For example, 30 6 2027",
    )
    agenda = _text("Agenda", "Enter the agenda", "Drafted from the evidence.", required=True)
    attendees = _text("Who came", "Enter who came", "Names and organisations.", required=True)
    notes = _text("Notes")
    decisions = _text("Decisions")
    progress = _radios("Progress against the criteria", PROGRESS, "Choose how much progress")
    evaluation = _text(
        "Evaluation of progress against the criteria",
        "Enter the evaluation of progress",
        required=True,
    )
    submit = SubmitField("Record the meeting", widget=GovSubmitInput())


class EscalationForm(FlaskForm):
    level = _radios("Step of the escalation ladder", ESCALATION_LEVELS, "Choose a step")
    taken_on = DayMonthYearField(
        "Date of the step",
        validators=[InputRequired("Enter the date of the step")],
        description="For example, 30 6 2027",
    )
    note = _text("What was said or sent", "Enter what was said or sent", required=True)
    submit = SubmitField("Record the step", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = _radios("Outcome", OUTCOMES, "Choose the outcome")
    worked = _text("What worked", "Enter what worked", required=True)
    differently = _text(
        "What we would do differently", "Enter what you would do differently", required=True
    )
    submit = SubmitField("Close the case", widget=GovSubmitInput())
