"""Tokens for the read-only API: made, hashed, checked and revoked.

A token is shown once, when it is made; only its SHA-256 hash is kept
(`ApiToken.token_hash`), so a copy of the database gives no one a working token. Its first
characters (`prefix`) tell a person's tokens apart in lists and in the audit log. Only
people whose roles let them read evidence may hold one, and a token stops working when it
is revoked, when its owner's account is made inactive, or when they lose those roles.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.models import ApiToken, User
from app.models.timeutil import utcnow

# The roles that may read evidence (app.access.EVIDENCE_READERS) may read it by API too.
TOKEN_ROLES = ("admin", "coordinator", "commissioner", "provider")
# "Have your say": tells a token apart from other secrets in a file or a leak scanner.
TOKEN_START = "hys_"
PREFIX_LENGTH = 12
NAME_LENGTH = 100
# Tokens in use at once per person: enough for every report and tool they run.
MOST_IN_USE = 20

UNAUTHORISED, FORBIDDEN = 401, 403


class TokenRefused(Exception):
    """A token could not be made: the message says why, in words for the person."""


@dataclass(frozen=True)
class Checked:
    """What a token presented to the API turned out to be: its record (None when unknown),
    and when it may not be used, the HTTP status and the message to answer with."""

    token: ApiToken | None
    status: int = 200
    problem: str = ""

    @property
    def allowed(self) -> bool:
        return not self.problem


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(text: str) -> str:
    """The first characters of a token: safe to keep and show, useless on their own."""
    return text[:PREFIX_LENGTH]


def may_hold_tokens(user: User) -> bool:
    return user.has_role(*TOKEN_ROLES)


def in_use(user: User) -> list[ApiToken]:
    return [token for token in tokens_of(user) if token.revoked_at is None]


def tokens_of(user: User) -> list[ApiToken]:
    """A person's tokens, the newest first, revoked ones included."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def name_problem(user: User, name: str) -> str:
    """What is wrong with `name` for a new token of `user`, or ""."""
    name = (name or "").strip()
    if not name:
        return "Enter a name for the token, for example the report that will use it"
    if len(name) > NAME_LENGTH:
        return f"The name must be {NAME_LENGTH} characters or fewer"
    clash = db.session.scalar(
        select(ApiToken.id).where(
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
            func.lower(ApiToken.name) == name.lower(),
        )
    )
    if clash is not None:
        return "There is already a token in use with this name: choose another name"
    return ""


def make(user: User, name: str, **audit_detail) -> tuple[ApiToken, str]:
    """A new token for `user`, and the token itself, which is never stored or shown again.
    Raises TokenRefused (nothing stored) when the name or the person will not do."""
    if not user.active:
        raise TokenRefused(f"{user.name}'s account is inactive, so it cannot have API tokens")
    if not may_hold_tokens(user):
        raise TokenRefused(
            f"{user.name} has no role that may read evidence, so cannot have API tokens"
        )
    problem = name_problem(user, name)
    if problem:
        raise TokenRefused(problem)
    if len(in_use(user)) >= MOST_IN_USE:
        raise TokenRefused(f"{user.name} already has {MOST_IN_USE} tokens in use: revoke one first")
    text = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name.strip(), token_hash=hash_token(text), prefix=prefix_of(text)
    )
    db.session.add(token)
    db.session.commit()
    audit.record(
        "api_token_created",
        token,
        owner=user.email,
        name=token.name,
        prefix=token.prefix,
        **audit_detail,
    )
    return token, text


def revoke(token: ApiToken, **audit_detail) -> None:
    """Stop the token working, for good. Revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.commit()
    audit.record(
        "api_token_revoked",
        token,
        owner=token.user.email,
        name=token.name,
        prefix=token.prefix,
        **audit_detail,
    )


def find(user: User, token_id: int) -> ApiToken | None:
    """`user`'s token with this id, or None (another person's token is not found)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    return token


def find_by_prefix(prefix: str) -> list[ApiToken]:
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.prefix == prefix).order_by(ApiToken.id))
    )


def bearer_token(header: str | None) -> str | None:
    """The token in an `Authorization: Bearer <token>` header, or None."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def check(text: str | None) -> Checked:
    """Whether a presented token may be used now. Marks a usable token used (not committed:
    the call's audit event commits it)."""
    if not text:
        return Checked(
            None,
            UNAUTHORISED,
            "Send an API token in the Authorization header: Authorization: Bearer <token>.",
        )
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(text)))
    if token is None:
        return Checked(None, UNAUTHORISED, "This API token is not recognised.")
    if token.revoked_at is not None:
        return Checked(token, UNAUTHORISED, "This API token has been revoked.")
    owner = token.user
    if owner is None or not owner.active:
        return Checked(token, UNAUTHORISED, "The account this API token belongs to is inactive.")
    if not may_hold_tokens(owner):
        return Checked(
            token,
            FORBIDDEN,
            "The account this API token belongs to no longer has a role that may read evidence.",
        )
    token.last_used_at = utcnow()
    return Checked(token)
