"""The questionnaire editor: a coordinator, with young people in the room, writes a feedback
questionnaire (questions of six kinds, grouped into pages, a page skipped by an earlier
answer) or starts from the project's own or another one, and saves it through
app.instrument_store, which checks it by every rule a surveys/ file meets. An answered
version is shown read-only with a way to make the next version.

Works without JavaScript: adding, removing and moving questions are submit buttons
(`name="action"`), and the page comes back with every field as it was typed."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app import audit, instrument_store
from app.coproduce import bp
from app.coproduce.library_data import new_instrument_id
from app.coproduce.questionnaire_document import (
    document_from_draft,
    field_for,
    other_languages,
    without_other_languages,
)
from app.coproduce.questionnaire_forms import (
    NewQuestionnaireForm,
    QuestionnaireForm,
    draft_from_form,
    form_from_draft,
)
from app.coproduce.questionnaire_model import (
    KIND_NAMES,
    apply_action,
    blank_draft,
    draft_from_document,
    normalise,
)
from app.extensions import db, instrument_registry
from app.instruments import text_paths
from app.instruments.model import InstrumentError
from app.languages import language

INSTRUMENT_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


def _questionnaires() -> list:
    return [i for i in instrument_registry().latest() if i.type == "questionnaire"]


def _start_document(key: str) -> dict | None:
    """The document of a questionnaire to start from ("id@version"), or None."""
    instrument_id, _, version = (key or "").partition("@")
    if not version.isdigit():
        return None
    try:
        instrument = instrument_registry().get(instrument_id, int(version))
    except KeyError:
        return None
    if instrument.type != "questionnaire":
        return None
    return instrument_store.document_of(instrument.id, instrument.version)


@bp.route("/questionnaires/new", methods=["GET", "POST"])
def questionnaire_new():
    form = NewQuestionnaireForm()
    form.start.choices = [SelectChoice("", "A blank questionnaire")] + [
        SelectChoice(i.key, f"{i.title()} (version {i.version} of {i.id})")
        for i in _questionnaires()
    ]
    if form.validate_on_submit():
        chosen = (form.instrument_id.data or "").strip()
        registry = instrument_registry()
        if form.start.data and _start_document(form.start.data) is None:
            form.start.errors = ["Choose one of the questionnaires listed, or a blank one"]
        elif chosen and not INSTRUMENT_ID.match(chosen):
            form.instrument_id.errors = [
                "Write the short name in lower-case letters, digits and hyphens, starting "
                "with a letter, like riverside-feedback"
            ]
        elif chosen and chosen in registry:
            form.instrument_id.errors = [f"{chosen} is already taken: choose another"]
        else:
            if not chosen:
                chosen = new_instrument_id(form.title.data, "questionnaire")
            return redirect(
                url_for(
                    ".questionnaire_edit",
                    instrument_id=chosen,
                    version=instrument_store.next_version(chosen),
                    start=form.start.data or None,
                    title=form.title.data.strip(),
                )
            )
    status = 400 if request.method == "POST" else 200
    return render_template("coproduce/questionnaires_new.html", form=form), status


def _editable(instrument_id: str, version: int):
    """The stored row (or None for a version not yet saved); 404 for anything else."""
    if not INSTRUMENT_ID.match(instrument_id):
        abort(404)
    row = instrument_store.stored(instrument_id, version)
    if row is not None:
        if row.type != "questionnaire":
            abort(404)
        return row
    if instrument_id in instrument_store.file_registry():
        abort(404)
    if version != instrument_store.next_version(instrument_id):
        abort(404)
    return None


def _next_version_url(instrument_id: str, version: int) -> str:
    latest = max(instrument_registry().versions(instrument_id))
    if latest > version and not instrument_store.is_answered(instrument_id, latest):
        return url_for(".questionnaire_edit", instrument_id=instrument_id, version=latest)
    return url_for(
        ".questionnaire_edit",
        instrument_id=instrument_id,
        version=instrument_store.next_version(instrument_id),
        start=f"{instrument_id}@{version}",
    )


@bp.route("/questionnaires/<instrument_id>/<int:version>/edit", methods=["GET", "POST"])
def questionnaire_edit(instrument_id: str, version: int):
    row = _editable(instrument_id, version)
    if row is not None and instrument_store.is_answered(instrument_id, version):
        return _answered_page(row, 409 if request.method == "POST" else 200)
    start = request.values.get("start") or ""
    original = row.document if row is not None else None
    if row is None and start:
        original = _start_document(start)
        if original is None:
            abort(404)
    if request.method == "GET":
        title = request.args.get("title", "").strip()[:200]
        if original is not None:
            draft = draft_from_document(original, start)
            draft["title"] = (row is None and title) or draft["title"]
            if row is None and start.partition("@")[0] != instrument_id:
                draft["co_written"] = ""  # another group's questionnaire: say who wrote this
        else:
            draft = blank_draft(title, start)
        return _edit_page(instrument_id, version, row, original, normalise(draft))

    form = QuestionnaireForm()
    form.validate()
    if "csrf_token" in form.errors:
        abort(400)
    draft = normalise(draft_from_form(form))
    length_errors = [
        (field.id, error)
        for field in _all_fields(form)
        if field.name != "csrf_token"
        for error in field.errors
    ]
    action = request.form.get("action", "save")
    if action != "save":
        if not apply_action(draft, action):
            abort(400)
        return _edit_page(instrument_id, version, row, original, draft)
    document, errors, dropped = document_from_draft(draft, instrument_id, version, original)
    errors = length_errors + errors
    if not errors:
        saved, errors, dropped = _save(document, draft, dropped)
        if saved is not None:
            _set_aside(saved, original, dropped)
            _record(saved, dropped)
            return redirect(
                url_for(".questionnaire_edit", instrument_id=instrument_id, version=version)
            )
    return _edit_page(instrument_id, version, row, original, draft, errors, 400)


def _save(document: dict, draft: dict, dropped: list[str]):
    """Save through the store; if only the other languages' texts fail (the English changed
    in a way the shape check missed), save without them and say so."""
    for attempt in range(2):
        try:
            return instrument_store.save(document, current_user), [], dropped
        except instrument_store.StoreRefused as refused:
            db.session.rollback()
            problems = refused.problems
            elsewhere = [p for p in problems if _other_language(p.path)]
            if attempt == 0 and elsewhere and len(elsewhere) == len(problems):
                dropped = without_other_languages(document)
                continue
            errors = [(field_for(p.path, draft), _message(p)) for p in problems]
            return None, errors, dropped
    return None, [("questions", "The questionnaire could not be saved")], dropped


def _other_language(path: str) -> bool:
    return path.startswith("texts.") and not path.startswith("texts.en")


def _message(problem) -> str:
    where = problem.path
    match = re.match(r"items\[(\d+)\]\.?(.*)", where)
    if match:
        rest = f" ({match.group(2)})" if match.group(2) else ""
        return f"Question {int(match.group(1)) + 1}{rest}: {problem.message}"
    match = re.match(r"pages\[(\d+)\]", where)
    if match:
        return f"Page {int(match.group(1)) + 1}: {problem.message}"
    return f"{where}: {problem.message}" if where else problem.message


def _set_aside(row, original: dict | None, dropped: list[str]) -> None:
    """The words of each language taken out, for the texts still in the English, kept as
    work in progress on the translation pages (app/coproduce/translations.py)."""
    if not dropped or not original:
        return
    english = text_paths.english_texts(row.document)
    progress = dict(row.translations_in_progress or {})
    for code in dropped:
        words = dict(text_paths.texts_of(original, code))
        kept = {key: words[key] for key, _ in english if words.get(key)}
        if kept:
            progress[code] = {**progress.get(code, {}), **kept}
    row.translations_in_progress = progress or None
    db.session.flush()


def _record(row, dropped: list[str]) -> None:
    audit.record(
        "instrument_saved",
        row,
        instrument=row.key,
        type="questionnaire",
        revision=row.revision,
        languages_removed=dropped,
    )
    if not dropped:
        flash(f"{row.key} is saved.", "success")
        return
    names = ", ".join(language(code).english_name for code in dropped if _known(code))
    flash(
        f"{row.key} is saved, but the questions changed, so it is no longer offered in "
        f"{names}: the translations of texts still here are kept as work in progress, and "
        "once the new texts are translated it can be offered in those languages again.",
        "warning",
    )


def _known(code: str) -> bool:
    try:
        language(code)
    except KeyError:
        return False
    return True


def _all_fields(form):
    for field in form:
        if field.type == "FieldList":
            for entry in field:
                yield from entry.form
        else:
            yield field


def _edit_page(instrument_id, version, row, original, draft, errors=(), status=200):
    form = form_from_draft(draft)
    summary = []
    by_field: dict[str, list[str]] = {}
    for field_id, message in errors:
        by_field.setdefault(field_id, []).append(message)
        summary.append({"text": message, "href": f"#{field_id}"})
    for field in _all_fields(form):
        if field.id in by_field:
            field.errors = by_field[field.id]
    pages = {}
    for index, (entry, question) in enumerate(zip(form.questions, draft["questions"], strict=True)):
        pages.setdefault(question["page"], []).append((index, entry))
    rules = {rule["page"]: entry for entry, rule in zip(form.rules, draft["rules"], strict=True)}
    languages = other_languages(original)
    return (
        render_template(
            "coproduce/questionnaires_edit.html",
            form=form,
            pages=pages,
            rules=rules,
            question_count=len(draft["questions"]),
            instrument_id=instrument_id,
            version=version,
            row=row,
            summary=summary,
            general_errors=by_field.get("questions", []),
            languages=[language(c).english_name for c in languages if _known(c)],
        ),
        status,
    )


def _answered_page(row, status: int):
    try:
        instrument = instrument_registry().get(row.instrument_id, row.version)
    except (KeyError, InstrumentError):
        abort(404)
    return (
        render_template(
            "coproduce/questionnaires_answered.html",
            instrument=instrument,
            row=row,
            kinds=KIND_NAMES,
            next_url=_next_version_url(row.instrument_id, row.version),
        ),
        status,
    )
