"""Changes to a visit refused because of the state it is in."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models import Visit


class VisitError(Exception):
    """A change refused because of the state the visit is in; the message is for the reader."""


class ReportIsFinal(VisitError):
    def __init__(self, visit: Visit):
        self.visit = visit
        super().__init__(
            "This report has been finalised, so it cannot be changed. "
            "To correct it, supersede it with a new version and give the reason."
        )


class RatingSubmitted(VisitError):
    def __init__(self, visit: Visit):
        self.visit = visit
        super().__init__("You have already submitted your ratings for this visit.")


def guard_open(visit: Visit) -> None:
    """Refuse a change to a finalised report, even one finalised a moment ago by someone else.

    An UPDATE that matches only an unfinalised visit takes the row's lock, so a finalise
    running at the same time waits for this transaction or makes it match nothing.
    """
    result = db.session.execute(
        update(Visit)
        .where(Visit.id == visit.id, Visit.finalised_at.is_(None))
        .values(finalised_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ReportIsFinal(visit)
