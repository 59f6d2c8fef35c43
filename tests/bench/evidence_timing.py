"""Time the evidence for a typical service in-process, on the database in DATABASE_URL.

    python -m tests.bench.evidence_timing [--repeat 20]

Prints one JSON object: the service and period chosen (the service with the median number
of responses, its last complete monitoring period), and the median, 95th percentile and
fastest time of `build.service_pack` without charts (every query behind the evidence page,
with nothing kept between runs). Run by
tests/bench/run.py in a subprocess, so the timings are not shared with a server's workers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import timeit

from sqlalchemy import func, select

from app import create_app
from app.evidence import build
from app.evidence.periods import period_for_service, previous
from app.evidence.suppression import SmallNumbers
from app.extensions import db
from app.models import Campaign, Contract, Response, Service
from app.models.timeutil import uk_today


def typical_service() -> tuple[Service, int]:
    """Of the services monitored quarterly (the default), the one with the median number of
    responses (ties by id)."""
    counts = db.session.execute(
        select(Campaign.service_id, func.count(Response.id))
        .join(Response, Response.campaign_id == Campaign.id)
        .join(Service, Service.id == Campaign.service_id)
        .where(Service.monitoring_interval_months == 3)
        .group_by(Campaign.service_id)
        .order_by(func.count(Response.id), Campaign.service_id)
    ).all()
    service_id, responses = counts[len(counts) // 2]
    return db.session.get(Service, service_id), responses


def percentiles(times_ms: list[float]) -> dict:
    ordered = sorted(times_ms)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
        "min_ms": round(ordered[0], 1),
        "runs": len(ordered),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        registry = app.extensions["instruments"]
        service, responses = typical_service()
        period = previous(period_for_service(service, uk_today()))
        rule = SmallNumbers.from_settings(app.config)

        def pack():
            db.session.expire_all()
            build.service_pack(service, period, registry, rule, charts=False)

        result = {
            "service_id": service.id,
            "service": f"{service.name}, {service.provider.name}",
            "service_responses": responses,
            "monitoring_interval_months": service.monitoring_interval_months,
            "period": period.start.isoformat(),
            "period_label": period.label,
            "total_responses": db.session.scalar(select(func.count(Response.id))),
            # The contract page timed is the typical service's contract's.
            "contract_id": service.contract_id,
            "contracts": db.session.scalar(select(func.count(Contract.id))),
        }
        pack()  # warm the database's caches once, as a page's first request would
        times = timeit.repeat(pack, number=1, repeat=args.repeat)
        result["service_pack"] = percentiles([t * 1000 for t in times])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
