"""Forms for the safeguarding pages; error messages say what to do."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

# Three forms share the alert page, so each button has its own name (and so its own id).


class AcknowledgeForm(FlaskForm):
    acknowledge = SubmitField("Acknowledge: I am dealing with this", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    text = TextAreaField(
        "What was done",
        validators=[
            InputRequired("Enter what was done"),
            Length(max=4000, message="What was done must be 4,000 characters or fewer"),
        ],
        description="For example, who you called and what was agreed.",
        widget=GovTextArea(),
    )
    record = SubmitField("Record action", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = TextAreaField(
        "Outcome",
        validators=[
            InputRequired("Enter the outcome before closing the alert"),
            Length(max=4000, message="The outcome must be 4,000 characters or fewer"),
        ],
        description="Why the alert can close: referred on, resolved, no further action.",
        widget=GovTextArea(),
    )
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
