"""Accounts: finding people, checking passwords with rate limits, set-password links, and
sessions that can be ended."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from app import audit, throttle
from app.extensions import db
from app.models import User
from app.models.timeutil import utcnow
from app.models.user import password_matches

# Failed sign-ins are counted per account and address together, so someone guessing from
# one address can never lock the account's owner out at another; and per address across
# accounts, more loosely, against one address trying a common password on many accounts.
SIGN_IN_PAIR = "sign_in_pair"
SIGN_IN_PAIR_LIMIT = 5
SIGN_IN_PAIR_PAUSES = tuple(timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60))
SIGN_IN_ADDRESS = "sign_in_address"
SIGN_IN_ADDRESS_LIMIT = 30
SIGN_IN_ADDRESS_PAUSES = tuple(timedelta(minutes=m) for m in (15, 30, 60))
SIGN_IN_QUIET = timedelta(minutes=15)
SET_PASSWORD_VALID = timedelta(days=3)


class TooManyAttempts(Exception):
    """Signing in is paused for this account at this address, or for this address."""

    def __init__(self, free_at: datetime):
        super().__init__(free_at)
        self.free_at = free_at


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _counted_key(*parts: str) -> str:
    # Keyed hashes: the counters must not become a list of who signed in from where.
    message = "\x1f".join(parts).encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _claim_sign_in(email: str, address: str) -> tuple[str, str]:
    address_key = _counted_key("address", address)
    pair_key = _counted_key("pair", email, address)
    free_at = throttle.claim(
        SIGN_IN_ADDRESS, address_key, SIGN_IN_ADDRESS_LIMIT, SIGN_IN_ADDRESS_PAUSES, SIGN_IN_QUIET
    )
    if free_at is not None:
        raise TooManyAttempts(free_at)
    free_at = throttle.claim(
        SIGN_IN_PAIR, pair_key, SIGN_IN_PAIR_LIMIT, SIGN_IN_PAIR_PAUSES, SIGN_IN_QUIET
    )
    if free_at is not None:
        throttle.release(SIGN_IN_ADDRESS, address_key, SIGN_IN_ADDRESS_LIMIT)
        raise TooManyAttempts(free_at)
    return address_key, pair_key


def authenticate(email: str, password: str, client_address: str) -> User | None:
    """The user, or None when the email or password is wrong; TooManyAttempts when this
    account at this address, or this address, has failed too often lately.

    Each try is counted before the password is checked and given back when it was right, so
    concurrent guesses cannot all slip past the count. An unknown or inactive account still
    costs one hash check, so the time taken does not tell which addresses have accounts."""
    email = email.strip().lower()
    address = throttle.client_address(client_address)
    address_key, pair_key = _claim_sign_in(email, address)
    user = find_by_email(email)
    usable = user is not None and user.active
    right = password_matches(user.password_hash if usable else None, password)
    if not right:
        # The address typed, not the password; the account when there is one.
        audit.record("sign_in_failed", user, actor=email[:254] or "unknown", address=client_address)
        return None
    throttle.forget_counter(SIGN_IN_PAIR, pair_key)
    throttle.release(SIGN_IN_ADDRESS, address_key, SIGN_IN_ADDRESS_LIMIT)
    user.last_signed_in_at = utcnow()
    db.session.commit()
    audit.record("sign_in", user, user=user, address=client_address)
    return user


def user_for_session(user_id: str) -> User | None:
    """The user a session's id names, or None when that session has been ended: the id holds
    the token the account had at sign-in, which a sign-out or new password replaces."""
    account_id, _, token = (user_id or "").partition(":")
    if not account_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(account_id))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def end_sessions(user: User, action: str) -> None:
    """Sign `user` out on every device and every copied cookie; audit it as `action`."""
    user.end_sessions()
    db.session.commit()
    audit.record(action, user)


def set_password(user: User, password: str) -> None:
    """A new password, which also ends every session signed in with the old one."""
    user.set_password(password)
    db.session.commit()
    audit.record("password_set", user, user=user)


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
