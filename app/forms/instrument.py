"""Turn one page of any instrument into a FlaskForm, from its data alone.

`FIELD_BUILDERS` maps each item kind to the function that builds its field (the pattern of
the ONS questionnaire runner), so a new instrument needs only a YAML file; a new item kind
needs a name in `app.instruments.model.ITEM_KINDS`, a builder here and a rule in the
instrument schema (app/instruments/instrument.schema.json).

Rendering: each field is built with its GOV.UK Frontend params (legend or label and its
size class, hint, inline radios, character limit) in ``render_kw["params"]``, so a template
renders it with just::

    {% for field in form if field.name != "csrf_token" %}{{ field() }}{% endfor %}

The error message comes from the field's errors at render time. Passing ``params=`` when
calling a field replaces the built params rather than adding to them, so templates should
not pass it. The error summary is ``govukErrorSummary(wtforms_errors(form))``; its links
point at each field's first input (the field id is the item id).

Fill a GET form with saved answers: ``form_class(data=initial_data(instrument, page, answers))``.
Read a valid POST with ``answers_from_form(form)``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, RadioInput

from app import widgets
from app.fragments import frozen
from app.instruments.model import Instrument, Item
from app.scoring import is_answered

# Every message a respondent can see from an instrument page, in one place for translators.
ERROR_MESSAGES = {
    # Each names its question, so a list of errors says which questions still need answers.
    "choose_one": _l("Select an answer for: %(question)s"),
    "choose_some": _l("Select at least one answer for: %(question)s"),
    "enter_text": _l("Enter your answer to: %(question)s"),
    "invalid_choice": _l("Select one of the options shown"),
    "too_long": _l("Your answer must be %(max)s characters or fewer"),
    "too_many_choices": _l("Select no more than %(max)s answers"),
}


@dataclass(frozen=True)
class FieldContext:
    """What a field builder needs: the item, its words in the chosen language, its size."""

    instrument: Instrument
    item: Item
    locale: str
    text: str
    hint: str
    # govuk-fieldset__legend--s when the page has several questions, --m when it has one.
    size: str

    def choices(self) -> list[SelectChoice]:
        return [
            SelectChoice(value, label)
            for value, label in self.instrument.option_choices(self.item.id, self.locale)
        ]


FieldBuilder = Callable[[FieldContext], UnboundField]


# --- Validation ---------------------------------------------------------------------------


def _message(key: str, **values: object) -> str:
    # Evaluated during validation, so the message is in the respondent's language.
    text = str(ERROR_MESSAGES[key])
    return text % values if values else text


def _count(number: int) -> str:
    return format_decimal(number)


class AnswerRules:
    """Checks one item's answer against its data: required, allowed values, limits.

    Sets no `required` flag, so the browser's own pop-up never replaces the page's message.
    """

    field_flags: dict = {}

    def __init__(self, item: Item):
        self.item = item

    def __call__(self, form: FlaskForm, field: Field) -> None:
        item = self.item
        value = field.data
        if not is_answered(value):
            if not item.required:
                raise StopValidation()
            key = {"multiple_choice": "choose_some"}.get(item.kind, "choose_one")
            key = "enter_text" if item.is_text else key
            raise StopValidation(_message(key, question=field.label.text))
        if item.is_text:
            if item.max_length is not None and len(value) > item.max_length:
                raise ValidationError(_message("too_long", max=_count(item.max_length)))
            return
        chosen = value if isinstance(value, list) else [value]
        if any(option not in item.values for option in chosen):
            raise ValidationError(_message("invalid_choice"))
        if item.max_choices is not None and len(set(chosen)) > item.max_choices:
            raise ValidationError(_message("too_many_choices", max=_count(item.max_choices)))


def normalise_text(value: str | None) -> str | None:
    """Trim, and count a line break as one character, as the on-screen counter does."""
    if value is None:
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# --- Rendering ----------------------------------------------------------------------------


class RememberedRendering:
    """Wraps a GOV.UK widget and keeps the HTML it made for each state of the field.

    A page form class is built once per instrument, page and language, so a field's HTML
    depends only on its answer, its error and the template's arguments. Rendering the GOV.UK
    macros is most of the cost of a question page; answering it from memory keeps a burst of
    phones from queueing behind template work.
    """

    MAX_STATES = 64

    def __init__(self, widget):
        self.widget = widget
        self.states: dict[tuple, Markup] = {}

    def __call__(self, field: Field, **kwargs: object) -> Markup:
        try:
            key = (
                # The widgets add words of their own ("Error:", character counts) in the
                # page's language, so the language is part of the state.
                str(get_locale()),
                field.name,
                _hashable(field.data),
                tuple(str(error) for error in field.errors),
                frozen(kwargs),
            )
        except TypeError:
            return self.widget(field, **kwargs)
        html = self.states.get(key)
        if html is None:
            # The widget edits the params it is given, so it gets its own copy each time.
            html = self.widget(field, **copy.deepcopy(kwargs))
            if len(self.states) < self.MAX_STATES:
                self.states[key] = html
        return html


def _hashable(value: object) -> object:
    if isinstance(value, list):
        return tuple(value)
    hash(value)
    return value


# --- Field builders -----------------------------------------------------------------------


def _hint(ctx: FieldContext) -> dict | None:
    # None rather than an empty hint, which would render an empty element screen readers find.
    return {"text": ctx.hint} if ctx.hint else None


def _fieldset_params(ctx: FieldContext, **extra: object) -> dict:
    return {
        "fieldset": {
            "legend": {"text": ctx.text, "classes": f"govuk-fieldset__legend--{ctx.size}"}
        },
        "hint": _hint(ctx),
        **extra,
    }


def _label_params(ctx: FieldContext, **extra: object) -> dict:
    return {"label": {"classes": f"govuk-label--{ctx.size}"}, "hint": _hint(ctx), **extra}


def _radios(ctx: FieldContext, **extra: object) -> UnboundField:
    return RadioField(
        ctx.text,
        choices=ctx.choices(),
        # Our own rule gives the message for a tampered value, not WTForms' default.
        validate_choice=False,
        validators=[AnswerRules(ctx.item)],
        description=ctx.hint,
        widget=RememberedRendering(widgets.RadioInput()),
        option_widget=RadioInput(),
        render_kw={"params": _fieldset_params(ctx, **extra)},
    )


def build_single_choice(ctx: FieldContext) -> UnboundField:
    """Radios, one per option, in the order the instrument gives them."""
    return _radios(ctx)


def build_yes_no(ctx: FieldContext) -> UnboundField:
    """Yes and No side by side, as GOV.UK Frontend sets out two short options."""
    return _radios(ctx, classes="govuk-radios--inline")


def build_rating_scale(ctx: FieldContext) -> UnboundField:
    """One radio per point from min to max, stacked so each is easy to tap on a phone."""
    return _radios(ctx)


def build_multiple_choice(ctx: FieldContext) -> UnboundField:
    """Checkboxes; the answer is a list of the chosen option values."""
    return SelectMultipleField(
        ctx.text,
        choices=ctx.choices(),
        validate_choice=False,
        validators=[AnswerRules(ctx.item)],
        description=ctx.hint,
        widget=RememberedRendering(widgets.CheckboxesInput()),
        option_widget=CheckboxInput(),
        render_kw={"params": _fieldset_params(ctx)},
    )


def build_short_text(ctx: FieldContext) -> UnboundField:
    """A one-line text box; the length limit is checked on the server, not by the browser."""
    return StringField(
        ctx.text,
        filters=[normalise_text],
        validators=[AnswerRules(ctx.item)],
        description=ctx.hint,
        widget=RememberedRendering(widgets.TextInput()),
        render_kw={"params": _label_params(ctx, spellcheck=True)},
    )


def build_long_text(ctx: FieldContext) -> UnboundField:
    """A text area that shows how many characters are left (a plain text area without JS)."""
    return TextAreaField(
        ctx.text,
        filters=[normalise_text],
        validators=[AnswerRules(ctx.item)],
        description=ctx.hint,
        widget=RememberedRendering(widgets.CharacterCount()),
        render_kw={"params": _label_params(ctx, maxlength=ctx.item.max_length)},
    )


FIELD_BUILDERS: dict[str, FieldBuilder] = {
    "single_choice": build_single_choice,
    "multiple_choice": build_multiple_choice,
    "rating_scale": build_rating_scale,
    "yes_no": build_yes_no,
    "short_text": build_short_text,
    "long_text": build_long_text,
}


# --- Forms --------------------------------------------------------------------------------


class InstrumentPageForm(FlaskForm):
    """Base of every built page form; `instrument`, `page_number`, `locale` and `item_ids`
    are set on each built class."""

    instrument: Instrument
    page_number: int
    locale: str
    item_ids: tuple[str, ...]

    def item_fields(self) -> list[Field]:
        """The question fields, in page order (no CSRF token)."""
        return [self[item_id] for item_id in self.item_ids]


def build_page_form(
    instrument: Instrument, page_number: int, locale: str | None
) -> type[InstrumentPageForm]:
    """A FlaskForm class for one page (numbered from 1): one field per item, named by its id.

    Texts come from `locale` when the instrument has it, else from its default language.
    IndexError for a page the instrument does not have.
    """
    return _build_page_form(instrument, page_number, instrument.resolve_locale(locale))


@lru_cache(maxsize=512)
def _build_page_form(
    instrument: Instrument, page_number: int, locale: str
) -> type[InstrumentPageForm]:
    # Cached per instrument object, page and language: the class only holds unbound fields,
    # and every request binds its own.
    items = instrument.page_items(page_number)
    size = "s" if len(items) > 1 else "m"
    attributes: dict[str, object] = {
        "instrument": instrument,
        "page_number": page_number,
        "locale": locale,
        "item_ids": tuple(item.id for item in items),
    }
    for item in items:
        context = FieldContext(
            instrument=instrument,
            item=item,
            locale=locale,
            text=instrument.item_text(item.id, locale),
            hint=instrument.item_hint(item.id, locale),
            size=size,
        )
        attributes[item.id] = FIELD_BUILDERS[item.kind](context)
    name = f"{instrument.id.replace('-', '_').title()}V{instrument.version}Page{page_number}Form"
    return type(name, (InstrumentPageForm,), attributes)


def answers_from_form(form: InstrumentPageForm) -> dict[str, str | list[str]]:
    """The page's answers as stored: text trimmed, choices as values, checkboxes as lists.

    Unanswered items are left out, so saving a page with an optional answer cleared removes it.
    """
    answers: dict[str, str | list[str]] = {}
    for item_id in form.item_ids:
        item = form.instrument.item(item_id)
        value = form[item_id].data
        if item.kind == "multiple_choice":
            # Keep the option order of the instrument, whatever order the browser sent.
            chosen = set(value or [])
            value = [option for option in item.values if option in chosen]
        elif isinstance(value, str):
            value = normalise_text(value)
        if is_answered(value):
            answers[item_id] = value
    return answers


def initial_data(
    instrument: Instrument, page_number: int, answers: Mapping[str, str | list[str]]
) -> dict[str, str | list[str]]:
    """Saved answers for one page, as `data=` for the page's form, so a returning
    respondent sees what they chose."""
    data: dict[str, str | list[str]] = {}
    for item in instrument.page_items(page_number):
        if item.id not in answers:
            continue
        value = answers[item.id]
        if item.kind == "multiple_choice" and isinstance(value, str):
            value = [value]
        data[item.id] = value
    return data
