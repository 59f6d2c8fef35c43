"""Where a provider's reply to a recommendation stands, and whether it may still change.

A reply is also the plan and due date of the action the recommendation became on its
contract's improvement case (`app.improvement.cases`).
"""

from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.inspections.errors import VisitError
from app.models import Recommendation
from app.models.timeutil import utcnow

RECOMMENDATION_STATUSES = {
    "awaiting_reply": "Awaiting reply",
    "replied": "Replied",
    "overdue": "Due date passed",
}
# A reply promises action: a date more than this far off is almost certainly a typing slip.
LONGEST_REPLY_WAIT = timedelta(days=3 * 366)


def recommendation_status(recommendation: Recommendation, today: date) -> str:
    """Awaiting reply, replied, or replied with its "by when" date passed."""
    if recommendation.reply is None:
        return "awaiting_reply"
    if recommendation.reply_due_on is not None and recommendation.reply_due_on < today:
        return "overdue"
    return "replied"


def reply_locked(recommendation: Recommendation, today: date) -> str | None:
    """Why a reply can no longer be changed, or None while it can.

    Only a superseded report's recommendations take no more replies. A passed "by when"
    date locks nothing: an overdue reply may still be given or brought up to date, and the
    action it became may still be marked done and verified.
    """
    if recommendation.visit.superseded_by_id is not None:
        return "This report has been superseded, so its recommendations take no more replies."
    return None


def due_date_problem(due_on: date | None, today: date) -> str | None:
    """What is wrong with the "by when" date of a reply, or None when it will do."""
    if due_on is None:
        return None
    if due_on < today:
        return "The date must be today or in the future"
    if due_on > today + LONGEST_REPLY_WAIT:
        return "The date must be within 3 years"
    return None


def record_reply(
    recommendation: Recommendation, user, text: str, due_on: date, today: date
) -> None:
    """Save a provider's reply: what they will do and by when. Refused once it is locked."""
    reason = reply_locked(recommendation, today)
    if reason:
        raise VisitError(reason)
    recommendation.reply = text
    recommendation.reply_due_on = due_on
    recommendation.replied_at = utcnow()
    recommendation.replied_by_id = user.id
    recommendation.status = "replied"
    db.session.commit()
