"""Thin views: load the campaign and draft, hand the work to journey, render the page."""

from __future__ import annotations

import io
from datetime import UTC, timedelta

import segno
from babel.dates import format_time
from flask import Response as HttpResponse
from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import joinedload

from app import throttle
from app.age_bands import age_band, is_adult, needs_parent_or_carer
from app.extensions import db
from app.instruments import answers_from_form, build_page_form, initial_data
from app.languages.choice import (
    choose_language,
    has_chosen_language,
    language_links,
    offered_languages,
)
from app.links import public_link
from app.models import Campaign, Draft, Service
from app.models.codes import display_code
from app.models.timeutil import UK, utcnow
from app.respond import bp, journey, submission_limit
from app.respond.forms import (
    AgeBandForm,
    CodeForm,
    ConsentForm,
    ContactRequestForm,
    ParentConsentForm,
    ResumeForm,
    SubmitAnswersForm,
)
from app.safeguarding import hooks as safeguarding


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
    draft_token = _drafts().get(token) if endpoint in READS_THE_DRAFT else None
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
    if request.endpoint in INSTRUMENT_PAGES and str(get_locale()) not in g.instrument.texts:
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


def _drafts() -> dict:
    return session.get("drafts", {})


def _draft() -> Draft | None:
    """This visit's draft for the campaign, now in the language the page is shown in."""
    token = _drafts().get(g.campaign.token)
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


def _remember(campaign_token: str, draft_token: str) -> None:
    drafts = dict(_drafts())
    drafts[campaign_token] = draft_token
    session["drafts"] = drafts


def _chosen_age_band(draft: Draft | None) -> str | None:
    """The age band chosen on this visit (kept in the session until consent), else the
    draft's."""
    band = session.get("age_bands", {}).get(g.campaign.token)
    if band is None and draft is not None:
        band = draft.age_band
    return band


def _remember_age_band(key: str) -> None:
    bands = dict(session.get("age_bands", {}))
    bands[g.campaign.token] = key
    session["age_bands"] = bands


def _forget_visit() -> None:
    """Consent refused: this visit keeps neither its draft nor its age band."""
    for name in ("drafts", "age_bands"):
        kept = {k: v for k, v in session.get(name, {}).items() if k != g.campaign.token}
        session[name] = kept


def _consent_step(band: str | None) -> str:
    """The page that asks for consent on this visit: age band first when the campaign asks
    it, then a parent or carer's consent below the age of own consent, else the person's."""
    if not g.campaign.asks_age_band:
        return "consent"
    if age_band(band) is None:
        return "age"
    if needs_parent_or_carer(band, g.campaign.own_consent_age):
        return "parent_consent"
    return "consent"


def _after_consent() -> str:
    if g.campaign.links_over_time:
        return url_for(".code", token=g.campaign.token)
    return url_for(".questions", token=g.campaign.token, page=1)


def _first_page_to_answer(draft: Draft) -> str:
    answered = set(draft.answers or {})
    for number in range(1, g.instrument.page_count + 1):
        if any(item.id not in answered for item in g.instrument.page_items(number)):
            return url_for(".questions", token=g.campaign.token, page=number)
    return url_for(".check", token=g.campaign.token)


@bp.get("/s/<token>")
def start(token):
    first = ".age" if g.campaign.asks_age_band else ".consent"
    return render_template("respond/start.html", first_step=url_for(first, token=token))


@bp.route("/s/<token>/age", methods=["GET", "POST"])
def age(token):
    if not g.campaign.asks_age_band:
        return redirect(url_for(".consent", token=token))
    form = AgeBandForm()
    if form.validate_on_submit():
        _remember_age_band(form.age_band.data)
        return redirect(url_for("." + _consent_step(form.age_band.data), token=token))
    if request.method == "GET":
        form.age_band.data = _chosen_age_band(_draft())
    return render_template("respond/age.html", form=form)


