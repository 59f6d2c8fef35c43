"""The questionnaire editor's forms. Every field is text (numbers too), so whatever a person
typed comes back on the page with a message saying what to change, and the draft
(app.coproduce.questionnaire_model) is the one place the editor's state is held."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from app.coproduce.questionnaire_model import KINDS


class NewQuestionnaireForm(FlaskForm):
    start = RadioField(
        "What to start from",
        choices=[SelectChoice("", "A blank questionnaire")],
        default="",
        validate_choice=False,
        widget=GovRadioInput(),
    )
    title = StringField(
        "Title",
        validators=[InputRequired("Enter the questionnaire's title"), Length(max=200)],
        description="What young people see at the top, for example “Tell us what you think”.",
        widget=GovTextInput(),
    )
    instrument_id = StringField(
        "Short name for the platform (optional)",
        validators=[Length(max=63)],
        description="Lower-case letters, digits and hyphens, like riverside-feedback. Left "
        "blank, it is made from the title.",
        widget=GovTextInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class QuestionForm(Form):
    item_id = StringField(
        "Short name (optional)",
        validators=[Length(max=63)],
        description="Lower-case letters, digits and _. Made from the question when blank.",
        widget=GovTextInput(),
    )
    text = TextAreaField(
        "Question", validators=[Length(max=1000)], widget=GovTextArea(), default=""
    )
    hint = StringField(
        "Hint (optional)",
        validators=[Length(max=500)],
        description="Shown under the question, like “Choose up to 3”.",
        widget=GovTextInput(),
    )
    kind = SelectField(
        "Kind of answer",
        choices=[SelectChoice(value, label) for value, label in KINDS],
        widget=GovSelect(),
    )
    required = BooleanField("An answer is needed to go on", widget=GovCheckboxInput())
    page = SelectField("On page", widget=GovSelect(), validate_choice=False)
    options = TextAreaField(
        "Options (lists only)",
        validators=[Length(max=5000)],
        description="One on each line, in the order shown.",
        widget=GovTextArea(),
    )
    max_choices = StringField(
        "Most answers someone may choose (more than one answer only, optional)",
        validators=[Length(max=6)],
        widget=GovTextInput(),
    )
    min = StringField(
        "Lowest point (scales only)", validators=[Length(max=6)], widget=GovTextInput()
    )
    max = StringField(
        "Highest point (scales only)", validators=[Length(max=6)], widget=GovTextInput()
    )
    point_labels = TextAreaField(
        "Labels for some points (scales only, optional)",
        validators=[Length(max=2000)],
        description="One on each line: the point, a colon and the label, like 1: really bad",
        widget=GovTextArea(),
    )
    max_length = StringField(
        "Most letters in an answer (written answers only, optional)",
        validators=[Length(max=6)],
        widget=GovTextInput(),
    )
    concerns = TextAreaField(
        "Answers that raise a safeguarding concern (optional)",
        validators=[Length(max=2000)],
        description="One on each line, written as the option is, like No. Whoever answers "
        "so is offered help and the safeguarding lead is told.",
        widget=GovTextArea(),
    )
    option_set = HiddenField()
    known_values = HiddenField()


class RuleForm(Form):
    page = HiddenField()
    item = SelectField("Skip this page if the answer to", widget=GovSelect(), validate_choice=False)
    answer = StringField(
        "was",
        validators=[Length(max=200)],
        description="Written as the option is, like No.",
        widget=GovTextInput(),
    )


class QuestionnaireForm(FlaskForm):
    title = StringField("Title", validators=[Length(max=200)], widget=GovTextInput())
    description = StringField(
        "Description (optional)",
        validators=[Length(max=500)],
        description="One line saying what it is about, shown where it is listed.",
        widget=GovTextInput(),
    )
    prompt = TextAreaField(
        "What young people read first (optional)",
        validators=[Length(max=2000)],
        widget=GovTextArea(),
    )
    estimated_minutes = StringField(
        "Minutes it takes", validators=[Length(max=6)], widget=GovTextInput()
    )
    ages_min = StringField(
        "Youngest age it is written for (optional)",
        validators=[Length(max=6)],
        widget=GovTextInput(),
    )
    co_written = StringField(
        "Who wrote it with you (optional)",
        validators=[Length(max=300)],
        description="For example, “Written with young people from Riverside Youth Club, "
        "March 2027”. No names unless they want them.",
        widget=GovTextInput(),
    )
    start = HiddenField()
    questions = FieldList(FormField(QuestionForm), min_entries=0, max_entries=100)
    rules = FieldList(FormField(RuleForm), min_entries=0, max_entries=100)


def form_from_draft(draft: dict) -> QuestionnaireForm:
    """A form showing the draft (not read from the request)."""
    form = QuestionnaireForm(formdata=None, data=_public(draft))
    set_choices(form, draft)
    return form


def draft_from_form(form: QuestionnaireForm) -> dict:
    """The draft the request's fields describe; a field left out of the request is blank."""
    data = form.data
    data.pop("csrf_token", None)
    for key in ("title", "description", "prompt", "estimated_minutes", "ages_min", "co_written"):
        data[key] = data[key] or ""
    data["start"] = data["start"] or ""
    for question in data["questions"]:
        for key, value in question.items():
            if value is None:
                question[key] = ""
    for rule in data["rules"]:
        for key, value in rule.items():
            if value is None:
                rule[key] = ""
    return data


def set_choices(form: QuestionnaireForm, draft: dict) -> None:
    pages = max([q["page"] for q in draft["questions"]] or [1])
    page_choices = [SelectChoice(str(n), f"Page {n}") for n in range(1, pages + 1)]
    page_choices.append(SelectChoice(str(pages + 1), f"A new page {pages + 1}"))
    for entry in form.questions:
        entry.form.page.choices = page_choices
    for entry, rule in zip(form.rules, draft["rules"], strict=False):
        earlier = [
            SelectChoice(q["item_id"], f"Question {n}: {_short(q['text']) or q['item_id']}")
            for n, q in enumerate(draft["questions"], start=1)
            if q["page"] < rule["page"] and q["item_id"]
        ]
        entry.form.item.choices = [SelectChoice("", "No rule: always show this page"), *earlier]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _public(draft: dict) -> dict:
    """The draft without the working keys the writer adds (`_answers`, `_option_set`)."""
    copy = dict(draft)
    copy["questions"] = [
        {k: (str(v) if k == "page" else v) for k, v in q.items() if not k.startswith("_")}
        for q in draft["questions"]
    ]
    copy["rules"] = [{**r, "page": str(r["page"])} for r in draft["rules"]]
    return copy
