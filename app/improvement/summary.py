"""What other pages show of improvement cases: the contracts overview (open cases and
overdue actions per contract), a contract's page, the evidence pack (the plan's status,
actions by owner and status, the latest evaluation), and the JSON of `improvement list`.

Read-only; callers check that the person may see the contract (`app.scope`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from app.dates import format_day
from app.extensions import db
from app.models import Contract
from app.models.improvement import (
    ACTION_STATUSES,
    CASE_SOURCES,
    OUTCOMES,
    PLAN_STATES,
    CaseAction,
    ImprovementCase,
)

UNFINISHED = ("not_started", "in_progress")


def is_overdue(action: CaseAction, today: date) -> bool:
    return action.status in UNFINISHED and action.due_on is not None and action.due_on < today


def _case_row(case: ImprovementCase, today: date) -> dict:
    overdue = [a for a in case.actions if is_overdue(a, today)]
    return {
        "id": case.id,
        "title": case.title,
        "url": f"/cases/{case.id}",
        "plan": PLAN_STATES.get(case.plan_state, case.plan_state),
        "next_review_on": case.next_review_on,
        "actions": len(case.actions),
        "overdue_actions": len(overdue),
    }


def for_contract(contract: Contract, today: date) -> dict:
    """A contract's open cases and overdue actions, for the overview and the contract page:
    {"open_cases": [{"id", "title", "url", "plan", "next_review_on", "actions",
    "overdue_actions"}], "overdue_actions": n, "closed_cases": n, "open_url": "..."}.
    `open_url` opens a new case on the contract."""
    cases = list(
        db.session.scalars(
            select(ImprovementCase)
            .where(ImprovementCase.contract_id == contract.id)
            .order_by(ImprovementCase.opened_at)
        )
    )
    open_rows = [_case_row(case, today) for case in cases if case.is_open]
    return {
        "open_cases": open_rows,
        "overdue_actions": sum(row["overdue_actions"] for row in open_rows),
        "closed_cases": sum(1 for case in cases if not case.is_open),
        "open_url": f"/cases/new?contract={contract.id}",
    }


def open_url(contract: Contract, contract_measure_id: int | None = None) -> str:
    """Where "Open an improvement case" goes, from a measure not met or by hand."""
    url = f"/cases/new?contract={contract.id}"
    if contract_measure_id is not None:
        url += f"&measure={contract_measure_id}"
    return url


def counts_for_contracts(contract_ids, today: date) -> dict[int, dict[str, int]]:
    """{contract_id: {"open_cases": n, "overdue_actions": n}} in two queries, for the
    overview's table of many contracts."""
    ids = list(contract_ids)
    result = {i: {"open_cases": 0, "overdue_actions": 0} for i in ids}
    if not ids:
        return result
    for contract_id, _case_id in db.session.execute(
        select(ImprovementCase.contract_id, ImprovementCase.id).where(
            ImprovementCase.contract_id.in_(ids), ImprovementCase.status == "open"
        )
    ):
        result[contract_id]["open_cases"] += 1
    for (contract_id,) in db.session.execute(
        select(ImprovementCase.contract_id)
        .join(CaseAction, CaseAction.case_id == ImprovementCase.id)
        .where(
            ImprovementCase.contract_id.in_(ids),
            ImprovementCase.status == "open",
            CaseAction.status.in_(UNFINISHED),
            CaseAction.due_on < today,
        )
    ):
        result[contract_id]["overdue_actions"] += 1
    return result


def for_pack(contract: Contract, today: date) -> list[dict]:
    """For the evidence pack: each open case (and the latest closed one) with the plan's
    status, its actions counted by owner and status, and the latest evaluation."""
    cases = list(
        db.session.scalars(
            select(ImprovementCase)
            .where(ImprovementCase.contract_id == contract.id)
            .order_by(ImprovementCase.opened_at.desc())
        )
    )
    chosen = [c for c in cases if c.is_open] or cases[:1]
    rows = []
    for case in chosen:
        by_owner: Counter = Counter()
        for action in case.actions:
            by_owner[(action.owner_label, ACTION_STATUSES[action.status])] += 1
        latest = case.reviews[-1] if case.reviews else None
        rows.append(
            {
                "id": case.id,
                "title": case.title,
                "status": "Open" if case.is_open else "Closed",
                "outcome": OUTCOMES.get(case.outcome or "", ""),
                "plan": PLAN_STATES.get(case.plan_state, case.plan_state),
                "plan_version": len(case.versions),
                "actions_by_owner": [
                    {"owner": owner, "status": status, "count": count}
                    for (owner, status), count in sorted(by_owner.items())
                ],
                "overdue_actions": sum(1 for a in case.actions if is_overdue(a, today)),
                "latest_evaluation": None
                if latest is None
                else {
                    "held_on": latest.held_on,
                    "progress": latest.progress_label,
                    "evaluation": latest.evaluation,
                },
            }
        )
    return rows


def json_row(case: ImprovementCase, today: date) -> dict:
    """One case as `improvement list --format json` prints it."""
    return {
        "id": case.id,
        "contract": case.contract.reference,
        "title": case.title,
        "source": case.source,
        "source_label": CASE_SOURCES.get(case.source, case.source),
        "status": case.status,
        "outcome": case.outcome,
        "plan": case.plan_state,
        "plan_version": len(case.versions),
        "next_review_on": case.next_review_on.isoformat() if case.next_review_on else None,
        "actions": [
            {
                "id": action.id,
                "description": action.description,
                "owner": action.owner,
                "owner_label": action.owner_label,
                "due_on": action.due_on.isoformat() if action.due_on else None,
                "status": action.status,
                "overdue": is_overdue(action, today),
            }
            for action in case.actions
        ],
    }


def pack_section(contracts, today: date):
    """The evidence pack's "Improvement" section for these contracts (those the reader may
    see): each open case (or the latest closed one) with its plan's status, its actions by
    owner and status, and the latest evaluation. None when no contract has a case."""
    from app.evidence.tables import COUNT, Column, Section, Table

    cases, actions = [], []
    for contract in contracts:
        for row in for_pack(contract, today):
            latest = row["latest_evaluation"]
            cases.append(
                (
                    contract.reference,
                    row["title"],
                    row["status"] + (f": {row['outcome']}" if row["outcome"] else ""),
                    f"{row['plan']} (version {row['plan_version']})"
                    if row["plan_version"]
                    else row["plan"],
                    row["overdue_actions"],
                    ""
                    if latest is None
                    else f"{format_day(latest['held_on'])}: {latest['progress']}. "
                    f"{latest['evaluation'] or ''}".strip(),
                )
            )
            for item in row["actions_by_owner"]:
                actions.append(
                    (contract.reference, row["title"], item["owner"], item["status"], item["count"])
                )
    if not cases:
        return None
    tables = [
        Table(
            key="improvement-cases",
            caption="Improvement cases",
            columns=(
                Column("Contract"),
                Column("Case"),
                Column("Status"),
                Column("Action plan"),
                Column("Actions overdue", COUNT),
                Column("Latest evaluation"),
            ),
            rows=tuple(cases),
        )
    ]
    if actions:
        tables.append(
            Table(
                key="improvement-actions",
                caption="Actions by owner and status",
                columns=(
                    Column("Contract"),
                    Column("Case"),
                    Column("Owner"),
                    Column("Status"),
                    Column("Actions", COUNT),
                ),
                rows=tuple(actions),
            )
        )
    return Section(key="improvement", title="Improvement", tables=tuple(tables))
