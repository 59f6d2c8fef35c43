"""A coordinator's part: the agreed rating per characteristic, recommendations, finalising
the report, and superseding a final report with a corrected version."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.inspections.errors import ReportIsFinal, VisitError, guard_open
from app.inspections.frameworks import characteristic_text
from app.inspections.rating import submitted_ratings
from app.instruments.model import Instrument
from app.models import ModeratedRating, PanelMember, PanelRating, Recommendation, Visit
from app.models.timeutil import utcnow


def save_moderation(
    visit: Visit,
    instrument: Instrument,
    choices: Mapping[str, tuple[str | None, str | None]],
    summary: str | None,
    *,
    new_recommendation: str | None = None,
    remove: Recommendation | None = None,
) -> None:
    """Record the agreed rating and note for each characteristic (a blank rating clears it)
    and the report's summary, and add or remove a recommendation, all in one commit: the
    coordinator's page sends them together so none of it is lost. Refused once the report
    is final."""
    if visit.is_final:
        raise ReportIsFinal(visit)
    guard_open(visit)
    allowed = set(instrument.framework.rating_values)
    existing = {m.characteristic: m for m in visit.moderated}
    for characteristic in instrument.framework.characteristics:
        rating, note = choices.get(characteristic, (None, None))
        if rating is not None and rating not in allowed:
            raise VisitError(f"{rating!r} is not a rating on this framework's scale")
        current = existing.get(characteristic)
        if not rating:
            if current is not None:
                visit.moderated.remove(current)
            continue
        if current is None:
            current = ModeratedRating(characteristic=characteristic)
            visit.moderated.append(current)
        current.rating = rating
        current.note = note or None
    visit.summary = summary or None
    if new_recommendation:
        visit.recommendations.append(
            Recommendation(text=new_recommendation, status="awaiting_reply")
        )
    if remove is not None and remove in visit.recommendations:
        visit.recommendations.remove(remove)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VisitError(
            "Someone else saved the moderation at the same moment. Check it and save again."
        ) from None


def moderation_answers(visit: Visit) -> dict[str, str]:
    """The moderation recorded so far, as the moderation form's fields hold it."""
    data = {"summary": visit.summary or ""}
    for moderated in visit.moderated:
        data[f"rating_{moderated.characteristic}"] = moderated.rating
        data[f"note_{moderated.characteristic}"] = moderated.note or ""
    return data


def finalise_problems(visit: Visit, instrument: Instrument) -> list[str]:
    """What stops the report being finalised, in words for the coordinator."""
    problems = []
    if not submitted_ratings(visit):
        problems.append("No panel member has submitted their ratings yet.")
    moderated = {m.characteristic for m in visit.moderated}
    missing = [c for c in instrument.framework.characteristics if c not in moderated]
    if missing:
        names = "; ".join(characteristic_text(instrument, c) for c in missing)
        problems.append(f"Record a moderated rating for: {names}.")
    return problems


def finalise(visit: Visit, user, instrument: Instrument) -> None:
    """Make the report final: from now on it is evidence and cannot change."""
    if visit.is_final:
        raise ReportIsFinal(visit)
    problems = finalise_problems(visit, instrument)
    if problems:
        raise VisitError(" ".join(problems))
    result = db.session.execute(
        update(Visit)
        .where(Visit.id == visit.id, Visit.finalised_at.is_(None))
        .values(finalised_at=utcnow(), finalised_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(visit)
    if result.rowcount != 1:
        raise ReportIsFinal(visit)


def supersede_refusal(visit: Visit) -> str | None:
    """Why this report cannot be superseded, or None when it can."""
    if not visit.is_final:
        return "Only a finalised report can be superseded; this one can still be edited."
    if visit.superseded_by_id is not None:
        return "This report has already been superseded by a newer version."
    return None


def supersede(visit: Visit, user, reason: str) -> Visit:
    """Start a corrected version of a final report. The old one stays readable, marked as
    superseded with the reason; the new one starts from its ratings, moderation and
    recommendations (not the provider's replies, which answered the old wording) and is a
    draft until it is finalised in its turn."""
    if not visit.is_final:
        raise VisitError("Only a finalised report can be superseded. This one can still be edited.")
    if visit.superseded_by_id is not None:
        raise VisitError("This report has already been superseded.")
    replacement = Visit(
        service_id=visit.service_id,
        kind=visit.kind,
        channel=visit.channel,
        scenario=visit.scenario,
        visit_on=visit.visit_on,
        framework_id=visit.framework_id,
        framework_version=visit.framework_version,
        created_by_id=user.id,
        summary=visit.summary,
    )
    replacement.panel = [PanelMember(user_id=m.user_id) for m in visit.panel]
    replacement.ratings = [
        PanelRating(
            user_id=r.user_id,
            ratings=dict(r.ratings or {}),
            notes=dict(r.notes or {}),
            submitted_at=r.submitted_at,
        )
        for r in submitted_ratings(visit)
    ]
    replacement.moderated = [
        ModeratedRating(characteristic=m.characteristic, rating=m.rating, note=m.note)
        for m in visit.moderated
    ]
    replacement.recommendations = [
        Recommendation(text=r.text, status="awaiting_reply") for r in visit.recommendations
    ]
    db.session.add(replacement)
    db.session.flush()
    result = db.session.execute(
        update(Visit)
        .where(Visit.id == visit.id, Visit.superseded_by_id.is_(None))
        .values(superseded_by_id=replacement.id, supersede_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise VisitError("This report has already been superseded.")
    db.session.commit()
    db.session.refresh(visit)
    return replacement
