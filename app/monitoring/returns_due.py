"""When a provider's return for a period is due, and which are overdue."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.evidence.periods import Period
from app.extensions import db
from app.models import Contract, ProviderReturn
from app.models.timeutil import uk_today
from app.monitoring.status import complete_periods

# A return is due this many days after its period ends.
RETURN_DUE_DAYS = 20
# How far back returns are asked for (periods).
RETURN_PERIODS = 4


def return_due_on(period: Period) -> date:
    return period.end + timedelta(days=RETURN_DUE_DAYS)


def overdue_returns(contract: Contract, today: date | None = None) -> list[Period]:
    """The contract's complete periods (the last `RETURN_PERIODS`) whose return is past its
    due date and not submitted, most recent first. None before the contract started."""
    today = today or uk_today()
    periods = [
        p for p in complete_periods(contract, today, RETURN_PERIODS) if return_due_on(p) < today
    ]
    if not periods:
        return []
    submitted = set(
        db.session.scalars(
            select(ProviderReturn.period_start).where(
                ProviderReturn.contract_id == contract.id,
                ProviderReturn.status == "submitted",
                ProviderReturn.period_start.in_([p.start for p in periods]),
            )
        )
    )
    return [p for p in periods if p.start not in submitted]
