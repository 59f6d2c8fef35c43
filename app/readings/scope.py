"""Whose readings a member of staff may see: their own provider's young people, or, with no
provider, the readings they took themselves (their caseload). Admins see every reading."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from app.models import Reading, Service


def visible_readings(user) -> ColumnElement[bool]:
    """A condition on `Reading` for the readings `user` may see."""
    if user.has_role("admin"):
        return true()
    own = [Reading.recorded_by_id == user.id]
    if user.provider_id is not None:
        own.append(
            Reading.service_id.in_(
                select(Service.id).where(Service.provider_id == user.provider_id)
            )
        )
    return or_(*own)


def recordable_services(user):
    """The services `user` may record a reading for: their provider's, or every service
    for an admin and for staff who belong to no provider."""
    query = select(Service).order_by(Service.name)
    if user.provider_id is not None and not user.has_role("admin"):
        query = query.where(Service.provider_id == user.provider_id)
    return query
