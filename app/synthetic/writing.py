"""Writing a synthetic data set to the database in chunks: SQLAlchemy Core executemany on
SQLite, COPY on PostgreSQL, committing as it goes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import (
    func,
    select,
    text,
)

from app.extensions import db
from app.instruments.model import InstrumentRegistry
from app.models import (
    Campaign,
    Contract,
    Participant,
    Provider,
    Reading,
    Response,
    Service,
    User,
)
from app.models.timeutil import uk_today
from app.scoring.star import validate_reading
from app.synthetic.rows import Writer, participant_codes
from app.synthetic.shape import (
    CAMPAIGNS,
    EMAIL_DOMAIN,
    LICENCE_REFERENCE,
    PROVIDER_PREFIX,
    READINGS,
    SERVICE_KINDS,
    WHEEL,
    Plan,
    Report,
    Settings,
    SyntheticDataError,
    add_months,
    draw_plan,
    questionnaire_pool,
    scale_pool,
)


def synthesise(
    settings: Settings,
    registry: InstrumentRegistry,
    *,
    echo: Callable[[str], None] = print,
    today: date | None = None,
) -> Report:
    """Add a synthetic data set of `settings.responses` responses to an empty database;
    commits as it goes. Raises SyntheticDataError when the database already holds data."""
    if settings.responses < 1:
        raise SyntheticDataError("ask for at least one response")
    if settings.providers < 1 or settings.services_per_provider < 1:
        raise SyntheticDataError("ask for at least one provider and one service per provider")
    refuse_data_already_there()
    today = today or uk_today()
    start, end = settings.date_range(today)
    days = (end - start).days + 1
    rng = np.random.default_rng(settings.seed)
    report = Report()
    began = time.monotonic()

    instruments = [registry.get(instrument_id) for instrument_id, _, _ in CAMPAIGNS]
    wheel = registry.get(WHEEL)
    pools = [
        scale_pool(i, rng) if i.type == "scale" else questionnaire_pool(i, rng) for i in instruments
    ]
    languages = sorted({code for i in instruments for code in i.texts})
    services, campaigns, workers = _organisations(settings, instruments, rng, start, end, today)
    report.providers = settings.providers
    report.services = len(services)
    report.campaigns = len(campaigns) * len(CAMPAIGNS)
    db.session.commit()
    report.seconds["organisations and pools"] = time.monotonic() - began
    echo(
        f"{report.providers} providers, {report.services} services, {report.campaigns} "
        f"campaigns; {sum(map(len, pools))} scored answer sets "
        f"({time.monotonic() - began:.1f} s)"
    )

    weights = np.array([weight for _, weight in services])
    plan = draw_plan(
        rng, settings.responses, days, weights / weights.sum(), instruments, pools, languages
    )
    report.seconds["plan"] = time.monotonic() - began
    echo(f"Planned {len(plan.second):,} responses ({time.monotonic() - began:.1f} s)")

    midnight = datetime.combine(start, datetime.min.time())
    participant_of = _write_participants(plan, settings, midnight, report, echo, began)
    _write_responses(
        plan, settings, midnight, participant_of, services, campaigns, instruments, pools,
        languages, report, echo, began,
    )  # fmt: skip
    _write_readings(plan, settings, start, participant_of, services, workers, wheel, rng, report)
    echo(f"{report.readings:,} outcomes-wheel readings ({time.monotonic() - began:.1f} s)")
    _analyse()
    from app.synthetic.contracts import write_contracts

    contracts = [(service.contract, weight) for service, weight in services if service.contract]
    report.returns = write_contracts(contracts, rng, today, echo)
    report.contracts = len(contracts)
    report.seconds["total"] = time.monotonic() - began
    echo(f"Statistics updated ({report.seconds['total']:.1f} s)")
    return report


def refuse_data_already_there() -> None:
    """Raise SyntheticDataError when the database holds any provider or response: synthetic
    data goes only into a database of its own, never beside real (or earlier) data."""
    synthetic = db.session.scalar(
        select(func.count(Provider.id)).where(Provider.name.like(f"{PROVIDER_PREFIX} %"))
    )
    providers = db.session.scalar(select(func.count(Provider.id)))
    responses = db.session.scalar(select(func.count(Response.id)))
    if not (providers or responses):
        return
    held = (
        "synthetic providers"
        if synthetic
        else f"data ({providers:,} providers, {responses:,} responses)"
    )
    raise SyntheticDataError(
        f"This database already holds {held}, so synthetic data is not added to it. "
        "Point the command at a fresh database of its own, for example "
        "`DATABASE_URL=sqlite:///instance/synthetic.sqlite3 flask --app wsgi db upgrade` and "
        "then `DATABASE_URL=sqlite:///instance/synthetic.sqlite3 flask --app wsgi evidence "
        "synthesise ...`."
    )


def _organisations(settings, instruments, rng, start: date, end: date, today: date):
    """Providers, services (with a size weight), each service's campaigns, and a key worker
    per provider to record readings."""
    services: list[tuple[Service, float]] = []
    campaigns: list[list[Campaign]] = []
    workers: dict[int, User] = {}
    width = len(str(settings.providers))
    for p in range(settings.providers):
        provider = Provider(name=f"{PROVIDER_PREFIX} Provider {p + 1:0{width}d}")
        db.session.add(provider)
        worker = User(
            email=f"key-worker-{p + 1}@{EMAIL_DOMAIN}",
            name=f"Synthetic key worker {p + 1}",
            provider=provider,
        )
        worker.set_roles(["key_worker"])
        db.session.add(worker)
        for s in range(settings.services_per_provider):
            index = p * settings.services_per_provider + s
            kind = SERVICE_KINDS[index % len(SERVICE_KINDS)]
            # Some contracts start on a month of their own, which sets the period grid.
            starts_on = None
            if index % 6 == 5:
                months_before = 1 + index % 11
                starts_on = add_months(start.replace(day=1), -months_before)
            interval = 6 if index % 5 == 1 else 3
            contract = Contract(
                reference=f"SYN-{p + 1}-{s + 1}",
                title=f"{kind} {s + 1}, {provider.name}",
                provider=provider,
                starts_on=starts_on,
                monitoring_interval_months=interval,
            )
            service = Service(
                provider=provider,
                contract=contract,
                name=f"{kind} {s + 1}",
                starts_on=starts_on,
                monitoring_interval_months=interval,
            )
            db.session.add(service)
            services.append((service, float(rng.lognormal(0.0, 0.5))))
            own = []
            for instrument, (_, name, _) in zip(instruments, CAMPAIGNS, strict=True):
                campaign = Campaign(
                    service=service,
                    name=f"{name}, {start:%Y}-{end:%Y}",
                    instrument_id=instrument.id,
                    instrument_version=instrument.version,
                    opens_on=start,
                    closes_on=end,
                    languages=",".join(instrument.locales),
                    links_over_time=instrument.type == "scale",
                    licence_reference=LICENCE_REFERENCE if instrument.is_licensed else None,
                )
                campaign.open(instrument)
                if end < today:
                    campaign.close()
                db.session.add(campaign)
                own.append(campaign)
            campaigns.append(own)
        workers[p] = worker
    db.session.flush()
    return services, campaigns, workers


def _chunks(count: int, size: int) -> Iterator[slice]:
    for first in range(0, count, size):
        yield slice(first, min(first + size, count))


def _write_participants(plan: Plan, settings, midnight, report, echo, began) -> np.ndarray:
    """Participants in order of their first answer; returns each response's participant id
    (0 when not linked)."""
    linked = np.flatnonzero(plan.linked)
    people, first_at = np.unique(plan.person[linked], return_index=True)
    order = np.argsort(first_at)  # the response list is sorted by time
    rank = np.empty(len(people), np.int64)
    rank[order] = np.arange(len(people))
    base = (db.session.scalar(select(func.coalesce(func.max(Participant.id), 0))) or 0) + 1
    participant_of = np.zeros(len(plan.second), np.int64)
    participant_of[linked] = base + rank[np.searchsorted(people, plan.person[linked])]
    ids = base + np.arange(len(people))
    created = plan.second[linked][first_at[order]] - plan.duration[linked][first_at[order]]
    writer = Writer(Participant.__table__, ["id", "code", "worker_code", "created_at"])
    origin = np.datetime64(midnight, "us")
    for part in _chunks(len(ids), settings.chunk):
        chunk = ids[part].tolist()
        codes = participant_codes(chunk, settings.seed)
        # Another map for the codes for key workers: distinct among themselves, as the column is.
        worker_codes = participant_codes(chunk, settings.seed + 7919)
        when = (origin + created[part].astype("timedelta64[s]")).tolist()
        writer.write(list(zip(chunk, codes, worker_codes, when, strict=True)))
        db.session.commit()
    if writer.dialect.name == "postgresql" and len(ids):
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('participant', 'id'), :last)"),
            {"last": int(ids[-1])},
        )
        db.session.commit()
    report.participants = len(ids)
    echo(f"{len(ids):,} participants ({time.monotonic() - began:.1f} s)")
    return participant_of


def _write_responses(
    plan, settings, midnight, participant_of, services, campaigns, instruments, pools,
    languages, report, echo, began,
) -> None:  # fmt: skip
    columns = [
        "submission_key", "campaign_id", "participant_id", "language", "text_provenance",
        "mode", "consented_at", "started_at", "submitted_at",
        # from the pooled answer set:
        "instrument_id", "instrument_version", "answers", "complete", "answered_count",
        "raw_score", "metric_score", "band",
    ]  # fmt: skip
    writer = Writer(Response.__table__, columns)
    campaign_ids = [[c.id for c in own] for own in campaigns]
    provenance = [
        [i.texts[code].provenance if code in i.texts else "absent" for code in languages]
        for i in instruments
    ]
    pooled = [
        list(zip(
            [i.id] * len(pool), [i.version] * len(pool), pool.json, pool.complete,
            pool.answered, pool.raw, pool.metric, pool.band, strict=True,
        ))
        for i, pool in zip(instruments, pools, strict=True)
    ]  # fmt: skip
    modes = ("self", "with_worker")
    origin = np.datetime64(midnight, "us")
    total = len(plan.second)
    for part in _chunks(total, settings.chunk):
        seconds = plan.second[part].astype("timedelta64[s]")
        submitted = (origin + seconds).tolist()
        started = (origin + seconds - plan.duration[part].astype("timedelta64[s]")).tolist()
        rows = [
            (
                f"syn-{settings.seed}-{n}",
                campaign_ids[service][kind],
                participant or None,
                languages[language],
                provenance[kind][language],
                modes[worker],
                begun,
                begun,
                sent,
            )
            + pooled[kind][entry]
            for n, kind, service, participant, language, worker, entry, begun, sent in zip(
                range(part.start, part.stop),
                plan.campaign_kind[part].tolist(),
                plan.service[part].tolist(),
                participant_of[part].tolist(),
                plan.language[part].tolist(),
                plan.with_worker[part].tolist(),
                plan.entry[part].tolist(),
                started,
                submitted,
                strict=True,
            )
        ]
        writer.write(rows)
        db.session.commit()
        report.responses = part.stop
        if part.stop == total or (part.stop // settings.chunk) % 10 == 0:
            echo(f"{part.stop:,} / {total:,} responses ({time.monotonic() - began:.1f} s)")


def _write_readings(plan, settings, start, participant_of, services, workers, wheel, rng, report):
    """Outcomes-wheel readings, taken with a key worker on the days of some people's scale
    answers: each area a level of its own plus a little progress per reading."""
    star = wheel.star
    scales = [
        k
        for k, (instrument_id, _, _) in enumerate(CAMPAIGNS)
        if instrument_id != "service-feedback"
    ]
    linked = np.flatnonzero(plan.linked & np.isin(plan.campaign_kind, scales))
    people, counts = np.unique(plan.person[linked], return_counts=True)
    returning = people[counts >= 2]
    chosen = returning[rng.random(len(returning)) < READINGS]
    rows_at = linked[np.isin(plan.person[linked], chosen)]
    if not len(rows_at):
        return
    # The how-many-th reading of its person each row is (rows are in time order).
    person = np.searchsorted(chosen, plan.person[rows_at])
    by_person = np.argsort(person, kind="stable")
    firsts = np.searchsorted(person[by_person], person[by_person])
    occasion = np.empty(len(person), np.int64)
    occasion[by_person] = np.arange(len(person)) - firsts
    areas = len(star.areas)
    level = rng.normal(4.5, 1.6, (len(chosen), areas))
    growth = rng.normal(0.6, 0.6, (len(chosen), areas))
    raw = (
        level[person]
        + growth[person] * occasion[:, None]
        + rng.normal(0, 0.8, (len(person), areas))
    )
    scores = np.clip(np.rint(raw), 1, star.points).astype(int).tolist()
    days = (plan.second[rows_at] // 86400).tolist()
    service_index = plan.service[rows_at].tolist()
    participant = participant_of[rows_at].tolist()
    writer = Writer(
        Reading.__table__,
        ["submission_key", "participant_id", "service_id", "recorded_by_id", "instrument_id",
         "instrument_version", "taken_on", "scores", "note", "created_at"],
    )  # fmt: skip
    service_ids = [service.id for service, _ in services]
    worker_ids = [workers[i // settings.services_per_provider].id for i in range(len(services))]
    for part in _chunks(len(rows_at), settings.chunk):
        rows = []
        for i in range(part.start, part.stop):
            taken = start + timedelta(days=days[i])
            reading = validate_reading(wheel, dict(zip(star.areas, scores[i], strict=True)))
            rows.append(
                (
                    f"syn-{settings.seed}-reading-{int(rows_at[i])}",
                    participant[i],
                    service_ids[service_index[i]],
                    worker_ids[service_index[i]],
                    wheel.id,
                    wheel.version,
                    taken,
                    json.dumps(reading),
                    None,
                    datetime.combine(taken, datetime.min.time()) + timedelta(hours=17),
                )
            )
        writer.write(rows)
        report.readings += len(rows)
    db.session.commit()


def _analyse() -> None:
    """Planner statistics for the new rows, and on PostgreSQL the visibility map that lets
    evidence queries read only the index: what autovacuum would do a little later."""
    db.session.commit()
    engine = db.session.get_bind()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) participant, response, reading")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
