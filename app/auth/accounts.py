"""Accounts: finding people, checking passwords with rate limits, set-password links."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from app import audit, throttle
from app.extensions import db
from app.models import User
from app.models.timeutil import utcnow

FAILED_SIGN_IN = "sign_in"
SIGN_IN_WINDOW = timedelta(minutes=15)
SIGN_IN_LIMIT_PER_ACCOUNT = 5
SIGN_IN_LIMIT_PER_ADDRESS = 30
SET_PASSWORD_VALID = timedelta(days=3)


class TooManyAttempts(Exception):
    pass


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str, client_address: str) -> User | None:
    """The user, or None when the email or password is wrong; TooManyAttempts when either the
    account or the address has failed too often lately."""
    email_key = "email:" + email.strip().lower()
    address_key = "address:" + (client_address or "unknown")
    if throttle.too_many(
        FAILED_SIGN_IN, email_key, SIGN_IN_LIMIT_PER_ACCOUNT, SIGN_IN_WINDOW
    ) or throttle.too_many(FAILED_SIGN_IN, address_key, SIGN_IN_LIMIT_PER_ADDRESS, SIGN_IN_WINDOW):
        raise TooManyAttempts()
    user = find_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        throttle.record(FAILED_SIGN_IN, email_key)
        throttle.record(FAILED_SIGN_IN, address_key)
        # The address typed, not the password; the account when there is one.
        audit.record(
            "sign_in_failed",
            user,
            actor=email.strip().lower()[:254] or "unknown",
            address=client_address,
        )
        return None
    throttle.forget(FAILED_SIGN_IN, email_key)
    user.last_signed_in_at = utcnow()
    db.session.commit()
    audit.record("sign_in", user, user=user, address=client_address)
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="set-password")


def _fingerprint(user: User) -> str:
    # Changes when the password changes, so a link works once.
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def set_password_link(user: User) -> str:
    token = _serializer().dumps({"user": user.id, "was": _fingerprint(user)})
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    # Built by hand so the command line (with no request) can print links too.
    return f"{base}/set-password/{token}"


def user_for_set_password_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=int(SET_PASSWORD_VALID.total_seconds()))
    except BadSignature:
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.active or _fingerprint(user) != data.get("was"):
        return None
    return user
