"""Where a provider's reply to a recommendation stands, and whether it may still change."""

from __future__ import annotations

from datetime import date

from app.models import Recommendation

RECOMMENDATION_STATUSES = {
    "awaiting_reply": "Awaiting reply",
    "replied": "Replied",
    "overdue": "Due date passed",
}


def recommendation_status(recommendation: Recommendation, today: date) -> str:
    """Awaiting reply, replied, or replied with its "by when" date passed."""
    if recommendation.reply is None:
        return "awaiting_reply"
    if recommendation.reply_due_on is not None and recommendation.reply_due_on < today:
        return "overdue"
    return "replied"


def reply_locked(recommendation: Recommendation, today: date) -> str | None:
    """Why a reply can no longer be changed, or None while it can.

    A provider may change its reply until the "by when" date it gave has passed: after
    that the reply is the commitment a revisit checks, so it stays as it was.
    """
    if recommendation.visit.superseded_by_id is not None:
        return "This report has been superseded, so its recommendations take no more replies."
    if recommendation_status(recommendation, today) == "overdue":
        return (
            "The date in this reply has passed, so the reply can no longer be changed. "
            "It is what the revisit will check."
        )
    return None
