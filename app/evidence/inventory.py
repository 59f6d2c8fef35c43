"""Queries that say what there is to publish: people per evidence section (and per
language or age band), which instruments were answered, the finalised visits of a period,
and the data version the kept figures are checked against. All in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from app.evidence import queries
from app.evidence.periods import Period, following, previous
from app.extensions import db
from app.instruments.model import InstrumentRegistry
from app.models import Campaign, Reading, Response, Service, Visit

# The dimensions a page may be filtered by (`disclosure.DIMENSIONS`), as columns.
FILTER_COLUMNS = {"language": Response.language, "age_band": Response.age_band}


def section_sizes(
    service_ids: Sequence[int], period: Period, by=None
) -> dict[str, dict[object, int]]:
    """People per service (or per value of the dimension `by`, "language" or "age_band") for
    each evidence section in `period`: "responses" (everyone), "<instrument id>" (people
    with a response to it) and, per service only, "reading:<instrument id>" (outcomes-wheel
    readings).
    `service_ids` may be a filtered `View`."""
    scope = queries.scope_of(service_ids, period)
    column = Campaign.service_id if by is None else FILTER_COLUMNS[by]
    keys = tuple(service_ids) if by is None else ()
    people = func.count(func.distinct(queries.person_key()))
    sizes: dict[str, dict[object, int]] = {"responses": dict.fromkeys(keys, 0)}
    rows = db.session.execute(
        select(column, Response.instrument_id, people)
        .select_from(Response)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*scope.conditions())
        .group_by(column, Response.instrument_id)
    ).all()
    for key, instrument_id, count in rows:
        sizes.setdefault(instrument_id, dict.fromkeys(keys, 0))[key] = count
    everyone = db.session.execute(
        select(column, people)
        .select_from(Response)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*scope.conditions())
        .group_by(column)
    ).all()
    for key, count in everyone:
        sizes["responses"][key] = count
    if by is not None:
        return sizes
    readings = db.session.execute(
        select(
            Reading.service_id,
            Reading.instrument_id,
            func.count(func.distinct(Reading.participant_id)),
        )
        .where(
            Reading.service_id.in_(tuple(service_ids)),
            Reading.taken_on >= period.start,
            Reading.taken_on <= period.end,
        )
        .group_by(Reading.service_id, Reading.instrument_id)
    ).all()
    for service_id, instrument_id, count in readings:
        sizes.setdefault(f"reading:{instrument_id}", dict.fromkeys(service_ids, 0))[service_id] = (
            count
        )
    return sizes


def family_of(service_id: int) -> tuple[int, ...]:
    """The ids of every service of `service_id`'s provider (its family), itself included."""
    provider = select(Service.provider_id).where(Service.id == service_id).scalar_subquery()
    return tuple(
        db.session.scalars(
            select(Service.id).where(Service.provider_id == provider).order_by(Service.id)
        )
    )


def answering(service_ids: Sequence[int], instrument_id: str, period: Period) -> frozenset[int]:
    """The services among `service_ids` with a response to `instrument_id` in the period
    before `period`, in it or in the one after: those whose pages show the instrument's
    section with a column for `period` (each page shows its period and the one before)."""
    since = previous(period).utc_bounds()[0]
    until = following(period).utc_bounds()[1]
    return frozenset(
        db.session.scalars(
            select(Campaign.service_id)
            .join(Response, Response.campaign_id == Campaign.id)
            .where(
                Campaign.service_id.in_(tuple(service_ids)),
                Response.instrument_id == instrument_id,
                Response.submitted_at >= since,
                Response.submitted_at < until,
            )
            .distinct()
        )
    )


def reading(service_ids: Sequence[int], instrument_id: str, period: Period) -> frozenset[int]:
    """As `answering`, for outcomes-wheel readings: the services whose pages show the
    instrument's section with a column for `period`."""
    return frozenset(
        db.session.scalars(
            select(Reading.service_id)
            .where(
                Reading.service_id.in_(tuple(service_ids)),
                Reading.instrument_id == instrument_id,
                Reading.taken_on >= previous(period).start,
                Reading.taken_on <= following(period).end,
            )
            .distinct()
        )
    )


def people_by_service(service_ids: Sequence[int], period: Period, by: str) -> dict:
    """People per (service, value of the dimension `by`) in `period`: the family table a
    filtered view's figures are cut from."""
    column = FILTER_COLUMNS[by]
    scope = queries.scope_of(service_ids, period)
    rows = db.session.execute(
        select(Campaign.service_id, column, func.count(func.distinct(queries.person_key())))
        .select_from(Response)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*scope.conditions())
        .group_by(Campaign.service_id, column)
    ).all()
    return {(service_id, value): count for service_id, value, count in rows}


def data_version(service_ids: Sequence[int], period: Period) -> tuple:
    """What changes whenever any figure about these services for `period` (and the period
    before, which the page shows beside it) could: per service, the count, highest id and
    number still linked to a participant (anonymising lowers it) of the responses sent
    before the period's end, and the count and highest id of readings taken by then. A
    figure never looks later than the period's end, so answers arriving now leave a past
    period's figures as they were. Both come from covering indexes."""
    ids = tuple(service_ids)
    until = period.utc_bounds()[1]
    responses = db.session.execute(
        select(
            Campaign.service_id,
            func.count(Response.id),
            func.max(Response.id),
            func.count(Response.participant_id),
        )
        .join(Response, Response.campaign_id == Campaign.id)
        .where(Campaign.service_id.in_(ids), Response.submitted_at < until)
        .group_by(Campaign.service_id)
        .order_by(Campaign.service_id)
    ).all()
    readings = db.session.execute(
        select(Reading.service_id, func.count(Reading.id), func.max(Reading.id))
        .where(Reading.service_id.in_(ids), Reading.taken_on <= period.end)
        .group_by(Reading.service_id)
        .order_by(Reading.service_id)
    ).all()
    return tuple(map(tuple, responses)), tuple(map(tuple, readings))


def instruments_used(ids, period: Period, before: Period, registry: InstrumentRegistry):
    """The instruments answered by the people of `ids` in `before` or `period`: scales
    first, then questionnaires, then the rest."""
    since = before.utc_bounds()[0]
    until = period.utc_bounds()[1]
    rows = db.session.execute(
        select(Response.instrument_id, Response.instrument_version)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(*queries.Scope(tuple(ids), since, until).conditions())
        .distinct()
    ).all()
    found = []
    for instrument_id, version in sorted(rows):
        try:
            found.append(registry.get(instrument_id, version))
        except KeyError:
            continue
    order = {"scale": 0, "questionnaire": 1}
    return sorted(found, key=lambda i: (order.get(i.type, 2), i.id, i.version))


def finalised_visits(service_ids: Sequence[int], period: Period) -> list[Visit]:
    """The finalised, current inspection and mystery-shop visits of `period`."""
    return db.session.scalars(
        select(Visit)
        .where(
            Visit.service_id.in_(tuple(service_ids)),
            Visit.finalised_at.is_not(None),
            Visit.superseded_by_id.is_(None),
            Visit.visit_on >= period.start,
            Visit.visit_on <= period.end,
        )
        .order_by(Visit.visit_on, Visit.id)
    ).all()


__all__ = [
    "FILTER_COLUMNS",
    "answering",
    "reading",
    "data_version",
    "finalised_visits",
    "instruments_used",
    "section_sizes",
]
