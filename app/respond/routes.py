"""Thin views: load the campaign and draft, hand the work to journey, render the page."""

from __future__ import annotations

import io
from datetime import timedelta

import segno
from flask import Response as HttpResponse
from flask import (
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import throttle
from app.extensions import db
from app.instruments import answers_from_form, build_page_form, initial_data
from app.languages.choice import (
    choose_language,
    has_chosen_language,
    language_links,
    offered_languages,
)
from app.links import public_link
from app.models import Campaign, Draft
from app.models.codes import display_code
from app.respond import bp, journey
from app.respond.forms import (
    CodeForm,
    ConsentForm,
    ContactRequestForm,
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
    "respond.consent",
    "respond.code",
    "respond.questions",
    "respond.check",
    "respond.resume",
}


@bp.url_value_preprocessor
def load_campaign(endpoint, values):
    token = (values or {}).get("token")
    if token is None:
        return
    campaign = db.session.scalar(select(Campaign).where(Campaign.token == token))
    if campaign is None:
        abort(404)
    g.campaign = campaign
    g.instrument = journey.instrument_for(campaign)


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
    draft = db.session.scalar(
        select(Draft).where(Draft.token == token, Draft.campaign_id == g.campaign.id)
    )
    if draft is not None:
        journey.follow_language(draft, str(get_locale()))
    return draft


def _remember(draft: Draft) -> None:
    drafts = dict(_drafts())
    drafts[g.campaign.token] = draft.token
    session["drafts"] = drafts


def _first_page_to_answer(draft: Draft) -> str:
    answered = set(draft.answers or {})
    for number in range(1, g.instrument.page_count + 1):
        if any(item.id not in answered for item in g.instrument.page_items(number)):
            return url_for(".questions", token=g.campaign.token, page=number)
    return url_for(".check", token=g.campaign.token)


@bp.get("/s/<token>")
def start(token):
    return render_template("respond/start.html")


@bp.route("/s/<token>/consent", methods=["GET", "POST"])
def consent(token):
    form = ConsentForm()
    if form.validate_on_submit():
        if form.consent.data == "no":
            return render_template("respond/no_consent.html")
        draft = _draft() or journey.start_draft(g.campaign, str(get_locale()))
        _remember(draft)
        if g.campaign.links_over_time:
            return redirect(url_for(".code", token=token))
        return redirect(url_for(".questions", token=token, page=1))
    return render_template("respond/consent.html", form=form)


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
            if participant is None:
                _count_miss("participant_code")
            if participant is None:
                form.code.errors.append(
                    _("We could not find that code. Check it and try again, or choose No")
                )
                return render_template("respond/code.html", form=form)
            draft.participant = participant
        else:
            draft.participant = None
        db.session.commit()
        return redirect(_first_page_to_answer(draft))
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
        for item in instrument.page_items(number):
            answer = answers.get(item.id)
            rows.append(
                {
                    "item": item,
                    "question": instrument.item_text(item.id, draft.language),
                    "answer": None
                    if answer in (None, "", [])
                    else instrument.answer_label(item.id, answer, draft.language),
                    "change_url": url_for(
                        ".questions", token=g.campaign.token, page=number, **{"return": "check"}
                    )
                    + "#"
                    + item.id,
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
        if draft is None:
            _count_miss("resume_code")
        if draft is None:
            form.resume_code.errors.append(
                _("We could not find saved answers with that code. Check it and try again")
            )
        else:
            _remember(draft)
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
    if throttle.too_many(kind, request.remote_addr or "unknown", CODE_MISSES_ALLOWED,
                         CODE_MISS_WINDOW):  # fmt: skip
        abort(429)


def _count_miss(kind: str) -> None:
    throttle.record(kind, request.remote_addr or "unknown")
