"""Forms for scheduling, moderating and superseding visits. A panel member's rating pages are
built from the framework's data instead (`app.instruments.build_page_form`); the rules
behind the checks across fields are in `app.inspections`."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, RadioInput

from app.forms import DayMonthYearField, strip_text
from app.inspections.frameworks import characteristic_text, rating_choices
from app.inspections.visits import channel_problem, kind_problem
from app.instruments.model import Instrument
from app.models.fieldwork import VISIT_CHANNELS, VISIT_KINDS

NOTE_LIMIT = 1000
TEXT_LIMIT = 2000


def _values(field) -> list[str]:
    # Choices may be SelectChoice objects or (value, label) pairs.
    return [
        str(choice.value if isinstance(choice, SelectChoice) else choice[0])
        for choice in field.choices
    ]


class OneOfTheChoices:
    """Refuse a value the page did not offer (a tampered form), with a message for people."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        chosen = field.data if isinstance(field.data, list) else [field.data]
        allowed = _values(field)
        if any(str(value) not in allowed for value in chosen):
            raise ValidationError(self.message)


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _max(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class VisitForm(FlaskForm):
    service_id = SelectField(
        "Service",
        validate_choice=False,
        validators=[
            InputRequired("Select the service to visit"),
            OneOfTheChoices("Select one of the services listed"),
        ],
        widget=GovSelect(),
    )
    kind = RadioField(
        "Kind of visit",
        choices=_choices(VISIT_KINDS.items()),
        validate_choice=False,
        validators=[
            InputRequired("Select a known visit or a mystery shop"),
            OneOfTheChoices("Select a known visit or a mystery shop"),
        ],
        description="In a known visit the service expects the panel; in a mystery shop it does "
        "not know it is being assessed.",
        widget=GovRadioInput(),
        option_widget=RadioInput(),
    )
    channel = RadioField(
        "How the panel will reach the service",
        choices=_choices(VISIT_CHANNELS.items()),
        validate_choice=False,
        validators=[
            InputRequired("Select how the panel will reach the service"),
            OneOfTheChoices("Select how the panel will reach the service"),
        ],
        widget=GovRadioInput(),
        option_widget=RadioInput(),
    )
    framework = SelectField(
        "Framework or scenario to rate against",
        validate_choice=False,
        validators=[
            InputRequired("Select the framework the panel will rate against"),
            OneOfTheChoices("Select one of the frameworks listed"),
        ],
        widget=GovSelect(),
    )
    visit_on = DayMonthYearField(
        "Date of the visit",
        validators=[InputRequired("Enter the date of the visit")],
        description="For example, 27 3 2027",
        widget=GovDateInput(),
    )
    scenario = TextAreaField(
        "Scenario (optional)",
        filters=[strip_text],
        validators=[Optional(), _max(TEXT_LIMIT, "The scenario")],
        description="What the panel will do or ask, and any made-up details they will use. "
        "Never real names or details.",
        widget=GovTextArea(),
    )
    panel = SelectMultipleField(
        "Panel members",
        validate_choice=False,
        validators=[
            InputRequired("Select at least one panel member"),
            OneOfTheChoices("Select panel members from the list"),
        ],
        description="Peer researchers who will rate this visit. Each rates on their own, "
        "without seeing the others' ratings until they submit.",
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField("Schedule visit", widget=GovSubmitInput())

    def __init__(self, *args, frameworks: dict[str, Instrument], **kwargs):
        super().__init__(*args, **kwargs)
        # The loaded framework instruments, by "id@version", for the checks across fields.
        self.frameworks = frameworks
        self.framework.choices = _choices(
            (key, f"{instrument.title('en')} (version {instrument.version})")
            for key, instrument in frameworks.items()
        )

    def validate_visit_on(self, field):
        if field.data and not date(2000, 1, 1) <= field.data <= date(2100, 12, 31):
            raise ValidationError("Enter a date between the years 2000 and 2100")

    def validate_channel(self, field):
        problem = channel_problem(self.frameworks.get(self.framework.data or ""), field.data)
        if problem:
            raise ValidationError(problem)

    def validate_kind(self, field):
        problem = kind_problem(self.frameworks.get(self.framework.data or ""), field.data)
        if problem:
            raise ValidationError(problem)


class VisitEditForm(FlaskForm):
    """The date, scenario and panel of a scheduled visit; the same fields and checks."""

    visit_on = VisitForm.visit_on
    scenario = VisitForm.scenario
    panel = VisitForm.panel
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    validate_visit_on = VisitForm.validate_visit_on


class SupersedeForm(FlaskForm):
    reason = TextAreaField(
        "Why does this report need a new version?",
        filters=[strip_text],
        validators=[
            DataRequired("Enter the reason for superseding this report"),
            _max(TEXT_LIMIT, "The reason"),
        ],
        description="The reason is shown on the old report, which stays readable.",
        widget=GovTextArea(),
    )
    submit = SubmitField("Supersede this report", widget=GovSubmitInput())


def _recommendation_needed(form, field):
    if form.add_recommendation.data and not field.data:
        raise ValidationError("Enter the recommendation")


def moderation_form_class(instrument: Instrument):
    """A form with the agreed rating and a note for each characteristic, and a summary.

    Fields are `rating_<characteristic>` and `note_<characteristic>`. A rating may be left
    blank while moderation is in progress; finalising needs them all.
    """
    framework = instrument.framework
    fields: dict[str, object] = {}
    for characteristic in framework.characteristics:
        text = characteristic_text(instrument, characteristic)
        choices = _choices(rating_choices(instrument, characteristic))
        fields[f"rating_{characteristic}"] = RadioField(
            f"Moderated rating: {text}",
            choices=choices,
            validate_choice=False,
            validators=[Optional(), OneOfTheChoices(f"Select one of the ratings for: {text}")],
            widget=GovRadioInput(),
            option_widget=RadioInput(),
        )
        fields[f"note_{characteristic}"] = TextAreaField(
            f"Why this rating (optional): {text}",
            filters=[strip_text],
            validators=[Optional(), _max(NOTE_LIMIT, f"The note for “{text}”")],
            widget=GovTextArea(),
        )
    fields["summary"] = TextAreaField(
        "Summary of the report (optional)",
        filters=[strip_text],
        validators=[Optional(), _max(TEXT_LIMIT * 2, "The summary")],
        description="What the provider and commissioner read first.",
        widget=GovTextArea(),
    )
    # A new recommendation goes with the rest of the moderation, in the same form, so
    # adding one never throws away ratings, notes or a summary not yet saved.
    fields["recommendation"] = TextAreaField(
        "Recommendation",
        filters=[strip_text],
        # No Optional(): it would stop the check that "Add recommendation" has words to add.
        validators=[_max(TEXT_LIMIT, "The recommendation")],
        description="What the service should do. The provider will reply with what they "
        "will do, and by when.",
        widget=GovTextArea(),
    )
    fields["validate_recommendation"] = _recommendation_needed
    fields["add_recommendation"] = SubmitField("Add recommendation", widget=GovSubmitInput())
    # The "Remove" button of each recommendation sends its id under this name.
    fields["remove_recommendation"] = IntegerField(validators=[Optional()])
    fields["submit"] = SubmitField("Save moderation", widget=GovSubmitInput())
    form_class = type("ModerationForm", (FlaskForm,), fields)
    form_class.characteristics = framework.characteristics
    return form_class
