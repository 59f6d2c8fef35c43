"""Finding a young person by the code they keep, with guessing made slow."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import throttle
from app.extensions import db
from app.models import Participant
from app.models.codes import normalise_code

CODE_LOOKUP = "participant_code"
CODE_LOOKUP_LIMIT = 30
CODE_LOOKUP_WINDOW = timedelta(minutes=15)


class TooManyLookups(Exception):
    """This person has missed too many codes lately; they must wait before trying again."""


def find_participant(code: str, user) -> Participant | None:
    """Look a code up, counting misses per person so codes cannot be guessed by trying.

    Raises TooManyLookups once `user` has missed too many codes in the window.
    """
    key = f"user:{user.id}"
    # Counted before the lookup in one atomic step, given back when the code is found.
    if throttle.claim(
        CODE_LOOKUP, key, CODE_LOOKUP_LIMIT, (CODE_LOOKUP_WINDOW,), CODE_LOOKUP_WINDOW
    ):
        raise TooManyLookups
    participant = db.session.scalar(
        select(Participant).where(Participant.worker_code == normalise_code(code))
    )
    if participant is not None:
        throttle.release(CODE_LOOKUP, key, CODE_LOOKUP_LIMIT)
    return participant
