"""A contract's measures over its last complete periods, from kept results, for its page
and the evidence pack's "Contract" section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app import scope
from app.dates import format_day
from app.evidence.periods import Period
from app.evidence.summary_contracts import CONTRACT_CAPTION
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import Column, Section, Table
from app.extensions import db
from app.models import Contract, ContractMeasure, MeasureResult, Provider, Service
from app.models.timeutil import uk_today
from app.monitoring import status
from app.monitoring.library import KINDS, RETURN_SOURCES


@dataclass(frozen=True)
class Entry:
    period: Period
    result: MeasureResult | None

    @property
    def status(self) -> str:
        return self.result.status if self.result else status.NO_DATA

    @property
    def status_label(self) -> str:
        return status.STATUSES[self.status]

    @property
    def reason(self) -> str:
        return self.result.reason if self.result else "Not worked out yet."


@dataclass(frozen=True)
class MeasureHistory:
    chosen: ContractMeasure
    entries: tuple[Entry, ...]  # most recent first

    @property
    def latest(self) -> Entry | None:
        return self.entries[0] if self.entries else None

    @property
    def from_return(self) -> bool:
        return self.chosen.measure.source in RETURN_SOURCES

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.chosen.measure.kind, self.chosen.measure.kind)


def shown_value(chosen: ContractMeasure, result: MeasureResult | None, threshold: int) -> str:
    """A result's value as a page shows it: "fewer than 10" when hidden by the small-numbers
    rules, "not enough data" when there is no figure."""
    if result is None or result.value is None:
        return (
            f"fewer than {threshold}"
            if result is not None and result.suppressed
            else ("not enough data")
        )
    return status.format_value(chosen.measure.unit, result.value)


def tolerance_text(unit: str, tolerance: float) -> str:
    """A tolerance in words: percentages are points ("5 points"), not a share; "None" when
    a measure must meet its target exactly."""
    if not tolerance:
        return "None"
    if unit == "percent":
        return f"{tolerance:g} point{'' if tolerance == 1 else 's'}"
    return status.format_value(unit, tolerance)


def threshold() -> int:
    return SmallNumbers.from_settings(current_app.config).threshold


def history(contract: Contract, today: date | None = None) -> list[MeasureHistory]:
    """Each measure's kept results over the last `status.HISTORY_PERIODS` complete periods,
    worked out first when any is missing."""
    today = today or uk_today()
    periods = status.complete_periods(contract, today)
    chosen = status.contract_measures(contract)
    if not periods or not chosen:
        return [MeasureHistory(c, ()) for c in chosen]
    starts = [p.start for p in periods]
    kept = status.stored([contract], starts)
    if any((c.id, s) not in kept for c in chosen for s in starts):
        status.refresh(contract, today)
        kept = status.stored([contract], starts)
    return [
        MeasureHistory(c, tuple(Entry(p, kept.get((c.id, p.start))) for p in periods))
        for c in chosen
    ]


# --- The evidence pack's "Contract" section --------------------------------------------------


def contracts_for_pack(user, subject) -> list[Contract]:
    """The contracts covering a pack's subject (a service, or a provider) that `user` may
    see."""
    if isinstance(subject, Service):
        query = select(Contract).where(Contract.id == subject.contract_id)
    elif isinstance(subject, Provider):
        query = select(Contract).where(Contract.provider_id == subject.id)
    else:
        return []
    return list(
        db.session.scalars(query.where(scope.contract_filter(user)).order_by(Contract.reference))
    )


def contract_section(
    contracts: Sequence[Contract], period: Period, today: date | None = None
) -> Section | None:
    """Each contract's measures, targets and statuses with their reasons, for the contract
    period that is the pack's period when there is one, else the latest complete one.
    Values hidden by the small-numbers rules stay hidden ("fewer than 10")."""
    if not contracts:
        return None
    today = today or uk_today()
    limit = threshold()
    tables = []
    for contract in contracts:
        complete = status.complete_periods(contract, today)
        shown = next((p for p in complete if p.start == period.start), None)
        shown = shown or (complete[0] if complete else None)
        results: dict[int, MeasureResult] = {}
        if shown is not None:
            results = {
                h.chosen.id: e.result
                for h in history(contract, today)
                for e in h.entries
                if e.period == shown and e.result is not None
            }
        rows = []
        for chosen in status.contract_measures(contract):
            result = results.get(chosen.id)
            rows.append(
                (
                    chosen.measure.name,
                    shown_value(chosen, result, limit),
                    status.format_value(chosen.measure.unit, chosen.target),
                    status.STATUSES[result.status] if result else status.STATUSES[status.NO_DATA],
                    result.reason if result else "The contract has no complete period yet.",
                )
            )
        where = f", {shown.label}" if shown else ""
        tables.append(
            Table(
                key=f"contract-{contract.id}",
                caption=f"{contract.reference} {contract.title}{CONTRACT_CAPTION}{where}",
                columns=(
                    Column("Measure"),
                    Column("Value"),
                    Column("Target"),
                    Column("Status"),
                    Column("Reason"),
                ),
                rows=tuple(rows),
                note=f"Risk {contract.risk_label.lower()}. "
                + (
                    f"Last reviewed {format_day(contract.last_reviewed_on)}."
                    if contract.last_reviewed_on
                    else "Not reviewed yet."
                ),
            )
        )
    return Section(
        key="contract",
        title="Contract",
        tables=tuple(tables),
        note="Each measure's status against the contract's target, with the reason in words.",
    )
