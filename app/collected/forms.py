"""The first page of an entry: which language the paper was in, that the young person
agreed, their age group where the campaign asks, and their code if they wrote it down."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.age_bands import ALL_BANDS
from app.models.codes import looks_like_code


class StartEntryForm(FlaskForm):
    language = SelectField(
        "Language the young person answered in",
        validators=[InputRequired("Select the language the young person answered in")],
        widget=GovSelect(),
    )
    agreed = BooleanField(
        "The young person agreed to take part, as the paper form or conversation asked them",
        validators=[InputRequired("Confirm that the young person agreed to take part")],
        widget=GovCheckboxInput(),
    )
    age_band = RadioField(
        "Their age group",
        choices=[SelectChoice(band.key, band.label) for band in ALL_BANDS],
        validators=[Optional()],
        widget=GovRadioInput(),
    )
    code = StringField(
        "Their code, if they wrote it down (optional)",
        description="8 letters and numbers, like ABCD-2345. It links these answers to their "
        "earlier ones. Leave it empty if they have no code.",
        validators=[Optional(), Length(max=32, message="Check the code: it has 8 characters")],
        widget=GovTextInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, languages: list[tuple[str, str]], asks_age_band: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice("", "Choose a language"),
            *(SelectChoice(code, name) for code, name in languages),
        ]
        self.asks_age_band = asks_age_band
        if not asks_age_band:
            del self.age_band

    def validate_language(self, field):
        if field.data not in {choice.value for choice in self.language.choices if choice.value}:
            raise ValidationError("Select the language the young person answered in")

    def validate_code(self, field):
        if field.data and field.data.strip() and not looks_like_code(field.data):
            raise ValidationError("Check the code: it has 8 letters and numbers, like ABCD-2345")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.asks_age_band and not self.age_band.data:
            self.age_band.errors = [*self.age_band.errors, "Select their age group"]
            return False
        return valid


class SubmitEntryForm(FlaskForm):
    submit = SubmitField("Save these answers", widget=GovSubmitInput())
