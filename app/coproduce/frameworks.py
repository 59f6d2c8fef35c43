"""Writing a quality framework or a mystery shop on screen, with young people in the room.

A coordinator starts one blank, from the project's starter or from another in the library,
then writes its characteristics in young people's words, its rating scale and (for a mystery
shop) the scenario and the checklist. Nothing is kept until it is saved and the store has
checked it by every rule a file meets; a version anyone has answered only shows, with a
button to make the next version.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import audit, instrument_store
from app.coproduce import bp
from app.coproduce.framework_document import (
    CHANNELS,
    MAX_CHARACTERISTICS,
    blank_document,
    english_document,
    other_languages,
    state_from_document,
)
from app.coproduce.framework_forms import (
    StartForm,
    apply_action,
    check_state,
    fill_ids,
    placed,
    state_from_form,
)
from app.coproduce.library_data import new_instrument_id
from app.extensions import db, instrument_registry
from app.instrument_store import StoreRefused
from app.languages import is_supported, language

KINDS = {
    "inspection": {
        "noun": "framework",
        "plural": "frameworks",
        "starter": "young-inspectors-framework",
        "new": "coproduce.framework_new",
        "edit": "coproduce.framework_edit",
    },
    "mystery_shop": {
        "noun": "mystery shop",
        "plural": "mystery shops",
        "starter": "mystery-shop-checklist",
        "new": "coproduce.shop_new",
        "edit": "coproduce.shop_edit",
    },
}


@bp.route("/frameworks/new", methods=["GET", "POST"])
def framework_new():
    return _start("inspection")


@bp.route("/mystery-shops/new", methods=["GET", "POST"])
def shop_new():
    return _start("mystery_shop")


@bp.route("/frameworks/<instrument_id>/<int:version>/edit", methods=["GET", "POST"])
def framework_edit(instrument_id: str, version: int):
    return _edit("inspection", instrument_id, version)


@bp.route("/mystery-shops/<instrument_id>/<int:version>/edit", methods=["GET", "POST"])
def shop_edit(instrument_id: str, version: int):
    return _edit("mystery_shop", instrument_id, version)


# --- Starting -----------------------------------------------------------------------------


def _start(kind: str):
    words = KINDS[kind]
    registry = instrument_registry()
    others = [i for i in registry.latest() if i.type == kind]
    others.sort(key=lambda i: (i.id != words["starter"], i.title("en").lower()))
    form = StartForm()
    form.start.choices = [("blank", f"A blank {words['noun']}")] + [
        (i.key, i.title("en")) for i in others
    ]
    if form.validate_on_submit():
        taken = {i.id for i in registry.all()}
        chosen = form.instrument_id.data
        if chosen and chosen in taken:
            form.instrument_id.errors.append(f"{chosen} is already used: choose another")
        else:
            fallback = words["noun"].replace(" ", "-")
            new_id = chosen or new_instrument_id(form.title.data, fallback)
            query = urlencode({"start": form.start.data, "title": form.title.data.strip()})
            return redirect(url_for(words["edit"], instrument_id=new_id, version=1) + "?" + query)
    if not form.is_submitted():
        form.start.data = next((i.key for i in others if i.id == words["starter"]), "blank")
    starter_keys = {i.key for i in others if i.id == words["starter"]}
    return render_template(
        "coproduce/frameworks_new.html",
        form=form,
        words=words,
        starter_keys=starter_keys,
    )


def _starting_document(kind: str, instrument_id: str):
    """The document an unsaved framework starts from (`?start=` on the editor's address)."""
    start = request.args.get("start", "")
    title = request.args.get("title", "").strip()[:200]
    registry = instrument_registry()
    if instrument_id in registry or not title:
        return None
    if start == "blank":
        return blank_document(kind, instrument_id, title)
    source_id, _, source_version = start.partition("@")
    if not source_version.isdigit() or (source_id, int(source_version)) not in registry:
        return None
    if registry.get(source_id, int(source_version)).type != kind:
        return None
    document = instrument_store.start_from(source_id, int(source_version), new_id=instrument_id)
    document["version"] = 1
    document.setdefault("texts", {}).setdefault("en", {})["title"] = title
    return document


# --- Editing ------------------------------------------------------------------------------


def _edit(kind: str, instrument_id: str, version: int):
    row = instrument_store.stored(instrument_id, version)
    if row is not None:
        if row.type != kind:
            abort(404)
        base = row.document
        if instrument_store.is_answered(instrument_id, version):
            return _answered(kind, row)
    elif (instrument_id, version) in instrument_store.file_registry():
        return _file_instrument(kind, instrument_id, version)
    else:
        base = _starting_document(kind, instrument_id) if version == 1 else None
        if base is None:
            abort(404)
    editor = {"kind": kind, "instrument_id": instrument_id, "version": version}
    editor.update(saved=row is not None, base=base)
    if request.method == "GET":
        return _editor(editor, state_from_document(base), [])
    state = state_from_form(request.form, kind)
    action = request.form.get("action", "save")
    if action != "save":
        return _editor(editor, state, apply_action(state, action))
    fill_ids(state)
    problems = check_state(state, kind)
    if problems:
        return _editor(editor, state, problems)
    document = english_document(base, state)
    document.update(id=instrument_id, version=version, type=kind)
    dropped = _drop_stale_languages(document)
    try:
        saved = instrument_store.save(document, current_user)
    except StoreRefused as refused:
        db.session.rollback()
        return _editor(editor, state, placed(refused.problems, state))
    db.session.commit()
    audit.record(
        "instrument_saved",
        saved,
        instrument=saved.key,
        revision=saved.revision,
        languages_dropped=sorted(dropped),
    )
    message = f"{state['title']} (version {version}) is saved."
    if dropped:
        names = [_language_name(code) for code in sorted(dropped)]
        message += (
            f" {_and(names)} {'needs' if len(names) == 1 else 'need'} the new texts "
            "translated again."
        )
    flash(message, "success")
    return redirect(url_for(KINDS[kind]["edit"], instrument_id=instrument_id, version=version))


def _drop_stale_languages(document) -> set[str]:
    """Take out every other language that no longer fits the English; return their codes."""
    try:
        instrument_store.check(document)
    except StoreRefused as refused:
        stale = other_languages(refused.problems)
        for code in stale:
            document["texts"].pop(code, None)
        return stale
    return set()


def _language_name(code: str) -> str:
    return language(code).english_name if is_supported(code) else code


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _editor(editor: dict, state: dict, problems: list[tuple[str | None, str]]):
    errors: dict[str, str] = {}
    for field, message in problems:
        if field is not None:
            errors.setdefault(field, message)
    summary = [
        {"text": message, "href": f"#{field}"} if field else {"text": message}
        for field, message in problems
    ]
    codes = sorted(code for code in editor["base"].get("texts") or {} if code != "en")
    return render_template(
        "coproduce/frameworks_edit.html",
        kind=editor["kind"],
        words=KINDS[editor["kind"]],
        instrument_id=editor["instrument_id"],
        version=editor["version"],
        saved=editor["saved"],
        state=state,
        errors=errors,
        summary=summary,
        languages=[_language_name(code) for code in codes],
        channels=CHANNELS,
        max_characteristics=MAX_CHARACTERISTICS,
    )


def _answered(kind: str, row):
    """A version someone has answered only shows; the coordinator may make the next one."""
    if request.method == "POST" and request.form.get("action") == "new_version":
        document = instrument_store.start_from(row.instrument_id, row.version)
        if row.document.get("co_written"):
            document["co_written"] = row.document["co_written"]
        saved = instrument_store.save(document, current_user)
        db.session.commit()
        audit.record("instrument_saved", saved, instrument=saved.key, revision=saved.revision)
        flash(
            f"Version {saved.version} is ready to change. Version {row.version} stays as it "
            "was for everyone who answered it.",
            "success",
        )
        return redirect(
            url_for(KINDS[kind]["edit"], instrument_id=saved.instrument_id, version=saved.version)
        )
    refused = None
    if request.method == "POST":
        refused = (
            f"Version {row.version} has been used since you opened it, so your changes were "
            "not saved: make a new version and change that"
        )
    return _read_only(
        kind, row.instrument_id, row.version, row.document, answered=True, refused=refused
    )


def _file_instrument(kind: str, instrument_id: str, version: int):
    instrument = instrument_store.file_registry().get(instrument_id, version)
    if instrument.type != kind:
        abort(404)
    if request.method == "POST":
        abort(400)
    document = instrument_store.document_of(instrument_id, version)
    return _read_only(kind, instrument_id, version, document, answered=False)


def _read_only(kind, instrument_id, version, document, answered, refused=None):
    return render_template(
        "coproduce/frameworks_read_only.html",
        kind=kind,
        words=KINDS[kind],
        instrument_id=instrument_id,
        version=version,
        state=state_from_document(document),
        answered=answered,
        refused=refused,
    )
