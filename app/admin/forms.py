from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput

from app.age_bands import CONSENT_AGES

# Fieldwork pages still import ActionForm and DayMonthYearField from here; app.forms is
# their home.
from app.forms import ActionForm, DayMonthYearField, day_month_year, not_before  # noqa: F401
from app.models import ROLES


class ProviderForm(FlaskForm):
    name = StringField(
        "Name of the provider",
        validators=[InputRequired("Enter the provider's name"), Length(max=200)],
        widget=GovTextInput(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


def _blank_is_none(value):
    return (value or "").strip() or None


class ServiceForm(FlaskForm):
    provider_id = SelectField("Provider", coerce=int, widget=GovSelect())
    name = StringField(
        "Name of the service",
        validators=[InputRequired("Enter the service's name"), Length(max=200)],
        widget=GovTextInput(),
    )
    contract_id = SelectField(
        "Contract",
        coerce=int,
        widget=GovSelect(),
        description="The contract this service is delivered under, if it has one yet.",
    )
    starts_on = day_month_year("Contract start date", "1 4 2026", Optional())
    ends_on = day_month_year("Contract end date", "31 3 2029", Optional())
    monitoring_interval_months = IntegerField(
        "Monitoring period, in months",
        default=3,
        validators=[
            InputRequired("Enter how many months each monitoring period lasts"),
            NumberRange(1, 12, "The monitoring period must be between 1 and 12 months"),
        ],
        widget=GovTextInput(),
        description="Evidence is shown per period: 3 for quarterly, 12 for yearly.",
    )
    help_contact = StringField(
        "Who respondents can contact at this service",
        validators=[Optional(), Length(max=500)],
        widget=GovTextInput(),
        description="Shown on the help page, for example a phone number and opening hours.",
    )
    # Staff only: whom a safeguarding lead calls when a young person asks to be contacted
    # through their key worker or the service.
    contact_name = StringField(
        "Safeguarding contact at this service (optional)",
        filters=[_blank_is_none],
        validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
        widget=GovTextInput(),
        description="Name or role, for example the duty manager. Only staff see this.",
    )
    contact_phone = StringField(
        "Their phone number (optional)",
        filters=[_blank_is_none],
        validators=[Optional(), Length(max=50, message="Enter 50 characters or fewer")],
        widget=GovTextInput(),
    )
    contact_email = EmailField(
        "Their email address (optional)",
        filters=[_blank_is_none],
        validators=[
            Optional(),
            Length(max=254, message="Enter 254 characters or fewer"),
            Email("Enter an email address like name@example.org"),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    validate_ends_on = not_before("starts_on", "The end date must be after the start date")


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ConsentSettingsFields(FlaskForm):
    """Who consents, and the campaign's own part of the privacy notice."""

    asks_age_band = BooleanField(
        "Ask each person their age group before they agree to take part",
        widget=GovCheckboxInput(),
        description="Below the age you choose next, and for anyone who would rather not say, "
        "a parent or carer is asked to agree. Everyone else agrees for themselves, in wording "
        "written for their age.",
    )
    own_consent_age = SelectField(
        "Age from which a young person agrees for themselves",
        coerce=int,
        choices=options((age, str(age)) for age in CONSENT_AGES),
        validate_choice=False,
        widget=GovSelect(),
        description="Only used when age groups are asked. 13 is the age UK data protection law "
        "uses for children agreeing to online services.",
    )
    privacy_notice = TextAreaField(
        "Your part of the privacy notice",
        validators=[
            Optional(),
            Length(max=5000, message="The privacy notice must be 5,000 characters or fewer"),
        ],
        widget=GovTextArea(),
        description="Who holds the answers (your organisation), why you collect them, and who "
        "to contact with a question or a request. Plain paragraphs, with a blank line between "
        "them. Respondents see it as you write it, in English, after the standard part.",
    )

    def validate_own_consent_age(self, field):
        # Not sent at all (an older form): the campaign keeps its age, or takes the setting.
        if field.data is not None and field.data not in CONSENT_AGES:
            raise ValidationError("Choose an age from the list")


class ConsentSettingsForm(ConsentSettingsFields):
    submit = SubmitField("Save", widget=GovSubmitInput())


class UserForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[InputRequired("Enter the person's name"), Length(max=200)],
        widget=GovTextInput(),
    )
    email = EmailField(
        "Email address",
        validators=[
            InputRequired("Enter an email address"),
            Email("Enter an email address in the right format, like name@example.org"),
            Length(max=254),
        ],
        widget=GovTextInput(),
    )
    roles = SelectMultipleField(
        "Roles",
        choices=options(ROLES.items()),
        validators=[InputRequired("Select at least one role")],
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
    )
    provider_id = SelectField(
        "Provider (for provider accounts)",
        coerce=int,
        widget=GovSelect(),
    )
    bodies = SelectMultipleField(
        "Commissioning bodies",
        coerce=int,
        validate_choice=False,
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        description="For commissioners, coordinators and admins: they see only what their "
        "bodies commission.",
    )
    active = BooleanField("Account can sign in", default=True, widget=GovCheckboxInput())
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_provider_id(self, field):
        if "provider" in (self.roles.data or []) and not field.data:
            raise ValidationError("Choose the provider this account belongs to")


class AuditSearchForm(FlaskForm):
    """Filters for the audit log: sent with GET, so the search can be bookmarked."""

    class Meta:
        csrf = False

    action = SelectField("Action", validators=[Optional()], widget=GovSelect())
    actor = StringField(
        "Who",
        validators=[Optional(), Length(max=254, message="Who must be 254 characters or fewer")],
        widget=GovTextInput(),
        description="All or part of an email address, or “system”.",
    )
    date_from = DateField(
        "From",
        validators=[Optional()],
        widget=GovTextInput(),
        description="For example, 2026-11-01",
    )
    date_to = DateField(
        "To",
        validators=[Optional()],
        widget=GovTextInput(),
        description="For example, 2026-11-30",
    )
    submit = SubmitField("Search", widget=GovSubmitInput())


class SubjectAccessForm(FlaskForm):
    code = StringField(
        "Participant code",
        validators=[
            InputRequired("Enter the participant’s code"),
            Length(max=32, message="A participant code has 8 letters and numbers"),
        ],
        widget=GovTextInput(),
        description="8 letters and numbers, like ABCD-2345.",
    )
    submit = SubmitField("Download everything held", widget=GovSubmitInput())
