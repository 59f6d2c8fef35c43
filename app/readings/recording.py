"""Recording a reading, and a young person's readings on one wheel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select, true
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.instruments.model import Instrument
from app.models import Participant, Reading, Service


def record_reading(
    *,
    submission_key: str,
    code: str | None,
    service: Service,
    recorded_by,
    instrument: Instrument,
    taken_on: date,
    answers: Mapping[str, str],
    note: str | None,
) -> Reading:
    """Store a reading for the young person with `code`, or for a new young person (with a
    new code) when `code` is None. Sent twice with the same key, the first reading stands."""
    existing = db.session.scalar(select(Reading).where(Reading.submission_key == submission_key))
    if existing is not None:
        return existing
    if code:
        participant = db.session.scalar(select(Participant).where(Participant.worker_code == code))
    else:
        participant = Participant.create()
        db.session.add(participant)
    reading = Reading(
        submission_key=submission_key,
        participant=participant,
        service_id=service.id,
        recorded_by_id=recorded_by.id,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        taken_on=taken_on,
        scores={area: int(answers[area]) for area in instrument.star.areas},
        note=note or None,
    )
    db.session.add(reading)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return db.session.scalar(select(Reading).where(Reading.submission_key == submission_key))
    return reading


def readings_for(participant: Participant, instrument: Instrument, visible=None) -> list[Reading]:
    """The young person's readings on this wheel (id and version) that the `visible`
    condition allows (see `app.readings.scope`), oldest first."""
    return db.session.scalars(
        select(Reading)
        .where(
            Reading.participant_id == participant.id,
            Reading.instrument_id == instrument.id,
            Reading.instrument_version == instrument.version,
            true() if visible is None else visible,
        )
        .order_by(Reading.taken_on, Reading.id)
    ).all()
