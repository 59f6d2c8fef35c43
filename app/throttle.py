"""Rate limits kept in the database, so every worker and every machine counts together."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, delete, func, select

from app.extensions import db
from app.models import Attempt
from app.models.timeutil import utcnow

# Built once: every send of answers asks it twice, and SQLAlchemy keys a statement built
# afresh for its cache at some cost.
ATTEMPTS_SINCE = select(func.count(Attempt.id)).where(
    Attempt.kind == bindparam("kind"),
    Attempt.key == bindparam("key"),
    Attempt.created_at >= bindparam("since"),
)


def too_many(kind: str, key: str, limit: int, window: timedelta) -> bool:
    since = utcnow() - window
    count = db.session.scalar(ATTEMPTS_SINCE, {"kind": kind, "key": key, "since": since})
    return count >= limit


def record(kind: str, key: str) -> None:
    add_all([(kind, key)])
    db.session.commit()


def add_all(attempts: list[tuple[str, str]]) -> None:
    """Count several attempts (kind, key) with whatever the caller commits next."""
    db.session.add_all([Attempt(kind=kind, key=key[:128]) for kind, key in attempts])


def forget(kind: str, key: str) -> None:
    db.session.execute(delete(Attempt).where(Attempt.kind == kind, Attempt.key == key))
    db.session.commit()


def free_again_at(kind: str, key: str, limit: int, window: timedelta):
    """When `too_many` will next say no for this key (naive UTC), or None if it does now."""
    since = utcnow() - window
    counted = db.session.scalars(
        select(Attempt.created_at)
        .where(Attempt.kind == kind, Attempt.key == key, Attempt.created_at >= since)
        .order_by(Attempt.created_at.desc())
        .offset(max(limit - 1, 0))
        .limit(1)
    ).first()
    return None if counted is None else counted + window


def forget_before(moment) -> int:
    """Delete attempts made before `moment` (naive UTC, earlier than any window reaches):
    they count for nothing any more. The caller commits."""
    result = db.session.execute(delete(Attempt).where(Attempt.created_at < moment))
    return result.rowcount
