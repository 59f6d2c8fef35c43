"""Emails to staff about things other than safeguarding alerts (an overdue provider return, a
question about a return and its answer), through the one outbox (`SafeguardingEmail` with no
alert), so a mail server that is down delays them but never loses them. `flask safeguarding
send` sends what is due.

Nothing here writes anything personal about young people into an email: only what the
notice is about (a contract, a period) and a link to the page, where signing in is needed.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import RoleGrant, SafeguardingEmail, User
from app.models.timeutil import utcnow

FOOTER = "This email holds no personal details about young people. Sign in to read more."


def public_url(path: str) -> str:
    """An address on this platform that works from an email (`PUBLIC_BASE_URL`)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def provider_addresses(provider_id: int) -> list[str]:
    """Every active account with the provider role at this provider."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(RoleGrant)
            .where(
                RoleGrant.role == "provider",
                User.provider_id == provider_id,
                User.active.is_(True),
            )
            .order_by(User.email)
            .distinct()
        )
    )


def queue(
    kind: str, recipients: list[str], subject: str, body: str, now: datetime | None = None
) -> int:
    """Add one outbox row per recipient to the session (the caller commits). Returns how
    many were queued."""
    now = now or utcnow()
    for recipient in dict.fromkeys(recipients):
        db.session.add(
            SafeguardingEmail(
                alert_id=None,
                kind=kind,
                recipient=recipient,
                subject=subject[:200],
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return len(dict.fromkeys(recipients))
