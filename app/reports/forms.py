"""A provider's reply to a recommendation: what they will do, and by when."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.forms import DayMonthYearField, strip_text
from app.inspections.replies import due_date_problem

TEXT_LIMIT = 2000


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        "What we will do",
        filters=[strip_text],
        validators=[
            DataRequired("Enter what you will do"),
            Length(
                max=TEXT_LIMIT, message=f"Your reply must be {TEXT_LIMIT:,} characters or fewer"
            ),
        ],
        widget=GovTextArea(),
    )
    due_on = DayMonthYearField(
        "By when",
        validators=[InputRequired("Enter the date you will do it by")],
        description="For example, 30 6 2027",
        widget=GovDateInput(),
    )
    submit = SubmitField("Send reply", widget=GovSubmitInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_due_on(self, field):
        problem = due_date_problem(field.data, self.today)
        if problem:
            raise ValidationError(problem)
