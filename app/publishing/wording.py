"""The provider's public wording: its words for young people about each improvement
action and each reply to a young inspectors' recommendation, shown on the results page only
once marked public."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import CaseAction, ImprovementCase, PublicWording, Recommendation, Service, Visit

# What a young person reads about an action's progress (the staff statuses are for staff).
PUBLIC_STATUS = {
    "not_started": "planned",
    "in_progress": "started",
    "done": "done",
    "verified": "done",
    "not_achieved": "not_done",
}
WORDING_MAX = 600


def service_actions(service: Service) -> list[CaseAction]:
    """The improvement-plan actions on the service's contract."""
    if service.contract_id is None:
        return []
    return list(
        db.session.scalars(
            select(CaseAction)
            .join(ImprovementCase, CaseAction.case_id == ImprovementCase.id)
            .where(ImprovementCase.contract_id == service.contract_id)
            .order_by(CaseAction.id)
        )
    )


def service_replies(service: Service) -> list[Recommendation]:
    """Recommendations from the service's finalised visits that the provider replied to."""
    return list(
        db.session.scalars(
            select(Recommendation)
            .join(Visit, Recommendation.visit_id == Visit.id)
            .where(
                Visit.service_id == service.id,
                Visit.finalised_at.is_not(None),
                Visit.superseded_by_id.is_(None),
                Recommendation.reply.is_not(None),
            )
            .order_by(Recommendation.id)
        )
    )


def wordings(kind: str, ids: list[int]) -> dict[int, PublicWording]:
    """Each action's (kind "action") or reply's (kind "reply") wording, by its id."""
    if not ids:
        return {}
    column = PublicWording.action_id if kind == "action" else PublicWording.recommendation_id
    return {
        getattr(w, "action_id" if kind == "action" else "recommendation_id"): w
        for w in db.session.scalars(select(PublicWording).where(column.in_(ids)))
    }


def save_wording(kind: str, target_id: int, wording: str, public: bool, user_id: int | None):
    """Keep the wording (and whether it is public) for one action or reply."""
    found = wordings(kind, [target_id]).get(target_id)
    if found is None:
        found = PublicWording(
            action_id=target_id if kind == "action" else None,
            recommendation_id=target_id if kind == "reply" else None,
        )
        db.session.add(found)
    found.wording = wording.strip()
    found.public = public and bool(found.wording)
    found.updated_by_id = user_id
    db.session.commit()
    return found


def public_items(service: Service) -> list[dict]:
    """What the service is changing, as the page keeps it: each public action and reply,
    in the provider's public wording."""
    items = []
    actions = service_actions(service)
    words = wordings("action", [a.id for a in actions])
    for action in actions:
        wording = words.get(action.id)
        if wording is not None and wording.public and wording.wording:
            items.append(
                {
                    "kind": "action",
                    "id": action.id,
                    "wording": wording.wording,
                    "status": PUBLIC_STATUS.get(action.status, "planned"),
                }
            )
    replies = service_replies(service)
    words = wordings("reply", [r.id for r in replies])
    for reply in replies:
        wording = words.get(reply.id)
        if wording is not None and wording.public and wording.wording:
            items.append({"kind": "reply", "id": reply.id, "wording": wording.wording})
    return items


__all__ = [
    "PUBLIC_STATUS",
    "WORDING_MAX",
    "public_items",
    "save_wording",
    "service_actions",
    "service_replies",
    "wordings",
]
