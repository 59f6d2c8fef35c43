"""What is waiting for a person: the to-do list on their home page.

Each task is a count and a link, worked out by SQL over what the person may see (`app.scope`,
and a young inspector's own panels), so nobody counts another council's or another provider's
work. A task shows only to the roles whose work it is; a count of nought still shows, so a
person can see that nothing is waiting rather than wonder whether the list is broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import and_, func, select

from app import scope
from app.extensions import db
from app.models import (
    Campaign,
    Contract,
    PanelMember,
    PanelRating,
    ProviderReturn,
    Recommendation,
    SafeguardingAlert,
    Service,
    Visit,
)
from app.models.improvement import CaseAction, ImprovementCase
from app.monitoring.returns_due import RETURN_PERIODS, overdue_returns
from app.monitoring.status import complete_periods

# Actions due within this many days are on the list (overdue ones always are).
ACTIONS_DUE_WITHIN = timedelta(days=14)
# Campaigns closing within this many days are on a coordinator's list.
CLOSING_WITHIN = timedelta(days=14)
# Providers' replies this recent are on the coordinator's list to read.
REPLIES_WITHIN = timedelta(days=14)
UNFINISHED_ACTIONS = ("not_started", "in_progress")


@dataclass(frozen=True)
class Task:
    """One line of the to-do list: "3 visits to rate", linking to where they are done."""

    key: str
    count: int
    one: str
    many: str
    href: str
    hint: str = ""

    @property
    def text(self) -> str:
        return f"{self.count} {self.one if self.count == 1 else self.many}"


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def visits_to_rate(user) -> int:
    """Visits the person is on the panel of, not finalised, whose ratings they have not sent."""
    sent = select(PanelRating.id).where(
        PanelRating.visit_id == Visit.id,
        PanelRating.user_id == user.id,
        PanelRating.submitted_at.is_not(None),
    )
    return _count(
        select(Visit.id)
        .join(PanelMember, and_(PanelMember.visit_id == Visit.id, PanelMember.user_id == user.id))
        .where(Visit.finalised_at.is_(None), ~sent.exists())
    )


def _current_recommendations():
    return (
        select(Recommendation.id)
        .join(Visit, Recommendation.visit_id == Visit.id)
        .join(Service, Visit.service_id == Service.id)
        .where(Visit.finalised_at.is_not(None), Visit.superseded_by_id.is_(None))
    )


def recommendations_awaiting_reply(user) -> int:
    """Recommendations on the current reports of the person's own provider with no reply."""
    if user.provider_id is None:
        return 0
    return _count(
        _current_recommendations().where(
            Service.provider_id == user.provider_id, Recommendation.reply.is_(None)
        )
    )


def replies_to_read(user, today: date) -> int:
    """Providers' replies given lately on reports the person may read."""
    since = today - REPLIES_WITHIN
    return _count(
        _current_recommendations().where(
            scope.service_filter(user),
            Recommendation.reply.is_not(None),
            Recommendation.replied_at >= since,
        )
    )


def _visible_contracts(user) -> list[Contract]:
    return list(db.session.scalars(select(Contract).where(scope.contract_filter(user))))


def returns_to_send(user, today: date) -> tuple[int, list[Contract]]:
    """The provider's returns for the latest complete periods not yet submitted (due or
    overdue), and the contracts they are for."""
    if user.provider_id is None:
        return 0, []
    count, contracts = 0, []
    for contract in _visible_contracts(user):
        if contract.provider_id != user.provider_id:
            continue
        periods = [p.start for p in complete_periods(contract, today, RETURN_PERIODS)]
        if not periods:
            continue
        submitted = set(
            db.session.scalars(
                select(ProviderReturn.period_start).where(
                    ProviderReturn.contract_id == contract.id,
                    ProviderReturn.status == "submitted",
                    ProviderReturn.period_start.in_(periods),
                )
            )
        )
        waiting = len([start for start in periods if start not in submitted])
        if waiting:
            count += waiting
            contracts.append(contract)
    return count, contracts


def returns_overdue(user, today: date) -> tuple[int, list[Contract]]:
    """Overdue returns on the contracts the person's bodies commission."""
    count, contracts = 0, []
    for contract in _visible_contracts(user):
        late = len(overdue_returns(contract, today))
        if late:
            count += late
            contracts.append(contract)
    return count, contracts


