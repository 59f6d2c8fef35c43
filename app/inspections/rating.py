"""A panel member's ratings of a visit: a draft saved page by page, then submitted.

Rating is blind: drafts are never shown to anyone but their author, and a member sees the
others' submitted ratings only once their own are in (`permissions.may_see_panel_ratings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.inspections.errors import RatingSubmitted, ReportIsFinal, VisitError, guard_open
from app.instruments.model import Instrument, Item
from app.models import PanelRating, User, Visit
from app.models.timeutil import utcnow


def rating_of(visit: Visit, user) -> PanelRating | None:
    """The person's own ratings of the visit, draft or submitted; None before they start."""
    return db.session.scalar(
        select(PanelRating).where(PanelRating.visit_id == visit.id, PanelRating.user_id == user.id)
    )


def answers_of(instrument: Instrument, rating: PanelRating | None) -> dict[str, str]:
    """A rating as item answers (characteristic and checklist ratings, evidence notes), the
    shape the instrument's page forms read and write."""
    if rating is None:
        return {}
    answers = dict(rating.ratings or {})
    framework = instrument.framework
    for characteristic, note in (rating.notes or {}).items():
        item_id = framework.evidence_item(characteristic)
        if item_id:
            answers[item_id] = note
    return answers


def _evidence_items(instrument: Instrument) -> dict[str, str]:
    """Evidence item id -> the characteristic it is the note for."""
    framework = instrument.framework
    items = {}
    for characteristic in framework.characteristics:
        item_id = framework.evidence_item(characteristic)
        if item_id:
            items[item_id] = characteristic
    return items


def missing_items(instrument: Instrument, answers: Mapping[str, str]) -> list[Item]:
    """Required items not answered yet."""
    return [item for item in instrument.items if item.required and item.id not in answers]


def first_unanswered_page(instrument: Instrument, answers: Mapping[str, str]) -> int | None:
    """Where "Continue rating" goes: the first page still missing an answer; None when every
    page is done and what is left is to check and submit."""
    for number in range(1, instrument.page_count + 1):
        items = instrument.page_items(number)
        if any(item.required and item.id not in answers for item in items):
            return number
    return None


def save_rating_page(
    visit: Visit,
    user,
    instrument: Instrument,
    item_ids: Iterable[str],
    page_answers: Mapping[str, str],
) -> PanelRating:
    """Replace one page's answers in the member's draft (clearing an optional note sticks)."""
    item_ids = list(item_ids)
    try:
        return _save_rating_page(visit, user, instrument, item_ids, page_answers)
    except IntegrityError:
        # The same member's first save, sent from two tabs at once: the other draft now
        # exists, so this page goes into it.
        db.session.rollback()
        return _save_rating_page(visit, user, instrument, item_ids, page_answers)


def _save_rating_page(visit, user, instrument, item_ids, page_answers) -> PanelRating:
    if visit.is_final:
        raise ReportIsFinal(visit)
    rating = rating_of(visit, user)
    if rating is not None and rating.submitted_at is not None:
        raise RatingSubmitted(visit)
    guard_open(visit)
    if rating is None:
        rating = PanelRating(visit_id=visit.id, user_id=user.id, ratings={}, notes={})
        db.session.add(rating)
    evidence = _evidence_items(instrument)
    ratings = {k: v for k, v in (rating.ratings or {}).items() if k not in item_ids}
    notes = dict(rating.notes or {})
    for item_id in item_ids:
        if item_id in evidence:
            notes.pop(evidence[item_id], None)
    for item_id, value in page_answers.items():
        if item_id in evidence:
            notes[evidence[item_id]] = value
        else:
            ratings[item_id] = value
    # New dicts, so the JSON columns are seen to change.
    rating.ratings = ratings
    rating.notes = notes
    db.session.commit()
    return rating


def submit_rating(visit: Visit, user, instrument: Instrument) -> PanelRating:
    """Submit a member's ratings. Submitting twice (a double tap, the back button) is fine:
    the first submission stands and nothing changes."""
    if visit.is_final:
        raise ReportIsFinal(visit)
    rating = rating_of(visit, user)
    if rating is not None and rating.submitted_at is not None:
        return rating
    if rating is None or missing_items(instrument, answers_of(instrument, rating)):
        raise VisitError("Rate every characteristic before you submit.")
    guard_open(visit)
    db.session.execute(
        update(PanelRating)
        .where(PanelRating.id == rating.id, PanelRating.submitted_at.is_(None))
        .values(submitted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(rating)
    return rating


def submitted_ratings(visit: Visit) -> list[PanelRating]:
    """Submitted ratings in panel order. Drafts are never shown to anyone but their author."""
    order = {member.user_id: number for number, member in enumerate(visit.panel)}
    ratings = [r for r in visit.ratings if r.submitted_at is not None]
    return sorted(ratings, key=lambda r: order.get(r.user_id, len(order)))


def panel_progress(visit: Visit) -> list[tuple[User, str]]:
    """Each member with where they are: not started, in progress or submitted."""
    by_user = {rating.user_id: rating for rating in visit.ratings}
    progress = []
    for member in visit.panel:
        rating = by_user.get(member.user_id)
        if rating is None:
            state = "Not started"
        elif rating.submitted_at is None:
            state = "In progress"
        else:
            state = "Submitted"
        progress.append((member.user, state))
    return progress
