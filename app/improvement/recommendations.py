"""Recommendations from young inspectors' reports on the improvement case: a finalised
report's recommendations become proposed actions on its contract's open case, and the
provider's reply becomes the matching action's plan and due date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import audit
from app.dates import format_day
from app.extensions import db
from app.improvement import notify, panel_news
from app.improvement.cases import BOTH, DEFAULT_ACTION_WAIT, _agreement_lapses, open_case_of
from app.improvement.notify import COMMISSIONING
from app.models import Contract, Recommendation
from app.models.improvement import (
    CaseAction,
    ImprovementCase,
)
from app.models.timeutil import uk_today


def _contract_of_recommendation(recommendation: Recommendation) -> Contract | None:
    return recommendation.visit.service.contract


def action_for_recommendation(recommendation: Recommendation) -> CaseAction | None:
    return db.session.scalar(
        select(CaseAction).where(CaseAction.recommendation_id == recommendation.id).limit(1)
    )


def propose_from_report(visit, user, today: date | None = None) -> ImprovementCase | None:
    """A finalised report's recommendations become proposed actions, owned by the
    provider, on its contract's open case (or a new one). Does nothing for a service with
    no contract. Committed."""
    contract = visit.service.contract
    if contract is None or not visit.recommendations:
        return None
    today = today or uk_today()
    case = open_case_of(contract)
    if case is None:
        case = ImprovementCase(
            contract=contract,
            title=f"Recommendations from the {format_day(visit.visit_on)} report",
            source="inspection",
            visit_id=visit.id,
            concerns="Recommendations made by young inspectors or mystery shoppers.",
            opened_by_id=getattr(user, "id", None),
            options=[],
            criteria_measure_ids=[],
        )
        db.session.add(case)
        db.session.flush()
        audit.record(
            "improvement_case_opened", case, contract=contract.reference, source="inspection"
        )
    for recommendation in visit.recommendations:
        if action_for_recommendation(recommendation) is not None:
            continue
        db.session.add(
            CaseAction(
                case=case,
                description=recommendation.text,
                plan=recommendation.reply or "",
                owner="provider",
                due_on=recommendation.reply_due_on or today + DEFAULT_ACTION_WAIT,
                criterion="The recommendation of the young inspectors is met",
                recommendation_id=recommendation.id,
            )
        )
    if case.plan_state == "agreed":
        # New actions on an agreed plan: it is reopened for both sides to agree again.
        case.plan_state = "revising"
        case.revision_reason = "New recommendations from a finalised report"
        _agreement_lapses(case)
    notify.tell(
        case,
        BOTH,
        "report",
        "Report finalised",
        f"A report of {format_day(visit.visit_on)} has been finalised. Its recommendations "
        "are proposed actions on the improvement case; the provider replies to each.",
        "/plan",
        besides=user,
    )
    db.session.flush()
    audit.record("improvement_actions_proposed", case, visit_id=visit.id)
    return case


def reply_given(recommendation: Recommendation, user) -> None:
    """A provider's reply becomes the action's plan and due date (committed)."""
    panel_news.provider_replied(recommendation)
    action = action_for_recommendation(recommendation)
    if action is None:
        db.session.commit()
        return
    action.plan = recommendation.reply or ""
    if recommendation.reply_due_on is not None:
        action.due_on = recommendation.reply_due_on
    notify.tell(
        action.case,
        (COMMISSIONING,),
        "reply",
        "The provider has replied to a recommendation",
        "The provider has said what it will do about a recommendation, and by when. "
        "It is now the plan of the matching action.",
        "/plan",
        besides=user,
    )
    audit.record("improvement_action_from_reply", action, recommendation_id=recommendation.id)


def actions_from_recommendations(recommendation_ids) -> dict[int, CaseAction]:
    ids = list(recommendation_ids)
    if not ids:
        return {}
    return {
        action.recommendation_id: action
        for action in db.session.scalars(
            select(CaseAction).where(CaseAction.recommendation_id.in_(ids))
        )
    }
