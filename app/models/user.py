from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.organisation import Provider
from app.models.timeutil import utcnow

# Who does what, in the words people use: the one mapping every page shows roles by (the home
# page, the users list, the account form). See app/access.py for what each may do.
ROLES = {
    "admin": "Admin",
    "commissioner": "Commissioner",
    "coordinator": "Participation coordinator",
    "peer_researcher": "Young inspector",
    "key_worker": "Key worker",
    "provider": "Provider",
    "safeguarding_lead": "Safeguarding lead",
}


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


# Checked when an address is unknown, so a wrong address costs the same time as a wrong
# password: one per hash method, made on first use.
_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash(method: str) -> str:
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return _DUMMY_HASHES[method]


def _hash_method() -> str:
    # Tests may ask for a cheaper scrypt cost; production keeps Werkzeug's default.
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash`. Always runs one hash check, against a
    dummy hash of the same cost when there is no hash, so no path answers sooner."""
    if password_hash:
        return check_password_hash(password_hash, password)
    check_password_hash(_dummy_hash(_hash_method()), password)
    return False


class User(UserMixin, db.Model):
    """A member of staff or a peer researcher. Young people answering surveys have no account."""

    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # scrypt through Werkzeug; None until the person sets a password from their link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_signed_in_at: Mapped[datetime | None]
    # Part of the id kept in the session cookie: a new token ends every copy of every session
    # (sign-out, a new password, an admin's "sign out everywhere").
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    provider: Mapped[Provider | None] = relationship()
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    # The commissioning bodies a commissioner, coordinator or admin works for.
    bodies = relationship(
        "CommissioningBody",
        secondary="body_member",
        back_populates="members",
        order_by="CommissioningBody.name",
    )

    @property
    def roles(self) -> set[str]:
        return {grant.role for grant in self.role_grants}

    @property
    def role_names(self) -> list[str]:
        """The person's roles in words, in the order `ROLES` lists them."""
        have = self.roles
        return [name for role, name in ROLES.items() if role in have]

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles) -> None:
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        keep = [grant for grant in self.role_grants if grant.role in roles]
        have = {grant.role for grant in keep}
        self.role_grants = keep + [RoleGrant(role=role) for role in sorted(set(roles) - have)]

    def set_password(self, password: str) -> None:
        """A new password also ends every session signed in with the old one."""
        self.password_hash = generate_password_hash(password, method=_hash_method())
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    def end_sessions(self) -> None:
        """Sign this person out everywhere: every session cookie holding the old token fails."""
        self.session_token = new_session_token()

    def get_id(self) -> str:  # what Flask-Login keeps in the session and remember cookie
        if self.session_token is None:
            self.session_token = new_session_token()
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in for inactive accounts
        return self.active


class RoleGrant(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="role_grants")


class AttemptCounter(db.Model):
    """A running count of attempts for one (kind, key), changed only by single atomic UPDATE
    statements (see app/throttle.py), so concurrent requests can never all pass one check."""

    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    count: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
    blocked_until: Mapped[datetime | None]


class Attempt(db.Model):
    """A counted attempt (a failed sign-in, a code lookup), for rate limits that every worker
    and machine shares through the database."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (db.Index("ix_attempt_kind_key_created_at", "kind", "key", "created_at"),)
