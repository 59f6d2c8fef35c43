"""The provider's public wording: a list of a service's actions and replies, and one page
per action or reply to write its words for young people and mark them public."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app import scope
from app.models import CaseAction, Recommendation
from app.models.lookup import get_by_id
from app.publish import bp
from app.publish.forms import WordingForm
from app.publish.routes import visible_service
from app.publishing import wording as words


@bp.get("/services/<int:service_id>/wording")
def wording_list(service_id):
    service = visible_service(service_id)
    actions = words.service_actions(service)
    replies = words.service_replies(service)
    return render_template(
        "publish/wording_list.html",
        service=service,
        actions=actions,
        replies=replies,
        action_words=words.wordings("action", [a.id for a in actions]),
        reply_words=words.wordings("reply", [r.id for r in replies]),
    )


def _edit(kind: str, target, service, about: list[tuple[str, str]]):
    existing = words.wordings(kind, [target.id]).get(target.id)
    form = WordingForm(obj=existing)
    if form.validate_on_submit():
        words.save_wording(
            kind, target.id, form.wording.data or "", form.public.data, current_user.id
        )
        flash("Saved the public wording.", "success")
        return redirect(url_for(".wording_list", service_id=service.id))
    return render_template(
        "publish/wording.html", form=form, service=service, about=about, kind=kind
    )


@bp.route("/services/<int:service_id>/actions/<int:action_id>", methods=["GET", "POST"])
def action_wording(service_id, action_id):
    service = visible_service(service_id)
    action = get_by_id(CaseAction, action_id)
    if (
        action is None
        or service.contract_id is None
        or action.case.contract_id != service.contract_id
    ):
        abort(404)
    if not scope.can_see_contract(current_user, action.case.contract):
        abort(403)
    about = [
        ("Improvement case", action.case.title),
        ("Action", action.description),
        ("Status", action.status_label),
    ]
    return _edit("action", action, service, about)


@bp.route("/services/<int:service_id>/replies/<int:recommendation_id>", methods=["GET", "POST"])
def reply_wording(service_id, recommendation_id):
    service = visible_service(service_id)
    recommendation = get_by_id(Recommendation, recommendation_id)
    if (
        recommendation is None
        or recommendation.visit.service_id != service.id
        or recommendation.reply is None
    ):
        abort(404)
    about = [
        ("Recommendation", recommendation.text),
        ("The provider's reply", recommendation.reply),
    ]
    return _edit("reply", recommendation, service, about)