def _consent_answer(form, draft, token, *, consent_by: str, band, declined_template: str):
    """What follows a valid consent form: the kind page when the answer was no (and the
    draft withdrawn), else the consent stored with the notice version shown and a redirect
    to the next step; None when the form is not (validly) sent."""
    if not form.validate_on_submit():
        return None
    if form.consent.data == "no":
        journey.withdraw(draft)
        _forget_visit()
        return render_template(declined_template)
    # Worked out before the commit, after which reading the campaign loads it again.
    next_page = _after_consent()
    draft_token = journey.give_consent(
        g.campaign,
        str(get_locale()),
        draft,
        consent_by=consent_by,
        notice_version=form.notice_version.version(g.campaign.privacy_notice_version),
        age_band=band,
    )
    _remember(token, draft_token)
    return redirect(next_page)


def _consent_page(token, here: str):
    """The visit's draft and age band, and a redirect when its consent belongs on another
    page than `here` (a young person's own, or a parent's or carer's)."""
    draft = _draft()
    band = _chosen_age_band(draft)
    step = _consent_step(band)
    elsewhere = redirect(url_for("." + step, token=token)) if step != here else None
    return draft, band, elsewhere


@bp.route("/s/<token>/consent", methods=["GET", "POST"])
def consent(token):
    draft, band, elsewhere = _consent_page(token, "consent")
    if elsewhere:
        return elsewhere
    form = ConsentForm()
    answered = _consent_answer(
        form,
        draft,
        token,
        consent_by=journey.SELF,
        band=band if g.campaign.asks_age_band else None,
        declined_template="respond/no_consent.html",
    )
    if answered is not None:
        return answered
    form.notice_version.data = str(g.campaign.privacy_notice_version)
    # Adults get adult wording; a young person (13 to 17, say) gets short, plain sentences.
    wording = "standard"
    if g.campaign.asks_age_band:
        wording = "adult" if is_adult(band) else "young"
    back = url_for(".age" if g.campaign.asks_age_band else ".start", token=token)
    return render_template("respond/consent.html", form=form, wording=wording, back_link=back)


@bp.route("/s/<token>/parent-consent", methods=["GET", "POST"])
def parent_consent(token):
    draft, band, elsewhere = _consent_page(token, "parent_consent")
    if elsewhere:
        return elsewhere
    form = ParentConsentForm()
    answered = _consent_answer(
        form,
        draft,
        token,
        consent_by=journey.PARENT_OR_CARER,
        band=band,
        declined_template="respond/come_back_with_a_parent.html",
    )
    if answered is not None:
        return answered
    form.notice_version.data = str(g.campaign.privacy_notice_version)
    return render_template("respond/parent_consent.html", form=form)


@bp.get("/s/<token>/privacy")
def privacy_notice(token):
    # Months as the locale says them ("24 months", "24 mis", "24 شهرًا"): a threshold no
    # period reaches keeps Babel from rounding to years.
    kept_for = format_timedelta(
        timedelta(days=30 * g.campaign.retention_months_or_default),
        granularity="month",
        threshold=10**9,
    )
    return render_template("respond/privacy.html", kept_for=kept_for)


@bp.route("/s/<token>/code", methods=["GET", "POST"])
def code(token):
    draft = _draft()
    if draft is None:
        return redirect(url_for(".start", token=token))
    form = CodeForm()
    if form.validate_on_submit():
        if form.has_code.data == "yes":
            _refuse_if_guessing("participant_code")
            participant = journey.find_participant(form.code.data)
            if participant is not None:
                _count_hit("participant_code")
            if participant is None:
                form.code.errors.append(
                    _("We could not find that code. Check it and try again, or choose No")
                )
                return render_template("respond/code.html", form=form)
            draft.participant = participant
        else:
            draft.participant = None
        # Worked out before the commit, after which reading the draft loads it again.
        next_page = _first_page_to_answer(draft)
        db.session.commit()
        return redirect(next_page)
    return render_template("respond/code.html", form=form)


