"""Forms for the safeguarding pages; error messages say what to do."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

# The alert page has one form at a time (acknowledge, or record what was done), so nothing
# typed on it can be lost to another form. Each button has its own name, and so its own id.


class AcknowledgeForm(FlaskForm):
    acknowledge = SubmitField("Acknowledge: I am dealing with this", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """What was done, recorded; or, with "Close the alert", recorded if written and then on
    to the outcome."""

    text = TextAreaField(
        "What was done",
        validators=[Length(max=4000, message="What was done must be 4,000 characters or fewer")],
        description="For example, who you called and what was agreed.",
        widget=GovTextArea(),
    )
    record = SubmitField("Record action", widget=GovSubmitInput())
    close_alert = SubmitField("Close the alert", widget=GovSubmitInput())

    def validate_text(self, field):
        if self.record.data and not (field.data or "").strip():
            raise ValidationError("Enter what was done")


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(
        "Outcome",
        validators=[
            InputRequired("Enter the outcome before you close the alert"),
            Length(max=4000, message="The outcome must be 4,000 characters or fewer"),
        ],
        description="Why the alert can close: referred on, resolved, no further action.",
        widget=GovTextArea(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_outcome(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter the outcome before you close the alert")


class CloseForm(FlaskForm):
    close_alert = SubmitField("Close alert", widget=GovSubmitInput())


class RaiseForm(FlaskForm):
    urgency = RadioField(
        "How urgent is it?",
        choices=[
            SelectChoice("urgent", "Urgent: someone may be at risk of harm now"),
            SelectChoice("high", "High: needs a lead today"),
            SelectChoice("normal", "Normal: needs a lead, not today"),
        ],
        validators=[InputRequired("Select how urgent it is")],
        widget=GovRadioInput(),
    )
    message = TextAreaField(
        "What is the concern?",
        validators=[
            InputRequired("Enter what the concern is"),
            Length(max=4000, message="The concern must be 4,000 characters or fewer"),
        ],
        description=(
            "What you saw or were told, when and where, and the young person's code if "
            "you know it. Do not write names."
        ),
        widget=GovTextArea(),
    )
    submit = SubmitField("Send to the safeguarding leads", widget=GovSubmitInput())
