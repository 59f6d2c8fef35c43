"""The questions: a returning person's code, each page of the instrument, and the check
page that sends the answers."""

from __future__ import annotations

from datetime import UTC

from babel.dates import format_time
from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.campaigns import journey
from app.extensions import db
from app.forms import PageStep, handle_instrument_page
from app.instruments import routing
from app.models import Draft
from app.models.codes import display_code
from app.models.timeutil import UK, utcnow
from app.respond import bp, codes, submission_limit
from app.respond.forms import CodeForm, SubmitAnswersForm
from app.respond.visit import current_draft, drafts, first_page_to_answer


@bp.route("/s/<token>/code", methods=["GET", "POST"])
def code(token):
    draft = current_draft()
    if draft is None:
        return redirect(url_for(".start", token=token))
    form = CodeForm()
    if form.validate_on_submit():
        if form.has_code.data == "yes":
            codes.refuse_if_guessing("participant_code")
            participant = journey.find_participant(form.code.data)
            if participant is not None:
                codes.count_hit("participant_code")
            if participant is None:
                form.code.errors.append(
                    _("We could not find that code. Check it and try again, or choose No")
                )
                return render_template("respond/code.html", form=form)
            draft.participant = participant
        else:
            draft.participant = None
        # Worked out before the commit, after which reading the draft loads it again.
        next_page = first_page_to_answer(draft)
        db.session.commit()
        return redirect(next_page)
    return render_template("respond/code.html", form=form)


@bp.route("/s/<token>/questions/<int:page>", methods=["GET", "POST"])
def questions(token, page):
    instrument = g.instrument
    if page < 1 or page > instrument.page_count:
        abort(404)
    draft = current_draft()
    if draft is None:
        return redirect(url_for(".start", token=token))
    locale = draft.language
    returning_to_check = request.args.get("return") == "check"
    answers = draft.answers or {}
    if instrument.page_rules and routing.is_skipped(instrument, page, answers):
        # A page the answers so far skip (an old link, or the browser's own back button).
        return _go_on(token, instrument, page, answers, answers, returning_to_check)
    kept: dict = {}

    def save(item_ids, page_answers):
        kept["answers"] = journey.save_page(draft, instrument, item_ids, page_answers)

    outcome = handle_instrument_page(
        instrument,
        page,
        locale,
        stored_answers=lambda: answers,
        save_page=save,
        returning_to_check=returning_to_check,
    )
    if outcome.step is PageStep.SAVED:
        journey.give_resume_code(draft)
        return redirect(url_for(".saved", token=token))
    if outcome.step is not None:
        return _go_on(token, instrument, page, answers, kept["answers"], returning_to_check)
    before = journey.page_before(instrument, page, answers)
    back = (
        url_for(".check", token=token)
        if returning_to_check
        else url_for(".questions", token=token, page=before)
        if before is not None
        else url_for(".consent", token=token)
    )
    position, count = routing.progress(instrument, page, answers)
    return render_template(
        "respond/questions.html",
        form=outcome.form,
        page=position,
        page_count=count,
        back_link=back,
        locale=locale,
    )


def _go_on(token, instrument, page, before, after, returning_to_check):
    """On from `page`: to the next page shown, or the check page."""
    following = journey.page_after(
        instrument, page, before, after, returning_to_check=returning_to_check
    )
    if following is None:
        return redirect(url_for(".check", token=token))
    back_to_check = {"return": "check"} if returning_to_check else {}
    return redirect(url_for(".questions", token=token, page=following, **back_to_check))


def _summary_rows(draft: Draft) -> list[dict]:
    return journey.answer_rows(
        g.instrument,
        draft.answers or {},
        draft.language,
        lambda number: url_for(
            ".questions", token=g.campaign.token, page=number, **{"return": "check"}
        ),
    )


@bp.route("/s/<token>/check", methods=["GET", "POST"])
def check(token):
    draft = current_draft()
    if draft is None:
        submitted = journey.response_for_key(drafts().get(token, ""))
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
        last_page=routing.last_page(g.instrument, draft.answers or {}),
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
