"""What happens to a respondent's answers, kept apart from the request handling: the
respondent's own pages (app/respond) and the entry of collected questionnaires
(app/collected) both use it."""

from __future__ import annotations

import secrets
from collections.abc import Collection

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db, instrument_registry
from app.instruments import routing
from app.models import Campaign, Draft, Participant, Response
from app.models.codes import new_code, normalise_code
from app.models.timeutil import utcnow
from app.safeguarding import hooks as safeguarding
from app.scoring import score


def instrument_for(campaign: Campaign):
    return instrument_registry().get(campaign.instrument_id, campaign.instrument_version)


SELF = "self"
PARENT_OR_CARER = "parent_or_carer"


def give_consent(
    campaign: Campaign,
    language: str,
    draft: Draft | None,
    *,
    consent_by: str,
    notice_version: int,
    age_band: str | None = None,
) -> str:
    """Record consent on this visit's draft, starting one if there is none yet; return the
    draft's token, for the visit to remember.

    Consent given again (after going back) replaces what was recorded before, so the draft
    always says who agreed, when, and to which version of the privacy notice.
    """
    if draft is None:
        draft = Draft(
            token=secrets.token_urlsafe(24), campaign_id=campaign.id, language=language, answers={}
        )
        db.session.add(draft)
    draft.age_band = age_band
    draft.consent_by = consent_by
    draft.consent_notice_version = notice_version
    draft.consented_at = utcnow()
    # Read before the commit, after which reading it would load the draft again.
    token = draft.token
    db.session.commit()
    return token


def withdraw(draft: Draft | None) -> None:
    """Consent refused or taken back: nothing given so far is kept."""
    if draft is not None:
        db.session.delete(draft)
        db.session.commit()


def follow_language(draft: Draft, language: str) -> None:
    """Keep the draft in the language the respondent is reading now.

    A respondent may switch language part way through. Answers are stored as option values,
    not as the words on screen, so they carry over unchanged; the response records the
    language of the pages it was finished and sent in.
    """
    if draft.language != language:
        draft.language = language
        db.session.commit()


def save_page(draft: Draft, instrument, item_ids: Collection[str], page_answers: dict) -> dict:
    """Replace this page's answers in the draft (so clearing an optional answer sticks), and
    return the draft's answers now.

    An answer that now skips a page already answered (a respondent gone back to change it)
    drops that page's answers: its questions are no longer asked, so nothing given there is
    kept.
    """
    answers = {k: v for k, v in (draft.answers or {}).items() if k not in item_ids}
    answers.update(page_answers)
    answers = routing.without_skipped(instrument, answers)
    draft.answers = answers
    db.session.commit()
    return answers


def page_after(
    instrument, page: int, before: dict, after: dict, *, returning_to_check: bool
) -> int | None:
    """The page to show once `page` is answered (`before` and `after` are the draft's answers
    either side of saving it); None for the check page.

    Pages the answers skip are passed over. Going back to the check page after changing an
    answer, a page the change has brought back comes first while its questions are
    unanswered.
    """
    if returning_to_check:
        if not instrument.page_rules:
            return None
        shown_before = set(routing.shown_pages(instrument, before))
        return next(
            (
                number
                for number in routing.shown_pages(instrument, after)
                if number not in shown_before
                and any(
                    item.required and item.id not in after for item in instrument.page_items(number)
                )
            ),
            None,
        )
    if not instrument.page_rules:
        return page + 1 if page < instrument.page_count else None
    return routing.next_page(instrument, page, after)


def page_before(instrument, page: int, answers: dict) -> int | None:
    """The page "back" goes to from `page` (skipped pages passed over); None from the first."""
    if not instrument.page_rules:
        return page - 1 if page > 1 else None
    return routing.previous_page(instrument, page, answers)


def give_resume_code(draft: Draft) -> str:
    if not draft.resume_code:
        draft.resume_code = new_code()
        db.session.commit()
    return draft.resume_code


def find_draft_by_resume_code(campaign: Campaign, code: str) -> Draft | None:
    return db.session.scalar(
        select(Draft).where(
            Draft.campaign_id == campaign.id, Draft.resume_code == normalise_code(code)
        )
    )


def find_participant(code: str) -> Participant | None:
    return db.session.scalar(select(Participant).where(Participant.code == normalise_code(code)))


def answer_rows(instrument, answers: dict, locale: str, change_url) -> list[dict]:
    """The check page's rows: each question asked, its answer as the page reads it, where to
    change it (`change_url(page_number)`), and whether a required answer is missing. Pages
    the answers skip are left out: their questions were not asked."""
    rows = []
    for number in routing.shown_pages(instrument, answers):
        page_url = change_url(number)
        for item in instrument.page_items(number):
            answer = answers.get(item.id)
            rows.append(
                {
                    "item": item,
                    "question": instrument.item_text(item.id, locale),
                    "answer": None
                    if answer in (None, "", [])
                    else instrument.answer_label(item.id, answer, locale),
                    "change_url": f"{page_url}#{item.id}",
                    "missing": item.required and item.id not in answers,
                }
            )
    return rows


def missing_required(instrument, answers: dict) -> list:
    """Required questions asked (on a page the answers do not skip) and not answered."""
    asked = routing.asked_items(instrument, answers)
    return [item for item in asked if item.required and item.id not in answers]


# Built once (SQLAlchemy keys a statement built afresh for its cache at some cost); the
# participant comes along, for the code the confirmation page shows.
RESPONSE_BY_KEY = (
    select(Response)
    .where(Response.submission_key == bindparam("key"))
    .options(joinedload(Response.participant))
)


def response_for_key(submission_key: str) -> Response | None:
    return db.session.scalar(RESPONSE_BY_KEY, {"key": submission_key})


def submit(draft: Draft, instrument, *, mode: str = SELF) -> Response:
    """Store the draft as one response, scored, and commit before anyone is thanked.

    `mode` says how the answers were given: by the person themselves ("self"), or entered
    by a peer researcher who collected them on paper or face to face ("peer_researcher").

    The draft token is the submission key, unique in the database: a double tap, a back
    button or a retry after a dropped connection finds the stored response instead of
    writing another.
    """
    existing = response_for_key(draft.token)
    if existing is not None:
        return existing
    key = draft.token
    answers = routing.without_skipped(instrument, draft.answers or {})
    result = score(instrument, answers)
    campaign = draft.campaign
    participant = draft.participant
    if participant is None and campaign.links_over_time:
        participant = Participant.create()
        db.session.add(participant)
    texts = instrument.texts_for(draft.language)
    response = Response(
        submission_key=key,
        campaign_id=campaign.id,
        participant=participant,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        language=draft.language,
        text_provenance=texts.provenance if texts else "absent",
        answers=answers,
        complete=result.complete,
        answered_count=result.answered,
        raw_score=result.raw,
        metric_score=result.metric,
        band=result.band,
        age_band=draft.age_band,
        consent_by=draft.consent_by,
        consent_notice_version=draft.consent_notice_version,
        consented_at=draft.consented_at,
        started_at=draft.created_at,
        mode=mode,
    )
    db.session.add(response)
    db.session.delete(draft)
    try:
        # Concerns in the answers become alerts in the same transaction: stored with the
        # response or not at all, and never twice for a repeated submit.
        alerts = safeguarding.add_alerts_for_response(response, instrument)
        db.session.commit()
    except (IntegrityError, StaleDataError):
        # Another request for the same draft got there first: that one is the response.
        db.session.rollback()
        existing = response_for_key(key)
        if existing is None:
            raise
        return existing
    safeguarding.send_after_response(alerts)
    return response
