"""A visit to a campaign's pages: the campaign and draft loaded once per request, the
campaign refused when closed or not in the page's language, and the drafts this browser
keeps in its session."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    g,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import joinedload

from app.campaigns import journey
from app.extensions import db
from app.instruments import routing
from app.languages.choice import language_links, offered_languages
from app.models import Campaign, Draft, Service
from app.respond import bp


class CampaignUnavailable(Exception):
    def __init__(self, campaign: Campaign, state: str):
        self.campaign = campaign
        self.state = state


@bp.app_errorhandler(CampaignUnavailable)
def campaign_unavailable(error: CampaignUnavailable):
    status = 410 if error.state == "closed" else 404
    return render_template(
        "respond/unavailable.html", campaign=error.campaign, state=error.state
    ), status


# QR codes are for posters printed before a campaign opens, so they stay reachable.
ALWAYS_REACHABLE = {"respond.qr_svg", "respond.qr_png"}
# Pages of the instrument itself: shown only in a language the instrument has texts in, so
# a page never mixes the respondent's language with the instrument's English.
INSTRUMENT_PAGES = {
    "respond.start",
    "respond.age",
    "respond.consent",
    "respond.parent_consent",
    "respond.code",
    "respond.questions",
    "respond.check",
    "respond.resume",
}


# Statements built once: SQLAlchemy takes longer to key a statement built afresh for its
# cache than to run it.
CAMPAIGN_BY_TOKEN = select(Campaign).where(Campaign.token == bindparam("token"))
# Pages that name the service (and its provider) load them with the campaign, in one query.
CAMPAIGN_WITH_SERVICE = CAMPAIGN_BY_TOKEN.options(
    joinedload(Campaign.service).joinedload(Service.provider)
)
NAMES_THE_SERVICE = {"respond.start", "respond.privacy_notice", "respond.help_page"}
# Pages that read this visit's draft load it with the campaign, in one query.
CAMPAIGN_AND_DRAFT = (
    select(Campaign, Draft)
    .outerjoin(
        Draft, and_(Draft.campaign_id == Campaign.id, Draft.token == bindparam("draft_token"))
    )
    .where(Campaign.token == bindparam("token"))
)
READS_THE_DRAFT = {
    "respond.age",
    "respond.consent",
    "respond.parent_consent",
    "respond.code",
    "respond.questions",
    "respond.check",
    "respond.saved",
}
DRAFT_BY_TOKEN = select(Draft).where(
    Draft.token == bindparam("token"), Draft.campaign_id == bindparam("campaign_id")
)


@bp.url_value_preprocessor
def load_campaign(endpoint, values):
    token = (values or {}).get("token")
    if token is None:
        return
    if request.method in ("GET", "HEAD") and _reads_open_a_transaction():
        _read_without_a_transaction()
    draft_token = drafts().get(token) if endpoint in READS_THE_DRAFT else None
    if draft_token:
        row = db.session.execute(
            CAMPAIGN_AND_DRAFT, {"token": token, "draft_token": draft_token}
        ).first()
        campaign, g.loaded_draft = row if row is not None else (None, None)
    else:
        statement = CAMPAIGN_WITH_SERVICE if endpoint in NAMES_THE_SERVICE else CAMPAIGN_BY_TOKEN
        campaign = db.session.scalar(statement, {"token": token})
    if campaign is None:
        abort(404)
    g.campaign = campaign
    g.instrument = journey.instrument_for(campaign)


def _reads_open_a_transaction() -> bool:
    # PostgreSQL's driver sends BEGIN before a read; SQLite's begins only before a write.
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return uri.startswith("postgresql") and not db.session().in_transaction()


def _read_without_a_transaction() -> None:
    """A page that shows what is stored reads it without BEGIN and ROLLBACK around its one
    query: two round trips fewer to PostgreSQL. Its only write (a draft following the
    page's language) is one statement, so it needs no transaction around it either."""
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    g.read_without_a_transaction = True


@bp.teardown_request
def give_back_the_connection(_error):
    if g.pop("read_without_a_transaction", False):
        # Ends the session's use of the connection, which goes back to the pool with the
        # isolation level it had.
        db.session.rollback()


@bp.before_request
def campaign_open_in_this_language():
    # A before-request hook rather than part of loading the campaign, so that the language
    # switcher's choice (an app-wide hook, which runs first) is remembered on these pages too.
    campaign = g.get("campaign")
    if campaign is None or request.endpoint in ALWAYS_REACHABLE:
        return None
    state = campaign.availability()
    if state != "open":
        raise CampaignUnavailable(campaign, state)
    locale = str(get_locale())
    if request.endpoint in INSTRUMENT_PAGES and (
        locale not in g.instrument.texts or locale not in offered_languages()
    ):
        languages = [code for code in offered_languages() if code in g.instrument.texts]
        return render_template(
            "respond/not_in_your_language.html", languages=language_links(languages)
        )
    return None


@bp.context_processor
def journey_context():
    return {
        "campaign": g.get("campaign"),
        "instrument": g.get("instrument"),
        "locale": str(get_locale()),
    }


def drafts() -> dict:
    """Draft tokens of this browser's visits, by campaign token."""
    return session.get("drafts", {})


def current_draft() -> Draft | None:
    """This visit's draft for the campaign, now in the language the page is shown in."""
    token = drafts().get(g.campaign.token)
    if not token:
        return None
    if "loaded_draft" in g:
        # Loaded with the campaign (load_campaign), for the view's first look.
        draft = g.pop("loaded_draft")
    else:
        draft = db.session.scalar(DRAFT_BY_TOKEN, {"token": token, "campaign_id": g.campaign.id})
    if draft is not None:
        journey.follow_language(draft, str(get_locale()))
    return draft


def remember_draft(campaign_token: str, draft_token: str) -> None:
    """This browser carries on with the draft `draft_token` for the campaign."""
    kept = dict(drafts())
    kept[campaign_token] = draft_token
    session["drafts"] = kept


def first_page_to_answer(draft: Draft) -> str:
    """The first page shown with a question not yet answered, else the check page."""
    answers = draft.answers or {}
    for number in routing.shown_pages(g.instrument, answers):
        if any(item.id not in answers for item in g.instrument.page_items(number)):
            return url_for(".questions", token=g.campaign.token, page=number)
    return url_for(".check", token=g.campaign.token)
