"""Outcomes-wheel readings taken by a key worker with a young person.

Thin views: read the request, hand the work to `app.readings`, render the page.
"""

from __future__ import annotations

import secrets

from flask import Response as HttpResponse
from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.extensions import db, instrument_registry
from app.keywork import bp
from app.keywork.forms import ReadingStartForm
from app.models import Participant, Reading
from app.models.codes import display_code
from app.readings.lookup import TooManyLookups, find_participant
from app.readings.recording import readings_for
from app.readings.scope import recordable_services, visible_readings
from app.readings.wheels import histories, star_instrument, star_instruments, wheel_chart


def _find(code: str):
    """The young person with this code, or None; 429 once this person has missed too often."""
    try:
        return find_participant(code, current_user)
    except TooManyLookups:
        abort(429)


# Young people a member of staff has looked up in this session, by a random reference: the
# code a young person keeps never appears in an address, a browser's history or a log.
REFERENCES = "participant_refs"
REFERENCES_KEPT = 20


def _reference_for(participant) -> str:
    references = {k: v for k, v in session.get(REFERENCES, {}).items() if v != participant.id}
    reference = secrets.token_urlsafe(9)
    references[reference] = participant.id
    session[REFERENCES] = dict(list(references.items())[-REFERENCES_KEPT:])
    return reference


def _referenced(reference: str):
    """The young person behind a reference from this session, if staff may see them."""
    participant_id = session.get(REFERENCES, {}).get(reference)
    participant = db.session.get(Participant, participant_id) if participant_id else None
    if participant is None or not _has_visible_readings(participant):
        abort(404)
    return participant


def _has_visible_readings(participant) -> bool:
    return (
        db.session.scalar(
            select(Reading.id)
            .where(Reading.participant_id == participant.id, visible_readings(current_user))
            .limit(1)
        )
        is not None
    )


def _instrument(key: str):
    return star_instrument(instrument_registry(), key) or abort(404)


@bp.get("/")
def index():
    return render_template("keywork/index.html")


@bp.route("/readings/new", methods=["GET", "POST"])
def reading_new():
    form = ReadingStartForm()
    form.service_id.choices = [
        SelectChoice(s.id, f"{s.name} ({s.provider.name})")
        for s in db.session.scalars(recordable_services(current_user))
    ]
    form.instrument.choices = [
        SelectChoice(i.key, i.title(str(get_locale())))
        for i in star_instruments(instrument_registry())
    ]
    if request.method == "GET" and request.args.get("for"):
        participant_id = session.get(REFERENCES, {}).get(request.args["for"])
        known = db.session.get(Participant, participant_id) if participant_id else None
        if known is not None:
            form.code.data = display_code(known.worker_code)
    if form.validate_on_submit():
        code = None
        if form.code.data and form.code.data.strip():
            participant = _find(form.code.data)
            if participant is None:
                form.code.errors.append(
                    "No young person has that code. Check it, or leave it empty for a new code"
                )
                return render_template("keywork/reading_start.html", form=form), 400
            code = participant.worker_code
        session["reading"] = {
            "code": code,
            "service_id": form.service_id.data,
            "instrument": form.instrument.data,
            "key": secrets.token_urlsafe(24),
            "taken_on": None,
            "answers": {},
        }
        return redirect(url_for("keywork.reading_record"))
    return render_template("keywork/reading_start.html", form=form)


@bp.route("/participants", methods=["GET", "POST"])
def participant_search():
    form = ReadingStartForm(meta={"csrf": True})
    code = request.values.get("code", "")
    if request.method == "POST" and code:
        participant = _find(code)
        if participant and _has_visible_readings(participant):
            return redirect(url_for("keywork.participant", reference=_reference_for(participant)))
        # Not validated (the page has no other field), so errors are still a tuple.
        form.code.errors = ["No young person has that code. Check it and try again"]
    return render_template("keywork/participant_search.html", form=form)


@bp.get("/participants/<reference>")
def participant(reference):
    participant = _referenced(reference)
    visible = visible_readings(current_user)
    return render_template(
        "keywork/participant.html",
        reference=reference,
        code=display_code(participant.worker_code),
        histories=histories(instrument_registry(), participant, str(get_locale()), visible),
    )


@bp.get("/participants/<reference>/wheel/<key>.svg")
def participant_wheel(reference, key):
    participant = _referenced(reference)
    instrument = _instrument(key)
    readings = readings_for(participant, instrument, visible_readings(current_user))
    if len(readings) < 2:
        abort(404)
    chart = wheel_chart(instrument, readings, str(get_locale()))
    return HttpResponse(chart.svg, mimetype="image/svg+xml", headers={"Cache-Control": "private"})
