"""Scheduling visits and listing them: a person's visits, the reports they may read, the
versions a report replaced."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Select, or_, select

from app.extensions import db
from app.inspections.permissions import manages_visits
from app.instruments.model import Instrument
from app.models import PanelMember, RoleGrant, Service, User, Visit
from app.models.fieldwork import VISIT_CHANNELS, VISIT_KINDS
from app.models.timeutil import utcnow
from app.scope import service_filter

RESUBMIT_WINDOW = timedelta(minutes=2)


def kind_name(value: str) -> str:
    """The stored kind of visit in words: known visit or mystery shop."""
    return VISIT_KINDS.get(value, value)


def channel_name(value: str) -> str:
    """How the panel reached the service, in words."""
    return VISIT_CHANNELS.get(value, value)


def channel_problem(instrument: Instrument | None, channel: str | None) -> str | None:
    """Why a mystery-shop scenario cannot be carried out this way, or None when it can."""
    shop = instrument.mystery_shop if instrument else None
    if shop is not None and channel in VISIT_CHANNELS and channel not in shop.channels:
        allowed = " or ".join(VISIT_CHANNELS[c].lower() for c in shop.channels)
        return f"This mystery-shop scenario is carried out by {allowed}"
    return None


def kind_problem(instrument: Instrument | None, kind: str | None) -> str | None:
    """Why this kind of visit cannot use the framework, or None when it can."""
    if instrument and instrument.mystery_shop is not None and kind == "known":
        return (
            "A mystery-shop scenario is only for mystery shops: choose mystery shop, "
            "or an inspection framework for a known visit"
        )
    return None


def visits_for(user) -> Select:
    """The visits a person's list shows, newest first."""
    query = select(Visit).order_by(Visit.visit_on.desc(), Visit.id.desc())
    if manages_visits(user):
        # Coordinators and admins: the visits of their bodies' services.
        return query.join(Visit.service).where(service_filter(user))
    return query.join(PanelMember).where(PanelMember.user_id == user.id)


def reports_for(user) -> Select:
    """Finalised reports a person may read, newest first (a provider: its own services)."""
    query = (
        select(Visit)
        .join(Visit.service)
        .where(Visit.finalised_at.is_not(None))
        .order_by(Visit.visit_on.desc(), Visit.id.desc())
    )
    # Commissioners and coordinators: their bodies' contracts; a provider: its own services;
    # a young inspector: the visits they were on.
    seen = service_filter(user)
    if user.has_role("peer_researcher"):
        on_panel = Visit.panel.any(PanelMember.user_id == user.id)
        seen = or_(seen, on_panel)
    return query.where(seen)


def peer_researchers() -> list[User]:
    """Active accounts that can sit on a panel."""
    return db.session.scalars(
        select(User)
        .join(RoleGrant)
        .where(User.active, RoleGrant.role == "peer_researcher")
        .order_by(User.name, User.id)
    ).all()


def schedule_visit(
    *,
    service: Service,
    kind: str,
    channel: str,
    scenario: str | None,
    visit_on: date,
    instrument: Instrument,
    members: Iterable[User],
    created_by: User,
) -> Visit:
    """Schedule a visit. The same form sent twice within a couple of minutes (a double tap
    with JavaScript off, a retry on a poor connection) finds the visit it already made."""
    members = list(members)
    recent = db.session.scalars(
        select(Visit).where(
            Visit.service_id == service.id,
            Visit.kind == kind,
            Visit.channel == channel,
            Visit.visit_on == visit_on,
            Visit.framework_id == instrument.id,
            Visit.framework_version == instrument.version,
            Visit.created_by_id == created_by.id,
            Visit.created_at >= utcnow() - RESUBMIT_WINDOW,
            Visit.finalised_at.is_(None),
        )
    )
    for earlier in recent:
        if (earlier.scenario or None) == (scenario or None) and earlier.member_ids() == {
            user.id for user in members
        }:
            return earlier
    visit = Visit(
        service=service,
        kind=kind,
        channel=channel,
        scenario=scenario or None,
        visit_on=visit_on,
        framework_id=instrument.id,
        framework_version=instrument.version,
        created_by=created_by,
    )
    visit.panel = [PanelMember(user=user) for user in members]
    db.session.add(visit)
    db.session.commit()
    return visit


def replacement_of(visit: Visit) -> Visit | None:
    """The newer version that superseded this report, if any."""
    return db.session.get(Visit, visit.superseded_by_id) if visit.superseded_by_id else None


def superseded_versions(visit: Visit) -> list[Visit]:
    """The reports this one replaced, newest first."""
    earlier = []
    current = visit
    while True:
        previous = db.session.scalar(select(Visit).where(Visit.superseded_by_id == current.id))
        if previous is None or previous in earlier:
            return earlier
        earlier.append(previous)
        current = previous
