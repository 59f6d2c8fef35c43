"""Provider families for the disclosure auditor: fixed worlds, one per way hidden figures
were recovered (issue "Nothing below 10 can be worked out"), and what the world knows to be
true, so a finding can say how close an attacker got.

Every answer is in April to June 2026 (or, for the exact-fractions world, also the quarter
before); `SEED` opens the pages there and `WINDOW` bounds the periods worth reading.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import count
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError

from app.extensions import db
from app.models import Campaign, Participant, Provider, Response, Service
from tests.support.disclosure_audit import Key

SEED = "2026-04-01"
WINDOW = (date(2026, 4, 1), date(2026, 6, 30))
APRIL, MAY, JUNE = (datetime(2026, m, 12, 10) for m in (4, 5, 6))
FEBRUARY = datetime(2026, 2, 10, 10)
UK = ZoneInfo("Europe/London")
_keys = count()


@dataclass
class Family:
    provider: Provider
    services: dict[str, Service]
    campaigns: dict[tuple[str, str], Campaign] = field(default_factory=dict)
    seeds: tuple[str, ...] = (SEED,)
    window: tuple[date, date] = WINDOW

    def campaign(self, service: str, instrument: str = "wemwbs") -> Campaign:
        return self.campaigns[service, instrument]


def family(name: str, services: dict[str, int], instruments=("wemwbs",)) -> Family:
    """A provider with services {name: monitoring interval in months}, each with a campaign
    per instrument."""
    provider = Provider(name=name)
    made = {
        label: Service(provider=provider, name=label, monitoring_interval_months=months)
        for label, months in services.items()
    }
    db.session.add_all(made.values())
    db.session.flush()
    world = Family(provider, made)
    for label, service in made.items():
        for instrument in instruments:
            campaign = Campaign(
                service_id=service.id,
                name=f"{label} {instrument}",
                instrument_id=instrument,
                instrument_version=1,
                opens_on=date(2025, 1, 1),
                closes_on=date(2027, 12, 31),
                licence_reference="LICENCE-1" if "wemwbs" in instrument else None,
            )
            db.session.add(campaign)
            world.campaigns[label, instrument] = campaign
    db.session.flush()
    return world


def answer(
    app,
    campaign: Campaign,
    when: datetime,
    raw: int | None = 50,
    *,
    person: Participant | None = None,
    language: str = "en",
    answers: dict | None = None,
    age_band: str | None = None,
    complete: bool = True,
) -> None:
    """One stored response, scored as the app scores it."""
    scoring = app.extensions["instruments"].get(campaign.instrument_id).scoring
    metric = scoring.convert(raw) if scoring and raw is not None else None
    band = scoring.band_for(metric if metric is not None else raw) if scoring and raw else None
    db.session.add(
        Response(
            submission_key=f"audit{next(_keys)}",
            campaign_id=campaign.id,
            participant=person,
            instrument_id=campaign.instrument_id,
            instrument_version=1,
            language=language,
            text_provenance="validated" if language == "en" else "project",
            mode="self",
            age_band=age_band,
            answers=answers or {},
            complete=complete,
            answered_count=0,
            raw_score=raw if complete else None,
            metric_score=metric if complete else None,
            band=band if complete else None,
            submitted_at=when,
        )
    )


def people(app, campaign, n: int, when: datetime, raw: int = 50, **kwargs) -> None:
    """`n` different people answering once each."""
    for _ in range(n):
        answer(app, campaign, when, raw, **kwargs)


# --- The eight shapes ----------------------------------------------------------------------


def siblings(app) -> Family:
    """1. A provider's total minus all but one of its services: 15, 12 and 4 people."""
    world = family("Siblings Trust", {"Arches": 3, "Bridges": 3, "Canals": 3})
    for name, n in (("Arches", 15), ("Bridges", 12), ("Canals", 4)):
        people(app, world.campaign(name), n, MAY, raw=40 + n)
    db.session.commit()
    return world


def complementary_languages(app) -> Family:
    """2. English-only and Welsh-only views of one service, each offered, beside their
    parent: bands and answers of 3 to 6 people in each language."""
    world = family("Two Tongues", {"Harbour": 3}, ("wemwbs", "service-feedback"))
    for language, spread in (("en", (12, 5, 3)), ("cy", (10, 4, 0))):
        for n, raw in zip(spread, (50, 62, 40), strict=True):
            people(app, world.campaign("Harbour"), n, MAY, raw=raw, language=language)
        often = {"en": (15, 5), "cy": (11, 3)}[language]
        for n, choice in zip(often, ("most_weeks", "first_time"), strict=True):
            people(
                app,
                world.campaign("Harbour", "service-feedback"),
                n,
                MAY,
                raw=None,
                language=language,
                answers={"how_often": choice},
            )
    db.session.commit()
    return world