@bp.route("/s/<token>/questions/<int:page>", methods=["GET", "POST"])
def questions(token, page):
    instrument = g.instrument
    if page < 1 or page > instrument.page_count:
        abort(404)
    draft = _draft()
    if draft is None:
        return redirect(url_for(".start", token=token))
    locale = draft.language
    form_class = build_page_form(instrument, page, locale)
    returning_to_check = request.args.get("return") == "check"
    if request.method == "POST":
        form = form_class()
        saving = request.form.get("action") == "save"
        valid = form.validate()
        if valid or saving:
            page_answers = answers_from_form(form)
            for name in form.errors:
                page_answers.pop(name, None)
            item_ids = [item.id for item in instrument.page_items(page)]
            journey.save_page(draft, item_ids, page_answers)
            if saving:
                journey.give_resume_code(draft)
                return redirect(url_for(".saved", token=token))
            if returning_to_check or page == instrument.page_count:
                return redirect(url_for(".check", token=token))
            return redirect(url_for(".questions", token=token, page=page + 1))
    else:
        form = form_class(data=initial_data(instrument, page, draft.answers or {}))
    back = (
        url_for(".check", token=token)
        if returning_to_check
        else url_for(".questions", token=token, page=page - 1)
        if page > 1
        else url_for(".consent", token=token)
    )
    return render_template(
        "respond/questions.html", form=form, page=page, back_link=back, locale=locale
    )


def _summary_rows(draft: Draft) -> list[dict]:
    instrument = g.instrument
    answers = draft.answers or {}
    rows = []
    for number in range(1, instrument.page_count + 1):
        page_url = url_for(".questions", token=g.campaign.token, page=number, **{"return": "check"})
        for item in instrument.page_items(number):
            answer = answers.get(item.id)
            rows.append(
                {
                    "item": item,
                    "question": instrument.item_text(item.id, draft.language),
                    "answer": None
                    if answer in (None, "", [])
                    else instrument.answer_label(item.id, answer, draft.language),
                    "change_url": f"{page_url}#{item.id}",
                    "missing": item.required and item.id not in answers,
                }
            )
    return rows


@bp.route("/s/<token>/check", methods=["GET", "POST"])
def check(token):
    draft = _draft()
    if draft is None:
        submitted = journey.response_for_key(_drafts().get(token, ""))
        if submitted is not None:
            # A repeated submit after the first one was stored: show the same confirmation.
            return redirect(url_for(".confirmation", token=token))
        return redirect(url_for(".start", token=token))
    form = SubmitAnswersForm()
    rows = _summary_rows(draft)
    missing = [row for row in rows if row["missing"]]
    if form.validate_on_submit() and not missing:
        refusal = submission_limit.refusal()
        if refusal is not None:
            return _sending_paused(draft, refusal)
        submission_limit.count_with_the_send()
        journey.submit(draft, g.instrument)
        return redirect(url_for(".confirmation", token=token))
    status = 200
    if request.method == "POST" and missing:
        status = 400
    return render_template(
        "respond/check.html",
        form=form,
        rows=rows,
        missing=missing if request.method == "POST" else [],
        locale=draft.language,
    ), status


def _sending_paused(draft: Draft, refusal) -> tuple:
    """Too many sends from this browser or address: the answers stay in the draft, with a
    resume code in case the page is closed before sending is allowed again."""
    free_at = refusal.free_at.replace(tzinfo=UTC)
    wait = max(int((refusal.free_at - utcnow()).total_seconds()), 1)
    page = render_template(
        "respond/sending_paused.html",
        form=SubmitAnswersForm(),
        send_from=format_time(free_at, "short", tzinfo=UK, locale=get_locale()),
        resume_code=display_code(journey.give_resume_code(draft)),
    )
    return page, 429, {"Retry-After": str(wait)}


@bp.get("/s/<token>/confirmation")
def confirmation(token):
    response = journey.response_for_key(_drafts().get(token, ""))
    if response is None:
        return redirect(url_for(".start", token=token))
    code = response.participant.code if response.participant else None
    qr_svg = None
    if code:
        qr_svg = segno.make(display_code(code), error="m").svg_inline(
            scale=4, omitsize=True, svgclass="app-qr", title=display_code(code)
        )
    return render_template(
        "respond/confirmation.html", code=code and display_code(code), qr_svg=qr_svg
    )


@bp.get("/s/<token>/saved")
def saved(token):
    draft = _draft()
    if draft is None or not draft.resume_code:
        return redirect(url_for(".start", token=token))
    return render_template("respond/saved.html", resume_code=display_code(draft.resume_code))


@bp.route("/s/<token>/resume", methods=["GET", "POST"])
def resume(token):
    form = ResumeForm()
    if form.validate_on_submit():
        _refuse_if_guessing("resume_code")
        draft = journey.find_draft_by_resume_code(g.campaign, form.resume_code.data)
        if draft is not None:
            _count_hit("resume_code")
        if draft is None:
            form.resume_code.errors.append(
                _("We could not find saved answers with that code. Check it and try again")
            )
        else:
            _remember(token, draft.token)
            # Carry on in the language the answers were started in, unless this visit has
            # already picked one.
            if not has_chosen_language() and draft.language in offered_languages():
                choose_language(draft.language)
            return redirect(_first_page_to_answer(draft))
    return render_template("respond/resume.html", form=form)


@bp.get("/s/<token>/qr.svg")
def qr_svg(token):
    buffer = io.BytesIO()
    _campaign_qr().save(buffer, kind="svg", scale=10, border=4, title=g.campaign.name)
    return HttpResponse(buffer.getvalue(), mimetype="image/svg+xml")


@bp.get("/s/<token>/qr.png")
def qr_png(token):
    buffer = io.BytesIO()
    _campaign_qr().save(buffer, kind="png", scale=10, border=4)
    return HttpResponse(buffer.getvalue(), mimetype="image/png")


def _campaign_qr():
    return segno.make(public_link(g.campaign), error="m")


@bp.get("/help")
@bp.get("/s/<token>/help")
def help_page(token=None):
    return render_template("respond/help.html")


@bp.route("/contact-me", methods=["GET", "POST"])
@bp.route("/s/<token>/contact-me", methods=["GET", "POST"])
def contact_me(token=None):
    form = ContactRequestForm()
    if form.validate_on_submit():
        campaign = g.get("campaign")
        message = (form.message.data or "").strip() or None
        # Committed (with its emails to the leads in an outbox) before the thank-you page;
        # the emails go once the page has been sent, so a slow mail server never delays it.
        safeguarding.raise_alert(
            campaign_id=campaign.id if campaign else None,
            source="contact_request",
            urgency=safeguarding.contact_urgency(message, str(get_locale())),
            contact_method=form.contact_method.data,
            contact_detail=(form.contact_detail.data or "").strip() or None,
            message=message,
            language=str(get_locale()),
        )
        return render_template("respond/contact_sent.html")
    return render_template("respond/contact_me.html", form=form)


# Codes are short enough to type, so wrong guesses are counted per address and limited.
CODE_MISSES_ALLOWED = 10
CODE_MISS_WINDOW = timedelta(minutes=15)


def _refuse_if_guessing(kind: str) -> None:
    # Counted as a miss before the lookup, in one atomic step, so concurrent guesses cannot
    # all pass the check; a code that is found is given back by `_count_hit`.
    address = throttle.client_address(request.remote_addr)
    if throttle.claim(kind, address, CODE_MISSES_ALLOWED, (CODE_MISS_WINDOW,), CODE_MISS_WINDOW):
        abort(429)


def _count_hit(kind: str) -> None:
    throttle.release(kind, throttle.client_address(request.remote_addr), CODE_MISSES_ALLOWED)
