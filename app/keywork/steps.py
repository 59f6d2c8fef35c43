"""Recording an outcomes-wheel reading one step at a time: the date, then one area per page,
then a check page with a note and "Save reading".

Each step keeps its answer in the session as it goes (a signed cookie: no server memory), so
going back, changing an area from the check page or losing signal between pages loses
nothing, and a phone shows one question of ten radios at a time instead of eighty.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.extensions import db
from app.forms import answers_from_form, initial_data
from app.keywork import bp
from app.keywork.forms import ReadingCheckForm, ReadingDateForm, area_form_class
from app.keywork.routes import _instrument, _reference_for
from app.models import Service
from app.models.codes import display_code
from app.models.timeutil import uk_today
from app.readings.recording import record_reading
from app.readings.scope import recordable_services

PENDING = "reading"


class _Reading:
    """The reading being recorded in this session, with its wheel and service."""

    def __init__(self, pending: dict):
        self.pending = pending
        self.instrument = _instrument(pending["instrument"])
        self.service = db.session.scalar(
            recordable_services(current_user).where(Service.id == pending["service_id"])
        ) or abort(404)
        self.locale = str(get_locale())
        self.areas = self.instrument.star.areas
        self.answers = pending.setdefault("answers", {})

    @property
    def taken_on(self) -> date | None:
        kept = self.pending.get("taken_on")
        return date.fromisoformat(kept) if kept else None

    def save(self) -> None:
        session[PENDING] = self.pending

    def first_missing_step(self):
        """The address of the first step not yet answered, or None when all are."""
        if self.taken_on is None:
            return url_for("keywork.reading_record")
        for number, area in enumerate(self.areas, start=1):
            if area not in self.answers:
                return url_for("keywork.reading_area", number=number)
        return None

    def page_context(self) -> dict:
        code = self.pending.get("code")
        return {
            "instrument": self.instrument,
            "service": self.service,
            "code": display_code(code) if code else None,
            "locale": self.locale,
            "area_count": len(self.areas),
        }


def _current() -> _Reading | None:
    pending = session.get(PENDING)
    return _Reading(pending) if pending else None


def _next_address(reading: _Reading, number: int) -> str:
    """After a step: back to the check page when changing an answer from it, else onwards."""
    if request.args.get("from") == "check" or number >= len(reading.areas):
        return reading.first_missing_step() or url_for("keywork.reading_check")
    return url_for("keywork.reading_area", number=number + 1)


@bp.route("/readings/record", methods=["GET", "POST"])
def reading_record():
    reading = _current()
    if reading is None:
        return redirect(url_for("keywork.reading_new"))
    form = ReadingDateForm()
    if request.method == "GET":
        form.taken_on.data = reading.taken_on or uk_today()
    if form.validate_on_submit():
        reading.pending["taken_on"] = form.taken_on.data.isoformat()
        reading.save()
        return redirect(_next_address(reading, 0))
    return render_template(
        "keywork/reading_record.html", form=form, **reading.page_context()
    ), 400 if form.errors else 200


@bp.route("/readings/record/areas/<int:number>", methods=["GET", "POST"])
def reading_area(number: int):
    reading = _current()
    if reading is None:
        return redirect(url_for("keywork.reading_new"))
    if not 1 <= number <= len(reading.areas):
        abort(404)
    if reading.taken_on is None:
        return redirect(url_for("keywork.reading_record"))
    form_class = area_form_class(reading.instrument, number, reading.locale)
    kept = initial_data(reading.instrument, number, reading.answers)
    form = form_class(data=kept) if request.method == "GET" else form_class()
    if form.validate_on_submit():
        reading.answers.update(answers_from_form(form))
        reading.save()
        return redirect(_next_address(reading, number))
    back = (
        url_for("keywork.reading_check")
        if request.args.get("from") == "check"
        else url_for("keywork.reading_area", number=number - 1)
        if number > 1
        else url_for("keywork.reading_record")
    )
    return render_template(
        "keywork/reading_area.html",
        form=form,
        number=number,
        back=back,
        **reading.page_context(),
    ), 400 if form.errors else 200


@bp.route("/readings/record/check", methods=["GET", "POST"])
def reading_check():
    reading = _current()
    if reading is None:
        return redirect(url_for("keywork.reading_new"))
    missing = reading.first_missing_step()
    if missing:
        return redirect(missing)
    form = ReadingCheckForm()
    if request.method == "GET":
        form.submission_key.data = reading.pending["key"]
        form.note.data = reading.pending.get("note", "")
    if form.validate_on_submit():
        saved = record_reading(
            submission_key=form.submission_key.data or reading.pending["key"],
            code=reading.pending["code"],
            service=reading.service,
            recorded_by=current_user,
            instrument=reading.instrument,
            taken_on=reading.taken_on,
            answers=reading.answers,
            note=(form.note.data or "").strip(),
        )
        session.pop(PENDING, None)
        flash(
            "Reading saved."
            + (
                ""
                if reading.pending["code"]
                else " Keep their new key-work code for their next reading."
            )
        )
        return redirect(url_for("keywork.participant", reference=_reference_for(saved.participant)))
    texts = reading.instrument.fieldwork_texts(reading.locale)
    stages = reading.instrument.star.stages
    rows = [
        {
            "number": number,
            "name": texts.area_name(area),
            "score": int(reading.answers[area]),
            "stage": next(
                (
                    texts.stage_label(s.key)
                    for s in stages
                    if s.min <= int(reading.answers[area]) <= s.max
                ),
                "",
            ),
        }
        for number, area in enumerate(reading.areas, start=1)
    ]
    return render_template(
        "keywork/reading_check.html",
        form=form,
        areas=rows,
        taken_on=reading.taken_on,
        **reading.page_context(),
    ), 400 if form.errors else 200
