"""What happens to a safeguarding alert: raised, queued, acknowledged, acted on, closed,
escalated when nobody acknowledges it in time. No request objects here."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, select

from app.extensions import db
from app.models import SafeguardingAction, SafeguardingAlert, User
from app.models.safeguarding import URGENCIES
from app.models.timeutil import utcnow
from app.safeguarding import notify

# Most urgent first (0), then oldest first.
URGENCY_RANK = case(
    {name: rank for rank, name in enumerate(URGENCIES)},
    value=SafeguardingAlert.urgency,
    else_=len(URGENCIES),
)


def ack_window() -> timedelta:
    return timedelta(minutes=current_app.config["SAFEGUARDING_ACK_MINUTES"])


def acknowledge_by(alert: SafeguardingAlert) -> datetime:
    """When the alert becomes overdue if nobody has acknowledged it."""
    return alert.created_at + ack_window()


def is_overdue(alert: SafeguardingAlert, now: datetime | None = None) -> bool:
    """Not yet acknowledged, and past the time it should have been."""
    return alert.status == "new" and (now or utcnow()) >= acknowledge_by(alert)


def add_alert(**fields) -> SafeguardingAlert:
    """Add an alert and its emails to the leads to the session, for the caller to commit.

    The emails are rows in the outbox written in the same transaction, so the alert and the
    promise to tell someone about it are stored together or not at all.
    """
    fields.setdefault("urgency", "high")
    alert = SafeguardingAlert(**fields)
    db.session.add(alert)
    db.session.flush()  # the emails link to the alert by id
    notify.queue_emails(alert, kind="new")
    return alert


def raise_alert(**fields) -> SafeguardingAlert:
    """Store an alert and its outbox emails, committed, and send the emails after the
    response has gone (a mail server that is slow or down never delays or loses it)."""
    alert = add_alert(**fields)
    db.session.commit()
    notify.send_after_response(alert.id)
    return alert


def open_queue() -> list[SafeguardingAlert]:
    """Alerts not yet closed: most urgent first, then oldest first."""
    return db.session.scalars(
        select(SafeguardingAlert)
        .where(SafeguardingAlert.status != "closed")
        .order_by(URGENCY_RANK, SafeguardingAlert.created_at, SafeguardingAlert.id)
    ).all()


def recently_closed(limit: int = 20) -> list[SafeguardingAlert]:
    return db.session.scalars(
        select(SafeguardingAlert)
        .where(SafeguardingAlert.status == "closed")
        .order_by(SafeguardingAlert.closed_at.desc())
        .limit(limit)
    ).all()


def acknowledge(alert: SafeguardingAlert, user: User, now: datetime | None = None) -> None:
    """A lead takes the alert on; acknowledging twice keeps the first."""
    if alert.status != "new":
        return
    alert.status = "acknowledged"
    alert.acknowledged_at = now or utcnow()
    alert.acknowledged_by = user
    db.session.commit()


class AlertNotReady(Exception):
    """The alert cannot take this step yet; `problems` say why, as (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(" ".join(message for _field, message in problems))
        self.problems = problems


NOT_ACKNOWLEDGED = ("acknowledge", "Acknowledge the alert before you record what was done")


def record_action(alert: SafeguardingAlert, user: User, text: str) -> SafeguardingAction:
    """Record what was done, on an alert someone has acknowledged and not closed."""
    if alert.status != "acknowledged":
        raise AlertNotReady([NOT_ACKNOWLEDGED] if alert.status == "new" else [])
    action = SafeguardingAction(alert=alert, user=user, text=text.strip(), created_at=utcnow())
    db.session.add(action)
    db.session.commit()
    return action


def close_problems(alert: SafeguardingAlert, *, need_outcome: bool = True) -> list[tuple[str, str]]:
    """What stops the alert closing, in order: acknowledged, at least one action recorded,
    an outcome stated. Each is (the field that fixes it, a message for the lead)."""
    problems = []
    if alert.status == "new":
        problems.append(("acknowledge", "Acknowledge the alert before you close it"))
    if not alert.actions:
        problems.append(("text", "Record at least one thing that was done before you close it"))
    if need_outcome and not (alert.outcome or "").strip():
        problems.append(("outcome", "Enter the outcome before you close the alert"))
    return problems


def propose_outcome(alert: SafeguardingAlert, outcome: str) -> None:
    """Keep the outcome a lead has written, to check before closing. Until the alert
    closes it is a draft any lead can change."""
    if alert.status == "closed":
        raise AlertNotReady([])
    problems = close_problems(alert, need_outcome=False)
    if problems:
        raise AlertNotReady(problems)
    alert.outcome = outcome.strip()
    db.session.commit()


def close(alert: SafeguardingAlert, user: User) -> None:
    """Close the alert with the outcome checked; it leaves the queue. Refused (AlertNotReady)
    unless it was acknowledged, something was done and the outcome is stated."""
    if alert.status == "closed":
        return
    problems = close_problems(alert)
    if problems:
        raise AlertNotReady(problems)
    alert.status = "closed"
    alert.closed_at = utcnow()
    alert.closed_by = user
    db.session.commit()


def escalate_overdue(now: datetime | None = None) -> list[SafeguardingAlert]:
    """Mark every overdue, unacknowledged alert escalated (once) and queue escalation emails
    to the leads and the escalation address. Returns the alerts escalated now."""
    now = now or utcnow()
    overdue = db.session.scalars(
        select(SafeguardingAlert)
        .where(
            SafeguardingAlert.status == "new",
            SafeguardingAlert.escalated_at.is_(None),
            SafeguardingAlert.created_at <= now - ack_window(),
        )
        .order_by(URGENCY_RANK, SafeguardingAlert.created_at)
    ).all()
    for alert in overdue:
        alert.escalated_at = now
        notify.queue_emails(alert, kind="escalation", now=now)
    db.session.commit()
    return overdue
