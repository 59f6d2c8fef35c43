"""Rate limits kept in the database, so every worker and every machine counts together.

Two kinds. `too_many`/`add_all` count sends in a sliding window, added in the transaction that
stores what was sent. `claim`/`release` guard guesses (codes, passwords): one atomic UPDATE
counts the attempt and decides whether it may go ahead, before the guess is checked, so
twenty concurrent guesses cannot all pass a check that allows ten.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import DateTime, and_, bindparam, case, delete, func, literal, null, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Attempt, AttemptCounter
from app.models.timeutil import utcnow

COUNTERS = AttemptCounter.__table__
IPV6_GROUP = 64


def client_address(remote_addr: str | None) -> str:
    """The address a client is counted by. An IPv6 client is counted by its /64 network: one
    home or phone connection is given a whole /64, and could otherwise try again from each of
    its addresses. An IPv4 address inside IPv6 is counted as the IPv4 address."""
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_GROUP}", strict=False))
    return str(address)


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


def add_all(attempts: list[tuple[str, str]]) -> None:
    """Count several attempts (kind, key) with whatever the caller commits next."""
    db.session.add_all([Attempt(kind=kind, key=key[:128]) for kind, key in attempts])


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
    """Delete attempts made before `moment` (naive UTC, earlier than any window reaches), and
    counters quiet since then: they count for nothing any more. The caller commits."""
    result = db.session.execute(delete(Attempt).where(Attempt.created_at < moment))
    c = COUNTERS.c
    quiet_counters = db.session.execute(
        delete(COUNTERS).where(
            c.last_at < moment, or_(c.blocked_until.is_(None), c.blocked_until < moment)
        )
    )
    return result.rowcount + quiet_counters.rowcount


def _ensure_counter(kind: str, key: str) -> None:
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(COUNTERS)
        .values(kind=kind, key=key, count=0, last_at=utcnow())
        .on_conflict_do_nothing(index_elements=["kind", "key"])
    )


def _at(moment: datetime):
    return literal(moment, DateTime())


def claim(
    kind: str, key: str, limit: int, delays: Sequence[timedelta], quiet: timedelta
) -> datetime | None:
    """Count one attempt for (kind, key) and commit. None: it may go ahead. Otherwise the
    moment (naive UTC) the key is free again, and the attempt is not counted.

    The attempt that reaches `limit` pauses the key for `delays[0]`; each attempt after a
    pause pauses it for the next delay, the last one repeating. The count starts again once
    `quiet` has passed since both the last attempt and the end of the last pause. An attempt
    that turns out not to be a failure is given back with `release`, or all with
    `forget_counter`."""
    key = key[:128]
    now = utcnow()
    since = now - quiet
    _ensure_counter(kind, key)
    c = COUNTERS.c
    quiet_since = or_(c.blocked_until.is_(None), c.blocked_until < _at(since))
    stale = and_(c.last_at < _at(since), quiet_since)
    counted = case((stale, 1), else_=c.count + 1)
    beyond = counted - limit
    pause = _at(now + delays[-1])
    if len(delays) > 1:
        whens = [(beyond == i, _at(now + delay)) for i, delay in enumerate(delays[:-1])]
        pause = case(*whens, else_=pause)
    # One statement reads, counts and decides: the row lock (PostgreSQL) or the single writer
    # (SQLite) makes concurrent claims take turns, each seeing the one before.
    counted_row = db.session.execute(
        sql_update(COUNTERS)
        .where(
            c.kind == kind,
            c.key == key,
            or_(c.blocked_until.is_(None), c.blocked_until <= _at(now)),
        )
        .values(
            count=counted,
            last_at=_at(now),
            blocked_until=case((counted >= limit, pause), else_=null()),
        )
        .returning(c.count)
    ).first()
    free_at = None
    if counted_row is None:
        free_at = (
            db.session.scalar(select(c.blocked_until).where(c.kind == kind, c.key == key))
            or now + quiet
        )
    db.session.commit()
    return free_at


def release(kind: str, key: str, limit: int) -> None:
    """Give back one claimed attempt that was not a failure (a code that was found), lifting
    the pause it may have started. Commits."""
    c = COUNTERS.c
    db.session.execute(
        sql_update(COUNTERS)
        .where(c.kind == kind, c.key == key[:128], c.count > 0)
        .values(
            count=c.count - 1,
            blocked_until=case((c.count - 1 < limit, null()), else_=c.blocked_until),
        )
    )
    db.session.commit()


def forget_counter(kind: str, key: str) -> None:
    """Start the count for (kind, key) again (a right password). Commits."""
    c = COUNTERS.c
    db.session.execute(delete(COUNTERS).where(c.kind == kind, c.key == key[:128]))
    db.session.commit()
