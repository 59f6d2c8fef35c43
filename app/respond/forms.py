"""Forms of the journey itself (the instrument's own questions are built from its data)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.models.codes import looks_like_code


class ConsentForm(FlaskForm):
    consent = RadioField(
        _l("Are you happy to answer these questions?"),
        choices=[
            SelectChoice("yes", _l("Yes, I am happy to take part")),
            SelectChoice("no", _l("No, not now")),
        ],
        validators=[InputRequired(_l("Select yes if you are happy to take part"))],
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class CodeForm(FlaskForm):
    has_code = RadioField(
        _l("Do you have a code from last time?"),
        choices=[
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No, or I have not done this before")),
        ],
        validators=[InputRequired(_l("Select yes if you have a code from last time"))],
        widget=GovRadioInput(),
    )
    code = StringField(
        _l("Your code"),
        validators=[Optional(), Length(max=32, message=_l("Check your code: it has 8 characters"))],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

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
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def validate_resume_code(self, field):
        if not looks_like_code(field.data or ""):
            raise ValidationError(
                _l("Check your resume code: it has 8 letters and numbers, like ABCD-2345")
            )


class SubmitAnswersForm(FlaskForm):
    submit = SubmitField(_l("Send my answers"), widget=GovSubmitInput())


class ContactRequestForm(FlaskForm):
    contact_method = RadioField(
        _l("How should we contact you?"),
        choices=[
            SelectChoice("phone", _l("Phone call")),
            SelectChoice("text", _l("Text message")),
            SelectChoice("email", _l("Email")),
            SelectChoice("worker", _l("Through my key worker or the service")),
        ],
        validators=[InputRequired(_l("Select how we should contact you"))],
        widget=GovRadioInput(),
    )
    contact_detail = StringField(
        _l("Phone number or email address"),
        validators=[Length(max=200, message=_l("This must be 200 characters or fewer"))],
        widget=GovTextInput(),
    )
    message = TextAreaField(
        _l("Anything you want to tell us (optional)"),
        validators=[Length(max=2000, message=_l("Your message must be 2,000 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Ask someone to contact me"), widget=GovSubmitInput())

    def validate_contact_detail(self, field):
        needs_detail = self.contact_method.data in {"phone", "text", "email"}
        if needs_detail and not (field.data or "").strip():
            raise ValidationError(_l("Enter a phone number or email address so we can reach you"))
