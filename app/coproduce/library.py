"""The instrument library: every instrument, files and those kept here, with where each came
from; one version's questions, languages and uses; export as a surveys/ file and import one;
a new version of an instrument, or a new instrument started from one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app import audit
from app.coproduce import bp
from app.coproduce import library_data as data
from app.extensions import db
from app.forms import ActionForm
from app.instrument_store import StoreRefused, export_yaml, import_yaml, save, start_from

# The largest instrument file taken: the biggest in surveys/ is a tenth of this.
MAX_FILE_BYTES = 200 * 1024
# The request around it may be larger, so a file a little too big is named on the form; a
# request larger still gets the "too large" page.
MAX_IMPORT_REQUEST = 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(
        "Instrument file",
        description="A .yaml or .yml file in the surveys/ format, up to 200 KB, such as one "
        "exported from another council's library.",
        widget=GovFileInput(),
    )
    submit = SubmitField("Import", widget=GovSubmitInput())


class CopyForm(FlaskForm):
    title = StringField(
        "Title of the new instrument",
        description="Its id is made from the title. Nothing about this version changes.",
        filters=[lambda value: (value or "").strip()],
        validators=[
            DataRequired("Enter a title for the new instrument"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField("Start a new one from this", widget=GovSubmitInput())


@bp.record_once
def _allow_instrument_files(state) -> None:
    """The app takes small requests (MAX_CONTENT_LENGTH); the import page takes a file up to
    MAX_FILE_BYTES. Runs first of all the app's request hooks, as the first URL value
    preprocessor: the checks of every form (app.security, CSRF) read the form after it."""

    def raise_limit(endpoint, values):
        if endpoint == "coproduce.import_file":
            request.max_content_length = MAX_IMPORT_REQUEST

    state.app.url_value_preprocessors.setdefault(None, []).insert(0, raise_limit)


@bp.get("/")
def index():
    return render_template(
        "coproduce/library_index.html",
        groups=data.library(),
        write_links=[(text, e) for text, e in data.WRITE_LINKS if data.has_endpoint(e)],
    )


def _entry_or_404(instrument_id: str, version: int) -> data.Entry:
    entry = data.entry(instrument_id, version)
    if entry is None:
        abort(404)
    return entry


@bp.get("/<instrument_id>/<int:version>", endpoint="version")
def version_page(instrument_id, version, copy_form=None):
    entry = _entry_or_404(instrument_id, version)
    instrument = entry.instrument
    campaigns, visits = data.uses(instrument.id, instrument.version, current_user)
    return render_template(
        "coproduce/library_version.html",
        entry=entry,
        instrument=instrument,
        type_name=data.TYPE_NAMES.get(instrument.type, instrument.type),
        versions=data.versions_of(instrument.id),
        languages=data.languages(instrument),
        questions=data.questions(instrument)
        if instrument.type in ("questionnaire", "scale")
        else [],
        characteristics=data.characteristics(instrument) if instrument.framework else [],
        rating_scale=data.rating_scale(instrument) if instrument.framework else [],
        steps=data.steps(instrument) if instrument.mystery_shop else [],
        areas=data.areas(instrument) if instrument.star else [],
        campaigns=campaigns,
        visits=visits,
        editor=data.editor_for(instrument.type) if entry.stored else None,
        other_pages=data.other_pages(instrument),
        copy_form=copy_form or CopyForm(formdata=None),
    ), 400 if copy_form is not None else 200


@bp.get("/<instrument_id>/<int:version>.yaml")
def export(instrument_id, version):
    entry = _entry_or_404(instrument_id, version)
    key = entry.instrument.key
    return (
        export_yaml(entry.instrument.id, entry.instrument.version),
        200,
        {
            "Content-Type": "text/yaml; charset=utf-8",
            "Content-Disposition": f"attachment; filename={key.replace('@', '-')}.yaml",
            "Cache-Control": "no-store",
        },
    )


def _edit_or_show(instrument_id: str, version: int):
    """The editor of a new version when there is one for its type, else its library page."""
    editor = data.editor_for(data.entry(instrument_id, version).instrument.type)
    if editor:
        return redirect(url_for(editor, instrument_id=instrument_id, version=version))
    return redirect(url_for("coproduce.version", instrument_id=instrument_id, version=version))


@bp.post("/<instrument_id>/<int:version>/new-version")
def new_version(instrument_id, version):
    """The next version of an instrument kept here, to change; the old one stays as it is."""
    entry = _entry_or_404(instrument_id, version)
    if not entry.stored or not ActionForm().validate_on_submit():
        abort(400)
    try:
        row = save(
            start_from(instrument_id, version),
            current_user,
            origin="screen",
            origin_note=entry.instrument.key,
        )
    except StoreRefused as refused:
        db.session.rollback()
        flash("Could not make a new version: " + "; ".join(p.message for p in refused.problems))
        return redirect(url_for("coproduce.version", instrument_id=instrument_id, version=version))
    db.session.commit()
    audit.record("instrument_version_started", row, instrument=row.key, start=entry.instrument.key)
    flash(f"{row.key} made from {entry.instrument.key}: change it, then use it.", "success")
    return _edit_or_show(row.instrument_id, row.version)


@bp.post("/<instrument_id>/<int:version>/copy")
def copy(instrument_id, version):
    """A new instrument, with a new id from its title, starting from this version's words."""
    entry = _entry_or_404(instrument_id, version)
    if not entry.writable:
        abort(400)
    form = CopyForm()
    if not form.validate_on_submit():
        return version_page(instrument_id, version, copy_form=form)
    title = form.title.data
    new_id = data.new_instrument_id(title)
    document = start_from(instrument_id, version, new_id=new_id)
    document["texts"][entry.instrument.default_locale]["title"] = title
    try:
        row = save(document, current_user, origin="screen", origin_note=entry.instrument.key)
    except StoreRefused as refused:
        db.session.rollback()
        form.title.errors = [p.message for p in refused.problems]
        return version_page(instrument_id, version, copy_form=form)
    db.session.commit()
    audit.record("instrument_started_from", row, instrument=row.key, start=entry.instrument.key)
    flash(f"{row.key} started from {entry.instrument.key}.", "success")
    return _edit_or_show(row.instrument_id, row.version)


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        problems, text, filename = _read_upload(form.file.data)
        if not problems:
            try:
                row, new = import_yaml(text, filename, current_user)
            except StoreRefused as refused:
                db.session.rollback()
                problems = [_problem_line(p) for p in refused.problems]
            else:
                db.session.commit()
                if new:
                    audit.record("instrument_imported", row, instrument=row.key, file=filename)
                    flash(f"{row.key} imported", "success")
                else:
                    flash(f"{row.key} is already here, unchanged", "success")
                return redirect(
                    url_for(
                        "coproduce.version", instrument_id=row.instrument_id, version=row.version
                    )
                )
    elif request.method == "POST":
        problems = ["The form has expired: choose the file again"]
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        form.file.errors = [f"The file has {len(problems)} {noun}, listed at the top of the page"]
    return render_template(
        "coproduce/library_import.html",
        form=form,
        problems=problems,
        error_list=[{"text": problem, "href": f"#{form.file.id}"} for problem in problems],
    ), 400 if problems else 200


def _read_upload(upload) -> tuple[list[str], str, str]:
    """(problems, text, file name) of an uploaded instrument file."""
    if upload is None or not getattr(upload, "filename", ""):
        return ["Choose an instrument file to import"], "", ""
    filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not filename.lower().endswith((".yaml", ".yml")):
        return [f"{filename}: choose a .yaml or .yml file"], "", filename
    raw = upload.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return [f"{filename}: the file must be 200 KB or smaller"], "", filename
    if not raw.strip():
        return [f"{filename}: the file is empty"], "", filename
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [f"{filename}: the file must be text saved as UTF-8"], "", filename
    return [], text, filename


def _problem_line(problem) -> str:
    """One problem as the error summary lists it: where, then what."""
    where = f"{problem.path}: " if problem.path else ""
    return f"{where}{problem.message}"
