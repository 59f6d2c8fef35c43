"""A review meeting's agenda, drafted from the evidence: measures off target, actions due
or overdue, and reports and returns that came in since the last meeting."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.dates import format_day
from app.extensions import db
from app.models import ProviderReturn, Service, Visit
from app.models.improvement import ImprovementCase
from app.monitoring import status

# Actions due within this many days are on the agenda.
DUE_SOON = timedelta(days=14)
OPEN_ACTION_STATUSES = ("not_started", "in_progress", "done")


def since(case: ImprovementCase) -> datetime:
    """The last meeting's date, or when the case was opened."""
    if case.reviews:
        return datetime.combine(case.reviews[-1].held_on, time.min)
    return case.opened_at


def evidence(case: ImprovementCase, today: date) -> dict:
    contract = case.contract
    results = status.latest_results(contract, today)
    off_target = [
        {
            "name": chosen.measure.name,
            "status": status.STATUSES[result.status],
            "value": status.format_value(chosen.measure.unit, result.value),
            "target": status.format_value(chosen.measure.unit, chosen.target),
        }
        for chosen in contract.measures
        if (result := results.get(chosen.id)) is not None
        and result.status in (status.NOT_MET, status.CLOSE)
    ]
    actions = [
        action
        for action in case.actions
        if action.status in OPEN_ACTION_STATUSES
        and action.due_on is not None
        and action.due_on <= today + DUE_SOON
    ]
    started = since(case)
    reports = list(
        db.session.scalars(
            select(Visit)
            .join(Service, Visit.service_id == Service.id)
            .where(Service.contract_id == contract.id, Visit.finalised_at >= started)
            .order_by(Visit.visit_on)
        )
    )
    returns = list(
        db.session.scalars(
            select(ProviderReturn)
            .where(
                ProviderReturn.contract_id == contract.id,
                ProviderReturn.status == "submitted",
                ProviderReturn.submitted_at >= started,
            )
            .order_by(ProviderReturn.period_start)
        )
    )
    return {
        "off_target": off_target,
        "actions": actions,
        "reports": reports,
        "returns": returns,
        "today": today,
    }


def draft(case: ImprovementCase, today: date) -> str:
    """The agenda as text, for the meeting's form to start from."""
    found = evidence(case, today)
    lines = ["1. Measures off target"]
    lines += [
        f"   - {row['name']}: {row['value']} against a target of {row['target']} ({row['status']})"
        for row in found["off_target"]
    ] or ["   - None"]
    lines.append("2. Actions due or overdue")
    lines += [
        f"   - {action.description[:120]} ({action.owner_label}, due {format_day(action.due_on)}"
        f"{', overdue' if action.due_on < today else ''}; {action.status_label.lower()})"
        for action in found["actions"]
    ] or ["   - None"]
    lines.append("3. Reports finalised since the last meeting")
    lines += [
        f"   - {visit.service.name}, visit of {format_day(visit.visit_on)}"
        for visit in found["reports"]
    ] or ["   - None"]
    lines.append("4. Returns submitted since the last meeting")
    lines += [
        f"   - Period {format_day(r.period_start)} to {format_day(r.period_end)}"
        for r in found["returns"]
    ] or ["   - None"]
    lines.append("5. Evaluation of progress against the criteria for success")
    lines.append("6. Decisions and next steps")
    return "\n".join(lines)
