"""What happens to an improvement case: opened, its steps written, the action plan agreed
by both sides and revised with a reason, actions claimed and verified, reviewed, escalated,
closed. Each change is audited and tells the people it concerns (`notify`).

Who may do what: the commissioning side (commissioners, coordinators, admins of the
contract's bodies) runs the case; the provider writes its own reasons, agrees the plan,
proposes actions while the plan is open, and marks its own actions in progress or done.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import audit, scope
from app.dates import format_day
from app.extensions import db
from app.improvement import notify, panel_news
from app.improvement.notify import COMMISSIONING, PROVIDER
from app.models import Contract, ContractMeasure
from app.models.improvement import (
    ACTION_STATUSES,
    CASE_SOURCES,
    OWNERS,
    CaseAction,
    ImprovementCase,
    PlanVersion,
)
from app.models.timeutil import utcnow

BOTH = (PROVIDER, COMMISSIONING)
# A recommendation with no "by when" yet becomes an action due this long after the report.
DEFAULT_ACTION_WAIT = timedelta(days=28)


class CaseError(Exception):
    """A change the case's state refuses, in words for the person who tried it."""


# --- Who --------------------------------------------------------------------------------


def side_of(user, case: ImprovementCase) -> str | None:
    """ "commissioning", "provider", or None when `user` may not see the case."""
    if not scope.can_see_contract(user, case.contract):
        return None
    if user.has_role(*scope.COMMISSIONING_ROLES):
        return COMMISSIONING
    if user.has_role("provider") and user.provider_id == case.contract.provider_id:
        return PROVIDER
    return None


def visible_cases_query(user):
    return (
        select(ImprovementCase)
        .join(Contract, ImprovementCase.contract_id == Contract.id)
        .where(scope.contract_filter(user))
        .order_by(ImprovementCase.status.desc(), ImprovementCase.opened_at.desc())
    )


def visible_cases(user) -> list[ImprovementCase]:
    return list(db.session.scalars(visible_cases_query(user)))


def visible_case(user, case_id: int) -> ImprovementCase | None:
    return db.session.scalar(visible_cases_query(user).where(ImprovementCase.id == case_id))


def open_case_of(contract: Contract) -> ImprovementCase | None:
    return db.session.scalar(
        select(ImprovementCase)
        .where(ImprovementCase.contract_id == contract.id, ImprovementCase.status == "open")
        .order_by(ImprovementCase.id)
        .limit(1)
    )


def _require_open(case: ImprovementCase) -> None:
    if not case.is_open:
        raise CaseError("This case is closed, so it cannot be changed.")


# --- Opening ----------------------------------------------------------------------------


def open_case(
    contract: Contract,
    user,
    *,
    title: str,
    source: str,
    concerns: str = "",
    contract_measure: ContractMeasure | None = None,
    visit_id: int | None = None,
    danger: bool = False,
) -> ImprovementCase:
    """Open a case (committed). "Danger or harm" also raises a safeguarding alert at once."""
    if source not in CASE_SOURCES:
        raise CaseError("Choose where the concern came from")
    case = ImprovementCase(
        contract=contract,
        title=title,
        source=source,
        concerns=concerns,
        contract_measure=contract_measure,
        visit_id=visit_id,
        danger=danger,
        opened_by_id=getattr(user, "id", None),
        options=[],
        criteria_measure_ids=[contract_measure.id] if contract_measure is not None else [],
    )
    db.session.add(case)
    db.session.flush()
    if danger:
        from app.safeguarding import alerts

        alert = alerts.add_alert(
            source="staff",
            urgency="high",
            message=(
                f"Improvement case {case.id} on contract {contract.reference} was opened "
                f"with a concern that suggests danger or harm: {title}"
            ),
            raised_by_id=getattr(user, "id", None),
        )
        case.alert_id = alert.id
    notify.tell(
        case,
        BOTH,
        "opened",
        "Improvement case opened",
        f"An improvement case has been opened ({CASE_SOURCES[source].lower()}). "
        "The commissioner will work through it with the provider.",
        besides=user,
    )
    audit.record(
        "improvement_case_opened",
        case,
        contract=contract.reference,
        source=source,
        danger=danger,
        alert_id=case.alert_id,
    )
    if danger:
        from app.safeguarding import notify as safeguarding_notify

        safeguarding_notify.send_after_response(case.alert_id)
    return case


