from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.organisation import Provider
from app.models.timeutil import utcnow

# Who does what; see app/access.py for what each may do.
ROLES = {
    "admin": "Admin",
    "commissioner": "Commissioner",
    "coordinator": "Participation coordinator",
    "peer_researcher": "Peer researcher (young inspector or mystery shopper)",
    "key_worker": "Key worker",
    "provider": "Provider",
    "safeguarding_lead": "Safeguarding lead",
}


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

    provider: Mapped[Provider | None] = relationship()
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def roles(self) -> set[str]:
        return {grant.role for grant in self.role_grants}

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
        # Tests may ask for a cheaper scrypt cost; production keeps Werkzeug's default.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

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


class Attempt(db.Model):
    """A counted attempt (a failed sign-in, a code lookup), for rate limits that every worker
    and machine shares through the database."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (db.Index("ix_attempt_kind_key_created_at", "kind", "key", "created_at"),)
