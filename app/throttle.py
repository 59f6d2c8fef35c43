"""Rate limits kept in the database, so every worker and every machine counts together."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import Attempt
from app.models.timeutil import utcnow


def too_many(kind: str, key: str, limit: int, window: timedelta) -> bool:
    since = utcnow() - window
    count = db.session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.kind == kind, Attempt.key == key, Attempt.created_at >= since
        )
    )
    return count >= limit


def record(kind: str, key: str) -> None:
    db.session.add(Attempt(kind=kind, key=key[:128]))
    db.session.commit()


def forget(kind: str, key: str) -> None:
    db.session.execute(delete(Attempt).where(Attempt.kind == kind, Attempt.key == key))
    db.session.commit()
