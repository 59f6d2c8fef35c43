"""Translating an instrument on screen, and which languages it is ready in.

Each of the platform's languages is complete (the instrument can be offered in it), part
way through ("12 of 30 texts translated") or not started. Work part way through is kept
apart from the instrument (StoredInstrument.translations_in_progress), since a language in
the instrument must have every text; the save that completes it puts the language into the
instrument through app.instrument_store, checked by every rule a file meets. Each text keeps
the placeholders of its English, as the message catalogues' gate requires.

Instruments from files (and licensed scales) are shown side by side but never changed here:
their languages come with their files and packs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from app import audit, instrument_store
from app.coproduce import bp
from app.extensions import db, instrument_registry
from app.instrument_store import StoreRefused
from app.instruments import text_paths
from app.instruments.model import Instrument
from app.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    TRANSLATED_CODES,
    Language,
    catalogues,
    language,
)
from app.models import StoredInstrument

MAX_TEXT = 5000
PROVENANCE = {
    "validated": "Validated wording",
    "project": "The project's own translation",
}
# How a text's key reads to a person: "Question: how_often", "Answer: rating4, 1".
SECTION_WORDS = {
    "title": "Title",
    "description": "Description",
    "prompt": "Introduction",
    "source": "Source",
    "scenario": "Scenario",
    "steps": "Step",
    "checklist": "Checklist question",
    "characteristics": "Characteristic",
    "evidence_prompt": "Evidence question",
    "areas": "Area",
    "stages": "Stage",
    "items": "Question",
    "hints": "Hint",
    "options": "Answer",
    "bands": "Band",
}
PART_WORDS = {
    "text": "text",
    "hint": "hint",
    "good_looks_like": "what good looks like",
    "name": "name",
    "description": "description",
    "ladder": "ladder",
}


@dataclass
class Place:
    """One instrument version, with its English texts and whether it can be changed here."""

    instrument: Instrument
    row: StoredInstrument | None
    document: dict[str, Any]
    english: list[tuple[str, str]] = field(default_factory=list)

    @property
    def read_only_reason(self) -> str | None:
        if self.instrument.is_licensed:
            return (
                "This is a licensed scale. Only the licence holder's validated translations "
                "can be used, and they arrive with its instrument files, so nothing here can "
                "be changed."
            )
        if self.row is None:
            return (
                "This instrument comes from a file kept with the platform, so its "
                "translations are changed in that file, not here. To translate it on screen, "
                "start a new instrument from it."
            )
        return None

    def progress(self, code: str) -> dict[str, str]:
        kept = ((self.row.translations_in_progress or {}) if self.row else {}).get(code) or {}
        return {key: text for key, text in kept.items() if text}

    def complete(self, code: str) -> bool:
        return code in self.instrument.texts


def _place(instrument_id: str, version: int) -> Place:
    try:
        instrument = instrument_registry().get(instrument_id, version)
    except KeyError:
        abort(404)
    row = instrument_store.stored(instrument_id, version)
    document = (
        row.document if row is not None else instrument_store.document_of(instrument_id, version)
    )
    return Place(instrument, row, document, text_paths.english_texts(document))


def _language(code: str) -> Language:
    if code not in TRANSLATED_CODES:
        abort(404)
    return language(code)


def describe(key: str) -> str:
    """A text's key in words: "characteristics.safe_here.hint" -> "Characteristic
    safe_here: hint"."""
    parts = [part for part in re.split(r"[.\[\]]", key) if part]
    words = SECTION_WORDS.get(parts[0], parts[0])
    if len(parts) == 1:
        return words
    rest = parts[1:]
    if len(rest) > 1 and rest[1] in PART_WORDS:
        detail = PART_WORDS[rest[1]]
        if len(rest) > 2:
            detail += f" {int(rest[2]) + 1}" if rest[2].isdigit() else f", {rest[2]}"
        return f"{words} {rest[0]}: {detail}"
    return f"{words}: {', '.join(rest)}"


# --- Which languages are ready -------------------------------------------------------------


