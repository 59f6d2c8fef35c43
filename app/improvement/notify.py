"""Telling the right people about a case: a notification each sees in the product, and the
same notice by email through the outbox (`SafeguardingEmail` with no alert), sent by
`flask safeguarding send`.

Emails name the contract, the case number and what happened, with a link. They never carry
what people wrote in the case, so nothing personal about a young person leaves the product.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import RoleGrant, SafeguardingEmail, User
from app.models.improvement import ImprovementCase, Notification

PROVIDER = "provider"
COMMISSIONING = "commissioning"


def case_url(case: ImprovementCase, path: str = "") -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/cases/{case.id}{path}"


def provider_people(case: ImprovementCase) -> list[User]:
    """The provider's active staff accounts."""
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant)
            .where(
                RoleGrant.role == "provider",
                User.provider_id == case.contract.provider_id,
                User.active.is_(True),
            )
            .order_by(User.email)
        ).unique()
    )


def commissioning_people(case: ImprovementCase) -> list[User]:
    """Commissioners of the contract's bodies (every commissioner when no body is recorded)."""
    query = (
        select(User)
        .join(RoleGrant)
        .where(RoleGrant.role == "commissioner", User.active.is_(True))
        .order_by(User.email)
    )
    people = list(db.session.scalars(query).unique())
    if case.contract.bodies:
        body_ids = {body.id for body in case.contract.bodies}
        people = [p for p in people if body_ids & {body.id for body in p.bodies}]
    return people


def people(case: ImprovementCase, sides: Iterable[str]) -> list[User]:
    found: dict[int, User] = {}
    for side in sides:
        for person in provider_people(case) if side == PROVIDER else commissioning_people(case):
            found[person.id] = person
    return list(found.values())


def tell(
    case: ImprovementCase,
    sides: Iterable[str],
    kind: str,
    subject: str,
    opening: str,
    path: str = "",
    *,
    besides: User | None = None,
) -> list[User]:
    """Queue a notification and an email to everyone on `sides` of the case, except the
    person who did it (`besides`). Does not commit. Returns who was told."""
    link = case_url(case, path)
    contract = case.contract
    full_subject = f"{subject}: {contract.reference}"[:200]
    body = (
        f"{opening}\n\n"
        f"Contract: {contract.reference}, {contract.title}\n"
        f"Improvement case {case.id}\n\n"
        f"See it here (you will be asked to sign in): {link}\n"
    )
    told = []
    for person in people(case, sides):
        if besides is not None and getattr(besides, "id", None) == person.id:
            continue
        db.session.add(
            Notification(
                user_id=person.id,
                case_id=case.id,
                kind=kind,
                subject=full_subject,
                body=opening,
                link=f"/cases/{case.id}{path}",
            )
        )
        db.session.add(
            SafeguardingEmail(
                alert_id=None,
                kind=f"case_{kind}"[:32],
                recipient=person.email,
                subject=full_subject,
                body=body,
            )
        )
        told.append(person)
    return told


def notifications_for(user, limit: int = 100) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )
