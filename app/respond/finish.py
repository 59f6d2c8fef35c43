"""After the questions: the confirmation with the person's code, saved answers and coming
back to them, and the campaign's QR codes."""

from __future__ import annotations

import io

import segno
from flask import Response as HttpResponse
from flask import g, redirect, render_template, url_for
from flask_babel import gettext as _

from app.campaigns import journey
from app.languages.choice import choose_language, has_chosen_language, offered_languages
from app.links import public_link
from app.models.codes import display_code
from app.publishing.pages import published_code
from app.respond import bp, codes
from app.respond.forms import ResumeForm
from app.respond.visit import current_draft, drafts, first_page_to_answer, remember_draft


@bp.get("/s/<token>/confirmation")
def confirmation(token):
    response = journey.response_for_key(drafts().get(token, ""))
    if response is None:
        return redirect(url_for(".start", token=token))
    code = response.participant.code if response.participant else None
    qr_svg = None
    if code:
        qr_svg = segno.make(display_code(code), error="m").svg_inline(
            scale=4, omitsize=True, svgclass="app-qr", title=display_code(code)
        )
    return render_template(
        "respond/confirmation.html",
        code=code and display_code(code),
        qr_svg=qr_svg,
        results_code=published_code(g.campaign.service_id),
    )


@bp.get("/s/<token>/saved")
def saved(token):
    draft = current_draft()
    if draft is None or not draft.resume_code:
        return redirect(url_for(".start", token=token))
    return render_template("respond/saved.html", resume_code=display_code(draft.resume_code))


@bp.route("/s/<token>/resume", methods=["GET", "POST"])
def resume(token):
    form = ResumeForm()
    if form.validate_on_submit():
        codes.refuse_if_guessing("resume_code")
        draft = journey.find_draft_by_resume_code(g.campaign, form.resume_code.data)
        if draft is not None:
            codes.count_hit("resume_code")
        if draft is None:
            form.resume_code.errors.append(
                _("We could not find saved answers with that code. Check it and try again")
            )
        else:
            remember_draft(token, draft.token)
            # Carry on in the language the answers were started in, unless this visit has
            # already picked one.
            if not has_chosen_language() and draft.language in offered_languages():
                choose_language(draft.language)
            return redirect(first_page_to_answer(draft))
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
