"""The summary's rules for a contract's measures and its improvement actions
(`app.evidence.summary`): each measure's status, those not met as concerns, and each open
improvement case with its unfinished and overdue actions. No Flask."""

from __future__ import annotations

from app.evidence.summary_reading import (
    ACTIONS,
    CONCERNS,
    MEASURES,
    Found,
    Line,
    number,
    table,
    tables,
)
from app.evidence.summary_reading import anchor as _anchor
from app.evidence.tables import Pack, Table

UNFINISHED_ACTIONS = ("Not started", "In progress")
MEASURE_NOT_MET = "Not met"
# The order a contract's measures are counted in, by status.
STATUS_ORDER = ("Met", "Close", MEASURE_NOT_MET, "Not enough data")
# A contract's measures table is captioned "<reference> <title>: measures and targets, <period>".
CONTRACT_CAPTION = ": measures and targets"


def measures_rule(pack: Pack) -> Found:
    """The contract's measures with their status and value, and a concern for those not
    met. A page or pack under several contracts gives one line per contract (how many of
    its measures are met, not met or short of data) and names each measure not met with its
    contract, so the summary stays a page long and every line says which contract it is."""
    contracts = [t for t in tables(pack) if t.key.startswith("contract-")]
    if len(contracts) > 1:
        return _several_contracts(contracts)
    found: Found = []
    not_met = total = 0
    for t in contracts:
        for measure, value, target, status, _reason in t.rows:
            total += 1
            not_met += status == MEASURE_NOT_MET
            found.append(
                (
                    MEASURES,
                    Line(f"{measure}: {status.lower()} ({_shown(value, target)}).", _anchor(t.key)),
                )
            )
    if not_met:
        found.append(
            (
                CONCERNS,
                Line(
                    f"{not_met} of the contract's {total} measures "
                    f"{'are' if not_met != 1 else 'is'} not met.",
                    "section-contract",
                ),
            )
        )
    return found


def _shown(value: object, target: object) -> str:
    # A value in words ("not enough data", "fewer than 10") is said by the status.
    figure = bool(value) and str(value)[0].isdigit()
    return f"{value} against a target of {target}" if figure else f"target {target}"


def contract_name(t: Table) -> str:
    """The contract a measures table is for ("CYP-1 Youth work"), from its caption."""
    return t.caption.partition(CONTRACT_CAPTION)[0]


def _several_contracts(contracts: list[Table]) -> Found:
    found: Found = []
    for t in contracts:
        name, anchor = contract_name(t), _anchor(t.key)
        counts: dict[str, int] = {}
        for _measure, _value, _target, status, _reason in t.rows:
            counts[status] = counts.get(status, 0) + 1
        order = [s for s in STATUS_ORDER if s in counts] + [
            s for s in counts if s not in STATUS_ORDER
        ]
        parts = [f"{counts[status]} {status.lower()}" for status in order]
        total = len(t.rows)
        found.append(
            (
                MEASURES,
                Line(
                    f"{name}: {total} measure{'s' if total != 1 else ''}"
                    + (f", {_listed(parts)}." if parts else "."),
                    anchor,
                ),
            )
        )
        for measure, value, target, status, _reason in t.rows:
            if status == MEASURE_NOT_MET:
                found.append(
                    (
                        CONCERNS,
                        Line(f"{name}: {measure} not met ({_shown(value, target)}).", anchor),
                    )
                )
    return found


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def actions_rule(pack: Pack) -> Found:
    """Each open improvement case with its unfinished and overdue actions."""
    cases = table(pack, "improvement-cases")
    if cases is None:
        return []
    unfinished: dict[tuple[str, str], int] = {}
    actions = table(pack, "improvement-actions")
    for contract, case, _owner, status, count in actions.rows if actions else ():
        if status in UNFINISHED_ACTIONS and number(count):
            unfinished[(contract, case)] = unfinished.get((contract, case), 0) + int(count)
    found: Found = []
    for contract, case, status, plan, overdue, _evaluation in cases.rows:
        if not str(status).startswith("Open"):
            continue
        open_actions = unfinished.get((contract, case), 0)
        late = int(number(overdue) or 0)
        words = f"{case} ({contract}): action plan {str(plan)[0].lower()}{str(plan)[1:]}; "
        words += f"{open_actions} action{'s' if open_actions != 1 else ''} open"
        words += f", {late} overdue." if late else "."
        found.append((ACTIONS, Line(words, _anchor(cases.key))))
        if late:
            found.append(
                (
                    CONCERNS,
                    Line(
                        f"{late} improvement action{'s' if late != 1 else ''} overdue on "
                        f"\u201c{case}\u201d.",
                        _anchor(cases.key),
                    ),
                )
            )
    return found
