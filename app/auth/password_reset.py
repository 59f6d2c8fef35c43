"""A forgotten password: a link to set a new one, sent by email through the outbox.

The link is the set-password link (`app.accounts.credentials.set_password_link`): it works
once, because setting a password changes what it was signed with, and it expires. Asking
never tells whether an address has an account: the same page follows either way, and the
same limits count both. Requests are rate limited like signing in: per address and account
together, per address across accounts, and per account from anywhere, so nobody can fill a
colleague's inbox.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from app import audit, notifications, throttle
from app.accounts import credentials
from app.accounts.credentials import SET_PASSWORD_VALID, TooManyAttempts
from app.extensions import db

RESET_PAIR = "password_reset_pair"
RESET_PAIR_LIMIT = 3
RESET_ADDRESS = "password_reset_address"
RESET_ADDRESS_LIMIT = 20
RESET_ACCOUNT = "password_reset_account"
RESET_ACCOUNT_LIMIT = 5
RESET_QUIET = timedelta(minutes=15)
VALID_DAYS = SET_PASSWORD_VALID.days


def _claim(email: str, address: str) -> None:
    limits = (
        (
            RESET_ADDRESS,
            ("address", address),
            RESET_ADDRESS_LIMIT,
            credentials.SIGN_IN_ADDRESS_PAUSES,
        ),
        (RESET_PAIR, ("reset", email, address), RESET_PAIR_LIMIT, credentials.SIGN_IN_PAIR_PAUSES),
        (RESET_ACCOUNT, ("account", email), RESET_ACCOUNT_LIMIT, credentials.SIGN_IN_PAIR_PAUSES),
    )
    for kind, parts, limit, pauses in limits:
        # Keyed hashes, as for signing in: the counters are no list of who asked from where.
        free_at = throttle.claim(kind, credentials._counted_key(*parts), limit, pauses, RESET_QUIET)
        if free_at is not None:
            raise TooManyAttempts(free_at)


def _email(link: str) -> tuple[str, str]:
    service = current_app.config.get("SERVICE_NAME") or "Have your say"
    subject = f"Set a new password for {service}"
    body = "\n".join(
        [
            f"Someone asked to set a new password for your {service} staff account.",
            "",
            f"Set a new password here (the link works once, for {VALID_DAYS} days):",
            link,
            "",
            "If it was not you, ignore this email: your password has not changed.",
        ]
    )
    return subject, body


def request_reset(email: str, client_address: str) -> None:
    """Queue a set-password email when `email` is an active account's; do nothing visible
    otherwise. Raises TooManyAttempts when this address or account has asked too often."""
    email = (email or "").strip().lower()
    address = throttle.client_address(client_address)
    _claim(email, address)
    user = credentials.find_by_email(email)
    if user is None or not user.active:
        audit.record("password_reset_refused", None, actor=email[:254], address=client_address)
        return
    subject, body = _email(credentials.set_password_link(user))
    notifications.queue("password_reset", [user.email], subject, body)
    db.session.commit()
    audit.record("password_reset_requested", user, user=user, address=client_address)
