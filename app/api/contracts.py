"""Contracts and their measures' statuses as the API writes them.

The figures are the kept results (`MeasureResult`) the overview, the contract pages and
`contracts status` read (`app.monitoring.status`): worked out when missing, never worked
out another way here. A value hidden by the small-numbers rules is written "suppressed".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import scope
from app.evidence.periods import Period
from app.extensions import db
from app.models import Contract, ContractMeasure, MeasureResult
from app.monitoring import status

SUPPRESSED = "suppressed"
NO_PERIOD_YET = "The contract has no complete period yet."
NOT_WORKED_OUT = "Not worked out yet."


def visible(user) -> list[Contract]:
    """The contracts in `user`'s scope, by reference, with what the API writes loaded."""
    query = (
        select(Contract)
        .where(scope.contract_filter(user))
        .order_by(Contract.reference)
        .options(
            selectinload(Contract.provider),
            selectinload(Contract.bodies),
            selectinload(Contract.services),
            selectinload(Contract.measures).selectinload(ContractMeasure.measure),
        )
    )
    return list(db.session.scalars(query))


def find(user, reference: str) -> Contract | None:
    """The contract with this reference, when it is in `user`'s scope."""
    return db.session.scalar(
        select(Contract).where(Contract.reference == reference, scope.contract_filter(user))
    )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def period_json(period: Period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}


def summary(contract: Contract) -> dict:
    return {
        "reference": contract.reference,
        "title": contract.title,
        "provider": {"id": contract.provider.id, "name": contract.provider.name},
        "bodies": [
            {"id": body.id, "name": body.name, "kind": body.kind}
            for body in sorted(contract.bodies, key=lambda b: b.name)
        ],
        "services": [
            {
                "id": service.id,
                "name": service.name,
                "evidence_url": url_for(
                    "api.service_evidence", service_id=service.id, _external=True
                ),
            }
            for service in sorted(contract.services, key=lambda s: s.id)
        ],
        "starts_on": _day(contract.starts_on),
        "ends_on": _day(contract.ends_on),
        "value_pounds": contract.value_pounds,
        "monitoring_interval_months": contract.monitoring_interval_months,
        "risk": contract.risk,
        "risk_label": contract.risk_label,
        "last_reviewed_on": _day(contract.last_reviewed_on),
        "url": url_for("api.contract", reference=contract.reference, _external=True),
    }


# --- Results ----------------------------------------------------------------------------------

Found = dict[tuple[int, date], MeasureResult]


def results(contracts: Sequence[Contract], today: date) -> tuple[dict[int, list[Period]], Found]:
    """Each contract's complete periods (most recent first) and the kept results for them,
    worked out first for a contract that is missing any."""
    periods = {contract.id: status.complete_periods(contract, today) for contract in contracts}
    starts = {period.start for each in periods.values() for period in each}
    found = status.stored(contracts, starts) if starts else {}
    stale = [
        contract
        for contract in contracts
        if any(
            (chosen.id, period.start) not in found
            for chosen in contract.measures
            for period in periods[contract.id]
        )
    ]
    for contract in stale:
        status.refresh(contract, today)
    if stale:
        found.update(status.stored(stale, starts))
    return periods, found


def value_of(result: MeasureResult | None):
    if result is None:
        return None
    return SUPPRESSED if result.suppressed else result.value


def result_json(chosen: ContractMeasure, period: Period, result: MeasureResult | None) -> dict:
    value = result.value if result is not None and not result.suppressed else None
    state = result.status if result is not None else status.NO_DATA
    return {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "period_label": period.label,
        "value": value_of(result),
        "value_text": status.format_value(chosen.measure.unit, value),
        "suppressed": bool(result is not None and result.suppressed),
        "status": state,
        "status_label": status.STATUSES[state],
        "reason": result.reason if result is not None else NOT_WORKED_OUT,
    }


def measure_json(chosen: ContractMeasure) -> dict:
    measure = chosen.measure
    return {
        "key": measure.key,
        "name": measure.name,
        "kind": measure.kind,
        "tag": measure.tag,
        "unit": measure.unit,
        "direction": measure.direction,
        "target": chosen.target,
        "tolerance": chosen.tolerance,
    }


def detail(contract: Contract, today: date) -> dict:
    """One contract with each measure's value, status and reason per complete period."""
    periods, found = results([contract], today)
    shown = periods[contract.id]
    measures = []
    for chosen in status.contract_measures(contract):
        entry = measure_json(chosen)
        entry["results"] = [
            result_json(chosen, period, found.get((chosen.id, period.start))) for period in shown
        ]
        measures.append(entry)
    return {
        **summary(contract),
        "periods": [period_json(period) for period in shown],
        "measures": measures,
    }


# --- The flat table of statuses ---------------------------------------------------------------


def row_count(contract: Contract, periods: list[Period]) -> int:
    """Rows of the flat table for this contract: one per measure and period (one per measure
    when no period is complete yet)."""
    return len(contract.measures) * max(1, len(periods))


def status_rows(contract: Contract, periods: list[Period], found: Found) -> Iterator[dict]:
    for chosen in status.contract_measures(contract):
        base = {
            "contract": contract.reference,
            "contract_title": contract.title,
            "provider": contract.provider.name,
            "risk": contract.risk,
            "measure": chosen.measure.key,
            "measure_name": chosen.measure.name,
            "kind": chosen.measure.kind,
            "tag": chosen.measure.tag,
            "unit": chosen.measure.unit,
            "direction": chosen.measure.direction,
            "target": chosen.target,
            "tolerance": chosen.tolerance,
        }
        if not periods:
            yield {
                **base,
                "period_start": None,
                "period_end": None,
                "period_label": None,
                "latest": True,
                "value": None,
                "value_text": "",
                "suppressed": False,
                "status": status.NO_DATA,
                "status_label": status.STATUSES[status.NO_DATA],
                "reason": NO_PERIOD_YET,
            }
            continue
        for index, period in enumerate(periods):
            result = found.get((chosen.id, period.start))
            yield {**base, "latest": index == 0, **result_json(chosen, period, result)}


def status_page(user, today: date, first: int, size: int) -> tuple[list[dict], int]:
    """Rows `first` to `first + size` of the flat table for `user`'s contracts, and how many
    rows there are in all. Only the contracts on the page are read in full."""
    contracts = visible(user)
    periods = {contract.id: status.complete_periods(contract, today) for contract in contracts}
    counts = [row_count(contract, periods[contract.id]) for contract in contracts]
    total = sum(counts)
    wanted, skipped, offset = [], 0, 0
    for contract, count in zip(contracts, counts, strict=True):
        if offset + count > first and offset < first + size:
            if not wanted:
                skipped = offset
            wanted.append(contract)
        offset += count
    if not wanted:
        return [], total
    periods, found = results(wanted, today)
    rows = [row for c in wanted for row in status_rows(c, periods[c.id], found)]
    start = first - skipped
    return rows[start : start + size], total
