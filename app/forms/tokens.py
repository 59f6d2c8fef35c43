"""The form that names a new API token: on a person's own tokens page and on an admin's
view of someone's tokens."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms.fields import strip_text

NAME_LENGTH = 100


class ApiTokenForm(FlaskForm):
    name = StringField(
        "Name of the token",
        description="What it is for, so you can tell your tokens apart: for example, "
        "Power BI contract dashboard.",
        filters=[strip_text],
        validators=[
            DataRequired("Enter a name for the token, for example the report that will use it"),
            Length(max=NAME_LENGTH, message=f"The name must be {NAME_LENGTH} characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField("Make a token", widget=GovSubmitInput())
