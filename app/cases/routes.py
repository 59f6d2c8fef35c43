"""Improvement cases' pages. Every page checks the case is one the person may see (404
otherwise); what each side may change is checked in `app.improvement.cases`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import scope
from app.cases import bp
from app.cases import forms as case_forms
from app.dates import format_day
from app.improvement import agenda, cases, notify, reviews
from app.improvement.cases import CaseError
from app.improvement.notify import COMMISSIONING, PROVIDER
from app.improvement.summary import is_overdue
from app.models import ContractMeasure
from app.models.improvement import (
    ACTION_STATUSES,
    CASE_SOURCES,
    OUTCOMES,
    PLAN_STATES,
    CaseAction,
    ReviewMeeting,
)
from app.models.lookup import LARGEST_ID, get_by_id
from app.models.timeutil import uk_today
from app.monitoring import status


@bp.app_context_processor
def _labels():
    return {
        "case_sources": CASE_SOURCES,
        "plan_states": PLAN_STATES,
        "outcomes": OUTCOMES,
        "action_statuses": ACTION_STATUSES,
        "step_status_text": cases.STATUS_TEXT,
    }


def _case(case_id: int):
    if not 0 < case_id <= LARGEST_ID:
        abort(404)
    case = cases.visible_case(current_user, case_id)
    if case is None:
        abort(404)
    side = cases.side_of(current_user, case)
    if side is None:
        abort(404)
    return case, side


def _commissioning_only(side: str) -> None:
    if side != COMMISSIONING:
        abort(403)


def _open_only(case) -> None:
    if not case.is_open:
        abort(409, description="This case is closed, so it cannot be changed.")


def _action(case, action_id: int) -> CaseAction:
    action = get_by_id(CaseAction, action_id)
    if action is None or action.case_id != case.id:
        abort(404)
    return action


def _refused(error: CaseError, target: str):
    flash(str(error))
    return redirect(target)


def _status_code(form) -> int:
    return 400 if form.errors else 200


# --- Lists ------------------------------------------------------------------------------


@bp.get("/")
def index():
    today = uk_today()
    rows = cases.visible_cases(current_user)
    return render_template(
        "cases/index.html",
        open_cases=[c for c in rows if c.is_open],
        closed_cases=[c for c in rows if not c.is_open],
        overdue={c.id: sum(1 for a in c.actions if is_overdue(a, today)) for c in rows},
        may_open=current_user.has_role(*scope.COMMISSIONING_ROLES),
    )


@bp.get("/notifications")
def notifications():
    return render_template(
        "cases/notifications.html", notifications=notify.notifications_for(current_user)
    )


# --- Opening ----------------------------------------------------------------------------


def _query_id(name: str) -> int | None:
    raw = request.args.get(name, "")
    if not raw.isdigit() or not 0 < int(raw) <= LARGEST_ID:
        return None
    return int(raw)


@bp.route("/new", methods=["GET", "POST"])
def new():
    contracts = scope.visible_contracts(current_user)
    form = case_forms.OpenCaseForm()
    form.contract_id.choices = case_forms.choice_list(
        [(0, "Choose a contract")] + [(c.id, f"{c.reference}: {c.title}") for c in contracts]
    )
    chosen = None
    wanted = form.contract_id.data if request.method == "POST" else _query_id("contract")
    if wanted:
        chosen = next((c for c in contracts if c.id == wanted), None)
    form.measure_id.choices = case_forms.choice_list(
        [(0, "None")]
        + ([(m.id, m.measure.name) for m in chosen.measures] if chosen is not None else [])
    )
    if request.method == "GET":
        if _query_id("contract") is not None and chosen is None:
            abort(404)
        if chosen is not None:
            form.contract_id.data = chosen.id
        measure_id = _query_id("measure")
        if measure_id is not None and chosen is not None:
            measure = get_by_id(ContractMeasure, measure_id)
            if measure is None or measure.contract_id != chosen.id:
                abort(404)
            form.measure_id.data = measure.id
            form.source.data = "measure"
            result = status.latest_results(chosen, uk_today()).get(measure.id)
            form.title.data = f"{measure.measure.name} below target"
            if result is not None:
                form.concerns.data = (
                    f"{measure.measure.name}: "
                    f"{status.format_value(measure.measure.unit, result.value)} against a "
                    f"target of {status.format_value(measure.measure.unit, measure.target)} "
                    f"({status.STATUSES[result.status].lower()}) for the period "
                    f"{format_day(result.period_start)} to {format_day(result.period_end)}. "
                    f"{result.reason}"
                )
    if form.validate_on_submit():
        measure = None
        if form.measure_id.data:
            measure = get_by_id(ContractMeasure, form.measure_id.data)
        case = cases.open_case(
            chosen,
            current_user,
            title=form.title.data,
            source=form.source.data,
            concerns=form.concerns.data,
            contract_measure=measure,
            danger=form.danger.data,
        )
        message = f"Improvement case {case.id} opened."
        if case.danger:
            message += (
                f" Safeguarding alert {case.alert_id} sent to the safeguarding leads. "
                "If someone is in danger now, call 999."
            )
        flash(message)
        return redirect(url_for("cases.case", case_id=case.id))
    return render_template(
        "cases/new.html", form=form, contract=chosen, may_open=bool(contracts)
    ), _status_code(form)


# --- The case and its steps -------------------------------------------------------------


@bp.get("/<int:case_id>")
def case(case_id):
    case, side = _case(case_id)
    today = uk_today()
    return render_template(
        "cases/case.html",
        case=case,
        side=side,
        steps=cases.steps(case),
        overdue={a.id for a in case.actions if is_overdue(a, today)},
        measures={m.id: m for m in case.contract.measures},
    )


STEP_FORMS = {
    "concerns": case_forms.ConcernsForm,
    "why": case_forms.WhyForm,
    "reasons": case_forms.ReasonsForm,
    "agreed": case_forms.AgreedForm,
    "criteria": case_forms.CriteriaForm,
    "monitoring": case_forms.MonitoringForm,
}


@bp.route("/<int:case_id>/steps/<step>", methods=["GET", "POST"])
def step(case_id, step):
    case, side = _case(case_id)
    if step not in STEP_FORMS:
        abort(404)
    may_edit = case.is_open and (side == COMMISSIONING or step == "reasons")
    form = STEP_FORMS[step]()
    if step == "criteria":
        form.measures.choices = case_forms.choice_list(
            (m.id, m.measure.name) for m in case.contract.measures
        )
    reasons_field = "provider_reasons" if side == PROVIDER else "commissioner_reasons"
    if request.method == "GET":
        if step == "reasons":
            form.reasons.data = getattr(case, reasons_field)
        elif step == "criteria":
            form.measures.data = list(case.criteria_measure_ids or [])
            form.criteria.data = case.criteria
        elif step == "monitoring":
            form.weeks.data = case.review_interval_weeks
            form.next_review_on.data = case.next_review_on
        else:
            for name in cases.TEXT_FIELDS[step]:
                getattr(form, name).data = getattr(case, name)
    if request.method == "POST":
        if not may_edit:
            abort(403)
        if form.validate_on_submit():
            try:
                if step == "reasons":
                    cases.save_text_step(
                        case, current_user, side, {reasons_field: form.reasons.data}
                    )
                elif step == "criteria":
                    cases.save_criteria(
                        case, current_user, form.criteria.data or "", form.measures.data or []
                    )
                elif step == "monitoring":
                    cases.save_monitoring(
                        case, current_user, form.weeks.data, form.next_review_on.data
                    )
                else:
                    cases.save_text_step(
                        case,
                        current_user,
                        side,
                        {name: getattr(form, name).data or "" for name in cases.TEXT_FIELDS[step]},
                    )
            except CaseError as error:
                return _refused(error, url_for("cases.case", case_id=case.id))
            flash(f"{cases.STEPS[step]}: saved.", "success")
            return redirect(url_for("cases.case", case_id=case.id))
    return render_template(
        "cases/step.html",
        case=case,
        side=side,
        step=step,
        title=cases.STEPS[step],
        form=form,
        may_edit=may_edit,
    ), _status_code(form)


@bp.route("/<int:case_id>/options", methods=["GET", "POST"])
def options(case_id):
    case, side = _case(case_id)
    form = case_forms.OptionForm()
    if request.method == "POST":
        _open_only(case)
        if form.validate_on_submit():
            cases.add_option(
                case, current_user, form.title.data, form.benefits.data, form.risks.data
            )
            flash("Option added.", "success")
            return redirect(url_for("cases.options", case_id=case.id))
    return render_template("cases/options.html", case=case, side=side, form=form), _status_code(
        form
    )


# --- The action plan --------------------------------------------------------------------


@bp.route("/<int:case_id>/reviews/new", methods=["GET", "POST"])
def review_new(case_id):
    case, side = _case(case_id)
    _commissioning_only(side)
    _open_only(case)
    today = uk_today()
    form = case_forms.ReviewForm()
    if request.method == "GET":
        form.held_on.data = today
        form.agenda.data = agenda.draft(case, today)
    if form.validate_on_submit():
        try:
            review = reviews.record_review(
                case,
                current_user,
                held_on=form.held_on.data,
                agenda=form.agenda.data,
                attendees=form.attendees.data,
                notes=form.notes.data or "",
                decisions=form.decisions.data or "",
                progress=form.progress.data,
                evaluation=form.evaluation.data,
            )
        except CaseError as error:
            return _refused(error, url_for("cases.case", case_id=case.id))
        flash("Review meeting recorded.", "success")
        return redirect(url_for("cases.review", case_id=case.id, review_id=review.id))
    return render_template(
        "cases/review_new.html", case=case, form=form, evidence=agenda.evidence(case, today)
    ), _status_code(form)


@bp.get("/<int:case_id>/reviews/<int:review_id>")
def review(case_id, review_id):
    case, side = _case(case_id)
    found = get_by_id(ReviewMeeting, review_id)
    if found is None or found.case_id != case.id:
        abort(404)
    return render_template(
        "cases/review.html",
        case=case,
        review=found,
        number=case.reviews.index(found) + 1,
    )


@bp.route("/<int:case_id>/escalation", methods=["GET", "POST"])
def escalation(case_id):
    case, side = _case(case_id)
    form = case_forms.EscalationForm()
    if request.method == "POST":
        _commissioning_only(side)
        _open_only(case)
        if form.validate_on_submit():
            try:
                reviews.escalate(
                    case, current_user, form.level.data, form.taken_on.data, form.note.data
                )
            except CaseError as error:
                return _refused(error, url_for("cases.escalation", case_id=case.id))
            flash("Escalation step recorded.", "success")
            return redirect(url_for("cases.escalation", case_id=case.id))
    elif request.method == "GET":
        form.taken_on.data = uk_today()
    return render_template(
        "cases/escalation.html",
        case=case,
        side=side,
        form=form,
        may_record=side == COMMISSIONING and case.is_open,
    ), _status_code(form)


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
def close(case_id):
    case, side = _case(case_id)
    _commissioning_only(side)
    _open_only(case)
    form = case_forms.CloseForm()
    if form.validate_on_submit():
        try:
            reviews.close(
                case, current_user, form.outcome.data, form.worked.data, form.differently.data
            )
        except CaseError as error:
            return _refused(error, url_for("cases.case", case_id=case.id))
        flash("The case is closed.", "success")
        return redirect(url_for("cases.case", case_id=case.id))
    unfinished = [a for a in case.actions if a.status not in ("verified", "not_achieved")]
    return render_template(
        "cases/close.html", case=case, form=form, unfinished=unfinished
    ), _status_code(form)
