"""How many sets of answers one client may send in a while: per browser and per address.

A whole school shares one address, so the address limit is generous and the browser limit
is the tight one. Keys are keyed hashes, not the address or session itself: a count of
sends kept beside the responses must not become a way to tell who sent which.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request, session

from app import throttle
from app.models.timeutil import utcnow

BROWSER = "submission_browser"
ADDRESS = "submission_address"
SESSION_KEY = "client"


@dataclass(frozen=True)
class Refusal:
    """Sending is paused for this client until `free_at` (naive UTC)."""

    free_at: datetime


def client_key(secret: str, kind: str, value: str) -> str:
    """The counted key for a browser or address: an HMAC under the app's secret key."""
    digest = hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def _browser_id() -> str:
    """A random id for this browser's session, made the first time it is needed."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(16)
    return session[SESSION_KEY]


def _limits() -> list[tuple[str, str, int]]:
    secret = current_app.config["SECRET_KEY"]
    config = current_app.config
    return [
        (BROWSER, client_key(secret, BROWSER, _browser_id()), config["SUBMISSIONS_PER_BROWSER"]),
        (
            ADDRESS,
            client_key(secret, ADDRESS, throttle.client_address(request.remote_addr)),
            config["SUBMISSIONS_PER_ADDRESS"],
        ),
    ]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["SUBMISSION_WINDOW_MINUTES"])


def refusal() -> Refusal | None:
    """A Refusal when this client has sent its limit in the window, else None."""
    window = _window()
    free_at = None
    for kind, key, limit in _limits():
        if throttle.too_many(kind, key, limit, window):
            until = throttle.free_again_at(kind, key, limit, window) or utcnow() + window
            free_at = until if free_at is None else max(free_at, until)
    return Refusal(free_at) if free_at is not None else None


def count_with_the_send() -> None:
    """Count one set of answers sent by this client, in the transaction that stores them:
    counted if and only if they are stored."""
    throttle.add_all([(kind, key) for kind, key, _limit in _limits()])
