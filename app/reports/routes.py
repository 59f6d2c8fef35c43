"""Finalised reports for commissioners and providers; providers reply to recommendations.

A report is a finalised visit. Who may read which is decided in `app.fieldwork.panels`;
a report a person may not read answers 404, as if it did not exist.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.fieldwork import panels
from app.fieldwork.visit_forms import ReplyForm
from app.models import Recommendation, Visit
from app.models.timeutil import uk_today
from app.reports import bp


def _report(visit_id: int) -> Visit:
    visit = panels.get_by_id(Visit, visit_id)
    if visit is None or not panels.can_read_report(current_user, visit):
        abort(404)
    return visit


@bp.get("/")
def index():
    today = uk_today()
    rows = db.session.scalars(panels.reports_for(current_user)).all()
    awaiting = {
        visit.id: sum(
            1
            for r in visit.recommendations
            if panels.recommendation_status(r, today) == "awaiting_reply"
        )
        for visit in rows
    }
    return render_template("reports/index.html", reports=rows, awaiting=awaiting)


@bp.get("/<int:visit_id>")
def report(visit_id):
    visit = _report(visit_id)
    try:
        instrument = panels.instrument_for(visit)
    except KeyError:
        abort(503)
    today = uk_today()
    replacement = db.session.get(Visit, visit.superseded_by_id) if visit.superseded_by_id else None
    recommendations = [
        {
            "recommendation": r,
            "status": panels.recommendation_status(r, today),
            "may_reply": panels.can_reply(current_user, r)
            and panels.reply_locked(r, today) is None,
        }
        for r in visit.recommendations
    ]
    return render_template(
        "reports/report.html",
        visit=visit,
        instrument=instrument,
        table=panels.panel_table(visit, instrument),
        recommendations=recommendations,
        statuses=panels.RECOMMENDATION_STATUSES,
        replacement=replacement
        if replacement is not None and panels.can_read_report(current_user, replacement)
        else None,
        earlier=[
            v for v in panels.superseded_versions(visit) if panels.can_read_report(current_user, v)
        ],
    )


@bp.route("/<int:visit_id>/recommendations/<int:recommendation_id>/reply", methods=["GET", "POST"])
def reply(visit_id, recommendation_id):
    visit = _report(visit_id)
    recommendation = panels.get_by_id(Recommendation, recommendation_id)
    if recommendation is None or recommendation.visit_id != visit.id:
        abort(404)
    if not panels.can_reply(current_user, recommendation) and visit.superseded_by_id is None:
        abort(404)
    today = uk_today()
    locked = panels.reply_locked(recommendation, today)
    if locked:
        return render_template(
            "fieldwork/message.html",
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
            panels.record_reply(
                recommendation, current_user, form.reply.data.strip(), form.due_on.data, today
            )
        except panels.VisitError as error:
            flash(str(error))
            return redirect(url_for("reports.report", visit_id=visit.id))
        flash("Your reply has been saved. The commissioner and coordinator can now read it.")
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
