"""Forms of the journey itself (the instrument's own questions are built from its data)."""

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from app.age_bands import NOT_SAID
from app.models.codes import looks_like_code
from app.widgets import RadioInput, SubmitInput, TextArea, TextInput


class MaxCharacters:
    """Refuse text over `limit` characters, giving the limit as the respondent's language
    writes numbers (2,000, 2000 or 2 000)."""

    def __init__(self, limit: int, message):
        self.limit = limit
        self.message = message

    def __call__(self, form, field):
        if len(field.data or "") > self.limit:
            raise ValidationError(str(self.message) % {"max": format_decimal(self.limit)})


def _radios(label, choices: list[SelectChoice], message, widget=None) -> RadioField:
    """Radios whose every refusal (nothing chosen, or a value not offered) says `message`:
    WTForms' own "Not a valid choice" would be in English whatever the page's language."""
    return RadioField(
        label,
        choices=choices,
        validate_choice=False,
        validators=[InputRequired(message), AnyOf([c.value for c in choices], message=message)],
        widget=widget or RadioInput(),
    )


class RadioInputWithDivider(RadioInput):
    """Radios with GOV.UK's "or" divider before the last choice, an answer that opts out."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        items = params["items"]
        if len(items) > 1:
            # Translators: between the age groups and "I would rather not say".
            items.insert(len(items) - 1, {"divider": gettext("or")})
        return params


class AgeBandForm(FlaskForm):
    # The keys are stored on responses (app.age_bands); the words are only shown.
    age_band = _radios(
        _l("How old are you?"),
        [
            SelectChoice("under_11", _l("Under 11")),
            SelectChoice("11_12", _l("11 to 12")),
            SelectChoice("13_15", _l("13 to 15")),
            SelectChoice("16_17", _l("16 to 17")),
            SelectChoice("18_24", _l("18 to 24")),
            SelectChoice("25_plus", _l("25 or over")),
            SelectChoice(NOT_SAID.key, _l("I would rather not say")),
        ],
        _l("Select how old you are, or that you would rather not say"),
        widget=RadioInputWithDivider(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class NoticeVersionField(HiddenField):
    """The version of the privacy notice the page linked to, sent back with the answer."""

    def version(self, current: int) -> int:
        """The version shown, if it is one there has been; otherwise the current one."""
        try:
            shown = int(self.data or "")
        except ValueError:
            return current
        return shown if 1 <= shown <= current else current


class ConsentForm(FlaskForm):
    consent = _radios(
        _l("Are you happy to answer these questions?"),
        [
            SelectChoice("yes", _l("Yes, I am happy to take part")),
            SelectChoice("no", _l("No, not now")),
        ],
        _l("Select yes if you are happy to take part"),
    )
    notice_version = NoticeVersionField()
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class ParentConsentForm(FlaskForm):
    """Answered by the parent or carer, on a page written to them."""

    consent = _radios(
        _l("Are you their parent or carer, and do you agree to them taking part?"),
        [
            SelectChoice("yes", _l("Yes, I am their parent or carer and I agree")),
            SelectChoice("no", _l("No, or there is no parent or carer here")),
        ],
        _l("Select yes if you are their parent or carer and you agree"),
    )
    notice_version = NoticeVersionField()
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class CodeForm(FlaskForm):
    has_code = _radios(
        _l("Do you have a code from last time?"),
        [
            # Translators: the answers to "Do you have a code from last time?"
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No, or I have not done this before")),
        ],
        _l("Select yes if you have a code from last time"),
    )
    code = StringField(
        _l("Your code"),
        validators=[Optional(), Length(max=32, message=_l("Check your code: it has 8 characters"))],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitInput())

    def validate_code(self, field):
        if self.has_code.data != "yes":
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Enter your code, or choose No"))
        if not looks_like_code(field.data):
            raise ValidationError(
                _l("Check your code: it has 8 letters and numbers, like ABCD-2345")
            )


class ResumeForm(FlaskForm):
    resume_code = StringField(
        _l("Your resume code"),
        validators=[InputRequired(_l("Enter the resume code you were given"))],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitInput())

    def validate_resume_code(self, field):
        if not looks_like_code(field.data or ""):
            raise ValidationError(
                _l("Check your resume code: it has 8 letters and numbers, like ABCD-2345")
            )


class SubmitAnswersForm(FlaskForm):
    submit = SubmitField(_l("Send my answers"), widget=SubmitInput())


class ContactRequestForm(FlaskForm):
    contact_method = _radios(
        _l("How should we contact you?"),
        [
            SelectChoice("phone", _l("Phone call")),
            SelectChoice("text", _l("Text message")),
            SelectChoice("email", _l("Email")),
            SelectChoice("worker", _l("Through my key worker or the service")),
        ],
        _l("Select how we should contact you"),
    )
    contact_detail = StringField(
        _l("Phone number or email address"),
        validators=[
            MaxCharacters(
                200, _l("Your phone number or email address must be %(max)s characters or fewer")
            )
        ],
        widget=TextInput(),
    )
    safe_to_message = _radios(
        _l("Is it safe for us to call you or leave a message?"),
        [
            SelectChoice("yes", _l("Yes, you can call me and leave a message")),
            SelectChoice("no_message", _l("You can contact me, but do not leave a message")),
            SelectChoice("not_sure", _l("I am not sure")),
        ],
        _l("Select whether it is safe to call you or leave a message"),
    )
    best_time = StringField(
        _l("When is the best time to contact you? (optional)"),
        validators=[MaxCharacters(200, _l("The best time must be %(max)s characters or fewer"))],
        widget=TextInput(),
    )
    message = TextAreaField(
        _l("Anything you want to tell us (optional)"),
        validators=[MaxCharacters(2000, _l("Your message must be %(max)s characters or fewer"))],
        widget=TextArea(),
    )
    submit = SubmitField(_l("Ask someone to contact me"), widget=SubmitInput())

    def validate_contact_detail(self, field):
        needs_detail = self.contact_method.data in {"phone", "text", "email"}
        if needs_detail and not (field.data or "").strip():
            raise ValidationError(_l("Enter a phone number or email address so we can reach you"))


class MyAnswersCodeForm(FlaskForm):
    code = StringField(
        _l("Your code"),
        validators=[InputRequired(_l("Enter your code"))],
        widget=TextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitInput())

    def validate_code(self, field):
        if not looks_like_code(field.data or ""):
            raise ValidationError(
                _l("Check your code: it has 8 letters and numbers, like ABCD-2345")
            )


class FinishMyAnswersForm(FlaskForm):
    submit = SubmitField(_l("I have finished"), widget=SubmitInput())


class DeleteMyAnswersForm(FlaskForm):
    submit = SubmitField(_l("Delete my answers"), widget=SubmitInput())
