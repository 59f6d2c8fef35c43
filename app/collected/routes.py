"""Entering a questionnaire collected from a young person: choose the campaign, confirm they
agreed, enter their answers page by page with the respondent's own checks, check, save.

An entry in progress is a draft like a respondent's, remembered in the session of the person
entering it, so only they can carry on with it. Saved answers are a response whose mode is
"collected by a peer researcher", and the audit log records who entered it.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from app import audit
from app.campaigns import journey
from app.collected import bp
from app.collected.forms import StartEntryForm, SubmitEntryForm
from app.extensions import db
from app.forms.pages import PageStep, handle_instrument_page
from app.instruments import routing
from app.languages import language
from app.models import Campaign, Draft, PanelMember, Service, Visit
from app.models.lookup import get_by_id
from app.models.timeutil import utcnow
from app.scope import service_filter

SESSION_KEY = "collected_drafts"
COLLECTED_BY_PEER_RESEARCHER = "peer_researcher"
# Entries are typed in English, whatever language the young person answered in: answers are
# stored as option values, so they are the same in every language.
ENTRY_LOCALE = "en"


def _services_for(user):
    """Services whose campaigns a person may enter answers for: those in their scope, and
    for a young inspector, the services of the visits they have been on."""
    panel_services = (
        select(Visit.service_id).join(PanelMember).where(PanelMember.user_id == user.id)
    )
    return or_(service_filter(user), Service.id.in_(panel_services))


def open_campaigns(user) -> list[Campaign]:
    campaigns = db.session.scalars(
        select(Campaign)
        .join(Service)
        .where(Campaign.status == "open", _services_for(user))
        .order_by(Service.name, Campaign.name, Campaign.id)
    ).all()
    return [c for c in campaigns if c.availability() == "open"]


def _campaign(campaign_id: int) -> Campaign:
    campaign = get_by_id(Campaign, campaign_id)
    if campaign is None or campaign not in open_campaigns(current_user):
        abort(404)
    return campaign


def _mine() -> list[int]:
    return [int(i) for i in session.get(SESSION_KEY, []) if str(i).isdigit()]


def _draft(draft_id: int) -> Draft:
    """An entry this person started in this session, else 404."""
    draft = get_by_id(Draft, draft_id) if draft_id in _mine() else None
    if draft is None:
        abort(404)
    return draft


def _forget(draft_id: int) -> None:
    session[SESSION_KEY] = [i for i in _mine() if i != draft_id]


@bp.get("/")
def index():
    drafts = [d for d in (get_by_id(Draft, i) for i in _mine()) if d is not None]
    return render_template(
        "collected/index.html", campaigns=open_campaigns(current_user), drafts=drafts
    )


@bp.route("/campaigns/<int:campaign_id>/new", methods=["GET", "POST"])
def start(campaign_id):
    campaign = _campaign(campaign_id)
    instrument = journey.instrument_for(campaign)
    codes = [code for code in campaign.language_list if code in instrument.texts]
    form = StartEntryForm(
        languages=[(code, language(code).english_name) for code in codes],
        asks_age_band=campaign.asks_age_band,
    )
    if form.validate_on_submit():
        participant = None
        if form.code.data and form.code.data.strip():
            participant = journey.find_participant(form.code.data)
            if participant is None:
                form.code.errors.append(
                    "No young person has that code. Check it, or leave it empty"
                )
        if not form.code.errors:
            draft = Draft(
                token=secrets.token_urlsafe(24),
                campaign_id=campaign.id,
                language=form.language.data,
                answers={},
                participant=participant,
                age_band=form.age_band.data if campaign.asks_age_band else None,
                consent_by=journey.SELF,
                consent_notice_version=campaign.privacy_notice_version,
                consented_at=utcnow(),
            )
            db.session.add(draft)
            db.session.commit()
            session[SESSION_KEY] = [*_mine(), draft.id]
            return redirect(url_for(".questions", draft_id=draft.id, page=1))
    return render_template(
        "collected/start.html", campaign=campaign, instrument=instrument, form=form
    ), 400 if form.errors else 200


@bp.route("/entries/<int:draft_id>/questions/<int:page>", methods=["GET", "POST"])
def questions(draft_id, page):
    draft = _draft(draft_id)
    instrument = journey.instrument_for(draft.campaign)
    if page < 1 or page > instrument.page_count:
        abort(404)
    returning_to_check = request.args.get("return") == "check"
    answers = draft.answers or {}
    if instrument.page_rules and routing.is_skipped(instrument, page, answers):
        # A page the answers so far skip: the young person was not asked it.
        return _go_on(draft, instrument, page, answers, answers, returning_to_check)
    kept: dict = {}

    def save(item_ids, page_answers):
        kept["answers"] = journey.save_page(draft, instrument, item_ids, page_answers)

    outcome = handle_instrument_page(
        instrument,
        page,
        ENTRY_LOCALE,
        stored_answers=lambda: answers,
        save_page=save,
        returning_to_check=returning_to_check,
    )
    if outcome.step is PageStep.SAVED:
        flash("The answers so far are saved. Carry on with them from this page.", "success")
        return redirect(url_for(".index"))
    if outcome.step is not None:
        return _go_on(draft, instrument, page, answers, kept["answers"], returning_to_check)
    before = journey.page_before(instrument, page, answers)
    back = (
        url_for(".check", draft_id=draft.id)
        if returning_to_check
        else url_for(".questions", draft_id=draft.id, page=before)
        if before is not None
        else url_for(".index")
    )
    position, count = routing.progress(instrument, page, answers)
    return render_template(
        "collected/questions.html",
        draft=draft,
        instrument=instrument,
        form=outcome.form,
        page=position,
        page_count=count,
        back_link=back,
    ), 400 if outcome.refused else 200


def _go_on(draft, instrument, page, before, after, returning_to_check):
    """On from `page`: to the next page shown, or the check page."""
    following = journey.page_after(
        instrument, page, before, after, returning_to_check=returning_to_check
    )
    if following is None:
        return redirect(url_for(".check", draft_id=draft.id))
    back_to_check = {"return": "check"} if returning_to_check else {}
    return redirect(url_for(".questions", draft_id=draft.id, page=following, **back_to_check))


def _rows(draft: Draft, instrument) -> list[dict]:
    return journey.answer_rows(
        instrument,
        draft.answers or {},
        ENTRY_LOCALE,
        lambda number: url_for(".questions", draft_id=draft.id, page=number, **{"return": "check"}),
    )


@bp.route("/entries/<int:draft_id>/check", methods=["GET", "POST"])
def check(draft_id):
    draft = _draft(draft_id)
    instrument = journey.instrument_for(draft.campaign)
    form = SubmitEntryForm()
    rows = _rows(draft, instrument)
    missing = [row for row in rows if row["missing"]]
    if form.validate_on_submit() and not missing:
        campaign_name = draft.campaign.name
        response = journey.submit(draft, instrument, mode=COLLECTED_BY_PEER_RESEARCHER)
        _forget(draft_id)
        audit.record("response_collected", response, campaign_id=response.campaign_id)
        flash(
            f"The answers are saved as collected by a peer researcher, for {campaign_name}.",
            "success",
        )
        return redirect(url_for(".index"))
    posted = request.method == "POST"
    return render_template(
        "collected/check.html",
        draft=draft,
        instrument=instrument,
        form=form,
        rows=rows,
        missing=missing if posted else [],
        language_name=language(draft.language).english_name,
        last_page=routing.last_page(instrument, draft.answers or {}),
    ), 400 if posted and missing else 200
