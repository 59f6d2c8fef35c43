"""Following a case through: review meetings, escalation when it is not improving, and
closing it with what was learned."""

from __future__ import annotations

from datetime import date, timedelta

from app import audit
from app.dates import format_day
from app.extensions import db
from app.improvement import notify
from app.improvement.cases import BOTH, CaseError, _require_open
from app.models.improvement import (
    ESCALATION_LEVELS,
    OUTCOMES,
    PROGRESS,
    EscalationStep,
    ImprovementCase,
    ReviewMeeting,
)
from app.models.timeutil import utcnow


def record_review(case: ImprovementCase, user, **fields) -> ReviewMeeting:
    _require_open(case)
    if fields.get("progress") not in PROGRESS:
        raise CaseError("Choose how much progress has been made")
    review = ReviewMeeting(case=case, recorded_by_id=user.id, **fields)
    db.session.add(review)
    if case.review_interval_weeks:
        case.next_review_on = review.held_on + timedelta(weeks=case.review_interval_weeks)
    db.session.flush()
    notify.tell(
        case,
        BOTH,
        "review",
        "Review meeting recorded",
        f"The review meeting of {format_day(review.held_on)} has been recorded, with an "
        f"evaluation of progress ({review.progress_label.lower()}).",
        f"/reviews/{review.id}",
        besides=user,
    )
    audit.record("improvement_review_recorded", review, case_id=case.id)
    return review


def escalate(case: ImprovementCase, user, level: str, taken_on: date, note: str):
    _require_open(case)
    if level not in ESCALATION_LEVELS:
        raise CaseError("Choose a step of the escalation ladder")
    step = EscalationStep(
        case=case, level=level, taken_on=taken_on, note=note, recorded_by_id=user.id
    )
    db.session.add(step)
    db.session.flush()
    notify.tell(
        case,
        BOTH,
        "escalation",
        "Escalation recorded",
        f"{ESCALATION_LEVELS[level]} recorded on {format_day(taken_on)}.",
        "/escalation",
        besides=user,
    )
    audit.record("improvement_escalation_recorded", step, case_id=case.id, level=level)
    return step


def close(case: ImprovementCase, user, outcome: str, worked: str, differently: str) -> None:
    _require_open(case)
    if outcome not in OUTCOMES:
        raise CaseError("Choose the outcome")
    case.status = "closed"
    case.outcome = outcome
    case.worked = worked
    case.differently = differently
    case.closed_at = utcnow()
    case.closed_by_id = user.id
    notify.tell(
        case,
        BOTH,
        "closed",
        "Improvement case closed",
        f"The improvement case is closed. Outcome: {OUTCOMES[outcome].lower()}.",
        besides=user,
    )
    audit.record("improvement_case_closed", case, outcome=outcome)
