"""Finalised reports for commissioners and providers; providers reply to recommendations.

A report is a finalised visit. Who may read which is decided in
`app.inspections.permissions`; a report a person may not read answers 404, as if it did not
exist.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db, instrument_registry
from app.improvement.recommendations import actions_from_recommendations, reply_given
from app.inspections import replies
from app.inspections.errors import VisitError
from app.inspections.frameworks import instrument_for
from app.inspections.panel_table import panel_table
from app.inspections.permissions import can_read_report, can_reply, may_open_cases
from app.inspections.visits import (
    channel_name,
    kind_name,
    replacement_of,
    reports_for,
    superseded_versions,
)
from app.models import Recommendation, Visit
from app.models.lookup import get_by_id
from app.models.timeutil import uk_today
from app.reports import bp
from app.reports.forms import ReplyForm

bp.add_app_template_filter(kind_name, "visit_kind")
bp.add_app_template_filter(channel_name, "visit_channel")


def _report(visit_id: int) -> Visit:
    visit = get_by_id(Visit, visit_id)
    if visit is None or not can_read_report(current_user, visit):
        abort(404)
    return visit


@bp.get("/")
def index():
    today = uk_today()
    rows = db.session.scalars(reports_for(current_user)).all()
    awaiting = {
        visit.id: sum(
            1
            for r in visit.recommendations
            if replies.recommendation_status(r, today) == "awaiting_reply"
        )
        for visit in rows
    }
    return render_template("reports/index.html", reports=rows, awaiting=awaiting)


@bp.get("/<int:visit_id>")
def report(visit_id):
    visit = _report(visit_id)
    try:
        instrument = instrument_for(instrument_registry(), visit)
    except KeyError:
        abort(503)
    today = uk_today()
    replacement = replacement_of(visit)
    recommendations = [
        {
            "recommendation": r,
            "status": replies.recommendation_status(r, today),
            "may_reply": can_reply(current_user, r) and replies.reply_locked(r, today) is None,
        }
        for r in visit.recommendations
    ]
    return render_template(
        "reports/report.html",
        visit=visit,
        actions=actions_from_recommendations(r.id for r in visit.recommendations),
        may_open_cases=may_open_cases(current_user),
        instrument=instrument,
        table=panel_table(visit, instrument),
        recommendations=recommendations,
        statuses=replies.RECOMMENDATION_STATUSES,
        replacement=replacement
        if replacement is not None and can_read_report(current_user, replacement)
        else None,
        earlier=[v for v in superseded_versions(visit) if can_read_report(current_user, v)],
    )


@bp.route("/<int:visit_id>/recommendations/<int:recommendation_id>/reply", methods=["GET", "POST"])
def reply(visit_id, recommendation_id):
    visit = _report(visit_id)
    recommendation = get_by_id(Recommendation, recommendation_id)
    if recommendation is None or recommendation.visit_id != visit.id:
        abort(404)
    if not can_reply(current_user, recommendation) and visit.superseded_by_id is None:
        abort(404)
    today = uk_today()
    locked = replies.reply_locked(recommendation, today)
    if locked:
        return render_template(
            "staff/message.html",
            title="This reply can no longer be changed",
            message=locked,
            links=[(url_for("reports.report", visit_id=visit.id), "Back to the report")],
        ), 409
    form = ReplyForm(today=today)
    if request.method == "GET" and recommendation.reply is not None:
        form.reply.data = recommendation.reply
        form.due_on.data = recommendation.reply_due_on
    if form.validate_on_submit():
        try:
            replies.record_reply(
                recommendation, current_user, form.reply.data.strip(), form.due_on.data, today
            )
            # The reply becomes the plan and due date of the action on the improvement case.
            reply_given(recommendation, current_user)
        except VisitError as error:
            flash(str(error))
            return redirect(url_for("reports.report", visit_id=visit.id))
        # Shown in the recommendation's own card, which the page lands on: not at the top of
        # a long report, out of sight.
        flash(
            "Your reply has been saved. The commissioner and coordinator can now read it.",
            f"success:recommendation-{recommendation.id}",
        )
        return redirect(
            url_for("reports.report", visit_id=visit.id) + f"#recommendation-{recommendation.id}"
        )
    return render_template(
        "reports/reply.html",
        visit=visit,
        recommendation=recommendation,
        number=visit.recommendations.index(recommendation) + 1,
        form=form,
    ), 400 if form.errors else 200
