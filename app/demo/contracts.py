"""Demonstration contracts: a partnership of two councils, three contracts with measures and
targets (one meeting them, one not, one with a late return) and providers' past returns.

Call `load_demo_contracts` after the demo users exist; it commits. The figures in the
returns are made up and say so nowhere else, as with all demo data.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.accounts.cli import DEMO_PASSWORD
from app.extensions import db
from app.models import (
    CommissioningBody,
    Contract,
    ContractMeasure,
    Provider,
    ProviderReturn,
    Service,
    User,
)
from app.models.timeutil import utcnow
from app.monitoring import library, status
from app.monitoring.returns_due import return_due_on

NORTHSHIRE = "Northshire County Council"
SOUTHVALE = "Southvale Borough Council"
PARTNERSHIP = "Northshire and Southvale Children's Partnership"

# Accounts besides `app.accounts.cli.DEMO_USERS`, for trying the scoping.
CONTRACT_USERS = [
    ("southvale@example.org", "Sasha Southvale Commissioner", ["commissioner"], None),
    ("harbour@example.org", "Harper Harbour Manager", ["provider"], "Harbour Family Support"),
    ("meadow@example.org", "Morgan Meadow Manager", ["provider"], "Meadow Counselling Service"),
]

# Targets: (measure key, target, tolerance).
MEASURES = [
    ("referrals", 40, 5),
    ("share-of-referrals-seen", 80, 5),
    ("median-wait", 21, 7),
    ("missed-appointments-rate", 10, 3),
    ("complaints", 2, 1),
    ("wemwbs-mean", 45, 2),
]


def _figures(referrals, seen, offered, missed, wait, complaints) -> dict[str, int]:
    return {
        "referrals": referrals,
        "people_seen": seen,
        "appointments_offered": offered,
        "missed_appointments": missed,
        "median_wait_days": wait,
        "complaints": complaints,
    }


# Returns per contract, most recent complete period first.
GOOD = [
    (_figures(52, 46, 310, 18, 12, 1), "Referrals from schools went up after our assembly talks."),
    (_figures(47, 41, 290, 21, 14, 0), "A second evening session opened in the spring."),
    (_figures(44, 38, 280, 20, 15, 1), "Steady; new volunteers trained."),
    (_figures(41, 35, 260, 19, 16, 1), "First period of the new contract."),
]
POOR = [
    (_figures(61, 30, 240, 55, 49, 5), "Two practitioners left; waits grew."),
    (_figures(58, 35, 250, 41, 38, 4), "Recruitment is under way."),
    (_figures(55, 40, 260, 30, 30, 3), "Referrals rose faster than we planned for."),
    (_figures(50, 42, 270, 24, 24, 2), "On plan."),
]
STEADY = [
    (_figures(30, 27, 120, 9, 16, 0), "Drop-in sessions well used."),
    (_figures(28, 25, 110, 8, 17, 1), "One complaint, about the waiting room; resolved."),
    (_figures(27, 24, 105, 10, 18, 0), "New counsellor started."),
    (_figures(25, 22, 100, 9, 19, 0), "Settling in."),
]


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).filter_by(email=email))


def _submit(contract: Contract, period, figures, note: str, by: User | None) -> ProviderReturn:
    submitted_at = utcnow()
    return ProviderReturn(
        contract=contract,
        period_start=period.start,
        period_end=period.end,
        status="submitted",
        figures=figures,
        went_well=note,
        not_well="Some families waited longer than we would like for a first appointment.",
        doing_about_it="We are reviewing how referrals are triaged each week.",
        submitted_at=min(submitted_at, _as_naive(return_due_on(period))),
        submitted_by=by,
    )


def _as_naive(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def _add_measures(contract: Contract) -> None:
    for key, target, tolerance in MEASURES:
        measure = library.measure_by_key(key)
        contract.measures.append(
            ContractMeasure(measure=measure, target=target, tolerance=tolerance)
        )


def load_demo_contracts(riverside: Service, today: date) -> list[Contract]:
    """The demo's bodies, contracts, targets and returns, around the demo service `riverside`
    (whose contract CYP-2026-014 `load_demo_data` made). Returns the three contracts."""
    library.sync_library()
    northshire = CommissioningBody(name=NORTHSHIRE, kind="council")
    southvale = CommissioningBody(name=SOUTHVALE, kind="council")
    partnership = CommissioningBody(name=PARTNERSHIP, kind="partnership")
    db.session.add_all([northshire, southvale, partnership])

    for email, name, roles, _provider_name in CONTRACT_USERS:
        if _user(email) is None:
            user = User(email=email, name=name)
            user.set_roles(roles)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
    staff = {
        "admin@example.org": [northshire, southvale, partnership],
        "coordinator@example.org": [northshire, southvale, partnership],
        "commissioner@example.org": [northshire, partnership],
        "southvale@example.org": [southvale, partnership],
    }
    for email, bodies in staff.items():
        user = _user(email)
        if user is not None:
            user.bodies = bodies

    # 1. Riverside: commissioned jointly by the partnership, meeting its targets.
    riverside_contract = riverside.contract
    riverside_contract.bodies = [partnership]
    riverside_contract.risk = "low"
    riverside_contract.value_pounds = 180_000
    riverside_contract.ends_on = date(riverside_contract.starts_on.year + 3, 3, 31)
    riverside_contract.last_reviewed_on = today - timedelta(days=40)
    _add_measures(riverside_contract)

    # 2. Harbour: Northshire's, not meeting its targets and getting worse.
    harbour = Provider(name="Harbour Family Support")
    starts = _months_before(_month_start(today), 15)
    harbour_contract = Contract(
        reference="HFS-2025-007",
        title="Early help family support, Northshire",
        provider=harbour,
        bodies=[northshire],
        starts_on=starts,
        ends_on=date(starts.year + 3, starts.month, 1) - timedelta(days=1),
        value_pounds=420_000,
        monitoring_interval_months=3,
        risk="high",
        last_reviewed_on=today - timedelta(days=120),
    )
    Service(
        provider=harbour,
        contract=harbour_contract,
        name="Family support workers",
        starts_on=starts,
        monitoring_interval_months=3,
        help_contact="Call Harbour Family Support on 01632 960 456 (Monday to Friday, 9am to 5pm).",
    )
    db.session.add_all([harbour, harbour_contract])
    _add_measures(harbour_contract)

    # 3. Meadow: Southvale's, monthly returns, the last one due not in.
    meadow = Provider(name="Meadow Counselling Service")
    starts = _months_before(_month_start(today), 12)
    meadow_contract = Contract(
        reference="MCS-2026-003",
        title="Counselling for young people, Southvale",
        provider=meadow,
        bodies=[southvale],
        starts_on=starts,
        value_pounds=95_000,
        monitoring_interval_months=1,
        risk="medium",
        last_reviewed_on=today - timedelta(days=75),
    )
    Service(
        provider=meadow,
        contract=meadow_contract,
        name="Young people's counselling",
        starts_on=starts,
        monitoring_interval_months=1,
        help_contact="Call Meadow Counselling on 01632 960 789.",
    )
    db.session.add_all([meadow, meadow_contract])
    _add_measures(meadow_contract)
    db.session.flush()

    providers = {p.name: p for p in (harbour, meadow)}
    for email, _name, _roles, provider_name in CONTRACT_USERS:
        user = _user(email)
        if user is not None and provider_name in providers:
            user.provider = providers[provider_name]
    provider_user = _user("provider@example.org")
    harbour_user = _user("harbour@example.org")
    for contract, returns, by in (
        (riverside_contract, GOOD, provider_user),
        (harbour_contract, POOR, harbour_user),
    ):
        for period, (figures, note) in zip(
            status.complete_periods(contract, today), returns, strict=False
        ):
            db.session.add(_submit(contract, period, figures, note, by))
    # Meadow's returns are in, except the latest one already past its due date.
    periods = status.complete_periods(contract=meadow_contract, today=today)
    late = next((p for p in periods if return_due_on(p) < today), None)
    for period, (figures, note) in zip(periods, STEADY, strict=False):
        if late is None or period.start < late.start:
            db.session.add(_submit(meadow_contract, period, figures, note, None))
    db.session.commit()
    contracts = [riverside_contract, harbour_contract, meadow_contract]
    for contract in contracts:
        status.refresh(contract, today)
    return contracts
