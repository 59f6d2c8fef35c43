"""A service's published evidence as the API writes it: the same suppressed `Pack` the
evidence page renders (`app.evidence.build.service_pack`), cell by cell. A hidden figure is
written "suppressed", never its number: nothing here works a figure out again."""

from __future__ import annotations

import math
from datetime import date, timedelta

from flask import current_app, url_for

from app.evidence import build
from app.evidence.page_figures import PageFigures
from app.evidence.periods import Period, period_for_family
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import Pack
from app.extensions import instrument_registry
from app.figures import is_suppressed
from app.models import Service

SUPPRESSED = "suppressed"
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class PeriodProblem(ValueError):
    """The period asked for cannot be read: the message says why."""


def chosen_period(service: Service, asked: str | None, today: date) -> Period:
    """The service's reporting period holding the date `asked` (`?period=`), by default the
    last complete one; one that has not started is refused."""
    containing = period_for_family(service.provider, today)
    if not (asked or "").strip():
        return period_for_family(service.provider, containing.start - timedelta(days=1))
    try:
        day = date.fromisoformat(asked.strip())
    except ValueError:
        raise PeriodProblem(
            "Enter the period as a date inside it, in the form YYYY-MM-DD, for example 2026-04-01."
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise PeriodProblem("Enter a period between 2000 and 2100.")
    period = period_for_family(service.provider, day)
    if period.start > today:
        raise PeriodProblem("That period has not started yet.")
    return period


def cell(value):
    if is_suppressed(value):
        return SUPPRESSED
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return int(number) if number.is_integer() and not isinstance(value, float) else number


def pack_json(pack: Pack) -> dict:
    return {
        "title": pack.title,
        "scope": pack.scope,
        "previous_period_label": pack.previous_period,
        "method": [{"label": label, "value": value} for label, value in pack.method],
        "suppression_note": pack.suppression_note,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "note": section.note,
                "tables": [
                    {
                        "key": table.key,
                        "caption": table.caption,
                        "note": table.note,
                        "columns": [
                            {"heading": column.heading, "kind": column.kind}
                            for column in table.columns
                        ],
                        "rows": [[cell(value) for value in row] for row in table.rows],
                    }
                    for table in section.tables
                ],
            }
            for section in pack.sections
        ],
    }


def service_evidence(service: Service, period: Period) -> dict:
    """The service's evidence for `period`, exactly as its evidence page publishes it."""
    figures = None
    if current_app.config.get("EVIDENCE_FIGURES_CACHE", True):
        figures = PageFigures(
            current_app.extensions["evidence_figures"], [s.id for s in service.provider.services]
        )
    pack = build.service_pack(
        service,
        period,
        instrument_registry(),
        SmallNumbers.from_settings(current_app.config),
        charts=False,
        cache=figures,
    )
    contract = service.contract
    return {
        "service": {
            "id": service.id,
            "name": service.name,
            "provider": {"id": service.provider.id, "name": service.provider.name},
            "contract": contract.reference if contract is not None else None,
        },
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
        },
        "url": url_for(
            "api.service_evidence",
            service_id=service.id,
            period=period.start.isoformat(),
            _external=True,
        ),
        **pack_json(pack),
    }
