"""The forms of the results publishing pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovTextArea,
)
from wtforms import BooleanField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput

from app.forms import strip_text
from app.languages import LANGUAGES
from app.publishing.wording import WORDING_MAX


class PeriodForm(FlaskForm):
    """Which period to preview: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    period = SelectField("Period", widget=GovSelect())


class PublishForm(FlaskForm):
    period = SelectField(
        "Period the page is about",
        widget=GovSelect(),
        validators=[DataRequired(message="Choose the period the page is about")],
    )
    poster_languages = SelectMultipleField(
        "Poster languages",
        description="The poster is printed in each language chosen here, one PDF each.",
        choices=[
            SelectChoice(lang.code, f"{lang.english_name} ({lang.name})") for lang in LANGUAGES
        ],
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message="Choose at least one language for the poster")],
    )


class WordingForm(FlaskForm):
    wording = TextAreaField(
        "Public wording for young people",
        description="Plain words a 13-year-old understands. Do not name anyone.",
        filters=[strip_text],
        widget=GovTextArea(),
        validators=[
            Length(
                max=WORDING_MAX,
                message=f"Public wording must be {WORDING_MAX} characters or fewer",
            )
        ],
    )
    public = BooleanField(
        "Show this on the public results page",
        description="It appears on the next page a coordinator publishes.",
        widget=GovCheckboxInput(),
    )

    def validate_public(self, field):
        if field.data and not self.wording.data:
            raise ValidationError("Write the public wording before marking it public")
