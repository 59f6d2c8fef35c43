"""Provider returns: a contract's returns by period, the return form its provider fills in
and submits, and commissioners' questions about a submitted return with the provider's
answers. A contract a person may not see answers 404, as if it did not exist."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import scope
from app.contracts import bp
from app.evidence.periods import Period
from app.models import Contract, ReturnQuery
from app.models.lookup import get_by_id
from app.models.timeutil import uk_today
from app.monitoring import library
from app.monitoring import returns as provider_returns
from app.monitoring.returns_due import RETURN_DUE_DAYS, return_due_on


def _contract(contract_id: int) -> Contract:
    contract = get_by_id(Contract, contract_id)
    if contract is None or not scope.can_see_contract(current_user, contract):
        abort(404)
    return contract


def _period(contract: Contract, start: str) -> Period:
    try:
        day = date.fromisoformat(start)
    except ValueError:
        abort(404)
    if len(start) != 10:
        abort(404)
    period = provider_returns.period_starting(contract, day, uk_today())
    if period is None:
        abort(404)
    return period


@bp.get("/<int:contract_id>/returns")
def returns(contract_id):
    contract = _contract(contract_id)
    today = uk_today()
    return render_template(
        "contracts/returns.html",
        contract=contract,
        rows=provider_returns.rows(contract, today),
        may_fill=provider_returns.can_fill(current_user, contract),
        due_days=RETURN_DUE_DAYS,
    )


def _page(
    contract, period, *, checked=None, question_error="", answer_errors=None, typed=None, status=200
):
    today = uk_today()
    provider_return = provider_returns.find(contract, period)
    state = provider_returns.state(provider_return, period, today)
    submitted = state == provider_returns.SUBMITTED
    may_fill = provider_returns.can_fill(current_user, contract)
    if checked is None and provider_return is not None and may_fill and not submitted:
        # A saved draft, shown as it was saved.
        raw = {k: str(v) for k, v in (provider_return.figures or {}).items()}
        raw.update(
            went_well=provider_return.went_well,
            not_well=provider_return.not_well,
            doing_about_it=provider_return.doing_about_it,
        )
        checked = provider_returns.Checked(raw=raw)
    errors = dict(checked.errors) if checked is not None else {}
    if question_error:
        errors["question"] = question_error
    for query_id, message in (answer_errors or {}).items():
        errors[f"answer-{query_id}"] = message
    return render_template(
        "contracts/return.html",
        contract=contract,
        period=period,
        due_on=return_due_on(period),
        provider_return=provider_return,
        state=state,
        state_label=provider_returns.STATES[state],
        submitted=submitted,
        may_fill=may_fill and not submitted,
        may_answer=may_fill and submitted,
        may_ask=provider_returns.can_ask(current_user) and submitted,
        fields=library.return_fields(),
        text_fields=provider_returns.TEXT_FIELDS,
        values={**(checked.raw if checked is not None else {}), **(typed or {})},
        errors=errors,
        error_list=[{"text": text, "href": f"#{key}"} for key, text in errors.items()],
    ), status


@bp.route("/<int:contract_id>/returns/<start>", methods=["GET", "POST"])
def return_form(contract_id, start):
    contract = _contract(contract_id)
    period = _period(contract, start)
    if request.method == "GET":
        return _page(contract, period)
    if not provider_returns.can_fill(current_user, contract):
        abort(403)
    submit = request.form.get("action") == "submit"
    existing = provider_returns.find(contract, period)
    if existing is not None and existing.status == provider_returns.SUBMITTED:
        # A second submit (a double click, a retry) changes nothing: show what was submitted.
        return redirect(url_for("contracts.return_form", contract_id=contract.id, start=start))
    checked = provider_returns.check(request.form, submit=submit)
    if checked.errors:
        return _page(contract, period, checked=checked, status=400)
    outcome = provider_returns.save(contract, period, checked, current_user, submit=submit)
    if outcome == "submitted":
        flash(
            f"Your return for {period.label} has been submitted. Commissioners can now read it.",
            "success",
        )
    elif outcome == "saved":
        flash(
            f"Your draft return for {period.label} has been saved. Submit it when it is ready.",
            "success",
        )
    return redirect(url_for("contracts.return_form", contract_id=contract.id, start=start))


@bp.post("/<int:contract_id>/returns/<start>/queries")
def return_query(contract_id, start):
    contract = _contract(contract_id)
    period = _period(contract, start)
    if not provider_returns.can_ask(current_user):
        abort(403)
    provider_return = provider_returns.find(contract, period)
    if provider_return is None or provider_return.status != provider_returns.SUBMITTED:
        abort(404)
    question, problem = provider_returns.check_text(request.form.get("question"), "question")
    if problem:
        return _page(
            contract, period, question_error=problem, typed={"question": question}, status=400
        )
    provider_returns.ask(provider_return, question, current_user)
    flash(
        "Your question has been sent to the provider. You will get an email when they answer.",
        "success",
    )
    return redirect(
        url_for("contracts.return_form", contract_id=contract.id, start=start) + "#queries"
    )


@bp.post("/<int:contract_id>/returns/<start>/queries/<int:query_id>/answer")
def return_answer(contract_id, start, query_id):
    contract = _contract(contract_id)
    period = _period(contract, start)
    query = get_by_id(ReturnQuery, query_id)
    provider_return = provider_returns.find(contract, period)
    if query is None or provider_return is None or query.return_id != provider_return.id:
        abort(404)
    if not provider_returns.can_fill(current_user, contract):
        abort(403)
    page = url_for("contracts.return_form", contract_id=contract.id, start=start)
    if query.answer is not None:
        return redirect(page + f"#query-{query.id}")
    text, problem = provider_returns.check_text(request.form.get(f"answer-{query.id}"), "answer")
    if problem:
        return _page(
            contract,
            period,
            answer_errors={query.id: problem},
            typed={f"answer-{query.id}": text},
            status=400,
        )
    if provider_returns.answer(query, text, current_user):
        flash("Your answer has been sent. The commissioner who asked has been emailed.", "success")
    return redirect(page + f"#query-{query.id}")
