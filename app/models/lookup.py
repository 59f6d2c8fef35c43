"""Finding a row by an id that came from outside (a URL, a form)."""

from __future__ import annotations

from app.extensions import db

# The largest id a database integer column holds: a bigger number in a URL finds nothing.
LARGEST_ID = 2**31 - 1


def get_by_id(model, object_id: int | None):
    """`db.session.get`, except that an id too big for the column is simply not found
    (PostgreSQL would refuse it with an error rather than return nothing), and no id (None,
    say a plan no one has agreed yet) finds nothing."""
    if object_id is None or not 0 < object_id <= LARGEST_ID:
        return None
    return db.session.get(model, object_id)
