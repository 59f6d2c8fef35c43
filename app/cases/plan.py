"""The action plan's pages: the plan, agreeing and revising it, its agreed versions, and
each action (added, changed, marked, removed). What each side may change is decided in
`app.improvement.cases`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.cases import bp
from app.cases import forms as case_forms
from app.cases.routes import _action, _case, _open_only, _refused, _status_code
from app.forms import ActionForm as ButtonForm
from app.improvement import cases
from app.improvement.cases import CaseError
from app.improvement.notify import COMMISSIONING, PROVIDER
from app.improvement.summary import is_overdue
from app.models import User
from app.models.improvement import ACTION_STATUSES, PlanVersion
from app.models.lookup import get_by_id
from app.models.timeutil import uk_today


def _action_page(case, action, form, status_form, side):
    """The action's page, with its form and the status form as they stand."""
    return render_template(
        "cases/action.html",
        case=case,
        action=action,
        form=form,
        status_form=status_form,
        side=side,
        button=ButtonForm(),
        overdue=is_overdue(action, uk_today()),
    )


@bp.get("/<int:case_id>/plan")
def plan(case_id):
    case, side = _case(case_id)
    today = uk_today()
    return render_template(
        "cases/plan.html",
        case=case,
        side=side,
        overdue={a.id for a in case.actions if is_overdue(a, today)},
        button=ButtonForm(),
        may_agree=case.plan_editable
        and bool(case.actions)
        and (
            (side == PROVIDER and case.provider_agreed_at is None)
            or (side == COMMISSIONING and case.commissioner_agreed_at is None)
        ),
        agreed_by={
            "provider": get_by_id(User, case.provider_agreed_by_id),
            "commissioning": get_by_id(User, case.commissioner_agreed_by_id),
        },
    )


@bp.post("/<int:case_id>/plan/agree")
def agree(case_id):
    case, side = _case(case_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = cases.agree(case, current_user, side)
    except CaseError as error:
        return _refused(error, url_for("cases.plan", case_id=case.id))
    if version is None:
        flash(
            "Your agreement is recorded. The plan is agreed once the other side agrees too.",
            "success",
        )
    else:
        flash(f"Both sides have agreed the plan. Version {version.number} is kept.", "success")
    return redirect(url_for("cases.plan", case_id=case.id))


@bp.route("/<int:case_id>/plan/revise", methods=["GET", "POST"])
def revise(case_id):
    case, side = _case(case_id)
    _open_only(case)
    if case.plan_state != "agreed":
        flash("The plan is not agreed yet, so it can be changed without a revision.")
        return redirect(url_for("cases.plan", case_id=case.id))
    form = case_forms.ReviseForm()
    if form.validate_on_submit():
        try:
            cases.start_revision(case, current_user, form.reason.data)
        except CaseError as error:
            return _refused(error, url_for("cases.plan", case_id=case.id))
        flash(
            "The plan is open for revision. Change its actions, then both sides agree it.",
            "success",
        )
        return redirect(url_for("cases.plan", case_id=case.id))
    return render_template("cases/revise.html", case=case, form=form), _status_code(form)


@bp.get("/<int:case_id>/plan/versions/<int:number>")
def version(case_id, number):
    case, side = _case(case_id)
    found = next((v for v in case.versions if v.number == number), None)
    if found is None:
        abort(404)
    earlier: PlanVersion | None = next((v for v in case.versions if v.number == number - 1), None)
    return render_template(
        "cases/version.html",
        case=case,
        version=found,
        changes=cases.changes(earlier, found) if earlier is not None else None,
        provider_agreed=get_by_id(User, found.provider_agreed_by_id),
        commissioner_agreed=get_by_id(User, found.commissioner_agreed_by_id),
    )


def _action_values(form) -> dict:
    return {
        "description": form.description.data,
        "plan": form.plan.data or "",
        "owner": form.owner.data,
        "partner_name": form.partner_name.data or None,
        "due_on": form.due_on.data,
        "criterion": form.criterion.data,
    }


@bp.route("/<int:case_id>/actions/new", methods=["GET", "POST"])
def action_new(case_id):
    case, side = _case(case_id)
    if not case.plan_editable:
        flash("The plan is agreed. Revise it, giving a reason, to change its actions.")
        return redirect(url_for("cases.plan", case_id=case.id))
    form = case_forms.ActionForm()
    if form.validate_on_submit():
        try:
            cases.add_action(case, current_user, **_action_values(form))
        except CaseError as error:
            return _refused(error, url_for("cases.plan", case_id=case.id))
        flash("Action added to the plan.", "success")
        return redirect(url_for("cases.plan", case_id=case.id))
    return render_template(
        "cases/action.html", case=case, action=None, form=form, status_form=None, side=side
    ), _status_code(form)


@bp.route("/<int:case_id>/actions/<int:action_id>", methods=["GET", "POST"])
def action(case_id, action_id):
    case, side = _case(case_id)
    action = _action(case, action_id)
    form = case_forms.ActionForm() if case.plan_editable else None
    allowed = cases.statuses_for(side, action) if case.is_open else []
    status_form = case_forms.StatusForm() if allowed else None
    if status_form is not None:
        status_form.status.choices = case_forms.choice_list(
            (s, ACTION_STATUSES[s]) for s in allowed
        )
    if request.method == "GET":
        if form is not None:
            form.process(obj=action)
        if status_form is not None:
            status_form.status.data = action.status
    elif form is None:
        abort(409, description="The plan is agreed. Revise it, giving a reason, to change it.")
    elif form.validate_on_submit():
        try:
            cases.edit_action(action, current_user, **_action_values(form))
        except CaseError as error:
            return _refused(error, url_for("cases.plan", case_id=case.id))
        flash("Action saved.", "success")
        return redirect(url_for("cases.plan", case_id=case.id))
    return _action_page(case, action, form, status_form, side), _status_code(
        form
    ) if form is not None else 200


@bp.post("/<int:case_id>/actions/<int:action_id>/status")
def action_status(case_id, action_id):
    case, side = _case(case_id)
    action = _action(case, action_id)
    allowed = cases.statuses_for(side, action) if case.is_open else []
    if not allowed:
        abort(403)
    status_form = case_forms.StatusForm()
    status_form.status.choices = case_forms.choice_list((s, ACTION_STATUSES[s]) for s in allowed)
    if status_form.validate_on_submit():
        try:
            cases.set_action_status(action, current_user, side, status_form.status.data)
        except CaseError as error:
            return _refused(error, url_for("cases.action", case_id=case.id, action_id=action.id))
        flash(f"Action marked: {ACTION_STATUSES[status_form.status.data].lower()}.", "success")
        return redirect(url_for("cases.plan", case_id=case.id))
    form = case_forms.ActionForm(formdata=None, obj=action) if case.plan_editable else None
    return _action_page(case, action, form, status_form, side), 400


@bp.post("/<int:case_id>/actions/<int:action_id>/remove")
def action_remove(case_id, action_id):
    case, side = _case(case_id)
    action = _action(case, action_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        cases.remove_action(action, current_user)
    except CaseError as error:
        return _refused(error, url_for("cases.plan", case_id=case.id))
    flash("Action removed from the plan.", "success")
    return redirect(url_for("cases.plan", case_id=case.id))


# --- Reviews, escalation, closing -------------------------------------------------------
