"""Two councils, a contract each and their people, for tests of provider returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.extensions import db
from app.models import CommissioningBody, Contract, Provider, User


@dataclass
class World:
    contract: Contract
    other_contract: Contract
    provider_user: User
    other_provider_user: User
    commissioner: User
    southvale_commissioner: User

    def return_url(self, start: str) -> str:
        return f"/contracts/{self.contract.id}/returns/{start}"

    @property
    def list_url(self) -> str:
        return f"/contracts/{self.contract.id}/returns"


def two_councils(make_user, starts_on: date | None = None) -> World:
    """Northshire commissions Riverside Youth Trust's contract, Southvale commissions Harbour
    Family Support's; a provider user at each and a commissioner of each council."""
    northshire = CommissioningBody(name="Northshire County Council", kind="council")
    southvale = CommissioningBody(name="Southvale Borough Council", kind="council")
    riverside = Provider(name="Riverside Youth Trust")
    harbour = Provider(name="Harbour Family Support")
    starts_on = starts_on or date(2025, 4, 1)
    contract = Contract(
        reference="CYP-2026-014",
        title="Young people's emotional wellbeing service",
        provider=riverside,
        starts_on=starts_on,
        monitoring_interval_months=3,
        bodies=[northshire],
    )
    other = Contract(
        reference="HFS-2025-007",
        title="Family support",
        provider=harbour,
        starts_on=starts_on,
        monitoring_interval_months=3,
        bodies=[southvale],
    )
    db.session.add_all([northshire, southvale, riverside, harbour, contract, other])
    db.session.commit()
    provider_user = make_user("provider", provider=riverside, email="provider@example.org")
    other_provider_user = make_user("provider", provider=harbour, email="harbour@example.org")
    commissioner = make_user("commissioner", email="commissioner@example.org")
    southvale_commissioner = make_user("commissioner", email="southvale@example.org")
    northshire.members.append(commissioner)
    southvale.members.append(southvale_commissioner)
    db.session.commit()
    return World(
        contract=contract,
        other_contract=other,
        provider_user=provider_user,
        other_provider_user=other_provider_user,
        commissioner=commissioner,
        southvale_commissioner=southvale_commissioner,
    )


def complete_return(**changes) -> dict[str, str]:
    """A return form with every figure and answer filled in, as a provider would send it."""
    form = {
        "referrals": "40",
        "people_seen": "32",
        "appointments_offered": "120",
        "missed_appointments": "9",
        "median_wait_days": "18",
        "complaints": "1",
        "went_well": "Waiting times came down after we added a Saturday clinic.",
        "not_well": "Missed appointments rose over the summer holidays.",
        "doing_about_it": "Text reminders the day before each appointment from next month.",
        "action": "submit",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}