def actions_due(user, today: date, owners: tuple[str, ...]) -> int:
    """Unfinished actions owned by `owners`, on open cases the person may see, due within
    `ACTIONS_DUE_WITHIN` or overdue."""
    return _count(
        select(CaseAction.id)
        .join(ImprovementCase, CaseAction.case_id == ImprovementCase.id)
        .join(Contract, ImprovementCase.contract_id == Contract.id)
        .where(
            scope.contract_filter(user),
            ImprovementCase.status == "open",
            CaseAction.owner.in_(owners),
            CaseAction.status.in_(UNFINISHED_ACTIONS),
            CaseAction.due_on.is_not(None),
            CaseAction.due_on <= today + ACTIONS_DUE_WITHIN,
        )
    )


def alerts_to_acknowledge() -> int:
    """Alerts nobody has acknowledged yet (the leads' queue covers every alert)."""
    return _count(select(SafeguardingAlert.id).where(SafeguardingAlert.status == "new"))


def campaigns_closing_soon(user, today: date) -> int:
    """Open campaigns of services the person may see that close within `CLOSING_WITHIN`."""
    return _count(
        select(Campaign.id)
        .join(Service, Campaign.service_id == Service.id)
        .where(
            scope.service_filter(user),
            Campaign.status == "open",
            Campaign.closes_on >= today,
            Campaign.closes_on <= today + CLOSING_WITHIN,
        )
    )


def _returns_link(contracts: list[Contract]) -> str:
    if len(contracts) == 1:
        return url_for("contracts.returns", contract_id=contracts[0].id)
    return url_for("contracts.overview")


def tasks_for(user, today: date) -> list[Task]:
    """The person's to-do list, in the order of their roles' urgency."""
    tasks: list[Task] = []
    if user.has_role("safeguarding_lead", "admin"):
        tasks.append(
            Task(
                "alerts",
                alerts_to_acknowledge(),
                "alert to acknowledge",
                "alerts to acknowledge",
                url_for("safeguarding.queue"),
                "Requests for contact and concerns no lead has picked up yet.",
            )
        )
    if user.has_role("peer_researcher"):
        tasks.append(
            Task(
                "visits",
                visits_to_rate(user),
                "visit to rate",
                "visits to rate",
                url_for("visits.visits"),
                "Visits you are on the panel of whose ratings you have not sent.",
            )
        )
    if user.has_role("provider"):
        tasks.append(
            Task(
                "recommendations",
                recommendations_awaiting_reply(user),
                "recommendation awaiting your reply",
                "recommendations awaiting your reply",
                url_for("reports.index"),
                "Say what you will do about each, and by when.",
            )
        )
        waiting, contracts = returns_to_send(user, today)
        tasks.append(
            Task(
                "returns",
                waiting,
                "return to send",
                "returns to send",
                _returns_link(contracts),
                "Returns for the latest periods that you have not submitted.",
            )
        )
        tasks.append(
            Task(
                "provider_actions",
                actions_due(user, today, ("provider",)),
                "action due",
                "actions due",
                url_for("cases.index"),
                "Your improvement actions due in the next 14 days or overdue.",
            )
        )
    if user.has_role(*scope.COMMISSIONING_ROLES):
        if user.has_role("admin", "coordinator"):
            tasks.append(
                Task(
                    "replies",
                    replies_to_read(user, today),
                    "reply from a provider to read",
                    "replies from providers to read",
                    url_for("reports.index"),
                    "Replies to recommendations given in the last 14 days.",
                )
            )
        late, contracts = returns_overdue(user, today)
        tasks.append(
            Task(
                "returns_overdue",
                late,
                "return overdue",
                "returns overdue",
                _returns_link(contracts),
                "Providers' returns past their due date.",
            )
        )
        tasks.append(
            Task(
                "body_actions",
                actions_due(user, today, ("body", "partner")),
                "action due",
                "actions due",
                url_for("cases.index"),
                "Improvement actions for your body or a partner, due in the next 14 days or "
                "overdue.",
            )
        )
    if user.has_role("coordinator", "admin"):
        tasks.append(
            Task(
                "campaigns",
                campaigns_closing_soon(user, today),
                "campaign closing soon",
                "campaigns closing soon",
                url_for("admin.campaigns"),
                "Open campaigns that close in the next 14 days.",
            )
        )
    return tasks
