"""Synthetic data at scale, for benchmarks and for trying the evidence pages with realistic
numbers: providers, services, campaigns, participants, responses and outcomes-wheel readings
shaped like a real deployment's. No Flask request objects.

Everything made here is marked as synthetic: provider names start "Synthetic", licensed
campaigns carry the licence reference "SYNTHETIC", staff emails end in `synthetic.invalid`
and submission keys start "syn-".

What it looks like. Services differ in size (log-normal weights); most are monitored every
3 months, every fifth one every 6. Each service runs a WEMWBS, a SWEMWBS and a feedback
campaign. Most people answering a scale keep their code (about 60% of all responses are
linked to a participant) and many of them answer again 3 to 6 months later, a little better
on average, so change figures exist. Scale totals follow the instrument's first norm on its
reporting scale (WEMWBS mean 49.4, SD 8.96); a person's scores correlate over time.
Languages and their text provenance are those the instrument declares.

How it stays fast and flat. Answers come from a pool of a few thousand answer sets per
instrument, each scored once with `app.scoring` (so raw score, metric score and band are the
real scoring code's). Who answers what and when is drawn with numpy (about 30 bytes per
response), sorted by time so row ids grow with time as they would in production, and written
in chunks: SQLAlchemy Core executemany on SQLite, COPY on PostgreSQL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    MetaData,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)

from app.extensions import db
from app.instruments.model import Instrument, InstrumentRegistry
from app.models import Campaign, Participant, Provider, Reading, Response, Service, User
from app.models.codes import CODE_ALPHABET, CODE_LENGTH
from app.models.timeutil import uk_today
from app.scoring import score
from app.scoring.star import validate_reading

# Goes up whenever the same settings would give different data (benchmarks cache by it).
VERSION = 1
PROVIDER_PREFIX = "Synthetic"
LICENCE_REFERENCE = "SYNTHETIC"
EMAIL_DOMAIN = "synthetic.invalid"

# Which campaign a response goes to: instrument id, campaign name, share of responses.
CAMPAIGNS = (
    ("wemwbs", "Wellbeing check (WEMWBS)", 0.45),
    ("swemwbs", "Quick wellbeing check (SWEMWBS)", 0.20),
    ("service-feedback", "Tell us what you think", 0.35),
)
SERVICE_KINDS = (
    "Youth club",
    "Counselling",
    "Mentoring",
    "Family support",
    "Detached youth work",
    "Young carers",
    "Sexual health outreach",
    "Care leavers",
)
# Languages people answer in, where the instrument has them (renormalised per instrument).
LANGUAGE_WEIGHTS = {
    "en": 0.80,
    "cy": 0.06,
    "pl": 0.03,
    "ro": 0.02,
    "pt": 0.015,
    "es": 0.015,
    "ar": 0.02,
    "ur": 0.015,
    "bn": 0.015,
    "so": 0.01,
}
WITH_WORKER = 0.25  # share of people answering with a worker
LINKED = 0.87  # share of people answering a scale who keep their code (60% of responses)
VISITS = ((1, 2, 3, 4), (0.4, 0.3, 0.2, 0.1))  # how many times a linked person answers
GAP_DAYS = (91, 184)  # 3 to 6 months between answers, [low, high)
INCOMPLETE = 0.02  # responses sent with an answer missing
RETEST_R = 0.6  # correlation of one person's scores a few months apart
GROWTH = (0.15, 0.15)  # mean and SD, in norm SDs, of a person's change per follow-up
PEOPLE_PER_BATCH = 100_000  # drawn at a time, to keep the working arrays small
READINGS = 0.15  # share of people with two or more scale answers who also have wheel readings
WHEEL = "outcomes-wheel"
SHORT_TEXTS = (
    "Friendly and fun",
    "A safe place",
    "Good people",
    "Chilled out",
    "Helpful staff",
    "Boring sometimes",
    "Like a second home",
    "Busy but nice",
)
LONG_TEXTS = (
    "More trips out in the holidays.",
    "Open on Sundays as well.",
    "Better wifi and somewhere quiet to do homework.",
    "Longer opening hours on Fridays.",
    "More food, we are always hungry after school.",
    "Let us choose the activities more often.",
)


@dataclass(frozen=True)
class Settings:
    """The size and shape of the data set. `start` and `end` are UK dates, both included;
    by default the two years up to yesterday."""

    responses: int
    providers: int = 20
    services_per_provider: int = 5
    seed: int = 1
    start: date | None = None
    end: date | None = None
    chunk: int = 20_000

    def date_range(self, today: date | None = None) -> tuple[date, date]:
        end = self.end or (today or uk_today()) - timedelta(days=1)
        start = self.start or _add_years(end, -2) + timedelta(days=1)
        if start > end:
            raise ValueError(f"the start date {start} is after the end date {end}")
        return start, end


@dataclass
class Report:
    """What was made and how long it took."""

    providers: int = 0
    services: int = 0
    campaigns: int = 0
    participants: int = 0
    responses: int = 0
    readings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class SyntheticDataError(Exception):
    """The database already holds synthetic data, or the settings cannot be met."""


# --- Answer pools ----------------------------------------------------------------------------


@dataclass
class Pool:
    """Scored answer sets for one instrument. Scale pools are grouped by raw total: the
    complete sets with total t are `per_total` entries from `offsets[t]`."""

    instrument: Instrument
    json: list[str] = field(default_factory=list)
    complete: list[bool] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    raw: list[int | None] = field(default_factory=list)
    metric: list[float | None] = field(default_factory=list)
    band: list[str | None] = field(default_factory=list)
    offsets: dict[int, int] = field(default_factory=dict)
    per_total: int = 0
    incomplete_from: int = 0

    def add(self, answers: dict) -> None:
        result = score(self.instrument, answers)
        self.json.append(json.dumps(answers))
        self.complete.append(result.complete)
        self.answered.append(result.answered)
        self.raw.append(result.raw)
        self.metric.append(result.metric)
        self.band.append(result.band)

    def __len__(self) -> int:
        return len(self.json)


def scale_pool(instrument: Instrument, rng: np.random.Generator, per_total: int = 48) -> Pool:
    """`per_total` answer sets for every possible raw total, and some with an answer missing."""
    scoring = instrument.scoring
    items = [instrument.item(item_id) for item_id in scoring.items]
    values = [sorted(int(v) for v in item.values) for item in items]
    low = [v[0] for v in values]
    high = [v[-1] for v in values]
    pool = Pool(instrument, per_total=per_total)
    for total in range(scoring.min, scoring.max + 1):
        pool.offsets[total] = len(pool)
        for _ in range(per_total):
            points = _spread(rng, total, low, high)
            pool.add({item.id: str(p) for item, p in zip(items, points, strict=True)})
            if pool.raw[-1] != total:
                raise SyntheticDataError(f"{instrument.key}: drew {pool.raw[-1]}, not {total}")
    pool.incomplete_from = len(pool)
    for _ in range(per_total * 2):
        total = int(rng.integers(scoring.min, scoring.max + 1))
        answers = {
            item.id: str(p) for item, p in zip(items, _spread(rng, total, low, high), strict=True)
        }
        for item_id in rng.choice(list(answers), size=int(rng.integers(1, 4)), replace=False):
            del answers[item_id]
        pool.add(answers)
    return pool


def _spread(rng: np.random.Generator, total: int, low: list[int], high: list[int]) -> list[int]:
    """Item answers adding up to `total`: each item starts at its lowest value and points
    go one at a time to items that are not yet at their highest."""
    points = list(low)
    for _ in range(total - sum(low)):
        open_items = [i for i, p in enumerate(points) if p < high[i]]
        points[open_items[int(rng.integers(len(open_items)))]] += 1
    return points


def questionnaire_pool(instrument: Instrument, rng: np.random.Generator, size: int = 4096) -> Pool:
    """`size` answer sets, each closed item answered with its own fixed spread of choices,
    optional items sometimes skipped, a little free text, and a few sets with a required
    answer missing."""
    weights = {}
    for item in instrument.items:
        if item.kind == "rating_scale":
            # Most people rate a service they keep using well: a ramp up to 8 of 10.
            n = len(item.values)
            peak = 0.8 * (n - 1)
            ramp = np.array([1 + (i if i <= peak else 2 * peak - i) for i in range(n)], float)
            weights[item.id] = ramp.clip(0.5) / ramp.clip(0.5).sum()
        elif item.kind == "yes_no":
            weights[item.id] = np.array([0.86, 0.14])
        elif item.is_choice:
            weights[item.id] = rng.dirichlet(np.full(len(item.values), 2.0))
    pool = Pool(instrument)
    for _ in range(size):
        answers: dict = {}
        for item in instrument.items:
            if item.is_text:
                texts, chance = (
                    (SHORT_TEXTS, 0.15) if item.kind == "short_text" else (LONG_TEXTS, 0.07)
                )
                if rng.random() < chance:
                    answer = texts[int(rng.integers(len(texts)))]
                    answers[item.id] = answer[: item.max_length] if item.max_length else answer
                continue
            if not item.required and rng.random() < 0.1:
                continue
            p = weights[item.id]
            if item.kind == "multiple_choice":
                most = min(item.max_choices or len(item.values), len(item.values))
                count = int(rng.integers(1, most + 1))
                chosen = rng.choice(len(item.values), size=count, replace=False, p=p)
                answers[item.id] = [item.values[i] for i in sorted(chosen)]
            else:
                answers[item.id] = item.values[int(rng.choice(len(item.values), p=p))]
        if rng.random() < INCOMPLETE:
            required = [
                item.id for item in instrument.items if item.required and item.id in answers
            ]
            if required:
                del answers[required[int(rng.integers(len(required)))]]
        pool.add(answers)
    return pool


# --- The plan: who answers what, where and when ----------------------------------------------


@dataclass
class Plan:
    """One entry per response, sorted by time. Columns are numpy arrays."""

    second: np.ndarray  # seconds since the first day's midnight (UTC)
    duration: np.ndarray  # seconds from starting to sending
    service: np.ndarray  # index into the services
    campaign_kind: np.ndarray  # index into CAMPAIGNS
    person: np.ndarray  # index of the person (unique per response when not linked)
    linked: np.ndarray
    occasion: np.ndarray  # 0 for a person's first answer, 1 for the next...
    language: np.ndarray  # index into the languages
    with_worker: np.ndarray
    entry: np.ndarray  # index into the campaign kind's pool


def draw_plan(
    rng: np.random.Generator,
    responses: int,
    days: int,
    service_weights: np.ndarray,
    instruments: list[Instrument],
    pools: list[Pool],
    languages: list[str],
) -> Plan:
    """Draw people, a batch at a time, until there are `responses` answers in the `days`;
    then sort the answers by time. About 30 bytes a response."""
    is_scale = np.array([i.type == "scale" for i in instruments])
    # People per campaign kind, so that responses come out in the CAMPAIGNS shares: a linked
    # person answers about 1.8 times in the range (some follow-ups fall after its end).
    answers_each = np.where(is_scale, LINKED * 1.8 + (1 - LINKED), 1.0)
    shares = np.array([share for _, _, share in CAMPAIGNS]) / answers_each
    shares /= shares.sum()
    language_p = [_language_weights(i, languages) for i in instruments]
    parts: list[dict[str, np.ndarray]] = []
    made, people = 0, 0
    while made < responses:
        n = min(PEOPLE_PER_BATCH, max(1000, int((responses - made) / 1.5)))
        kind = rng.choice(len(CAMPAIGNS), size=n, p=shares).astype(np.int8)
        linked = is_scale[kind] & (rng.random(n) < LINKED)
        visits = np.where(linked, rng.choice(VISITS[0], size=n, p=VISITS[1]), 1)
        first_day = rng.integers(0, days, n)
        language = np.empty(n, np.int8)
        for k, p in enumerate(language_p):
            chosen = kind == k
            language[chosen] = rng.choice(len(languages), size=int(chosen.sum()), p=p)
        service = rng.choice(len(service_weights), size=n, p=service_weights).astype(np.int32)
        with_worker = rng.random(n) < WITH_WORKER
        level = rng.standard_normal(n)
        growth = rng.normal(*GROWTH, n)
        # One row per answer: a person's answers are 3 to 6 months apart.
        owner = np.repeat(np.arange(n), visits)
        starts = np.cumsum(visits) - visits
        occasion = np.arange(len(owner)) - np.repeat(starts, visits)
        gaps = np.where(occasion == 0, 0, rng.integers(*GAP_DAYS, len(owner)))
        elapsed = np.cumsum(gaps)
        day = first_day[owner] + elapsed - elapsed[starts][owner]
        keep = np.flatnonzero(day < days)[: responses - made]
        owner, occasion, day = owner[keep], occasion[keep], day[keep]
        count = len(owner)
        parts.append(
            {
                "second": day.astype(np.int64) * 86400 + rng.integers(7 * 3600, 21 * 3600, count),
                "duration": rng.integers(90, 900, count).astype(np.int16),
                "service": service[owner],
                "campaign_kind": kind[owner],
                "person": (owner + people).astype(np.int32),
                "linked": linked[owner],
                "occasion": occasion.astype(np.int8),
                "language": language[owner],
                "with_worker": with_worker[owner],
                "entry": _pool_entries(
                    rng, kind[owner], level[owner], growth[owner], occasion, instruments, pools
                ),
            }
        )
        made += count
        people += n
    second = np.concatenate([p.pop("second") for p in parts])
    order = np.argsort(second, kind="stable")
    columns = {"second": second[order]}
    del second
    for name in list(parts[0]):
        columns[name] = np.concatenate([p.pop(name) for p in parts])[order]
    return Plan(**columns)


def _language_weights(instrument: Instrument, languages: list[str]) -> np.ndarray:
    p = np.array(
        [LANGUAGE_WEIGHTS.get(c, 0.01) if c in instrument.texts else 0.0 for c in languages]
    )
    return p / p.sum()


def _pool_entries(rng, kind, level, growth, occasion, instruments, pools) -> np.ndarray:
    """Which pooled answer set each response gets. A scale's total is the person's level plus
    noise plus growth per follow-up, on the norm's scale, mapped to the nearest raw total."""
    entry = np.zeros(len(kind), np.int32)
    for k, (instrument, pool) in enumerate(zip(instruments, pools, strict=True)):
        chosen = np.flatnonzero(kind == k)
        if not len(chosen):
            continue
        if instrument.type != "scale":
            entry[chosen] = rng.integers(0, len(pool), len(chosen))
            continue
        mean, sd = _norm(instrument)
        noise = rng.standard_normal(len(chosen))
        spread = np.sqrt(RETEST_R) * level[chosen] + np.sqrt(1 - RETEST_R) * noise
        latent = mean - 0.1 * sd + sd * (spread + growth[chosen] * occasion[chosen])
        totals = _nearest_raw(instrument, latent)
        lowest = instrument.scoring.min
        offsets = np.array([pool.offsets[t] for t in range(lowest, instrument.scoring.max + 1)])
        picked = offsets[totals - lowest] + rng.integers(0, pool.per_total, len(chosen))
        missing = rng.random(len(chosen)) < INCOMPLETE
        picked[missing] = pool.incomplete_from + rng.integers(
            0, len(pool) - pool.incomplete_from, int(missing.sum())
        )
        entry[chosen] = picked
    return entry


