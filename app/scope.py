"""Which contracts, providers and services a person may see.

Commissioners, coordinators and admins see what their commissioning bodies commission: the
contracts of those bodies and the services under them. Two councils on one deployment
never see each other's evidence. A provider sees its own contracts and services only.
Admins also see services under no contract yet, so they can set them up.

A deployment that has recorded no commissioning body is one body: everybody on the
commissioning side sees everything, as before bodies existed. The first body recorded
turns the scoping on.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from app.extensions import db
from app.models import CommissioningBody, Contract, Service
from app.models.contract import contract_body

COMMISSIONING_ROLES = ("admin", "commissioner", "coordinator")


def bodies_in_use() -> bool:
    """Whether this deployment has recorded any commissioning body."""
    return db.session.scalar(select(CommissioningBody.id).limit(1)) is not None


def _body_ids(user) -> list[int]:
    return [body.id for body in user.bodies]


def contract_filter(user) -> ColumnElement[bool]:
    """A WHERE clause on Contract: the contracts `user` may see."""
    if not getattr(user, "is_authenticated", False):
        return false()
    clauses = []
    if user.has_role(*COMMISSIONING_ROLES):
        if not bodies_in_use():
            return true()
        ids = _body_ids(user)
        if ids:
            clauses.append(
                Contract.id.in_(
                    select(contract_body.c.contract_id).where(contract_body.c.body_id.in_(ids))
                )
            )
    if user.has_role("provider") and user.provider_id is not None:
        clauses.append(Contract.provider_id == user.provider_id)
    return or_(*clauses) if clauses else false()


def service_filter(user) -> ColumnElement[bool]:
    """A WHERE clause on Service: the services `user` may see the evidence of."""
    if not getattr(user, "is_authenticated", False):
        return false()
    clauses = []
    if user.has_role(*COMMISSIONING_ROLES):
        if not bodies_in_use():
            return true()
        clauses.append(Service.contract_id.in_(select(Contract.id).where(contract_filter(user))))
        if user.has_role("admin"):
            clauses.append(Service.contract_id.is_(None))
    if user.has_role("provider") and user.provider_id is not None:
        clauses.append(Service.provider_id == user.provider_id)
    return or_(*clauses) if clauses else false()


def visible_contracts(user) -> list[Contract]:
    return list(
        db.session.scalars(
            select(Contract).where(contract_filter(user)).order_by(Contract.reference)
        )
    )


def visible_service_ids(user) -> set[int]:
    return set(db.session.scalars(select(Service.id).where(service_filter(user))))


def can_see_contract(user, contract: Contract) -> bool:
    return (
        db.session.scalar(
            select(Contract.id).where(Contract.id == contract.id, contract_filter(user))
        )
        is not None
    )


def can_see_service(user, service_id: int) -> bool:
    return (
        db.session.scalar(select(Service.id).where(Service.id == service_id, service_filter(user)))
        is not None
    )


def can_see_whole_provider(user, provider_id: int) -> bool:
    """Whether `user` may see every service of a provider (its provider-wide pages): a
    commissioner of one body may not, when another body commissions some of them."""
    ids = set(db.session.scalars(select(Service.id).where(Service.provider_id == provider_id)))
    if not ids:
        # A provider with no services yet: its own staff, and the commissioning side.
        if user.has_role("provider") and user.provider_id == provider_id:
            return True
        return user.has_role(*COMMISSIONING_ROLES) and not bodies_in_use()
    return ids <= visible_service_ids(user)


def can_see_part_of_provider(user, provider_id: int) -> bool:
    """Whether `user` may see at least one service of a provider."""
    return (
        db.session.scalar(
            select(Service.id)
            .where(Service.provider_id == provider_id, service_filter(user))
            .limit(1)
        )
        is not None
    )
