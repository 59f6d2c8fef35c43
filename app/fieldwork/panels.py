"""Young inspectors' visits and mystery shops: who may see what, panel ratings, moderation,
finalising and superseding reports, and providers' replies.

The views in `app.fieldwork.visits` and `app.reports.routes` stay thin and call these. Object
rules return booleans and the views answer 404 when one says no, so a visit or report that a
person may not see looks the same as one that does not exist.

A visit moves one way: scheduled -> rated by its panel (each member's ratings a draft until
they submit) -> moderated by a coordinator -> finalised. A final report is evidence and never
changes; a correction is a new visit that supersedes it, with the reason recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, false, select, update
from sqlalchemy.exc import IntegrityError

from app.access import can_see_provider
from app.extensions import db, instrument_registry
from app.inspections.frameworks import LOCALE, characteristic_text, rating_label  # noqa: F401
from app.inspections.replies import (  # noqa: F401
    RECOMMENDATION_STATUSES,
    recommendation_status,
    reply_locked,
)
from app.instruments.model import Instrument, Item
from app.models import (
    ModeratedRating,
    PanelMember,
    PanelRating,
    Recommendation,
    RoleGrant,
    Service,
    User,
    Visit,
)
from app.models.timeutil import utcnow
from app.scoring import is_answered
from app.scoring.panel import Agreement, panel_agreement

MANAGERS = ("admin", "coordinator")
RESUBMIT_WINDOW = timedelta(minutes=2)
AGREEMENT_LABELS = {
    "full": "Full agreement",
    "close": "Close: within one point",
    "split": "Split: two or more points apart",
    "too_few": "Too few ratings to compare",
}


# The largest id a database integer column holds: a bigger number in a URL finds nothing.
LARGEST_ID = 2**31 - 1


def get_by_id(model, object_id: int):
    """`db.session.get`, except that an id too big for the column is simply not found
    (PostgreSQL would refuse it with an error rather than return nothing)."""
    if not 0 < object_id <= LARGEST_ID:
        return None
    return db.session.get(model, object_id)


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


# --- Frameworks ---------------------------------------------------------------------------


def registry():
    return instrument_registry()


def framework_instruments() -> list[Instrument]:
    """The newest version of every inspection framework and mystery-shop scenario."""
    return [i for i in registry().latest() if i.framework is not None]


def instrument_for(visit: Visit) -> Instrument:
    """The framework version the visit is rated on; KeyError when it is no longer loaded."""
    return registry().get(visit.framework_id, visit.framework_version)


# --- Who may see what ---------------------------------------------------------------------


def manages_visits(user) -> bool:
    """Coordinators and admins schedule, moderate, finalise and supersede."""
    return user.has_role(*MANAGERS)


def is_on_panel(user, visit: Visit) -> bool:
    return user.id in visit.member_ids()


def can_see_visit(user, visit: Visit) -> bool:
    """A peer researcher sees only visits they are on; coordinators and admins see all."""
    return manages_visits(user) or (user.has_role("peer_researcher") and is_on_panel(user, visit))


def can_rate(user, visit: Visit) -> bool:
    return user.has_role("peer_researcher") and is_on_panel(user, visit)


def may_see_panel_ratings(user, visit: Visit) -> bool:
    """Rating is blind: a panel member sees the others' ratings only once their own are
    submitted, so nobody is swayed by what the rest of the panel said."""
    if manages_visits(user):
        return True
    own = rating_of(visit, user)
    return can_rate(user, visit) and own is not None and own.submitted_at is not None


def can_read_report(user, visit: Visit) -> bool:
    """Finalised reports only: commissioners, coordinators and admins read every one, a
    provider only those about its own services."""
    return visit.is_final and can_see_provider(user, visit.service.provider_id)


def can_reply(user, recommendation: Recommendation) -> bool:
    """Only a provider account of the service's own provider, on a current final report."""
    visit = recommendation.visit
    return (
        visit.is_final
        and visit.superseded_by_id is None
        and user.has_role("provider")
        and user.provider_id is not None
        and user.provider_id == visit.service.provider_id
    )


def visits_for(user) -> Select:
    """The visits a person's list shows, newest first."""
    query = select(Visit).order_by(Visit.visit_on.desc(), Visit.id.desc())
    if manages_visits(user):
        return query
    return query.join(PanelMember).where(PanelMember.user_id == user.id)


def reports_for(user) -> Select:
    """Finalised reports a person may read, newest first (a provider: its own services)."""
    query = (
        select(Visit)
        .join(Visit.service)
        .where(Visit.finalised_at.is_not(None))
        .order_by(Visit.visit_on.desc(), Visit.id.desc())
    )
    if user.has_role("admin", "coordinator", "commissioner"):
        return query
    if user.has_role("provider") and user.provider_id is not None:
        return query.where(Service.provider_id == user.provider_id)
    return query.where(false())


def peer_researchers() -> list[User]:
    """Active accounts that can sit on a panel."""
    return db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(User.active, RoleGrant.role == "peer_researcher")
        .order_by(User.name, User.id)
    ).all()


# --- Scheduling ---------------------------------------------------------------------------


def schedule_visit(
    *,
    service: Service,
    kind: str,
    channel: str,
    scenario: str | None,
    visit_on: date,
    instrument: Instrument,
    members: Iterable[User],
    created_by: User,
) -> Visit:
    """Schedule a visit. The same form sent twice within a couple of minutes (a double tap
    with JavaScript off, a retry on a poor connection) finds the visit it already made."""
    members = list(members)
    recent = db.session.scalars(
        select(Visit).where(
            Visit.service_id == service.id,
            Visit.kind == kind,
            Visit.channel == channel,
            Visit.visit_on == visit_on,
            Visit.framework_id == instrument.id,
            Visit.framework_version == instrument.version,
            Visit.created_by_id == created_by.id,
            Visit.created_at >= utcnow() - RESUBMIT_WINDOW,
            Visit.finalised_at.is_(None),
        )
    )
    for earlier in recent:
        if (earlier.scenario or None) == (scenario or None) and earlier.member_ids() == {
            user.id for user in members
        }:
            return earlier
    visit = Visit(
        service=service,
        kind=kind,
        channel=channel,
        scenario=scenario or None,
        visit_on=visit_on,
        framework_id=instrument.id,
        framework_version=instrument.version,
        created_by=created_by,
    )
    visit.panel = [PanelMember(user=user) for user in members]
    db.session.add(visit)
    db.session.commit()
    return visit


# --- A panel member's ratings -------------------------------------------------------------


def rating_of(visit: Visit, user) -> PanelRating | None:
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


def _guard_open(visit: Visit) -> None:
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
    _guard_open(visit)
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


def missing_items(instrument: Instrument, answers: Mapping[str, str]) -> list[Item]:
    return [item for item in instrument.items if item.required and item.id not in answers]


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
    _guard_open(visit)
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


# --- Side by side, with agreement ---------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    rating: str
    note: str


@dataclass(frozen=True)
class CharacteristicRow:
    characteristic: str
    text: str
    cells: tuple[Cell, ...]
    agreement: Agreement
    agreement_label: str
    most_common: str
    moderated: str
    moderated_note: str


@dataclass(frozen=True)
class ChecklistRow:
    item_id: str
    text: str
    step: str
    answers: tuple[str, ...]
    yes: int
    answered: int


@dataclass(frozen=True)
class PanelTable:
    members: tuple[str, ...]
    rows: tuple[CharacteristicRow, ...]
    checklist: tuple[ChecklistRow, ...]

    @property
    def size(self) -> int:
        return len(self.members)


def describe_agreement(result: Agreement) -> str:
    """The agreement level in words, with who could not rate it."""
    words = AGREEMENT_LABELS[result.level]
    if result.n_raters and result.level != "too_few":
        words += f" ({result.n_raters} ratings)"
    if result.not_observed:
        words += f"; {result.not_observed} did not see this"
    return words


