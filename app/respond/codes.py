"""Looking up a code a person typed (their participant code, a resume code): wrong guesses
are counted per address and limited, since codes are short enough to type."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, request

from app import throttle

CODE_MISSES_ALLOWED = 10
CODE_MISS_WINDOW = timedelta(minutes=15)


def refuse_if_guessing(kind: str) -> None:
    """Answer 429 when this address has guessed too many `kind` codes wrongly of late.

    The try is counted as a miss before the lookup, in one atomic step, so concurrent
    guesses cannot all pass the check; a code that is found is given back by `count_hit`."""
    address = throttle.client_address(request.remote_addr)
    if throttle.claim(kind, address, CODE_MISSES_ALLOWED, (CODE_MISS_WINDOW,), CODE_MISS_WINDOW):
        abort(429)


def count_hit(kind: str) -> None:
    """Give back the try of a `kind` code from this address that found what it looked for."""
    throttle.release(kind, throttle.client_address(request.remote_addr), CODE_MISSES_ALLOWED)
