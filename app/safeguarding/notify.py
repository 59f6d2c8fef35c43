"""Emails to the safeguarding leads, through a real SMTP connection, from an outbox.

Every email is first a row in the outbox (SafeguardingEmail), committed with its alert.
Sending claims a row, hands it to the mail server and marks it sent; a failure records the
error and sets the next attempt, backing off, for ever: an alert's email is never dropped.
`flask --app wsgi safeguarding send` (run it every minute from cron or a timer) retries
what is due; an immediate attempt is also made once the request that raised the alert has
finished.

An email says only what a lead needs to act: which alert, how urgent, where it came from
and a link. The respondent's contact details, message and answers stay behind the sign-in,
because email passes through servers the service does not control.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import select, update

from app.extensions import db
from app.models import RoleGrant, SafeguardingAlert, SafeguardingEmail, User
from app.models.timeutil import utcnow
from app.safeguarding.details import uk_time

log = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, ... failed attempt; the last repeats for ever.
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60)
# A claimed row is left alone by other senders for this long, so two workers (the request's
# own attempt and the cron job) never send the same email twice.
CLAIM_LEASE = timedelta(minutes=5)


def lead_addresses() -> list[str]:
    """Every active safeguarding lead; if there are none, the admins, so somebody hears."""
    for role in ("safeguarding_lead", "admin"):
        addresses = db.session.scalars(
            select(User.email)
            .join(RoleGrant)
            .where(RoleGrant.role == role, User.active.is_(True))
            .order_by(User.email)
        ).all()
        if addresses:
            return list(addresses)
    return []


def alert_url(alert: SafeguardingAlert) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/safeguarding/alerts/{alert.id}"


def _when(moment: datetime) -> str:
    return uk_time(moment) + " (UK time)"


def compose(alert: SafeguardingAlert, kind: str) -> tuple[str, str]:
    """Subject and body: alert number, urgency, source, times and a link; nothing personal."""
    minutes = current_app.config["SAFEGUARDING_ACK_MINUTES"]
    due = alert.created_at + timedelta(minutes=minutes)
    if kind == "escalation":
        # Short enough for one header line: some mail clients show a folded subject badly.
        subject = (
            f"OVERDUE safeguarding alert {alert.id} ({alert.urgency_label.lower()}): "
            f"not acknowledged in {minutes} min"
        )
        opening = (
            f"Safeguarding alert {alert.id} has not been acknowledged within {minutes} "
            "minutes. A safeguarding lead needs to take it on now."
        )
    else:
        subject = (
            f"Safeguarding alert {alert.id} ({alert.urgency_label.lower()}): {alert.source_label}"
        )
        opening = "A new safeguarding alert needs a safeguarding lead."
    body = "\n".join(
        [
            opening,
            "",
            f"Alert: {alert.id}",
            f"Urgency: {alert.urgency_label}",
            f"Source: {alert.source_label}",
            f"Raised: {_when(alert.created_at)}",
            f"Acknowledge by: {_when(due)}",
            "",
            f"Open the alert (sign in first): {alert_url(alert)}",
            "",
            "This email holds no personal details. They are on the alert page.",
        ]
    )
    return subject, body


def queue_emails(alert: SafeguardingAlert, kind: str, now: datetime | None = None) -> int:
    """Add one outbox row per recipient to the session (the caller commits)."""
    recipients = lead_addresses()
    if kind == "escalation":
        extra = current_app.config.get("SAFEGUARDING_ESCALATION_EMAIL")
        if extra and extra not in recipients:
            recipients.append(extra)
    if not recipients:
        # Nobody to email: the alert still waits in the queue, and the log says why.
        log.error("safeguarding alert %s: no safeguarding lead or admin to email", alert.id)
    subject, body = compose(alert, kind)
    now = now or utcnow()
    for recipient in recipients:
        db.session.add(
            SafeguardingEmail(
                alert_id=alert.id,
                kind=kind,
                recipient=recipient,
                subject=subject,
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return len(recipients)


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"])
    try:
        if config["SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
    except Exception:
        smtp.close()
        raise
    return smtp


def _message(email: SafeguardingEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = email.recipient
    message["Subject"] = email.subject
    # One id per outbox row: a mail system that sees the same id twice can drop the copy.
    domain = current_app.config["SMTP_FROM"].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"safeguarding-email-{email.id}", domain=domain)
    message.set_content(email.body)
    return message


def _claim(email_id: int, due_at: datetime, now: datetime) -> bool:
    """Take the row for this sender, unless another sender has taken or sent it."""
    result = db.session.execute(
        update(SafeguardingEmail)
        .where(
            SafeguardingEmail.id == email_id,
            SafeguardingEmail.sent_at.is_(None),
            SafeguardingEmail.next_attempt_at == due_at,
        )
        .values(
            next_attempt_at=now + CLAIM_LEASE,
            attempts=SafeguardingEmail.attempts + 1,
        )
    )
    db.session.commit()
    return result.rowcount == 1


def send_due(now: datetime | None = None, alert_ids=None, limit: int = 200) -> tuple[int, int]:
    """Send the outbox emails that are due; returns (sent, failed).

    One connection serves the batch. When the mail server cannot be reached the batch stops
    after recording the failure, so a dead server costs one timeout, not one per email.
    """
    now = now or utcnow()
    query = (
        select(SafeguardingEmail.id, SafeguardingEmail.next_attempt_at)
        .where(SafeguardingEmail.sent_at.is_(None), SafeguardingEmail.next_attempt_at <= now)
        .order_by(SafeguardingEmail.next_attempt_at, SafeguardingEmail.id)
        .limit(limit)
    )
    if alert_ids is not None:
        query = query.where(SafeguardingEmail.alert_id.in_(list(alert_ids)))
    due = db.session.execute(query).all()
    sent = failed = 0
    smtp = None
    try:
        for email_id, due_at in due:
            if not _claim(email_id, due_at, now):
                continue
            email = db.session.get(SafeguardingEmail, email_id)
            try:
                if smtp is None:
                    smtp = _connect()
                smtp.send_message(_message(email))
            except (OSError, smtplib.SMTPException) as error:
                failed += 1
                _record_failure(email, error, now)
                if smtp is None or isinstance(error, OSError):
                    break  # the server is unreachable: the rest wait for the next run
                if isinstance(error, smtplib.SMTPServerDisconnected):
                    smtp = None  # reconnect for the next email
                continue
            email.sent_at = utcnow()
            email.last_error = None
            db.session.commit()
            sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return sent, failed


def _record_failure(email: SafeguardingEmail, error: Exception, now: datetime) -> None:
    step = BACKOFF_MINUTES[min(email.attempts, len(BACKOFF_MINUTES)) - 1]
    email.next_attempt_at = now + timedelta(minutes=step)
    email.last_error = f"{type(error).__name__}: {error}"[:1000]
    db.session.commit()
    log.warning(
        "safeguarding email %s to %s failed (attempt %s), next at %s: %s",
        email.id,
        email.recipient,
        email.attempts,
        email.next_attempt_at,
        email.last_error,
    )


def send_now(alert_ids) -> None:
    """Best effort: send these alerts' emails now. Any failure is left for the retry."""
    try:
        send_due(alert_ids=alert_ids)
    except Exception:  # the outbox keeps the email; the respondent must still be thanked
        db.session.rollback()
        log.exception("immediate safeguarding email failed; the outbox will retry")


def send_after_response(alert_id: int) -> None:
    """Send the alert's emails once the response has gone to the browser, so a slow mail
    server never keeps a respondent waiting; outside a request, send straight away."""
    if not has_request_context():
        send_now([alert_id])
        return
    app = current_app._get_current_object()

    @after_this_request
    def _later(response):
        def send():
            with app.app_context():
                send_now([alert_id])
                db.session.remove()

        response.call_on_close(send)
        return response


def outbox_problems() -> int:
    """Emails due or overdue that the mail server has not yet accepted after a try."""
    return db.session.scalar(
        select(db.func.count(SafeguardingEmail.id)).where(
            SafeguardingEmail.sent_at.is_(None), SafeguardingEmail.attempts > 0
        )
    )
