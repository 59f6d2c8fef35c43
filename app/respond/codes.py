"""Looking up a code a person typed (their participant code, a resume code): wrong guesses
are counted per address and limited, since codes are short enough to type."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, request

from app import throttle

CODE_MISSES_ALLOWED = 10
CODE_MISS_WINDOW = timedelta(minutes=15)


def refuse_if_guessing(kind: str) -> None:
    """Answer 429 when this address has guessed too many `kind` codes wrongly of late."""
    if throttle.too_many(kind, request.remote_addr or "unknown", CODE_MISSES_ALLOWED,
                         CODE_MISS_WINDOW):  # fmt: skip
        abort(429)


def count_miss(kind: str) -> None:
    """Count one wrong guess of a `kind` code from this address."""
    throttle.record(kind, request.remote_addr or "unknown")
