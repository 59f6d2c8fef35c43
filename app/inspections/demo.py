"""Demonstration inspections: one mystery shop, ready for the demo inspector to rate."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db, instrument_registry
from app.inspections.visits import schedule_visit
from app.models import Service, User, Visit
from app.models.timeutil import uk_today

DEMO_COORDINATOR = "coordinator@example.org"
DEMO_INSPECTOR = "inspector@example.org"
DEMO_FRAMEWORK = "mystery-shop-checklist"


def load_demo_fieldwork(service: Service, today: date | None = None, registry=None) -> Visit:
    """Schedule a phone mystery shop of `service`, last week, with the demo peer researcher
    on the panel and the demo coordinator as its organiser.

    Call it after the demo users exist (`app.accounts.cli.load_demo_users`); it commits.
    `registry` is the loaded instruments; by default the application's.
    """
    today = today or uk_today()
    people = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(User.email.in_([DEMO_COORDINATOR, DEMO_INSPECTOR]))
        )
    }
    missing = sorted({DEMO_COORDINATOR, DEMO_INSPECTOR} - set(people))
    if missing:
        raise RuntimeError(f"load the demo users first: no account for {', '.join(missing)}")
    instrument = (registry or instrument_registry()).get(DEMO_FRAMEWORK)
    return schedule_visit(
        service=service,
        kind="mystery",
        channel="phone",
        scenario="Use the made-up name Sam and say you go to Riverside Academy. Phone between "
        "4pm and 6pm, when young people would usually call.",
        visit_on=today - timedelta(days=7),
        instrument=instrument,
        members=[people[DEMO_INSPECTOR]],
        created_by=people[DEMO_COORDINATOR],
    )