# --- Steps ------------------------------------------------------------------------------

# Step key -> (title, fields written on its page, who writes each field).
STEPS = {
    "concerns": "Concerns and the evidence behind them",
    "why": "Why improvement is needed",
    "reasons": "Reasons, as each side sees them",
    "options": "Options, with benefits and risks",
    "agreed": "The agreed option",
    "criteria": "Measures and criteria for success",
    "monitoring": "Monitoring interval",
    "plan": "Action plan",
}
TEXT_FIELDS = {
    "concerns": ("concerns", "evidence"),
    "why": ("why",),
    "agreed": ("agreed_option",),
    "criteria": ("criteria",),
}
STATUS_TEXT = {
    "done": "Completed",
    "started": "In progress",
    "todo": "Not yet started",
}


def step_state(case: ImprovementCase, key: str) -> str:
    """ "done", "started" or "todo"."""
    if key == "concerns":
        filled = [bool(case.concerns.strip()), bool(case.evidence.strip())]
    elif key == "why":
        filled = [bool(case.why.strip())]
    elif key == "reasons":
        filled = [bool(case.provider_reasons.strip()), bool(case.commissioner_reasons.strip())]
    elif key == "options":
        filled = [bool(case.options)]
    elif key == "agreed":
        filled = [bool(case.agreed_option.strip())]
    elif key == "criteria":
        filled = [bool(case.criteria.strip()) or bool(case.criteria_measure_ids)]
    elif key == "monitoring":
        filled = [case.review_interval_weeks is not None, case.next_review_on is not None]
    else:  # the plan
        if case.plan_state == "agreed":
            return "done"
        started = bool(case.actions) or bool(case.versions)
        return "started" if started else "todo"
    if all(filled):
        return "done"
    return "started" if any(filled) else "todo"


def steps(case: ImprovementCase) -> list[dict]:
    return [
        {"key": key, "title": title, "state": step_state(case, key)} for key, title in STEPS.items()
    ]


def may_write(side: str | None, field: str) -> bool:
    if side == COMMISSIONING:
        return field != "provider_reasons"
    if side == PROVIDER:
        return field in ("provider_reasons",)
    return False


def save_text_step(case: ImprovementCase, user, side: str, values: dict[str, str]) -> None:
    """Save the fields of a step this side may write (committed, audited)."""
    _require_open(case)
    changed = {}
    for field, value in values.items():
        if not may_write(side, field):
            raise CaseError("You cannot change this part of the case.")
        if getattr(case, field) != value:
            setattr(case, field, value)
            changed[field] = len(value)
    if not changed:
        db.session.commit()
        return
    if "why" in changed:
        notify.tell(
            case,
            (PROVIDER,),
            "why",
            "Why improvement is needed",
            "The commissioner has written why improvement is needed. Please read it.",
            besides=user,
        )
    if "provider_reasons" in changed:
        notify.tell(
            case,
            (COMMISSIONING,),
            "reasons",
            "The provider has given its reasons",
            "The provider has written the reasons as it sees them.",
            "/steps/reasons",
            besides=user,
        )
    audit.record("improvement_case_step_saved", case, fields=sorted(changed))


def add_option(case: ImprovementCase, user, title: str, benefits: str, risks: str) -> None:
    _require_open(case)
    case.options = [*case.options, {"title": title, "benefits": benefits, "risks": risks}]
    audit.record("improvement_case_option_added", case, option=title[:100])


def save_criteria(case: ImprovementCase, user, text: str, measure_ids: list[int]) -> None:
    _require_open(case)
    known = {chosen.id for chosen in case.contract.measures}
    case.criteria = text
    case.criteria_measure_ids = [i for i in measure_ids if i in known]
    audit.record("improvement_case_step_saved", case, fields=["criteria", "criteria_measure_ids"])


def save_monitoring(case: ImprovementCase, user, weeks: int, next_review_on: date) -> None:
    _require_open(case)
    case.review_interval_weeks = weeks
    case.next_review_on = next_review_on
    notify.tell(
        case,
        (PROVIDER,),
        "monitoring",
        "Review dates set",
        f"The case will be reviewed every {weeks} weeks; the next review is on "
        f"{format_day(next_review_on)}.",
        besides=user,
    )
    audit.record(
        "improvement_case_step_saved",
        case,
        fields=["review_interval_weeks", "next_review_on"],
        weeks=weeks,
        next_review_on=next_review_on.isoformat(),
    )


# --- The action plan --------------------------------------------------------------------


def _check_action(owner: str, partner_name: str | None) -> None:
    if owner not in OWNERS:
        raise CaseError("Choose who owns the action")
    if owner == "partner" and not (partner_name or "").strip():
        raise CaseError("Enter the partner's name")


def add_action(case: ImprovementCase, user, **fields) -> CaseAction:
    if not case.plan_editable:
        raise CaseError("The plan is agreed. Revise it, giving a reason, to change its actions.")
    _check_action(fields.get("owner", ""), fields.get("partner_name"))
    if fields.get("owner") != "partner":
        fields["partner_name"] = None
    action = CaseAction(case=case, **fields)
    db.session.add(action)
    _agreement_lapses(case)
    db.session.flush()
    audit.record("improvement_action_added", action, case_id=case.id, owner=action.owner)
    return action


def edit_action(action: CaseAction, user, **fields) -> None:
    case = action.case
    if not case.plan_editable:
        raise CaseError("The plan is agreed. Revise it, giving a reason, to change its actions.")
    _check_action(fields.get("owner", action.owner), fields.get("partner_name"))
    if fields.get("owner") != "partner":
        fields["partner_name"] = None
    for name, value in fields.items():
        setattr(action, name, value)
    _agreement_lapses(case)
    audit.record("improvement_action_changed", action, case_id=case.id)


def remove_action(action: CaseAction, user) -> None:
    case = action.case
    if not case.plan_editable:
        raise CaseError("The plan is agreed. Revise it, giving a reason, to change its actions.")
    action_id = action.id
    case.actions.remove(action)
    _agreement_lapses(case)
    audit.record("improvement_action_removed", case, action_id=action_id)


def _agreement_lapses(case: ImprovementCase) -> None:
    """A changed draft must be agreed again by both sides."""
    case.provider_agreed_at = case.provider_agreed_by_id = None
    case.commissioner_agreed_at = case.commissioner_agreed_by_id = None


def statuses_for(side: str | None, action: CaseAction) -> list[str]:
    """The statuses this side may give the action."""
    if side == COMMISSIONING:
        return list(ACTION_STATUSES)
    if side == PROVIDER and action.owner == "provider":
        return ["not_started", "in_progress", "done"]
    return []


def set_action_status(action: CaseAction, user, side: str, status: str) -> None:
    """Mark an action's progress. An overdue action may still be marked done, then verified."""
    case = action.case
    _require_open(case)
    if status not in statuses_for(side, action):
        raise CaseError("You cannot give this action that status.")
    if status == "verified" and action.status != "done":
        raise CaseError("An action is verified once its owner has marked it done.")
    before = action.status
    action.status = status
    action.status_changed_at = utcnow()
    action.status_changed_by_id = user.id
    if status == "done":
        notify.tell(
            case,
            (COMMISSIONING,),
            "action_done",
            "An action is marked done",
            f"An action owned by {action.owner_label.lower()} is marked done and waits "
            "for the commissioner to verify it.",
            "/plan",
            besides=user,
        )
    elif status in ("verified", "not_achieved"):
        notify.tell(
            case,
            (PROVIDER,),
            "action_" + status,
            "An action is verified" if status == "verified" else "An action was not achieved",
            f"The commissioner has marked an action owned by {action.owner_label.lower()} "
            f"as {ACTION_STATUSES[status].lower()}.",
            "/plan",
            besides=user,
        )
    # The young inspectors whose recommendation it came from hear of it too.
    panel_news.action_changed(action)
    audit.record("improvement_action_status", action, case_id=case.id, before=before, after=status)


