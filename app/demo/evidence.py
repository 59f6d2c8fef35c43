"""Demonstration evidence: two periods of answers, three finalised mystery shops and themes
in the written answers, so the demo provider's evidence page opens with a summary worth
reading (people up on the period before, wellbeing scores that rose, checklist items done
every time and one never, and themes).

Load after the demo users and fieldwork (it uses the demo coordinator, inspector and
commissioner), and before the contracts, whose measures read these answers. Commits.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from itertools import count

from sqlalchemy import select

from app.evidence.periods import period_for_family, previous
from app.extensions import db, instrument_registry
from app.models import (
    AnswerTheme,
    Campaign,
    ModeratedRating,
    PanelMember,
    PanelRating,
    Participant,
    Recommendation,
    Response,
    Service,
    ThemedAnswer,
    User,
    Visit,
)

SHOP = "mystery-shop-checklist"
_keys = count()
WRITTEN = [
    ("The wait to see someone was too long", "Waiting times"),
    ("Had to wait weeks for a key worker", "Waiting times"),
    ("Waiting list is long but worth it", "Waiting times"),
    ("Staff really listen to me", "Staff"),
    ("The youth workers are kind", "Staff"),
    ("I feel safe at the club", ""),
    ("More trips please", ""),
]
SUMMARIES = [
    "A friendly call. The worker checked our shopper was safe and explained what would "
    "happen next, but did not say how long the wait would be.",
    "The line was answered quickly and the worker was kind; again nobody said how long the "
    "wait might be.",
    "A good call overall: opening times were easy to find and the worker gave a helpline to "
    "use while waiting.",
]


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour))


def _respond(
    campaign: Campaign, instrument, when: datetime, *, raw=None, person=None, answers=None
):
    scoring = instrument.scoring
    metric = scoring.convert(raw) if scoring and raw is not None else None
    band = scoring.band_for(metric if metric is not None else raw) if scoring else None
    response = Response(
        submission_key=f"demo-evidence-{next(_keys)}-{when:%Y%m%d%H%M}",
        campaign_id=campaign.id,
        participant=person,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        language="en",
        text_provenance="validated" if scoring else "project",
        mode="self",
        answers=answers or {},
        complete=True,
        answered_count=len(answers or {}),
        raw_score=raw,
        metric_score=metric,
        band=band,
        submitted_at=when,
    )
    db.session.add(response)
    return response


def load_demo_evidence(service: Service, today: date) -> None:
    """Answers in the last complete period and the one before, finalised mystery shops and
    marked themes for `service` (the demo club)."""
    rng = random.Random(16)
    registry = instrument_registry()
    latest = previous(period_for_family(service.provider, today))
    before = previous(latest)
    campaigns = {
        c.instrument_id: c
        for c in db.session.scalars(select(Campaign).where(Campaign.service_id == service.id))
    }

    def day_in(period) -> datetime:
        span = (period.end - period.start).days
        return _at(period.start + timedelta(days=rng.randint(0, span)), rng.randint(10, 19))

    # WEMWBS: 36 young people before and again now (most a little better), 14 only now.
    wemwbs = registry.get("wemwbs")
    for _ in range(36):
        person = Participant.create()
        first = rng.randint(36, 52)
        _respond(campaigns["wemwbs"], wemwbs, day_in(before), raw=first, person=person)
        later = min(70, first + rng.choice([-2, 1, 3, 4, 5, 6, 7, 8]))
        _respond(campaigns["wemwbs"], wemwbs, day_in(latest), raw=later, person=person)
    for _ in range(14):
        _respond(campaigns["wemwbs"], wemwbs, day_in(latest), raw=rng.randint(40, 56))

    # Feedback: 40 now, 24 before; some wrote a few words.
    feedback = registry.get("service-feedback")
    written = []
    for period, people in ((before, 24), (latest, 40)):
        for i in range(people):
            text, theme = WRITTEN[i % len(WRITTEN)] if period is latest else ("", "")
            answers = {
                "how_often": rng.choice(["most_weeks", "most_weeks", "monthly", "now_and_then"]),
                "overall_rating": str(rng.randint(6, 10)),
                "feel_welcome": "yes" if rng.random() < 0.9 else "no",
                "good_things": rng.sample(["staff", "friends", "activities", "safe_place"], 2),
                "listened_to": rng.choice(["always", "mostly", "mostly", "sometimes"]),
                "in_a_few_words": text,
                "recommend": "yes",
            }
            response = _respond(
                campaigns["service-feedback"], feedback, day_in(period), answers=answers
            )
            if theme:
                written.append((response, theme))
    db.session.flush()

    people = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(
                User.email.in_(
                    ["coordinator@example.org", "inspector@example.org", "commissioner@example.org"]
                )
            )
        )
    }
    _themes(service, latest, written, people["commissioner@example.org"])
    _mystery_shops(service, latest, people, registry, today)
    db.session.commit()


def _themes(service, period, written, commissioner) -> None:
    themes = {}
    for name in ("Waiting times", "Staff"):
        themes[name] = AnswerTheme(
            service_id=service.id,
            period_start=period.start,
            name=name,
            created_by_id=commissioner.id,
        )
        db.session.add(themes[name])
    db.session.flush()
    for response, name in written:
        db.session.add(
            ThemedAnswer(
                theme_id=themes[name].id, response_id=response.id, item_id="in_a_few_words"
            )
        )


def _mystery_shops(service, period, people, registry, today: date) -> None:
    """Three finalised phone mystery shops: the shopper was always checked on, but never told
    how long the wait would be; the provider has replied to the one recommendation."""
    instrument = registry.get(SHOP)
    coordinator, inspector = people["coordinator@example.org"], people["inspector@example.org"]
    checklist = list(instrument.mystery_shop.checklist)
    for number, summary in enumerate(SUMMARIES):
        on = period.start + timedelta(days=14 + 28 * number)
        visit = Visit(
            service_id=service.id,
            kind="mystery",
            channel="phone",
            visit_on=on,
            framework_id=instrument.id,
            framework_version=instrument.version,
            created_by_id=coordinator.id,
            summary=summary,
            finalised_at=_at(on + timedelta(days=3)),
            finalised_by_id=coordinator.id,
        )
        db.session.add(visit)
        db.session.flush()
        answers = {item: "yes" for item in checklist}
        answers["said_how_long"] = "no"
        if number < 2:
            answers["other_help_meanwhile"] = "no"
        ratings = {"friendly_and_kind": "4", "easy_to_understand": "3", "know_what_to_do": "3"}
        db.session.add(PanelMember(visit_id=visit.id, user_id=inspector.id))
        db.session.add(
            PanelRating(
                visit_id=visit.id,
                user_id=inspector.id,
                ratings={**ratings, **answers},
                submitted_at=_at(on + timedelta(days=1)),
            )
        )
        for characteristic, rating in ratings.items():
            db.session.add(
                ModeratedRating(visit_id=visit.id, characteristic=characteristic, rating=rating)
            )
        if number == 0:
            db.session.add(
                Recommendation(
                    visit_id=visit.id,
                    text="Tell young people how long the wait for a first appointment is likely "
                    "to be, and what they can do meanwhile.",
                    reply="Our duty workers will give the current wait and the helpline "
                    "number on every first call.",
                    reply_due_on=today + timedelta(days=45),
                    replied_at=_at(on + timedelta(days=10)),
                    status="replied",
                )
            )


__all__ = ["load_demo_evidence"]