def filtered_provider_and_service(app) -> Family:
    """3. The same language filter on the provider and on one service: Welsh 12 at one
    service and 3 at the other."""
    world = family("Valleys Youth", {"Upper": 3, "Lower": 3})
    for name, english, welsh in (("Upper", 15, 12), ("Lower", 14, 3)):
        people(app, world.campaign(name), english, MAY)
        people(app, world.campaign(name), welsh, MAY, language="cy")
    db.session.commit()
    return world


def monthly_inside_quarterly(app) -> Family:
    """4. A monthly service (12, 11, then 4 people) beside a quarterly one (20 people)."""
    world = family("Calendar Care", {"Monthly": 1, "Quarterly": 3})
    for when, n in ((APRIL, 12), (MAY, 11), (JUNE, 4)):
        people(app, world.campaign("Monthly"), n, when)
    people(app, world.campaign("Quarterly"), 20, MAY)
    db.session.commit()
    return world


def exact_fractions(app) -> Family:
    """5. Completion rates: 3 of 12 responses left unfinished at one service; the other's
    rate and the provider's are published to full precision in the XLSX."""
    world = family("Fraction House", {"Small": 3, "Large": 3})
    people(app, world.campaign("Small"), 9, MAY)
    people(app, world.campaign("Small"), 3, MAY, raw=None, complete=False)
    people(app, world.campaign("Large"), 20, MAY)
    people(app, world.campaign("Large"), 10, MAY, raw=None, complete=False)
    db.session.commit()
    return world


FIXED = {
    "siblings": siblings,
    "complementary languages": complementary_languages,
    "filtered provider and service": filtered_provider_and_service,
    "monthly inside quarterly": monthly_inside_quarterly,
    "exact fractions": exact_fractions,
}


def generated(app, services, answers) -> Family:
    """A family drawn by Hypothesis: `services` = [(interval months, ...)], `answers` =
    [(service index, month index 0-2, language, people, repeats)]: `people` answer once in
    that month and language, and `repeats` of them answer again the next month."""
    world = family(
        "Drawn Family", {f"Service {i + 1}": months for i, months in enumerate(services)}
    )
    when = (APRIL, MAY, JUNE, datetime(2026, 7, 12, 10))
    for number, (index, month, language, n, repeats) in enumerate(answers):
        campaign = world.campaign(f"Service {index % len(services) + 1}")
        for i in range(n):
            person = Participant.create() if i < repeats else None
            raw = 30 + (number * 7 + i * 5) % 40
            answer(app, campaign, when[month], raw, person=person, language=language)
            if person is not None:
                answer(app, campaign, when[month + 1], raw + 2, person=person, language=language)
    db.session.commit()
    return world


# --- What is true --------------------------------------------------------------------------

PROVENANCE = {
    "validated": "validated wording",
    "project": "project translation, not validated",
    "machine": "machine translation, not validated",
}
MODES = {"self": "Self-completed", "with_worker": "With a worker"}


def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def truth(app):
    """A function from a `Key` to its true value (None for measures it does not know:
    change cohorts, outcomes-wheel areas, multiple-choice options), read from the database
    row by row, independently of the evidence queries."""
    registry = app.extensions["instruments"]
    rows = db.session.execute(
        db.select(Response, Campaign.service_id).join(Campaign, Campaign.id == Response.campaign_id)
    ).all()
    records = []
    for response, service_id in rows:
        local = response.submitted_at.replace(tzinfo=UTC).astimezone(UK).date()
        records.append((response, service_id, local))
    titles = {}
    for instrument_id in {r.instrument_id for r, _, _ in records}:
        instrument = registry.get(instrument_id)
        titles[instrument.title("en")] = instrument

    def facts(response) -> dict[str, str]:
        return {
            "language": language_name(response.language),
            "provenance": PROVENANCE.get(response.text_provenance, response.text_provenance),
            "mode": MODES.get(response.mode, response.mode),
            "complete": "yes" if response.complete else "no",
            "age_band": response.age_band or "",
        }

    def matches(response, service_id, local, key: Key) -> bool:
        if service_id not in key.services or not key.period[0] <= local <= key.period[1]:
            return False
        known = facts(response)
        return all(known.get(d) == v for d, v in key.group + key.category if d in known)

    def person(response) -> int:
        return response.participant_id or -response.id

    def value(key: Key) -> int | None:
        found = [(r, s, d) for r, s, d in records if matches(r, s, d, key)]
        measure, _, rest = key.measure.partition(":")
        if measure == "responses":
            return len(found)
        if measure == "people":
            return len({person(r) for r, _, _ in found})
        if measure == "scale" and rest in titles:
            instrument = titles[rest]
            latest: dict[int, Response] = {}
            for r, _, _ in sorted(found, key=lambda f: (f[0].submitted_at, f[0].id)):
                if r.instrument_id == instrument.id and r.complete and r.raw_score is not None:
                    latest[person(r)] = r
            bands = defaultdict(int)
            for r in latest.values():
                bands[instrument.band_label(r.band, "en")] += 1
            band = dict(key.category).get("band")
            return bands[band] if band else len(latest)
        return None

    return value


__all__ = ["FIXED", "Family", "SEED", "WINDOW", "answer", "family", "generated", "truth"]
