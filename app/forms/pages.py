"""One way to handle an instrument page's POST, for respondents' questions and inspectors'
ratings alike: build the page's form, check it, keep what was answered, and say where to go.

A view calls `handle_instrument_page` with its own storage (two callbacks) and turns the
outcome's `step` into a redirect, or renders `outcome.form` again when `step` is None:

    outcome = handle_instrument_page(
        instrument, page, locale,
        stored_answers=lambda: draft.answers or {},
        save_page=lambda item_ids, answers: journey.save_page(draft, item_ids, answers),
        returning_to_check=request.args.get("return") == "check",
    )
    if outcome.step is PageStep.SAVED: ...    # "save and come back later"
    if outcome.step is PageStep.CHECK: ...    # the last page, or back to the summary
    if outcome.step is PageStep.NEXT: ...     # the following page
    render(outcome.form, status=400 if outcome.refused else 200)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import request

from app.forms.instrument import (
    InstrumentPageForm,
    answers_from_form,
    build_page_form,
    initial_data,
)
from app.instruments.model import Instrument

Answers = Mapping[str, str | list[str]]


class PageStep(enum.Enum):
    """Where a person goes once a page's answers are kept."""

    SAVED = "saved"  # chose to save and come back later
    CHECK = "check"  # the check-your-answers page
    NEXT = "next"  # the instrument's next page


@dataclass(frozen=True)
class PageOutcome:
    """The bound form, and the step to take (None: show the page, with any errors)."""

    form: InstrumentPageForm
    step: PageStep | None = None
    # False when some answers were invalid and left out (only possible when saving).
    complete: bool = True
    # A POST whose answers were refused: the page is shown again with its errors.
    refused: bool = False


def handle_instrument_page(
    instrument: Instrument,
    page: int,
    locale: str | None,
    *,
    stored_answers: Callable[[], Answers],
    save_page: Callable[[tuple[str, ...], dict[str, str | list[str]]], None],
    returning_to_check: bool = False,
) -> PageOutcome:
    """Handle a GET or POST of one page (numbered from 1) of an instrument.

    GET: the form filled with `stored_answers()`. POST: when every answer is valid, or the
    person chose "save" (the form's `action` button), the valid answers are passed to
    `save_page(item_ids, answers)`, invalid ones left out so a saved page never keeps
    them; then the step says where to go. Otherwise the form comes back with its errors.
    """
    form_class = build_page_form(instrument, page, locale)
    if request.method != "POST":
        return PageOutcome(form_class(data=initial_data(instrument, page, stored_answers())))
    form = form_class()
    saving = request.form.get("action") == "save"
    valid = form.validate()
    if not (valid or saving):
        return PageOutcome(form, refused=True)
    answers = answers_from_form(form)
    for name in form.errors:
        answers.pop(name, None)
    save_page(form.item_ids, answers)
    if saving:
        step = PageStep.SAVED
    elif returning_to_check or page == instrument.page_count:
        step = PageStep.CHECK
    else:
        step = PageStep.NEXT
    return PageOutcome(form, step, complete=valid)
