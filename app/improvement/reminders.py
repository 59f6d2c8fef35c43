"""The daily reminders of `flask improvement remind`: an action due within 7 days, an
action overdue, a review due. Each is sent once per date (a revised date earns a new one)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import audit
from app.dates import format_day
from app.extensions import db
from app.improvement import notify
from app.improvement.notify import COMMISSIONING, PROVIDER
from app.improvement.summary import UNFINISHED
from app.models.improvement import ImprovementCase

SOON = timedelta(days=7)


def _sides(owner: str) -> tuple[str, ...]:
    # Partners have no accounts here: the commissioner, who works with them, is told.
    return (PROVIDER, COMMISSIONING) if owner == "provider" else (COMMISSIONING,)


def remind(today: date) -> dict[str, int]:
    """Queue the reminders due today; commit. Returns how many of each kind were queued."""
    sent = {"due_soon": 0, "overdue": 0, "review_due": 0}
    cases = db.session.scalars(select(ImprovementCase).where(ImprovementCase.status == "open"))
    for case in cases:
        for action in case.actions:
            if action.status not in UNFINISHED or action.due_on is None:
                continue
            due = action.due_on
            if due < today and action.overdue_sent_for != due:
                action.overdue_sent_for = due
                notify.tell(
                    case,
                    _sides(action.owner),
                    "action_overdue",
                    "An action is overdue",
                    f"An action owned by {action.owner_label.lower()} was due on "
                    f"{format_day(due)} and is not yet done. It can still be marked done.",
                    "/plan",
                )
                sent["overdue"] += 1
            elif today <= due <= today + SOON and action.due_soon_sent_for != due:
                action.due_soon_sent_for = due
                notify.tell(
                    case,
                    _sides(action.owner),
                    "action_due",
                    "An action is due within 7 days",
                    f"An action owned by {action.owner_label.lower()} is due on {format_day(due)}.",
                    "/plan",
                )
                sent["due_soon"] += 1
        review = case.next_review_on
        if review is not None and review <= today + SOON and case.review_reminded_for != review:
            case.review_reminded_for = review
            notify.tell(
                case,
                (PROVIDER, COMMISSIONING),
                "review_due",
                "A review meeting is due",
                f"The case's next review meeting is due on {format_day(review)}.",
            )
            sent["review_due"] += 1
    db.session.commit()
    if any(sent.values()):
        audit.record("improvement_reminders_queued", None, actor="system", **sent)
    return sent
