"""Two councils on one deployment, each with its own people, provider services and
contract: for tests of who may set up and see what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.extensions import db
from app.models import CommissioningBody, Contract, Provider, Service, User


@dataclass
class Council:
    body: CommissioningBody
    admin: User
    commissioner: User
    coordinator: User
    service: Service
    contract: Contract


def add_body(name: str, *members: User, kind: str = "council") -> CommissioningBody:
    body = CommissioningBody(name=name, kind=kind)
    body.members.extend(members)
    db.session.add(body)
    db.session.commit()
    return body


def add_provider(name: str, *services: str) -> Provider:
    provider = Provider(name=name)
    provider.services = [Service(name=service) for service in services]
    db.session.add(provider)
    db.session.commit()
    return provider


def add_contract(reference: str, provider: Provider, bodies, services) -> Contract:
    contract = Contract(
        reference=reference,
        title=f"Contract {reference}",
        provider=provider,
        starts_on=date(2026, 4, 1),
        ends_on=date(2029, 3, 31),
        monitoring_interval_months=3,
        risk="medium",
    )
    contract.bodies = list(bodies)
    db.session.add(contract)
    db.session.flush()
    for service in services:
        service.contract_id = contract.id
    db.session.commit()
    return contract


def two_councils(make_user) -> tuple[Council, Council]:
    """Northshire and Southvale, each with an admin, a commissioner and a coordinator, and
    a contract for one service of a provider they share."""
    provider = add_provider("Shared Youth Provider", "North Drop-in", "South Drop-in")
    north_service, south_service = sorted(provider.services, key=lambda s: s.name)
    councils = []
    for name, prefix, service in (
        ("Northshire County Council", "north", north_service),
        ("Southvale Borough Council", "south", south_service),
    ):
        people = [
            make_user(role, email=f"{prefix}-{role}@example.org")
            for role in ("admin", "commissioner", "coordinator")
        ]
        body = add_body(name, *people)
        contract = add_contract(f"{prefix.upper()}-1", provider, [body], [service])
        councils.append(Council(body, *people, service=service, contract=contract))
    return councils[0], councils[1]
