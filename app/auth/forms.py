from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from app.accounts.passwords import weakness

MIN_PASSWORD_LENGTH = 12


class SignInForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        validators=[InputRequired(_l("Enter your email address")), Length(max=254)],
        widget=GovTextInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password")), Length(max=200)],
        widget=GovPasswordInput(),
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(_l("Enter a password")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Your password must be at least 12 characters"),
            ),
        ],
        description=_l("At least 12 characters. Three random words make a strong password."),
        widget=GovPasswordInput(),
    )
    confirm = PasswordField(
        _l("Enter the password again"),
        validators=[
            InputRequired(_l("Enter the password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
        widget=GovPasswordInput(),
    )
    submit = SubmitField(_l("Set password"), widget=GovSubmitInput())

    def __init__(self, *args, about_the_person: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # The person's name and email: a password made of them is easy to guess.
        self.about_the_person = about_the_person

    def validate_password(self, field):
        if field.errors or not field.data:
            return  # too short already said; one thing to fix at a time
        problem = weakness(field.data, self.about_the_person)
        if problem:
            raise ValidationError(problem)


# Staff pages are in English only, so these words are not for translation.
class ForgottenPasswordForm(FlaskForm):
    email = StringField(
        "Email address",
        validators=[
            InputRequired("Enter your email address"),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
        ],
        description="The address you sign in with.",
        widget=GovTextInput(),
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())
