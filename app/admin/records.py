"""The audit log screen and subject access exports."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Response as HttpResponse
from flask import render_template, request
from sqlalchemy import func, select

from app import audit, privacy
from app.admin import bp
from app.admin.forms import AuditSearchForm, SubjectAccessForm
from app.dates import uk_day_start
from app.extensions import db
from app.models import AuditEvent
from app.paging import page_number

PAGE_SIZE = 50


@bp.get("/audit")
def audit_log():
    form = AuditSearchForm(request.args)
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    form.action.choices = [("", "Any action")] + [(a, a.replace("_", " ")) for a in actions]
    query = select(AuditEvent)
    if form.validate():
        if form.action.data:
            query = query.where(AuditEvent.action == form.action.data)
        if form.actor.data:
            query = query.where(
                func.lower(AuditEvent.actor_label).contains(form.actor.data.strip().lower())
            )
        if form.date_from.data:
            query = query.where(AuditEvent.at >= uk_day_start(form.date_from.data))
        if form.date_to.data:
            end = uk_day_start(form.date_to.data + timedelta(days=1))
            query = query.where(AuditEvent.at < end)
    page = page_number(request.args.get("page"))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    events = db.session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    filters = {k: v for k, v in request.args.items() if k not in ("page", "submit") and v}
    return render_template(
        "admin/audit.html",
        form=form,
        events=events,
        page=page,
        total=total,
        has_next=page * PAGE_SIZE < total,
        filters=filters,
        error_title=bool(form.errors),
    ), 400 if form.errors else 200


@bp.route("/subject-access", methods=["GET", "POST"])
def subject_access():
    form = SubjectAccessForm()
    if form.validate_on_submit():
        participant = privacy.find_participant(form.code.data)
        if participant is None:
            form.code.errors.append("No participant has that code. Check it and try again")
        else:
            export = privacy.subject_access_export(participant)
            audit.record(
                "subject_access_export",
                participant,
                code=audit.participant_label(participant.code),
            )
            return HttpResponse(
                json.dumps(export, indent=2, ensure_ascii=False),
                mimetype="application/json",
                headers={
                    "Content-Disposition": "attachment; filename=subject-access.json",
                    "Cache-Control": "no-store",
                },
            )
    status = 400 if form.errors else 200
    return render_template(
        "admin/subject_access.html", form=form, error_title=bool(form.errors)
    ), status