def _norm(instrument: Instrument) -> tuple[float, float]:
    """Mean and SD of the first norm on the instrument's reporting scale. Without a published
    SD (SWEMWBS), a seventh of the score range, about 4 metric points on SWEMWBS."""
    scoring = instrument.scoring
    scale = "metric" if scoring.conversion else "raw"
    norms = [n for n in instrument.norms if n.applies_to == scale]
    low, high = (
        (min(scoring.conversion.values()), max(scoring.conversion.values()))
        if scoring.conversion
        else (scoring.min, scoring.max)
    )
    mean = norms[0].mean if norms else (low + high) / 2
    sd = next((n.sd for n in norms if n.sd), (high - low) / 7)
    return mean, sd


def _nearest_raw(instrument: Instrument, latent: np.ndarray) -> np.ndarray:
    scoring = instrument.scoring
    raws = np.arange(scoring.min, scoring.max + 1)
    if not scoring.conversion:
        return np.clip(np.rint(latent), scoring.min, scoring.max).astype(int)
    metric = np.array([scoring.convert(int(r)) for r in raws])
    cuts = (metric[1:] + metric[:-1]) / 2
    return raws[np.searchsorted(cuts, latent)]


# --- Writing rows ----------------------------------------------------------------------------


def _participant_codes(ids: list[int], seed: int) -> list[str]:
    """Distinct codes: an invertible affine map of the id modulo 29**8, written in the code
    alphabet. 29 is prime, so any multiplier it does not divide gives distinct codes."""
    base = len(CODE_ALPHABET)
    modulus = base**CODE_LENGTH
    rng = np.random.default_rng([seed, 29])
    multiplier = int(rng.integers(modulus // 3, modulus)) | 1
    if multiplier % base == 0:
        multiplier += 2
    offset = int(rng.integers(0, modulus))
    numbers = [(i * multiplier + offset) % modulus for i in ids]
    alphabet = CODE_ALPHABET
    codes = []
    for number in numbers:
        digits = []
        for _ in range(CODE_LENGTH):
            number, digit = divmod(number, base)
            digits.append(alphabet[digit])
        codes.append("".join(digits))
    return codes


class Writer:
    """Appends rows (tuples in `columns` order) to a table in chunks: COPY on PostgreSQL, and
    a Core `insert()` run as one executemany per chunk elsewhere. JSON columns are given as
    ready-made JSON text. Columns left out get their Python default, so a column added to
    the model later does not break the generator."""

    def __init__(self, table: Table, columns: list[str], *, copy: bool = True):
        self.table = table
        self.dialect = db.session.get_bind().dialect
        missing = [
            c
            for c in table.columns
            if c.name not in columns
            and c.name != "id"
            and c.default is not None
            and (c.default.is_scalar or c.default.is_callable)
        ]
        self.extra_defaults = [c.default for c in missing]
        self.columns = columns + [c.name for c in missing]
        self.copy = copy and self.dialect.name == "postgresql"
        # JSON columns as plain text: the rows already hold JSON.
        self.target = Table(
            table.name,
            MetaData(),
            *[
                Column(c.name, Text() if isinstance(c.type, JSON) else c.type)
                for c in table.columns
                if c.name in self.columns
            ],
        )
        self.sqlite = self.dialect.name == "sqlite"
        if self.sqlite:
            # One compiled statement, the DB-API's executemany, and dates written the way
            # SQLAlchemy writes them on SQLite (its per-value processors are most of the cost).
            compiled = insert(self.target).compile(dialect=self.dialect, column_keys=self.columns)
            self.sql = compiled.string
            self.order = [self.columns.index(name) for name in compiled.positiontup]
            self.dates = [
                (i, isinstance(self.target.c[name].type, DateTime))
                for i, name in enumerate(self.columns)
                if isinstance(self.target.c[name].type, DateTime | Date)
            ]

    def write(self, rows: list[tuple]) -> None:
        if self.extra_defaults:
            values = tuple(d.arg(None) if d.is_callable else d.arg for d in self.extra_defaults)
            rows = [row + values for row in rows]
        connection = db.session.connection()
        if self.copy:
            raw = connection.connection.driver_connection
            names = ", ".join(f'"{c}"' for c in self.columns)
            sql = f'COPY "{self.table.name}" ({names}) FROM STDIN'
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        elif self.sqlite:
            connection.exec_driver_sql(self.sql, [self._sqlite_row(row) for row in rows])
        else:
            # Any other database: SQLAlchemy's own JSON handling, through the real table.
            json_columns = {c.name for c in self.table.columns if isinstance(c.type, JSON)}
            connection.execute(
                insert(self.table),
                [
                    {
                        name: json.loads(value) if name in json_columns else value
                        for name, value in zip(self.columns, row, strict=True)
                    }
                    for row in rows
                ],
            )

    def _sqlite_row(self, row: tuple) -> tuple:
        values = list(row)
        for i, with_time in self.dates:
            value = values[i]
            if value is not None:
                values[i] = value.isoformat(" ", "microseconds") if with_time else value.isoformat()
        return tuple(values[i] for i in self.order)


def synthesise(
    settings: Settings,
    registry: InstrumentRegistry,
    *,
    echo: Callable[[str], None] = print,
    today: date | None = None,
) -> Report:
    """Add a synthetic data set of `settings.responses` responses to the database; commits
    as it goes. Raises SyntheticDataError when the database already holds synthetic data."""
    if settings.responses < 1:
        raise SyntheticDataError("ask for at least one response")
    if settings.providers < 1 or settings.services_per_provider < 1:
        raise SyntheticDataError("ask for at least one provider and one service per provider")
    existing = db.session.scalar(
        select(func.count(Provider.id)).where(Provider.name.like(f"{PROVIDER_PREFIX} %"))
    )
    if existing:
        raise SyntheticDataError(
            "This database already holds synthetic providers; use a fresh database."
        )
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
    report.seconds["total"] = time.monotonic() - began
    echo(f"Statistics updated ({report.seconds['total']:.1f} s)")
    return report


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
                starts_on = _add_months(start.replace(day=1), -months_before)
            service = Service(
                provider=provider,
                name=f"{kind} {s + 1}",
                contract_reference=f"SYN-{p + 1}-{s + 1}",
                starts_on=starts_on,
                monitoring_interval_months=6 if index % 5 == 1 else 3,
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
    writer = Writer(Participant.__table__, ["id", "code", "created_at"])
    origin = np.datetime64(midnight, "us")
    for part in _chunks(len(ids), settings.chunk):
        chunk = ids[part].tolist()
        codes = _participant_codes(chunk, settings.seed)
        when = (origin + created[part].astype("timedelta64[s]")).tolist()
        writer.write(list(zip(chunk, codes, when, strict=True)))
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


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
