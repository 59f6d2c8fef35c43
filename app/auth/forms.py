from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

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
