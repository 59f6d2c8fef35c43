"""Synthetic commissioning: councils, each service's contract with measures and targets,
and providers' returns, at the scale of the rest of the synthetic data set.

Every contract is commissioned by one of a few synthetic councils (every seventh jointly by
two), monitored on six measures from the shipped library (two from young people's answers,
four from returns) with targets a commissioner might set, and has returns for its recent
complete periods: most submitted, some missing, so some are overdue. The statuses of the
latest two complete periods are worked out at the end, as the nightly `contracts refresh`
would, so the overview reads them straight away.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime

import numpy as np

from app.extensions import db
from app.models import CommissioningBody, Contract, ContractMeasure, ProviderReturn
from app.monitoring import library, status
from app.monitoring.returns_due import RETURN_PERIODS, return_due_on
from app.synthetic.shape import PROVIDER_PREFIX

COUNCILS = 4
# (measure key, typical target, spread of targets between contracts, tolerance)
TARGETS = (
    ("wemwbs-mean", 48.0, 2.0, 2.0),
    ("feedback-would-recommend", 75.0, 10.0, 5.0),
    ("share-of-referrals-seen", 80.0, 8.0, 5.0),
    ("median-wait", 21.0, 7.0, 7.0),
    ("missed-appointments-rate", 10.0, 3.0, 3.0),
    ("complaints", 3.0, 1.0, 1.0),
)


def _figures(rng: np.random.Generator, size: float) -> dict[str, int]:
    referrals = int(max(1, rng.poisson(40 * size)))
    seen = int(rng.binomial(referrals, rng.uniform(0.55, 0.97)))
    offered = int(max(seen, rng.poisson(6 * max(seen, 1))))
    missed = int(rng.binomial(offered, rng.uniform(0.03, 0.2)))
    return {
        "referrals": referrals,
        "people_seen": seen,
        "appointments_offered": offered,
        "missed_appointments": missed,
        "median_wait_days": int(rng.integers(5, 50)),
        "complaints": int(rng.poisson(2)),
    }


def write_contracts(
    contracts: list[tuple[Contract, float]],
    rng: np.random.Generator,
    today: date,
    echo: Callable[[str], None] = print,
) -> int:
    """Bodies, measures, targets and returns for `contracts` ((contract, size weight) each);
    then each contract's statuses for its latest two complete periods. Returns how many
    returns were written. Commits."""
    began = time.monotonic()
    library.sync_library()
    measures = [library.measure_by_key(key) for key, *_ in TARGETS]
    councils = [
        CommissioningBody(name=f"{PROVIDER_PREFIX} Council {n + 1}", kind="council")
        for n in range(COUNCILS)
    ]
    db.session.add_all(councils)
    returns = 0
    for index, (contract, size) in enumerate(contracts):
        contract.bodies = [councils[index % COUNCILS]]
        if index % 7 == 6:
            contract.bodies.append(councils[(index + 1) % COUNCILS])
        contract.risk = ("low", "medium", "medium", "high")[int(rng.integers(0, 4))]
        contract.value_pounds = int(rng.integers(50, 900)) * 1000
        for measure, (_, typical, spread, tolerance) in zip(measures, TARGETS, strict=True):
            target = round(float(typical + rng.uniform(-spread, spread)))
            contract.measures.append(
                ContractMeasure(measure=measure, target=target, tolerance=tolerance)
            )
        for period in status.complete_periods(contract, today, RETURN_PERIODS):
            if rng.random() < 0.08:
                continue  # not sent: overdue once its due date has passed
            due = return_due_on(period)
            db.session.add(
                ProviderReturn(
                    contract=contract,
                    period_start=period.start,
                    period_end=period.end,
                    status="submitted",
                    figures=_figures(rng, size),
                    went_well="Synthetic return.",
                    not_well="Synthetic return.",
                    doing_about_it="Synthetic return.",
                    submitted_at=datetime.combine(min(due, today), datetime.min.time()),
                )
            )
            returns += 1
    db.session.commit()
    echo(
        f"{len(contracts)} contracts with {len(TARGETS)} measures each, {returns:,} returns "
        f"({time.monotonic() - began:.1f} s)"
    )
    for n, (contract, _) in enumerate(contracts, start=1):
        status.refresh(contract, today, count=2)
        if n % 50 == 0 or n == len(contracts):
            echo(f"Statuses worked out for {n} contracts ({time.monotonic() - began:.1f} s)")
    return returns