def panel_table(visit: Visit, instrument: Instrument) -> PanelTable:
    """Every submitted rating side by side, with agreement per characteristic and (for a
    mystery shop) the checklist answers."""
    ratings = submitted_ratings(visit)
    members = tuple(rating.user.name for rating in ratings)
    answers = {rating.id: rating.ratings or {} for rating in ratings}
    agreements = panel_agreement(instrument, answers)
    moderated = {m.characteristic: m for m in visit.moderated}
    rows = []
    for characteristic, result in agreements.items():
        # "Most common" only means something when at least two raters gave it.
        repeated = result.modes and round(result.share_agreeing * result.n_raters) > 1
        most_common = (
            " or ".join(rating_label(instrument, characteristic, str(m)) for m in result.modes)
            if repeated
            else ""
        )
        chosen = moderated.get(characteristic)
        rows.append(
            CharacteristicRow(
                characteristic=characteristic,
                text=characteristic_text(instrument, characteristic),
                cells=tuple(
                    Cell(
                        rating_label(instrument, characteristic, answers[r.id].get(characteristic)),
                        (r.notes or {}).get(characteristic, ""),
                    )
                    for r in ratings
                ),
                agreement=result,
                agreement_label=describe_agreement(result),
                most_common=most_common,
                moderated=rating_label(instrument, characteristic, chosen.rating) if chosen else "",
                moderated_note=(chosen.note or "") if chosen else "",
            )
        )
    checklist = []
    if instrument.mystery_shop is not None:
        texts = instrument.fieldwork_texts(LOCALE)
        for item_id in instrument.mystery_shop.checklist:
            given = [answers[r.id].get(item_id) for r in ratings]
            checklist.append(
                ChecklistRow(
                    item_id=item_id,
                    text=texts.checklist.get(item_id, item_id),
                    step=texts.steps.get(instrument.mystery_shop.step_of(item_id).id, ""),
                    answers=tuple(instrument.answer_label(item_id, v, LOCALE) for v in given),
                    yes=sum(1 for v in given if v == "yes"),
                    answered=sum(1 for v in given if is_answered(v)),
                )
            )
    return PanelTable(members=members, rows=tuple(rows), checklist=tuple(checklist))


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


# --- Moderation ---------------------------------------------------------------------------


def save_moderation(
    visit: Visit,
    instrument: Instrument,
    choices: Mapping[str, tuple[str | None, str | None]],
    summary: str | None,
) -> None:
    """Record the agreed rating and note for each characteristic (a blank rating clears it)
    and the report's summary. Refused once the report is final."""
    if visit.is_final:
        raise ReportIsFinal(visit)
    _guard_open(visit)
    allowed = set(instrument.framework.rating_values)
    existing = {m.characteristic: m for m in visit.moderated}
    for characteristic in instrument.framework.characteristics:
        rating, note = choices.get(characteristic, (None, None))
        if rating is not None and rating not in allowed:
            raise VisitError(f"{rating!r} is not a rating on this framework's scale")
        current = existing.get(characteristic)
        if not rating:
            if current is not None:
                visit.moderated.remove(current)
            continue
        if current is None:
            current = ModeratedRating(characteristic=characteristic)
            visit.moderated.append(current)
        current.rating = rating
        current.note = note or None
    visit.summary = summary or None
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VisitError(
            "Someone else saved the moderation at the same moment. Check it and save again."
        ) from None


def add_recommendation(visit: Visit, text: str) -> Recommendation:
    if visit.is_final:
        raise ReportIsFinal(visit)
    _guard_open(visit)
    recommendation = Recommendation(text=text, status="awaiting_reply")
    visit.recommendations.append(recommendation)
    db.session.commit()
    return recommendation


