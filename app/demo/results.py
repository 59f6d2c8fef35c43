"""The demo's results for young people: answers to Riverside's feedback questionnaire over
two periods, an improvement plan that came of them with the provider's public wording, and
two published "you said, we did" pages, so the second shows what changed since the first."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.evidence.suppression import SmallNumbers
from app.extensions import db, instrument_registry
from app.models import Campaign, CaseAction, ImprovementCase, Response, Service, User
from app.models.results import ResultsLink
from app.publishing import pages
from app.publishing.links import results_address
from app.publishing.wording import save_wording

FEEDBACK_CAMPAIGN = "Tell us about the club"
# People answering the feedback questionnaire in the last finished period, and the one before.
PEOPLE = (34, 22)
ACTIONS = (
    (
        "Open the club on Saturday afternoons from the spring term",
        "You asked for the club to open at weekends. We are opening on Saturday afternoons.",
    ),
    (
        "Young people's panel to choose the new activities budget",
        "You told us the activities get boring. A group of young people chose what we spent "
        "the new activities money on: cooking, music and football.",
    ),
)


def _answers(rng: random.Random) -> dict:
    return {
        "how_often": rng.choice(["most_weeks"] * 5 + ["monthly", "now_and_then", "first_time"]),
        "overall_rating": str(rng.choice([6, 7, 7, 8, 8, 8, 9, 9, 10])),
        "feel_welcome": "yes" if rng.random() < 0.85 else "no",
        "good_things": rng.sample(["staff", "friends", "activities", "safe_place"], 2),
        "listened_to": rng.choice(["always", "always", "mostly", "mostly", "mostly", "sometimes"]),
        "recommend": "yes" if rng.random() < 0.8 else "no",
    }


def _add_answers(campaign: Campaign, period, people: int, rng: random.Random, tag: str) -> None:
    instrument = instrument_registry().get(campaign.instrument_id, campaign.instrument_version)
    begin, _until = period.utc_bounds()
    for number in range(people):
        language = "en" if number % 5 else rng.choice(["pl", "ar", "cy", "so"])
        texts = instrument.texts_for(language)
        answers = _answers(rng)
        db.session.add(
            Response(
                submission_key=f"demo-results-{tag}-{number}",
                campaign_id=campaign.id,
                instrument_id=campaign.instrument_id,
                instrument_version=campaign.instrument_version,
                language=language,
                text_provenance=texts.provenance if texts else "absent",
                mode="self",
                answers=answers,
                complete=True,
                answered_count=len(answers),
                submitted_at=begin + timedelta(days=3 + number * 2, hours=16),
            )
        )


def load_demo_results(service: Service, today: date) -> ResultsLink | None:
    """Answers, an action plan with public wording, and two published pages; commits."""
    campaign = db.session.scalar(
        select(Campaign).where(
            Campaign.service_id == service.id, Campaign.name == FEEDBACK_CAMPAIGN
        )
    )
    if campaign is None or service.contract_id is None:
        return None
    latest = pages.default_period(service, today)
    earlier = pages.periods_offered(service, today)[2]
    rng = random.Random(19)
    _add_answers(campaign, latest, PEOPLE[0], rng, "latest")
    _add_answers(campaign, earlier, PEOPLE[1], rng, "earlier")
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    provider = db.session.scalar(select(User).where(User.email == "provider@example.org"))
    # Closed, with its actions done, so the contract's open cases stay as the improvement
    # demo has them.
    case = ImprovementCase(
        contract_id=service.contract_id,
        title="Young people want more to do at the club",
        source="manual",
        concerns="Young people's feedback asks for weekend opening and new activities.",
        plan_state="agreed",
        status="closed",
        outcome="improved",
        opened_at=datetime.combine(earlier.end, datetime.min.time()),
        closed_at=datetime.combine(latest.end, datetime.min.time()),
    )
    db.session.add(case)
    db.session.flush()
    actions = [
        CaseAction(case_id=case.id, description=description, owner="provider", status=status)
        for (description, _wording), status in zip(ACTIONS, ("in_progress", "done"), strict=True)
    ]
    db.session.add(actions[0])
    db.session.commit()
    by = provider.id if provider else None
    save_wording("action", actions[0].id, ACTIONS[0][1], True, by)
    # The page for the period before; the club has since opened on Saturdays, and young
    # people have chosen the new activities, so the latest page says what changed.
    registry, rule = instrument_registry(), SmallNumbers.from_settings(current_app.config)
    who = coordinator.id if coordinator else None
    first = pages.publish(service, earlier, registry, rule, who)
    first.published_at = datetime.combine(earlier.end + timedelta(days=7), datetime.min.time())
    actions[0].status = "verified"
    db.session.add(actions[1])
    db.session.commit()
    save_wording("action", actions[1].id, ACTIONS[1][1], True, by)
    pages.publish(service, latest, registry, rule, who)
    return pages.results_link(service)


def results_line() -> str | None:
    """`Results for young people: <url>` for the demo service's published page."""
    link = db.session.scalar(select(ResultsLink).order_by(ResultsLink.id).limit(1))
    if link is None or pages.latest_page(link.service_id) is None:
        return None
    return f"Results for young people: {results_address(link.code)}"