def _snapshot(case: ImprovementCase) -> list[dict]:
    return [
        {
            "id": action.id,
            "description": action.description,
            "plan": action.plan,
            "owner": action.owner_label,
            "due_on": action.due_on.isoformat() if action.due_on else None,
            "criterion": action.criterion,
        }
        for action in case.actions
    ]


def agree(case: ImprovementCase, user, side: str) -> PlanVersion | None:
    """Record one side's agreement to the plan as it stands. When both have agreed, the
    plan is kept as a new version (returned) and both sides are told."""
    _require_open(case)
    if not case.plan_editable:
        raise CaseError("The plan is already agreed.")
    if not case.actions:
        raise CaseError("Add at least one action before agreeing the plan.")
    now = utcnow()
    if side == PROVIDER:
        case.provider_agreed_at, case.provider_agreed_by_id = now, user.id
    elif side == COMMISSIONING:
        case.commissioner_agreed_at, case.commissioner_agreed_by_id = now, user.id
    else:
        raise CaseError("You cannot agree this plan.")
    audit.record("improvement_plan_agreed_by", case, side=side)
    if case.provider_agreed_at is None or case.commissioner_agreed_at is None:
        notify.tell(
            case,
            (COMMISSIONING if side == PROVIDER else PROVIDER,),
            "plan_half_agreed",
            "Action plan waiting for your agreement",
            "The other side has agreed the action plan. It needs your agreement too.",
            "/plan",
            besides=user,
        )
        db.session.commit()
        return None
    revised = bool(case.versions)
    version = PlanVersion(
        case=case,
        number=len(case.versions) + 1,
        reason=case.revision_reason if revised else None,
        actions=_snapshot(case),
        provider_agreed_by_id=case.provider_agreed_by_id,
        commissioner_agreed_by_id=case.commissioner_agreed_by_id,
    )
    db.session.add(version)
    case.plan_state = "agreed"
    case.revision_reason = None
    db.session.flush()
    notify.tell(
        case,
        BOTH,
        "plan_revised" if revised else "plan_agreed",
        "Revised action plan agreed" if revised else "Action plan agreed",
        f"Both sides have agreed version {version.number} of the action plan.",
        f"/plan/versions/{version.number}",
    )
    audit.record("improvement_plan_version_kept", case, version=version.number)
    return version


def start_revision(case: ImprovementCase, user, reason: str) -> None:
    _require_open(case)
    if case.plan_state != "agreed":
        raise CaseError("Only an agreed plan is revised. This one can still be changed.")
    case.plan_state = "revising"
    case.revision_reason = reason
    _agreement_lapses(case)
    notify.tell(
        case,
        BOTH,
        "plan_revision",
        "Action plan being revised",
        "The action plan is being revised. Both sides will agree the revised plan.",
        "/plan",
        besides=user,
    )
    audit.record("improvement_plan_revision_started", case, reason_length=len(reason))


def changes(older: PlanVersion | None, newer: PlanVersion) -> dict[str, list]:
    """What changed between two versions: actions added, removed and changed (with the
    fields that changed)."""
    before = {row["id"]: row for row in (older.actions if older else [])}
    after = {row["id"]: row for row in newer.actions}
    fields = ("description", "plan", "owner", "due_on", "criterion")
    changed = []
    for key in after.keys() & before.keys():
        differs = [f for f in fields if before[key].get(f) != after[key].get(f)]
        if differs:
            changed.append({"before": before[key], "after": after[key], "fields": differs})
    return {
        "added": [after[k] for k in after if k not in before],
        "removed": [before[k] for k in before if k not in after],
        "changed": changed,
    }