def statuses(place: Place) -> list[dict[str, Any]]:
    """Each language but English: complete (with its provenance), part way, or not started."""
    total = len(place.english)
    found = []
    for lang in LANGUAGES:
        if lang.code == DEFAULT_LANGUAGE:
            continue
        provenance = None
        if place.complete(lang.code):
            state, done = "complete", total
            provenance = PROVENANCE.get(place.instrument.texts[lang.code].provenance)
        else:
            kept = place.progress(lang.code)
            done = sum(1 for key, _ in place.english if key in kept)
            state = "started" if done else "not_started"
        found.append(
            {
                "language": lang,
                "state": state,
                "done": done,
                "total": total,
                "provenance": provenance,
            }
        )
    return found


@bp.get("/<instrument_id>/<int:version>/languages")
def translations(instrument_id: str, version: int):
    """Every language, and whether this instrument can be offered in it yet."""
    place = _place(instrument_id, version)
    return render_template(
        "coproduce/translations_languages.html",
        place=place,
        instrument=place.instrument,
        statuses=statuses(place),
        read_only=place.read_only_reason,
    )


# --- Translating one language --------------------------------------------------------------


class _TranslateForm(FlaskForm):
    # The revision the English was at when the page was drawn: a text's place in the form
    # is only right for the English it was drawn from.
    revision = HiddenField()


def translate_form(english: list[tuple[str, str]], submitted: bool = True) -> FlaskForm:
    """A form with one text box per English text, named text_0, text_1 ... in reading order;
    filled from the request when `submitted`, else empty."""

    class TranslateForm(_TranslateForm):
        pass

    for index, (_key, text) in enumerate(english):
        setattr(
            TranslateForm,
            f"text_{index}",
            TextAreaField(
                text,
                validators=[
                    Optional(),
                    Length(max=MAX_TEXT, message=f"Keep each text to {MAX_TEXT} characters"),
                ],
            ),
        )
    return TranslateForm() if submitted else TranslateForm(formdata=None)


def _text_fields(form, english):
    return [(key, text, form[f"text_{index}"]) for index, (key, text) in enumerate(english)]


def _translation_page(place, lang, form, status=200, page_errors=()):
    fields = _text_fields(form, place.english)
    errors = [{"text": message, "href": "#translations"} for message in page_errors]
    errors += [
        {"text": f"{describe(key)}: {field.errors[0]}", "href": f"#{field.id}"}
        for key, _, field in fields
        if field.errors
    ]
    return render_template(
        "coproduce/translations_translate.html",
        place=place,
        instrument=place.instrument,
        lang=lang,
        form=form,
        fields=fields,
        describe=describe,
        errors=errors,
        complete=place.complete(lang.code),
        missing=sum(1 for _, _, f in fields if not (f.data or "").strip()),
    ), status


def _read_only_page(place, lang, reason, status=200):
    current = dict(text_paths.texts_of(place.document, lang.code)) or place.progress(lang.code)
    return render_template(
        "coproduce/translations_read_only.html",
        place=place,
        instrument=place.instrument,
        lang=lang,
        reason=reason,
        rows=[(key, text, current.get(key)) for key, text in place.english],
        describe=describe,
    ), status


def _same_shape(place: Place, code: str) -> bool:
    """Whether a complete language names exactly the English texts (a file may word an
    item's own answers where the English words the set, which this screen cannot show)."""
    keys = [key for key, _ in place.english]
    return [key for key, _ in text_paths.texts_of(place.document, code)] == keys


@bp.route("/<instrument_id>/<int:version>/languages/<locale>", methods=["GET", "POST"])
def translate(instrument_id: str, version: int, locale: str):
    """Every English text beside its translation; saving keeps what is done so far, and the
    save that completes the language puts it into the instrument."""
    place = _place(instrument_id, version)
    lang = _language(locale)
    reason = place.read_only_reason
    if reason is None and place.complete(lang.code) and not _same_shape(place, lang.code):
        reason = (
            f"The {lang.english_name} words are arranged differently from the English (some "
            "answers are worded for one question), so they can only be changed in the "
            "instrument's file."
        )
    if reason is not None:
        return _read_only_page(place, lang, reason, 200 if _is_get() else 403)
    if _is_get():
        return _translation_page(place, lang, _saved_form(place, lang))
    return _save(place, lang)


