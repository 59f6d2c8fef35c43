"""A contract's page: its details, and each measure's history over its last complete periods
as a table and a chart, with the target, the status and its reason in words, and links to
the evidence behind it. A contract outside the person's scope answers 404, as if it did not
exist."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app import audit
from app.charts import cache as chart_cache
from app.charts.measure import history_chart
from app.contracts import bp
from app.contracts.manage import may_manage
from app.extensions import db
from app.improvement import summary as improvement
from app.models import Contract
from app.models.timeutil import uk_today
from app.monitoring import history as measure_history
from app.monitoring import overview, status
from app.scope import can_see_contract, can_see_service, can_see_whole_provider


def chart_owner(contract: Contract) -> int:
    """The owner a contract's charts are published under: negative, so a contract's charts
    and a provider's (published under its positive id) never share a namespace."""
    return -contract.id


def _contract(contract_id: int) -> Contract:
    contract = db.session.get(Contract, contract_id)
    if contract is None or not can_see_contract(current_user, contract):
        abort(404)
    return contract


def _evidence_links(contract: Contract) -> list[tuple[str, str, int, str]]:
    """(endpoint, id argument, id, name) of the evidence pages behind the contract's people and
    inspection measures: the provider's page when the contract covers all its services
    (and the person may see it), else each service's page."""
    services = sorted(contract.services, key=lambda s: s.name)
    every = {s.id for s in contract.provider.services}
    if (
        services
        and {s.id for s in services} == every
        and can_see_whole_provider(current_user, contract.provider_id)
    ):
        provider = contract.provider
        return [("review.provider_page", "provider_id", provider.id, provider.name)]
    return [
        ("review.service_page", "service_id", s.id, s.name)
        for s in services
        if can_see_service(current_user, s.id)
    ]


@bp.get("/<int:contract_id>")
def contract(contract_id):
    contract = _contract(contract_id)
    today = uk_today()
    histories = measure_history.history(contract, today)
    # The same summary as the contract's row on the overview.
    (row,) = overview.rows([contract], today)
    limit = measure_history.threshold()
    charts = {}
    for item in histories:
        if not any(entry.result and entry.result.value is not None for entry in item.entries):
            continue  # nothing to draw: the table says why
        measure = item.chosen.measure
        points = tuple(
            (
                entry.period.label,
                entry.result.value if entry.result is not None else None,
                entry.status_label,
            )
            for entry in reversed(item.entries)
        )
        chart = chart_cache.cached_chart(
            history_chart,
            measure.name,
            measure.unit,
            measure.direction,
            points,
            target=float(item.chosen.target),
            tolerance=float(item.chosen.tolerance or 0.0),
        )
        charts[item.chosen.id] = (chart, chart_cache.publish(chart, chart_owner(contract)))
    return render_template(
        "contracts/contract.html",
        contract=contract,
        histories=histories,
        row=row,
        charts=charts,
        evidence=_evidence_links(contract),
        may_manage=may_manage(current_user, contract),
        cases=improvement.for_contract(contract, uk_today()),
        may_open_case=current_user.has_role("admin", "commissioner", "coordinator"),
        open_case_url=improvement.open_url,
        shown_value=lambda chosen, result: measure_history.shown_value(chosen, result, limit),
        format_value=status.format_value,
        tolerance_text=measure_history.tolerance_text,
        latest=status.latest_complete_period(contract, today),
        today=today,
    )


@bp.post("/<int:contract_id>/refresh")
def contract_refresh(contract_id):
    contract = _contract(contract_id)
    status.refresh(contract)
    audit.record("contract_figures_worked_out", contract, reference=contract.reference)
    flash("The figures were worked out again from the latest evidence and returns.", "success")
    return redirect(url_for("contracts.contract", contract_id=contract.id))


@bp.get("/<int:contract_id>/charts/<key>.svg")
def chart(contract_id, key):
    contract = _contract(contract_id)
    svg = chart_cache.published_svg(key, owner=chart_owner(contract))
    if svg is None:
        abort(404)
    return Response(
        svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )
