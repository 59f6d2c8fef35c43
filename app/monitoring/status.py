"""Each contract measure's value and status per period, in words.

A measure's figure comes from where the library says (`library.SOURCES`):

- figures about people (scales, the outcomes wheel, questionnaire answers) are read from
  the published evidence `Pack` (`app.evidence.build`), so they have been through the one
  disclosure-control layer already. A contract that covers all of its provider's services
  reads the provider's pack, one that covers a single service that service's pack. A
  contract covering some of a provider's services combines its services' published
  figures (weighted by their published numbers of people), and has no figure when any of
  them is hidden: nothing is worked out that the pages do not already show;
- inspection ratings count the moderated ratings of finalised visits, as the evidence
  pack does (panel ratings, not people, so no small-numbers rule);
- output and process figures come from the provider's submitted return for the period.

Status: met (on the right side of the target), close (within the tolerance of it), not met,
or not enough data (hidden by the small-numbers rules, or nothing to measure yet). The
reason is always given in words ("42% against a target of 60%; 18 points below").

Results are kept in `MeasureResult` so the overview and the API read them without rebuilding
evidence; `refresh` works them out again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app.evidence import build, inventory
from app.evidence.periods import Period, period_containing, period_for_family, previous
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import Pack, Table
from app.extensions import db, instrument_registry
from app.figures import is_suppressed
from app.instruments.fieldwork import NOT_OBSERVED
from app.models import Contract, ContractMeasure, Measure, MeasureResult, ProviderReturn
from app.models.timeutil import uk_today, utcnow

MET, CLOSE, NOT_MET, NO_DATA = "met", "close", "not_met", "no_data"
STATUSES = {
    MET: "Met",
    CLOSE: "Close",
    NOT_MET: "Not met",
    NO_DATA: "Not enough data",
}
# How many complete periods a contract page shows, most recent first.
HISTORY_PERIODS = 4

PEOPLE_SOURCES = ("scale_mean", "scale_meaningful", "wheel_distance", "question_positive")


@dataclass(frozen=True)
class Value:
    """A measure's figure for one period: a number, or None with the reason there is none."""

    value: float | None
    suppressed: bool = False
    missing: str = ""


@dataclass(frozen=True)
class Result:
    """A measure's value, status and reason for one period."""

    contract_measure_id: int
    period: Period
    value: float | None
    suppressed: bool
    status: str
    reason: str

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


# --- Periods --------------------------------------------------------------------------------


def period_of(contract: Contract, day: date) -> Period:
    """The contract's monitoring period that holds `day`."""
    return period_containing(day, contract.starts_on, contract.monitoring_interval_months or 3)


def complete_periods(
    contract: Contract, today: date | None = None, count: int = HISTORY_PERIODS
) -> list[Period]:
    """The contract's last `count` periods that have ended, most recent first (none before
    the contract started)."""
    today = today or uk_today()
    period = previous(period_of(contract, today))
    periods = []
    while len(periods) < count:
        if contract.starts_on and period.end < contract.starts_on:
            break
        periods.append(period)
        period = previous(period)
    return periods


def latest_complete_period(contract: Contract, today: date | None = None) -> Period | None:
    periods = complete_periods(contract, today, 1)
    return periods[0] if periods else None


# --- Words ----------------------------------------------------------------------------------


def format_value(unit: str, value: float | None) -> str:
    if value is None:
        return ""
    if unit == "percent":
        return f"{value:.0f}%"
    if unit == "score":
        return f"{value:.1f}"
    if unit == "days":
        return f"{value:g} day{'' if value == 1 else 's'}"
    return f"{value:g}"


def _gap(unit: str, gap: float) -> str:
    if unit == "percent":
        return f"{gap:.0f} point{'' if round(gap) == 1 else 's'}"
    if unit == "score":
        return f"{gap:.1f}"
    if unit == "days":
        return f"{gap:g} day{'' if gap == 1 else 's'}"
    return f"{gap:g}"


def judge(measure: Measure, target: float, tolerance: float, value: Value) -> tuple[str, str]:
    """(status, reason in words) for `value` against `target` and `tolerance`."""
    goal = format_value(measure.unit, target)
    if value.value is None:
        return NO_DATA, f"{value.missing} Target {goal}."
    shown = format_value(measure.unit, value.value)
    higher = measure.direction != "lower"
    # Compare as shown, so the words and the status never disagree.
    if measure.unit == "percent":
        actual = round(value.value)
    elif measure.unit == "score":
        actual = round(value.value, 1)
    else:
        actual = value.value
    short = (target - actual) if higher else (actual - target)
    short = round(short, 6)
    if short <= 0:
        beyond = -short
        side = "above" if higher else "below"
        extra = f"; {_gap(measure.unit, beyond)} {side}" if beyond else ""
        return MET, f"{shown} against a target of {goal}{extra}."
    side = "below" if higher else "above"
    reason = f"{shown} against a target of {goal}; {_gap(measure.unit, short)} {side}."
    if short <= tolerance:
        return CLOSE, reason[:-1] + f", within the tolerance of {_gap(measure.unit, tolerance)}."
    return NOT_MET, reason


# --- Figures --------------------------------------------------------------------------------


def _table(pack: Pack, key: str) -> Table | None:
    for section in pack.sections:
        for table in section.tables:
            if table.key == key:
                return table
    return None


def _row(table: Table | None, label: str):
    if table is None:
        return None
    for row in table.rows:
        if row[0] == label:
            return row
    return None


def _number(cell) -> float | None:
    if cell is None or is_suppressed(cell) or isinstance(cell, str):
        return None
    return float(cell)


HIDDEN = "Hidden: based on fewer than {threshold} people, or it would reveal a small group."
NOBODY = "Nobody answered in this period."


def _people_figure(pack: Pack, measure: Measure) -> tuple[float | None, float | None, str]:
    """(value, weight, why missing) of a people-based measure in one published pack. The
    weight is the published number of people the value is about."""
    params = measure.params
    registry = instrument_registry()
    if measure.source in ("scale_mean", "scale_meaningful"):
        instrument = registry.get(params["instrument"])
        if measure.source == "scale_mean":
            scores = _table(pack, f"{instrument.id}-scores")
            people, mean = _row(scores, "People"), _row(scores, "Mean")
            if people is None:
                return None, None, NOBODY
            if _number(people[1]) is None or _number(mean[1]) is None:
                return None, None, HIDDEN
            return _number(mean[1]), _number(people[1]), ""
        change = _table(pack, f"{instrument.id}-change")
        people = _row(change, "People with an earlier score")
        share = _row(change, "Share with meaningful improvement")
        if people is None:
            return None, None, NOBODY
        if _number(people[1]) is None or _number(share[1]) is None:
            if people[1] == 0:
                return None, None, "Nobody had an earlier score to compare with."
            return None, None, HIDDEN
        return _number(share[1]) * 100, _number(people[1]), ""
    if measure.source == "wheel_distance":
        instrument = registry.get(params["instrument"])
        table = _table(pack, f"{instrument.id}-distance")
        if table is None:
            return None, None, "No outcomes-wheel readings in this period."
        index = list(instrument.star.areas).index(params["area"])
        row = table.rows[index]
        people, change = _number(row[1]), _number(row[4])
        if people is None or change is None:
            return None, None, HIDDEN
        return change, people, ""
    if measure.source == "question_positive":
        instrument = registry.get(params["instrument"])
        table = _table(pack, f"{instrument.id}-{params['item']}")
        if table is None:
            return None, None, NOBODY
        values = [value for value, _ in instrument.option_choices(params["item"])]
        answered = _number(table.rows[-1][1])
        if answered is None:
            return None, None, HIDDEN
        total = 0.0
        for value in params["positive"]:
            if value not in values:
                continue
            share = _number(table.rows[values.index(value)][2])
            if share is None:
                return None, None, HIDDEN
            total += share
        return total * 100, answered, ""
    raise ValueError(f"not a people measure: {measure.source}")


def _evidence_value(contract: Contract, measure: Measure, period: Period, packs) -> Value:
    services = sorted(contract.services, key=lambda s: s.id)
    if not services:
        return Value(None, missing="The contract covers no service yet.")
    provider = contract.provider
    if period != period_for_family(provider, period.start):
        return Value(
            None,
            missing="The contract's periods do not line up with the reporting periods of "
            "its provider's services.",
        )
    threshold = SmallNumbers.from_settings(current_app.config).threshold
    every = {s.id for s in provider.services}
    if {s.id for s in services} == every:
        subjects = [("provider", provider)]
    else:
        subjects = [("service", s) for s in services]
    figures = []
    for kind, subject in subjects:
        pack = packs(kind, subject, period)
        value, weight, why = _people_figure(pack, measure)
        if value is None and why == NOBODY and len(subjects) > 1:
            continue  # a service nobody answered in adds nothing to the contract's figure
        if value is None:
            return Value(None, suppressed=why == HIDDEN, missing=why.format(threshold=threshold))
        figures.append((value, weight))
    if not figures:
        return Value(None, missing=NOBODY)
    people = sum(weight for _, weight in figures)
    return Value(sum(value * weight for value, weight in figures) / people)


def _inspection_value(contract: Contract, measure: Measure, period: Period) -> Value:
    params = measure.params
    visits = [
        v
        for v in inventory.finalised_visits([s.id for s in contract.services], period)
        if v.framework_id == params["framework"]
    ]
    ratings = [
        r.rating
        for visit in visits
        for r in visit.moderated
        if r.characteristic == params["characteristic"] and r.rating not in (None, "", NOT_OBSERVED)
    ]
    if not ratings:
        return Value(None, missing="No finalised visit rated this in the period.")
    positive = sum(1 for rating in ratings if rating in params["positive"])
    return Value(positive / len(ratings) * 100)


def submitted_return(contract: Contract, period: Period) -> ProviderReturn | None:
    return db.session.scalar(
        select(ProviderReturn).where(
            ProviderReturn.contract_id == contract.id,
            ProviderReturn.period_start == period.start,
            ProviderReturn.status == "submitted",
        )
    )


def _return_value(contract: Contract, measure: Measure, period: Period) -> Value:
    submitted = submitted_return(contract, period)
    if submitted is None:
        return Value(None, missing="No return submitted for this period yet.")
    figures = submitted.figures or {}
    params = measure.params
    if measure.source == "return_figure":
        value = figures.get(params["field"])
        if value is None:
            return Value(None, missing="The return left this figure blank.")
        return Value(float(value))
    numerator, denominator = figures.get(params["numerator"]), figures.get(params["denominator"])
    if numerator is None or denominator is None:
        return Value(None, missing="The return left a figure this needs blank.")
    if not denominator:
        return Value(None, missing="Nothing to take a share of: the return says 0.")
    return Value(numerator / denominator * 100)


def measure_value(contract: Contract, measure: Measure, period: Period, packs=None) -> Value:
    """A measure's figure for the contract in `period` (see the module docstring)."""
    if measure.source in PEOPLE_SOURCES:
        return _evidence_value(contract, measure, period, packs or pack_reader())
    if measure.source == "inspection_rating":
        return _inspection_value(contract, measure, period)
    return _return_value(contract, measure, period)


def pack_reader():
    """Builds (and keeps, for one refresh) the published packs the measures read."""
    registry = instrument_registry()
    rule = SmallNumbers.from_settings(current_app.config)
    kept: dict = {}

    def packs(kind: str, subject, period: Period) -> Pack:
        key = (kind, subject.id, period)
        if key not in kept:
            make = build.provider_pack if kind == "provider" else build.service_pack
            kept[key] = make(subject, period, registry, rule, charts=False)
        return kept[key]

    return packs


# --- Results --------------------------------------------------------------------------------


def work_out(
    contract: Contract, periods: Iterable[Period], packs=None
) -> dict[tuple[int, Period], Result]:
    """Every measure of the contract in each of `periods`, worked out now (not stored)."""
    packs = packs or pack_reader()
    results = {}
    for period in periods:
        for chosen in contract.measures:
            value = measure_value(contract, chosen.measure, period, packs)
            status, reason = judge(chosen.measure, chosen.target, chosen.tolerance, value)
            results[chosen.id, period] = Result(
                contract_measure_id=chosen.id,
                period=period,
                value=value.value,
                suppressed=value.suppressed,
                status=status,
                reason=reason,
            )
    return results


def refresh(contract: Contract, today: date | None = None, count: int = HISTORY_PERIODS):
    """Work out the contract's measures for its last `count` complete periods and keep them.
    Returns the results. Commits."""
    periods = complete_periods(contract, today, count)
    results = work_out(contract, periods)
    ids = [chosen.id for chosen in contract.measures]
    starts = [p.start for p in periods]
    kept = {
        (r.contract_measure_id, r.period_start): r
        for r in db.session.scalars(
            select(MeasureResult).where(
                MeasureResult.contract_measure_id.in_(ids), MeasureResult.period_start.in_(starts)
            )
        )
    }
    now = utcnow()
    for (chosen_id, period), result in results.items():
        row = kept.get((chosen_id, period.start))
        if row is None:
            row = MeasureResult(contract_measure_id=chosen_id, period_start=period.start)
            db.session.add(row)
        row.period_end = period.end
        row.value = result.value
        row.suppressed = result.suppressed
        row.status = result.status
        row.reason = result.reason
        row.computed_at = now
    db.session.commit()
    return results


def stored(contracts: Sequence[Contract], starts: Iterable[date] | None = None):
    """Kept results of these contracts: {(contract_measure_id, period_start): MeasureResult}."""
    ids = [chosen.id for contract in contracts for chosen in contract.measures]
    if not ids:
        return {}
    query = select(MeasureResult).where(MeasureResult.contract_measure_id.in_(ids))
    if starts is not None:
        query = query.where(MeasureResult.period_start.in_(list(starts)))
    return {(r.contract_measure_id, r.period_start): r for r in db.session.scalars(query)}


def latest_results(contract: Contract, today: date | None = None) -> dict[int, MeasureResult]:
    """Each measure's kept result for the latest complete period, worked out first when
    missing. {contract_measure_id: MeasureResult}"""
    period = latest_complete_period(contract, today)
    if period is None or not contract.measures:
        return {}
    found = stored([contract], [period.start])
    if any((chosen.id, period.start) not in found for chosen in contract.measures):
        refresh(contract, today)
        found = stored([contract], [period.start])
    return {chosen.id: found[chosen.id, period.start] for chosen in contract.measures}


def forget(contract: Contract) -> None:
    """Drop the contract's kept results (its targets, measures or return changed), so they
    are worked out again when next read. Does not commit."""
    ids = [chosen.id for chosen in contract.measures]
    if ids:
        db.session.execute(
            MeasureResult.__table__.delete().where(MeasureResult.contract_measure_id.in_(ids))
        )


def contract_measures(contract: Contract) -> list[ContractMeasure]:
    return sorted(contract.measures, key=lambda c: (c.measure.kind, c.measure.name))