def remove_recommendation(visit: Visit, recommendation: Recommendation) -> None:
    if visit.is_final:
        raise ReportIsFinal(visit)
    _guard_open(visit)
    visit.recommendations.remove(recommendation)
    db.session.commit()


def finalise_problems(visit: Visit, instrument: Instrument) -> list[str]:
    """What stops the report being finalised, in words for the coordinator."""
    problems = []
    if not submitted_ratings(visit):
        problems.append("No panel member has submitted their ratings yet.")
    moderated = {m.characteristic for m in visit.moderated}
    missing = [c for c in instrument.framework.characteristics if c not in moderated]
    if missing:
        names = "; ".join(characteristic_text(instrument, c) for c in missing)
        problems.append(f"Record a moderated rating for: {names}.")
    return problems


def finalise(visit: Visit, user, instrument: Instrument) -> None:
    """Make the report final: from now on it is evidence and cannot change."""
    if visit.is_final:
        raise ReportIsFinal(visit)
    problems = finalise_problems(visit, instrument)
    if problems:
        raise VisitError(" ".join(problems))
    result = db.session.execute(
        update(Visit)
        .where(Visit.id == visit.id, Visit.finalised_at.is_(None))
        .values(finalised_at=utcnow(), finalised_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(visit)
    if result.rowcount != 1:
        raise ReportIsFinal(visit)


def supersede(visit: Visit, user, reason: str) -> Visit:
    """Start a corrected version of a final report. The old one stays readable, marked as
    superseded with the reason; the new one starts from its ratings, moderation and
    recommendations (not the provider's replies, which answered the old wording) and is a
    draft until it is finalised in its turn."""
    if not visit.is_final:
        raise VisitError("Only a finalised report can be superseded. This one can still be edited.")
    if visit.superseded_by_id is not None:
        raise VisitError("This report has already been superseded.")
    replacement = Visit(
        service_id=visit.service_id,
        kind=visit.kind,
        channel=visit.channel,
        scenario=visit.scenario,
        visit_on=visit.visit_on,
        framework_id=visit.framework_id,
        framework_version=visit.framework_version,
        created_by_id=user.id,
        summary=visit.summary,
    )
    replacement.panel = [PanelMember(user_id=m.user_id) for m in visit.panel]
    replacement.ratings = [
        PanelRating(
            user_id=r.user_id,
            ratings=dict(r.ratings or {}),
            notes=dict(r.notes or {}),
            submitted_at=r.submitted_at,
        )
        for r in submitted_ratings(visit)
    ]
    replacement.moderated = [
        ModeratedRating(characteristic=m.characteristic, rating=m.rating, note=m.note)
        for m in visit.moderated
    ]
    replacement.recommendations = [
        Recommendation(text=r.text, status="awaiting_reply") for r in visit.recommendations
    ]
    db.session.add(replacement)
    db.session.flush()
    result = db.session.execute(
        update(Visit)
        .where(Visit.id == visit.id, Visit.superseded_by_id.is_(None))
        .values(superseded_by_id=replacement.id, supersede_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise VisitError("This report has already been superseded.")
    db.session.commit()
    db.session.refresh(visit)
    return replacement


def superseded_versions(visit: Visit) -> list[Visit]:
    """The reports this one replaced, newest first."""
    earlier = []
    current = visit
    while True:
        previous = db.session.scalar(select(Visit).where(Visit.superseded_by_id == current.id))
        if previous is None or previous in earlier:
            return earlier
        earlier.append(previous)
        current = previous


# --- Providers' replies -------------------------------------------------------------------


def record_reply(
    recommendation: Recommendation, user, text: str, due_on: date, today: date
) -> None:
    reason = reply_locked(recommendation, today)
    if reason:
        raise VisitError(reason)
    recommendation.reply = text
    recommendation.reply_due_on = due_on
    recommendation.replied_at = utcnow()
    recommendation.replied_by_id = user.id
    recommendation.status = "replied"
    db.session.commit()