def _saved_form(place: Place, lang: Language):
    """The form as last saved: the language's words, or what was done so far."""
    form = translate_form(place.english, submitted=False)
    current = (
        dict(text_paths.texts_of(place.document, lang.code))
        if place.complete(lang.code)
        else place.progress(lang.code)
    )
    for key, _, box in _text_fields(form, place.english):
        box.data = current.get(key, "")
    form.revision.data = str(place.row.revision)
    return form


def _is_get() -> bool:
    return request.method == "GET"


def _save(place: Place, lang: Language):
    form = translate_form(place.english)
    if not form.validate_on_submit():
        return _translation_page(place, lang, form, 400)
    if form.revision.data != str(place.row.revision):
        # The boxes were for other English texts: show the texts as they are now.
        return _translation_page(
            place,
            lang,
            _saved_form(place, lang),
            409,
            [
                "The instrument changed while you were translating, so what you typed was "
                "not saved. The texts below are as they are now: enter your words again."
            ],
        )
    fields = _text_fields(form, place.english)
    entered = {key: (box.data or "").strip() for key, _, box in fields}
    for key, english, box in fields:
        if entered[key]:
            problem = catalogues.placeholder_problem(english, entered[key])
            if problem:
                box.errors.append(problem)
    has_problems = any(box.errors for _, _, box in fields)
    complete_before = place.complete(lang.code)
    if complete_before and not has_problems:
        for key, _, box in fields:
            if not entered[key]:
                box.errors.append(
                    f"Enter the {lang.english_name}: the instrument is offered in "
                    f"{lang.english_name}, so every text must stay translated"
                )
        has_problems = any(box.errors for _, _, box in fields)
    if not has_problems and not text_paths.missing(place.english, entered):
        return _complete(place, lang, form, entered)
    if complete_before:
        return _translation_page(place, lang, form, 400)
    kept = {key: text for key, _, box in fields if (text := entered[key]) and not box.errors}
    progress = {
        code: texts
        for code, texts in (place.row.translations_in_progress or {}).items()
        if code != lang.code
    }
    if kept:
        progress[lang.code] = kept
    place.row.translations_in_progress = progress or None
    done = len(kept)
    audit.record(
        "instrument_translation_saved",
        place.row,
        instrument=place.row.key,
        language=lang.code,
        translated=done,
        texts=len(place.english),
    )
    summary = f"{lang.english_name}: {done} of {len(place.english)} texts translated."
    if has_problems:
        return _translation_page(
            place, lang, form, 400, [f"The other translations are saved. {summary}"]
        )
    flash(f"Saved. {summary}", "success")
    return redirect(
        url_for(
            "coproduce.translate",
            instrument_id=place.row.instrument_id,
            version=place.row.version,
            locale=lang.code,
        )
    )


def _complete(place: Place, lang: Language, form, entered: dict[str, str]):
    english_block = place.document["texts"][DEFAULT_LANGUAGE]
    block = text_paths.build_block(english_block, entered, provenance="project")
    changed = lang.code in place.document.get("texts", {})
    try:
        instrument_store.add_language(place.row, lang.code, block)
    except StoreRefused as refused:
        db.session.rollback()
        place = _place(place.row.instrument_id, place.row.version)
        return _refused(place, lang, form, refused)
    audit.record(
        "instrument_language_changed" if changed else "instrument_language_added",
        place.row,
        instrument=place.row.key,
        language=lang.code,
    )
    flash(
        f"{lang.english_name} is complete: {place.instrument.title('en')} can now be offered "
        f"in {lang.english_name}.",
        "success",
    )
    return redirect(
        url_for(
            "coproduce.translations",
            instrument_id=place.row.instrument_id,
            version=place.row.version,
        )
    )


def _refused(place: Place, lang: Language, form, refused: StoreRefused):
    """The store's problems, each against its text where it names one."""
    index = {key: i for i, (key, _) in enumerate(place.english)}
    page_errors = []
    prefix = f"texts.{lang.code}."
    for problem in refused.problems:
        key = problem.path[len(prefix) :] if problem.path.startswith(prefix) else None
        if key in index:
            form[f"text_{index[key]}"].errors.append(problem.message)
        else:
            page_errors.append(problem.message)
    return _translation_page(place, lang, form, 400, page_errors)
