"""The commissioner's overview: one row per contract, from kept results and a few queries.

Every figure of a row comes from what is already stored: the measures' kept results
(`MeasureResult`) for the contract's latest complete period and the one before it, the
submitted returns, the queries without an answer, the recommendations without a reply and
the latest finalised visit. A contract whose latest results are not kept yet is worked out
once (`status.refresh`); nothing else rebuilds evidence. Each of those is read for every
contract at once (a handful of queries, whatever the number of contracts), so the overview
stays quick with hundreds of contracts.

The trend compares each measure with the period before: a measure "got worse" when its
status did (met to close, close to not met), or kept its status while its figure moved the
wrong way for its direction (a longer wait, fewer people seen); it "improved" the other way
round. Measures without a figure in either period are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from app.evidence.periods import Period
from app.extensions import db
from app.models import (
    Contract,
    ContractMeasure,
    MeasureResult,
    ProviderReturn,
    Recommendation,
    ReturnQuery,
    Service,
    Visit,
)
from app.models.contract import RISK_LEVELS
from app.models.fieldwork import VISIT_KINDS
from app.models.timeutil import uk_today
from app.monitoring import status
from app.monitoring.returns_due import RETURN_PERIODS, return_due_on

# Better statuses rank higher; "not enough data" has no rank (nothing to compare).
RANK = {status.NOT_MET: 0, status.CLOSE: 1, status.MET: 2}
RISK_ORDER = {key: number for number, key in enumerate(RISK_LEVELS)}
SUMMARY_LENGTH = 120


class Kept(NamedTuple):
    """A kept `MeasureResult`, as the overview reads it."""

    contract_measure_id: int
    period_start: date
    value: float | None
    suppressed: bool
    status: str
    reason: str


KEPT_COLUMNS = (
    MeasureResult.contract_measure_id,
    MeasureResult.period_start,
    MeasureResult.value,
    MeasureResult.suppressed,
    MeasureResult.status,
    MeasureResult.reason,
)


@dataclass(frozen=True)
class Trend:
    """Since the period before, in words: `word` ("Worse"), `arrow` (a decoration only) and
    `detail` ("2 measures fell"). `order` sorts worse first."""

    word: str
    arrow: str
    detail: str
    order: int

    @property
    def text(self) -> str:
        return f"{self.word}: {self.detail}" if self.detail else self.word


NO_EARLIER = Trend("No earlier period", "", "", 3)


@dataclass(frozen=True)
class Worst:
    """A measure off target: its gap relative to the target (0.3 = 30% of the target)."""

    chosen: ContractMeasure
    result: Kept
    gap: float

    @property
    def text(self) -> str:
        return f"{self.chosen.measure.name}: {self.result.reason}"


@dataclass(frozen=True)
class Inspection:
    visit_on: date
    summary: str


@dataclass
class Row:
    contract: Contract
    period: Period | None
    results: dict[int, Kept] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    worst: Worst | None = None
    trend: Trend = NO_EARLIER
    overdue: list[Period] = field(default_factory=list)
    queries: int = 0
    awaiting: int = 0
    inspection: Inspection | None = None

    @property
    def not_met(self) -> int:
        return self.counts.get(status.NOT_MET, 0)

    @property
    def close(self) -> int:
        return self.counts.get(status.CLOSE, 0)

    @property
    def needs_attention(self) -> bool:
        return bool(self.not_met or self.overdue or self.queries or self.awaiting)


def relative_gap(chosen: ContractMeasure, value: float | None) -> float:
    """How far `value` is on the wrong side of the target, as a share of the target (the
    plain difference when the target is 0). 0 when on target or unknown."""
    if value is None:
        return 0.0
    higher = chosen.measure.direction != "lower"
    short = (chosen.target - value) if higher else (value - chosen.target)
    if short <= 0:
        return 0.0
    return short / abs(chosen.target) if chosen.target else short


def worst_measure(contract: Contract, results: dict[int, Kept]) -> Worst | None:
    """The "not met" measure with the largest gap relative to its target, else the "close"
    one; None when every measure is met or has no figure."""
    for wanted in (status.NOT_MET, status.CLOSE):
        found = [
            Worst(chosen, results[chosen.id], relative_gap(chosen, results[chosen.id].value))
            for chosen in contract.measures
            if chosen.id in results and results[chosen.id].status == wanted
        ]
        if found:
            return max(found, key=lambda w: (w.gap, -w.chosen.id))
    return None


def _change(chosen: ContractMeasure, now: Kept, before: Kept) -> int:
    """-1 when the measure got worse (its status, or else its value, moved the wrong way),
    1 when it got better, 0 when it stayed as it was."""
    if RANK[now.status] != RANK[before.status]:
        return 1 if RANK[now.status] > RANK[before.status] else -1
    if now.value is None or before.value is None:
        return 0
    shown_now = status.format_value(chosen.measure.unit, now.value)
    if shown_now == status.format_value(chosen.measure.unit, before.value):
        return 0  # a change too small to show is no change
    better = now.value > before.value
    return 1 if better == (chosen.measure.direction != "lower") else -1


def trend(contract: Contract, latest: dict[int, Kept], earlier: dict[int, Kept]) -> Trend:
    fell = rose = compared = 0
    for chosen in contract.measures:
        now, before = latest.get(chosen.id), earlier.get(chosen.id)
        if now is None or before is None:
            continue
        if now.status not in RANK or before.status not in RANK:
            continue
        compared += 1
        change = _change(chosen, now, before)
        if change < 0:
            fell += 1
        elif change > 0:
            rose += 1
    if not compared:
        return NO_EARLIER

    def measures(n: int) -> str:
        return f"{n} measure{'s' if n != 1 else ''}"

    if fell and rose:
        return Trend("Mixed", "↕", f"{measures(rose)} improved, {measures(fell)} got worse", 1)
    if fell:
        return Trend("Worse", "↓", f"{measures(fell)} got worse", 0)
    if rose:
        return Trend("Better", "↑", f"{measures(rose)} improved", 4)
    return Trend("No change", "→", f"{measures(compared)} as before", 2)


def _summary(visit: Visit) -> str:
    kind = VISIT_KINDS.get(visit.kind, "Visit")
    text = " ".join((visit.summary or "").split())
    if not text:
        ratings = len(visit.moderated)
        return f"{kind} to {visit.service.name}: {ratings} rating{'s' if ratings != 1 else ''}."
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return f"{kind} to {visit.service.name}: {text}"


def load(contracts_query) -> list[Contract]:
    """The contracts of a SELECT, with what a row needs loaded at once."""
    return list(
        db.session.scalars(
            contracts_query.options(
                selectinload(Contract.provider),
                selectinload(Contract.measures).selectinload(ContractMeasure.measure),
            )
        ).unique()
    )


def rows(contracts: list[Contract], today: date | None = None) -> list[Row]:
    """One `Row` per contract, in the order given."""
    today = today or uk_today()
    periods = {c.id: status.complete_periods(c, today, max(2, RETURN_PERIODS)) for c in contracts}
    wanted = {
        (chosen.id, p.start) for c in contracts for chosen in c.measures for p in periods[c.id][:2]
    }
    kept = _kept(wanted)
    # Worked out only where nothing is kept yet for the latest period (a new contract, one
    # whose targets changed since, or a period just ended before the nightly refresh), and
    # then only the two periods the overview shows: the contract's page works out the rest.
    for contract in contracts:
        latest = periods[contract.id][:1]
        if latest and any((c.id, latest[0].start) not in kept for c in contract.measures):
            status.refresh(contract, today, count=2)
            kept.update(
                _kept(
                    {(c.id, p.start) for c in contract.measures for p in periods[contract.id][:2]}
                )
            )
    ids = [c.id for c in contracts]
    submitted = _submitted(ids, {p.start for ps in periods.values() for p in ps})
    queries = _unanswered_queries(ids)
    awaiting = _awaiting_replies(ids)
    visits = _latest_visits(ids)
    found = []
    for contract in contracts:
        own = periods[contract.id]
        row = Row(contract=contract, period=own[0] if own else None)
        if own:
            row.results = {
                c.id: kept[c.id, own[0].start]
                for c in contract.measures
                if (c.id, own[0].start) in kept
            }
            earlier = (
                {
                    c.id: kept[c.id, own[1].start]
                    for c in contract.measures
                    if (c.id, own[1].start) in kept
                }
                if len(own) > 1
                else {}
            )
            row.trend = trend(contract, row.results, earlier)
        for result in row.results.values():
            row.counts[result.status] = row.counts.get(result.status, 0) + 1
        row.worst = worst_measure(contract, row.results)
        row.overdue = [
            p
            for p in own[:RETURN_PERIODS]
            if return_due_on(p) < today and (contract.id, p.start) not in submitted
        ]
        row.queries = queries.get(contract.id, 0)
        row.awaiting = awaiting.get(contract.id, 0)
        visit = visits.get(contract.id)
        if visit is not None:
            row.inspection = Inspection(visit.visit_on, _summary(visit))
        found.append(row)
    return found


def furthest_off(found: list[Row]) -> Row | None:
    """The row whose "not met" measure is furthest off its target, relative to the target."""
    off = [r for r in found if r.worst is not None and r.worst.result.status == status.NOT_MET]
    if not off:
        return None
    return max(off, key=lambda r: (r.worst.gap, r.not_met, r.contract.reference))


# --- Queries over every contract at once -----------------------------------------------------


def _kept(pairs: set[tuple[int, date]]) -> dict[tuple[int, date], Kept]:
    """The kept results for (contract measure, period start) pairs, read as plain rows (no
    ORM objects: a few thousand of them on a large deployment)."""
    if not pairs:
        return {}
    ids = {cm for cm, _ in pairs}
    starts = {start for _, start in pairs}
    query = select(*KEPT_COLUMNS).where(
        MeasureResult.contract_measure_id.in_(ids), MeasureResult.period_start.in_(starts)
    )
    found = {}
    for row in db.session.execute(query):
        key = (row.contract_measure_id, row.period_start)
        if key in pairs:
            found[key] = Kept(*row)
    return found


def _submitted(ids: list[int], starts: set[date]) -> set[tuple[int, date]]:
    if not ids or not starts:
        return set()
    return set(
        db.session.execute(
            select(ProviderReturn.contract_id, ProviderReturn.period_start).where(
                ProviderReturn.contract_id.in_(ids),
                ProviderReturn.status == "submitted",
                ProviderReturn.period_start.in_(starts),
            )
        ).all()
    )


def _unanswered_queries(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(ProviderReturn.contract_id, func.count(ReturnQuery.id))
            .join(ReturnQuery, ReturnQuery.return_id == ProviderReturn.id)
            .where(ProviderReturn.contract_id.in_(ids), ReturnQuery.answer.is_(None))
            .group_by(ProviderReturn.contract_id)
        ).all()
    )


def _current_visits():
    return and_(Visit.finalised_at.is_not(None), Visit.superseded_by_id.is_(None))


def _awaiting_replies(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Service.contract_id, func.count(Recommendation.id))
            .join(Visit, Recommendation.visit_id == Visit.id)
            .join(Service, Visit.service_id == Service.id)
            .where(Service.contract_id.in_(ids), _current_visits(), Recommendation.reply.is_(None))
            .group_by(Service.contract_id)
        ).all()
    )


def _latest_visits(ids: list[int]) -> dict[int, Visit]:
    if not ids:
        return {}
    latest = (
        select(Service.contract_id.label("contract_id"), func.max(Visit.visit_on).label("day"))
        .join(Service, Visit.service_id == Service.id)
        .where(Service.contract_id.in_(ids), _current_visits())
        .group_by(Service.contract_id)
        .subquery()
    )
    found: dict[int, Visit] = {}
    query = (
        select(latest.c.contract_id, Visit)
        .join(Service, Visit.service_id == Service.id)
        .join(
            latest,
            and_(latest.c.contract_id == Service.contract_id, latest.c.day == Visit.visit_on),
        )
        .where(_current_visits())
        .options(selectinload(Visit.service), selectinload(Visit.moderated))
        .order_by(Visit.id.desc())
    )
    for contract_id, visit in db.session.execute(query):
        found.setdefault(contract_id, visit)
    return found
