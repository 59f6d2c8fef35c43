"""Outcomes-wheel readings taken by a key worker with a young person."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import (
    Response as HttpResponse,
)
from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app import throttle
from app.admin.forms import DayMonthYearField
from app.extensions import db, instrument_registry
from app.fieldwork import bp
from app.forms import answers_from_form, build_page_form
from app.models import Participant, Reading, Service
from app.models.codes import display_code, looks_like_code, normalise_code
from app.models.timeutil import uk_today

CODE_LOOKUP = "participant_code"
CODE_LOOKUP_LIMIT = 30
CODE_LOOKUP_WINDOW = timedelta(minutes=15)


def star_instruments():
    return [i for i in instrument_registry().latest() if i.type == "star"]


def _instrument(key: str):
    instrument_id, _, version = key.partition("@")
    try:
        instrument = instrument_registry().get(instrument_id, int(version))
    except (KeyError, ValueError):
        abort(404)
    if instrument.type != "star":
        abort(404)
    return instrument


def find_participant(code: str) -> Participant | None:
    """Look a code up, counting misses per person so codes cannot be guessed by trying."""
    key = f"user:{current_user.id}"
    if throttle.too_many(CODE_LOOKUP, key, CODE_LOOKUP_LIMIT, CODE_LOOKUP_WINDOW):
        abort(429)
    participant = db.session.scalar(
        select(Participant).where(Participant.code == normalise_code(code))
    )
    if participant is None:
        throttle.record(CODE_LOOKUP, key)
    return participant


class ReadingStartForm(FlaskForm):
    code = StringField(
        "The young person's code",
        validators=[Optional(), Length(max=32)],
        description="8 letters and numbers, like ABCD-2345. Leave empty to give them a new code.",
        widget=GovTextInput(),
    )
    service_id = SelectField("Service", coerce=int, widget=GovSelect())
    instrument = SelectField("Outcomes wheel", widget=GovSelect())
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_code(self, field):
        if field.data and field.data.strip() and not looks_like_code(field.data):
            raise ValidationError("Check the code: it has 8 letters and numbers, like ABCD-2345")


class ReadingDetailsForm(FlaskForm):
    submission_key = HiddenField()
    taken_on = DayMonthYearField(
        "Date of the reading",
        validators=[InputRequired("Enter the date of the reading")],
        description="For example, 27 3 2027",
    )
    note = TextAreaField(
        "Note (optional)",
        validators=[
            Optional(),
            Length(max=2000, message="The note must be 2,000 characters or fewer"),
        ],
        description="Anything to remember about this reading. Do not write names.",
        widget=GovTextArea(),
    )
    submit = SubmitField("Save reading", widget=GovSubmitInput())

    def validate_taken_on(self, field):
        if field.data and field.data > uk_today():
            raise ValidationError("The date of the reading cannot be in the future")


def reading_form_class(instrument, locale: str):
    """The details form plus one 1-to-N question per area, built from the wheel's data."""
    fields = {}
    for page in range(1, instrument.page_count + 1):
        page_form = build_page_form(instrument, page, locale)
        for item_id in page_form.item_ids:
            fields[item_id] = getattr(page_form, item_id)
    form_class = type("ReadingForm", (ReadingDetailsForm,), fields)
    form_class.item_ids = tuple(fields)
    form_class.instrument = instrument
    return form_class


@bp.get("/")
def index():
    return render_template("fieldwork/index.html")


@bp.route("/readings/new", methods=["GET", "POST"])
def reading_new():
    form = ReadingStartForm()
    form.service_id.choices = [
        SelectChoice(s.id, f"{s.name} ({s.provider.name})")
        for s in db.session.scalars(select(Service).order_by(Service.name))
    ]
    form.instrument.choices = [
        SelectChoice(i.key, i.title(str(get_locale()))) for i in star_instruments()
    ]
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    if form.validate_on_submit():
        code = None
        if form.code.data and form.code.data.strip():
            participant = find_participant(form.code.data)
            if participant is None:
                form.code.errors.append(
                    "No young person has that code. Check it, or leave it empty for a new code"
                )
                return render_template("fieldwork/reading_start.html", form=form), 400
            code = participant.code
        session["reading"] = {
            "code": code,
            "service_id": form.service_id.data,
            "instrument": form.instrument.data,
            "key": secrets.token_urlsafe(24),
        }
        return redirect(url_for("fieldwork.reading_record"))
    return render_template("fieldwork/reading_start.html", form=form)


@bp.route("/readings/record", methods=["GET", "POST"])
def reading_record():
    pending = session.get("reading")
    if not pending:
        return redirect(url_for("fieldwork.reading_new"))
    instrument = _instrument(pending["instrument"])
    service = db.session.get(Service, pending["service_id"]) or abort(404)
    locale = str(get_locale())
    form_class = reading_form_class(instrument, locale)
    form = form_class()
    if request.method == "GET":
        form.submission_key.data = pending["key"]
        form.taken_on.data = uk_today()
    if form.validate_on_submit():
        reading = _save_reading(form, instrument, service, pending)
        session.pop("reading", None)
        flash(
            "Reading saved."
            + ("" if pending["code"] else " Give the young person their new code to keep.")
        )
        return redirect(url_for("fieldwork.participant", code=reading.participant.code))
    return render_template(
        "fieldwork/reading_record.html",
        form=form,
        instrument=instrument,
        service=service,
        code=display_code(pending["code"]) if pending["code"] else None,
        locale=locale,
    ), 400 if form.errors else 200


def _save_reading(form, instrument, service, pending) -> Reading:
    key = form.submission_key.data or pending["key"]
    existing = db.session.scalar(select(Reading).where(Reading.submission_key == key))
    if existing is not None:
        return existing  # sent twice: keep the first
    if pending["code"]:
        participant = db.session.scalar(
            select(Participant).where(Participant.code == pending["code"])
        )
    else:
        participant = Participant.create()
        db.session.add(participant)
    answers = answers_from_form(form)
    reading = Reading(
        submission_key=key,
        participant=participant,
        service_id=service.id,
        recorded_by_id=current_user.id,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        taken_on=form.taken_on.data,
        scores={area: int(answers[area]) for area in instrument.star.areas},
        note=(form.note.data or "").strip() or None,
    )
    db.session.add(reading)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return db.session.scalar(select(Reading).where(Reading.submission_key == key))
    return reading


def readings_for(participant: Participant, instrument) -> list[Reading]:
    return db.session.scalars(
        select(Reading)
        .where(
            Reading.participant_id == participant.id,
            Reading.instrument_id == instrument.id,
            Reading.instrument_version == instrument.version,
        )
        .order_by(Reading.taken_on, Reading.id)
    ).all()


def wheel_chart(instrument, readings, locale):
    from app.charts.wheel import draw_wheel

    texts = instrument.fieldwork_texts(locale)
    return draw_wheel(
        areas=[(area, texts.area_name(area)) for area in instrument.star.areas],
        first=readings[0].scores,
        latest=readings[-1].scores,
        points=instrument.star.points,
        first_label=f"First, {readings[0].taken_on:%d %b %Y}",
        latest_label=f"Latest, {readings[-1].taken_on:%d %b %Y}",
    )


@bp.route("/participants", methods=["GET", "POST"])
def participant_search():
    form = ReadingStartForm(meta={"csrf": True})
    code = request.values.get("code", "")
    if request.method == "POST" and code:
        participant = find_participant(code)
        if participant:
            return redirect(url_for("fieldwork.participant", code=participant.code))
        # Not validated (the page has no other field), so errors are still a tuple.
        form.code.errors = ["No young person has that code. Check it and try again"]
    return render_template("fieldwork/participant_search.html", form=form)


@bp.get("/participants/<code>")
def participant(code):
    participant = find_participant(code) or abort(404)
    locale = str(get_locale())
    histories = []
    for instrument in star_instruments():
        readings = readings_for(participant, instrument)
        if not readings:
            continue
        chart = wheel_chart(instrument, readings, locale) if len(readings) > 1 else None
        texts = instrument.fieldwork_texts(locale)
        histories.append(
            {
                "instrument": instrument,
                "readings": readings,
                "areas": [(a, texts.area_name(a)) for a in instrument.star.areas],
                "chart": chart,
            }
        )
    return render_template(
        "fieldwork/participant.html",
        participant=participant,
        code=display_code(participant.code),
        histories=histories,
    )


@bp.get("/participants/<code>/wheel/<key>.svg")
def participant_wheel(code, key):
    participant = find_participant(code) or abort(404)
    instrument = _instrument(key)
    readings = readings_for(participant, instrument)
    if len(readings) < 2:
        abort(404)
    chart = wheel_chart(instrument, readings, str(get_locale()))
    return HttpResponse(chart.svg, mimetype="image/svg+xml", headers={"Cache-Control": "private"})
