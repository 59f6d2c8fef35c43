"""What is held about a participant, and forgetting it: self-service, subject access and
the retention run. No request objects here; views pass in what they need."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from app import throttle
from app.extensions import db, instrument_registry
from app.models import Campaign, Draft, Participant, Reading, Response, SafeguardingAlert
from app.models.campaign import DEFAULT_RETENTION_MONTHS
from app.models.codes import normalise_code
from app.models.timeutil import utcnow

DRAFTS_KEPT_FOR = timedelta(days=30)
# Counted attempts (sign-ins, code guesses, sends of answers) matter for minutes, and some
# hold a client's address, so they are not kept beyond a day.
ATTEMPTS_KEPT_FOR = timedelta(days=1)


def find_participant(code: str) -> Participant | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(select(Participant).where(Participant.code == code))


def instrument_of(instrument_id: str, version: int):
    try:
        return instrument_registry().get(instrument_id, version)
    except KeyError:
        return None


def _answer_rows(response: Response, locale: str) -> list[dict[str, str]]:
    instrument = instrument_of(response.instrument_id, response.instrument_version)
    rows = []
    for item_id, value in (response.answers or {}).items():
        if instrument is None:
            rows.append({"item": item_id, "question": item_id, "answer": str(value)})
            continue
        try:
            question = instrument.item_text(item_id, locale)
            answer = instrument.answer_label(item_id, value, locale)
        except KeyError:
            question, answer = item_id, str(value)
        rows.append({"item": item_id, "question": question, "answer": answer})
    return rows


def responses_of(participant: Participant) -> list[Response]:
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.participant_id == participant.id)
            .order_by(Response.submitted_at.desc(), Response.id.desc())
        )
    )


def answers_summary(participant: Participant, locale: str) -> list[dict[str, Any]]:
    """Each response with its instrument title and answers in words, newest first."""
    summary = []
    for response in responses_of(participant):
        instrument = instrument_of(response.instrument_id, response.instrument_version)
        summary.append(
            {
                "id": response.id,
                "submitted_at": response.submitted_at,
                "title": instrument.title(locale) if instrument else response.instrument_id,
                "answers": _answer_rows(response, locale),
            }
        )
    return summary


def _response_record(response: Response, locale: str) -> dict[str, Any]:
    return {
        "submitted_at": response.submitted_at.isoformat(),
        "instrument": response.instrument_id,
        "instrument_version": response.instrument_version,
        "language": response.language,
        "answers": response.answers,
        "answers_in_words": _answer_rows(response, locale),
        "score": response.raw_score,
        "metric_score": response.metric_score,
        "band": response.band,
        # How they agreed to take part: held about them, so shown to them too.
        "age_band": response.age_band,
        "consent_by": response.consent_by,
        "privacy_notice_version": response.consent_notice_version,
        "consented_at": response.consented_at.isoformat() if response.consented_at else None,
    }


def _readings(participant: Participant) -> list[Reading]:
    return list(
        db.session.scalars(
            select(Reading).where(Reading.participant_id == participant.id).order_by(Reading.id)
        )
    )


def own_answers_export(participant: Participant, locale: str) -> dict[str, Any]:
    """What a participant downloads: their answers and outcomes-wheel readings."""
    return {
        "code": participant.code,
        "responses": [_response_record(r, locale) for r in responses_of(participant)],
        "readings": [
            {"taken_on": r.taken_on.isoformat(), "instrument": r.instrument_id, "scores": r.scores}
            for r in _readings(participant)
        ],
    }


def subject_access_export(participant: Participant) -> dict[str, Any]:
    """Everything held for a code, for a subject access request answered by staff."""
    export = own_answers_export(participant, "en")
    export["participant_created_at"] = participant.created_at.isoformat()
    for record, reading in zip(export["readings"], _readings(participant), strict=True):
        record["note"] = reading.note
        record["service"] = reading.service.name
    export["drafts"] = [
        {
            "campaign": d.campaign.name,
            "created_at": d.created_at.isoformat(),
            "updated_at": d.updated_at.isoformat(),
            "answers": d.answers,
        }
        for d in db.session.scalars(
            select(Draft).where(Draft.participant_id == participant.id).order_by(Draft.id)
        )
    ]
    export["safeguarding_alerts"] = [
        {
            "created_at": a.created_at.isoformat(),
            "source": a.source,
            "status": a.status,
            "contact_method": a.contact_method,
            "contact_detail": a.contact_detail,
            "message": a.message,
            "outcome": a.outcome,
        }
        for a in db.session.scalars(
            select(SafeguardingAlert)
            .where(SafeguardingAlert.participant_id == participant.id)
            .order_by(SafeguardingAlert.id)
        )
    ]
    return export


def delete_participant(participant: Participant) -> dict[str, int]:
    """Delete a participant's answers, drafts, readings and code. Safeguarding alerts stay,
    for the safety of the young person, but no longer point at them. Returns counts."""
    response_ids = select(Response.id).where(Response.participant_id == participant.id)
    db.session.execute(
        update(SafeguardingAlert)
        .where(SafeguardingAlert.response_id.in_(response_ids))
        .values(response_id=None)
    )
    db.session.execute(
        update(SafeguardingAlert)
        .where(SafeguardingAlert.participant_id == participant.id)
        .values(participant_id=None)
    )
    counts = {}
    for name, model in (("responses", Response), ("drafts", Draft), ("readings", Reading)):
        result = db.session.execute(delete(model).where(model.participant_id == participant.id))
        counts[name] = result.rowcount
    db.session.delete(participant)
    db.session.commit()
    return counts


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def run_retention(now: datetime | None = None) -> dict[str, int]:
    """Anonymise responses past their campaign's retention period and delete stale drafts.

    A response keeps its answers to choice questions and its submission time; it loses its
    participant link and any free text. Running again changes nothing.
    """
    now = now or utcnow()
    anonymised = 0
    for campaign in db.session.scalars(select(Campaign).order_by(Campaign.id)).all():
        cutoff = months_before(now, campaign.retention_months_or_default)
        due = db.session.scalars(
            select(Response).where(
                Response.campaign_id == campaign.id,
                Response.submitted_at < cutoff,
                Response.anonymised_at.is_(None),
            )
        ).all()
        for response in due:
            instrument = instrument_of(response.instrument_id, response.instrument_version)
            response.participant_id = None
            response.answers = {
                item_id: value
                for item_id, value in (response.answers or {}).items()
                if not _is_free_text(instrument, item_id, value)
            }
            response.anonymised_at = now
            anonymised += 1
    drafts = db.session.execute(delete(Draft).where(Draft.updated_at < now - DRAFTS_KEPT_FOR))
    throttle.forget_before(now - ATTEMPTS_KEPT_FOR)
    db.session.commit()
    return {"responses_anonymised": anonymised, "drafts_deleted": drafts.rowcount}


def expire_readings_and_codes(now: datetime | None = None) -> dict[str, int]:
    """Delete outcomes-wheel readings (with their notes) taken more than the retention
    period ago, then every code that is left holding nothing.

    A code with no answers, drafts, readings or safeguarding alerts tells nobody anything
    useful, but it still links a phone or a QR passport to a record: it goes once it has
    been empty for as long as a draft is kept. Running again changes nothing.
    """
    now = now or utcnow()
    cutoff = months_before(now, DEFAULT_RETENTION_MONTHS).date()
    readings = db.session.execute(delete(Reading).where(Reading.taken_on < cutoff))
    holds_something = [
        select(model.participant_id).where(model.participant_id.is_not(None))
        for model in (Response, Draft, Reading, SafeguardingAlert)
    ]
    empty = select(Participant.id).where(
        Participant.created_at < now - DRAFTS_KEPT_FOR,
        *(Participant.id.not_in(query) for query in holds_something),
    )
    codes = db.session.execute(
        delete(Participant).where(Participant.id.in_(empty.scalar_subquery()))
    )
    db.session.commit()
    return {"readings_deleted": readings.rowcount, "codes_deleted": codes.rowcount}


def _is_free_text(instrument, item_id: str, value) -> bool:
    if instrument is None:
        return isinstance(value, str)  # unknown instrument: keep nothing that could be words
    try:
        return instrument.item(item_id).is_text
    except KeyError:
        return isinstance(value, str)
