"""The visits list, scheduling a visit, and a visit's own page.

Thin views: find the visit (404 when the person may not see it), hand the work to
`app.inspections`, render the page.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.extensions import db, instrument_registry
from app.forms.carry import carried
from app.improvement.recommendations import actions_from_recommendations
from app.inspections import permissions
from app.inspections.errors import ReportIsFinal
from app.inspections.frameworks import LOCALE, framework_instruments
from app.inspections.moderation import finalise_problems
from app.inspections.panel_table import panel_table
from app.inspections.rating import answers_of, first_unanswered_page, panel_progress, rating_of
from app.inspections.visit_changes import change_visit, panel_problem
from app.inspections.visits import peer_researchers, replacement_of, schedule_visit, visits_for
from app.models import Service
from app.scope import service_filter
from app.visits import bp
from app.visits.forms import VisitEditForm, VisitForm
from app.visits.pages import find_visit, framework_of


@bp.get("/visits")
def visits():
    rows = db.session.scalars(visits_for(current_user)).all()
    return render_template(
        "visits/visits.html",
        visits=rows,
        manages=permissions.manages_visits(current_user),
        progress={visit.id: panel_progress(visit) for visit in rows},
    )


def _schedule_form() -> tuple[VisitForm, dict, list]:
    """The scheduling form, with the services, frameworks and panel members to choose from."""
    frameworks = {i.key: i for i in framework_instruments(instrument_registry())}
    form = VisitForm(frameworks=frameworks)
    services = db.session.scalars(
        select(Service).where(service_filter(current_user)).order_by(Service.name)
    ).all()
    form.service_id.choices = [(str(s.id), f"{s.name} ({s.provider.name})") for s in services]
    researchers = peer_researchers()
    form.panel.choices = [(str(u.id), f"{u.name} ({u.email})") for u in researchers]
    return form, frameworks, researchers


def _form_page(form, researchers):
    return render_template(
        "visits/visit_form.html",
        form=form,
        services=form.service_id.choices,
        researchers=researchers,
    ), 400 if form.errors else 200


@bp.route("/visits/new", methods=["GET", "POST"])
def visit_new():
    """The scheduling form; sent, its answers are shown to check before anything is made.
    "Change" on the check page comes back here with every answer kept."""
    form, frameworks, researchers = _schedule_form()
    if request.method == "POST" and "change" not in request.form and form.validate_on_submit():
        chosen = {value for value in form.panel.data}
        return render_template(
            "visits/visit_check.html",
            form=form,
            service=dict(form.service_id.choices)[form.service_id.data],
            framework=frameworks[form.framework.data],
            panel=[u for u in researchers if str(u.id) in chosen],
            carried=carried(form),
        )
    return _form_page(form, researchers)


@bp.post("/visits/new/schedule")
def visit_create():
    form, frameworks, researchers = _schedule_form()
    if not form.validate_on_submit():
        return _form_page(form, researchers)
    chosen = {int(value) for value in form.panel.data}
    visit = schedule_visit(
        service=db.session.get(Service, int(form.service_id.data)),
        kind=form.kind.data,
        channel=form.channel.data,
        scenario=(form.scenario.data or "").strip(),
        visit_on=form.visit_on.data,
        instrument=frameworks[form.framework.data],
        members=[u for u in researchers if u.id in chosen],
        created_by=current_user,
    )
    audit.record("visit_scheduled", visit, service=visit.service.name)
    flash("Visit scheduled. Each panel member can now rate it from their visits list.", "success")
    return redirect(url_for("visits.visit", visit_id=visit.id))


@bp.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
def visit_edit(visit_id):
    """Change the date, scenario or panel of a visit whose report is not final."""
    visit = find_visit(visit_id)
    if visit.is_final:
        raise ReportIsFinal(visit)
    form = VisitEditForm(obj=visit)
    researchers = peer_researchers()
    current = [member.user for member in visit.panel]
    # Someone already on the panel stays choosable even if their account was since changed.
    people = researchers + [u for u in current if u not in researchers]
    form.panel.choices = [(str(u.id), f"{u.name} ({u.email})") for u in people]
    if request.method == "GET":
        form.panel.data = [str(u.id) for u in current]
    if form.validate_on_submit():
        chosen = {int(value) for value in form.panel.data}
        members = [u for u in people if u.id in chosen]
        problem = panel_problem(visit, members)
        if problem:
            form.panel.errors = [problem]
        else:
            changes = change_visit(
                visit, visit_on=form.visit_on.data, scenario=form.scenario.data, members=members
            )
            if changes:
                db.session.commit()
                audit.record("visit_changed", visit, **changes)
                flash("Changes saved.", "success")
            else:
                flash("Nothing was changed.")
            return redirect(url_for("visits.visit", visit_id=visit.id))
    return render_template(
        "visits/visit_edit.html", form=form, visit=visit
    ), 400 if form.errors else 200


def _carry_on(visit, instrument, rating) -> str:
    """Where "Continue rating" goes: the first page still missing an answer, else the check."""
    page = first_unanswered_page(instrument, answers_of(instrument, rating))
    if page is not None:
        return url_for("visits.rate", visit_id=visit.id, page=page)
    return url_for("visits.rate_check", visit_id=visit.id)


@bp.get("/visits/<int:visit_id>")
def visit(visit_id):
    visit = find_visit(visit_id)
    instrument = framework_of(visit)
    show_panel = permissions.may_see_panel_ratings(current_user, visit)
    manages = permissions.manages_visits(current_user)
    rates = permissions.can_rate(current_user, visit)
    my_rating = rating_of(visit, current_user) if rates else None
    return render_template(
        "visits/visit.html",
        visit=visit,
        instrument=instrument,
        texts=instrument.fieldwork_texts(LOCALE),
        manages=manages,
        progress=panel_progress(visit),
        my_rating=my_rating,
        rates=rates,
        carry_on=_carry_on(visit, instrument, my_rating) if rates else None,
        table=panel_table(visit, instrument) if show_panel else None,
        problems=finalise_problems(visit, instrument) if manages else [],
        replacement=replacement_of(visit),
        actions=actions_from_recommendations(r.id for r in visit.recommendations)
        if visit.is_final
        else {},
    )
