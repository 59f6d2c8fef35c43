"""The shape of a synthetic data set: its settings, the scored answer pools and the plan of
who answers what and when, drawn with numpy. Nothing is written here (see `writing`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from app.instruments.model import Instrument
from app.models.timeutil import uk_today
from app.scoring import score

# Goes up whenever the same settings would give different data (benchmarks cache by it).
VERSION = 2
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
        start = self.start or add_years(end, -2) + timedelta(days=1)
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
    contracts: int = 0
    returns: int = 0
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


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
