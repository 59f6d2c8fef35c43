"""Whose readings a member of staff may see: their own provider's young people, or, with no
provider, the readings they took themselves (their caseload). Admins see every reading of
their commissioning bodies' services (every reading, on a deployment with no body)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select

from app.models import Reading, Service
from app.scope import COMMISSIONING_ROLES, service_filter


def visible_readings(user) -> ColumnElement[bool]:
    """A condition on `Reading` for the readings `user` may see."""
    own = [Reading.recorded_by_id == user.id]
    if user.has_role("admin"):
        own.append(Reading.service_id.in_(select(Service.id).where(service_filter(user))))
        return or_(*own)
    if user.provider_id is not None:
        own.append(
            Reading.service_id.in_(
                select(Service.id).where(Service.provider_id == user.provider_id)
            )
        )
    return or_(*own)


def recordable_services(user):
    """The services `user` may record a reading for: their provider's, or, for an admin and
    for staff who belong to no provider, every service their commissioning bodies commission
    (every service, for key workers outside any body)."""
    query = select(Service).order_by(Service.name)
    if user.provider_id is not None and not user.has_role("admin"):
        query = query.where(Service.provider_id == user.provider_id)
    elif user.has_role(*COMMISSIONING_ROLES):
        query = query.where(service_filter(user))
    return query
