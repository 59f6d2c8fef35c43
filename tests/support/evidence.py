"""A provider with two services and a year of answers, readings and a finalised visit, for
evidence tests (client and browser). Figures are chosen so a test can check them by hand.

    python -m tests.support.evidence   # adds it to DATABASE_URL's database; prints ids
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import count

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Campaign,
    CommissioningBody,
    Contract,
    ModeratedRating,
    Participant,
    Provider,
    Reading,
    Recommendation,
    Response,
    Service,
    User,
    Visit,
)

_keys = count()
MAY = datetime(2026, 5, 12, 10)  # April to June 2026
FEBRUARY = datetime(2026, 2, 10, 10)  # January to March 2026
PERIOD = "2026-04-01"


def _campaigns(service, instruments):
    made = {}
    for instrument_id in instruments:
        campaign = Campaign(
            service_id=service.id,
            name=f"{service.name} {instrument_id}",
            instrument_id=instrument_id,
            instrument_version=1,
            opens_on=date(2025, 1, 1),
            closes_on=date(2027, 12, 31),
            licence_reference="LICENCE-1" if "wemwbs" in instrument_id else None,
        )
        db.session.add(campaign)
        made[instrument_id] = campaign
    db.session.flush()
    return made


def respond(
    app, campaign, raw=None, *, person=None, when=MAY, language="en", answers=None, age_band=None
):
    instrument = app.extensions["instruments"].get(campaign.instrument_id)
    scoring = instrument.scoring
    metric = scoring.convert(raw) if scoring and raw is not None else None
    band = scoring.band_for(metric if metric is not None else raw) if scoring else None
    db.session.add(
        Response(
            submission_key=f"page{next(_keys)}",
            campaign_id=campaign.id,
            participant=person,
            instrument_id=campaign.instrument_id,
            instrument_version=1,
            language=language,
            text_provenance="validated" if language == "en" else "project",
            mode="self",
            age_band=age_band,
            answers=answers or {},
            complete=True,
            answered_count=0,
            raw_score=raw,
            metric_score=metric,
            band=band,
            submitted_at=when,
        )
    )


FIRST = [40 + i % 10 for i in range(30)]
LATEST = [f + i % 7 for i, f in enumerate(FIRST)]
UNLINKED = [50, 52, 54, 56, 58]


def build_world(app, make_user) -> dict:
    """Everything the evidence tests read; `make_user(*roles, provider=None)` makes staff."""
    harbour = Provider(name="Harbour Youth")
    other = Provider(name="Riverside Trust")
    drop_in = Service(provider=harbour, name="Drop-in", monitoring_interval_months=3)
    mentoring = Service(provider=harbour, name="Mentoring", monitoring_interval_months=3)
    counselling = Service(provider=other, name="Counselling", monitoring_interval_months=3)
    db.session.add_all([drop_in, mentoring, counselling])
    # Where commissioning bodies are recorded (the demo's), every body commissions both
    # providers' services, so each of its commissioners sees them.
    bodies = list(db.session.scalars(select(CommissioningBody)))
    if bodies:
        for provider, services in ((harbour, [drop_in, mentoring]), (other, [counselling])):
            contract = Contract(
                reference=f"EV-{provider.name}", title=provider.name, provider=provider
            )
            contract.bodies = bodies
            for service in services:
                service.contract = contract
    db.session.flush()
    drop = _campaigns(drop_in, ["wemwbs", "service-feedback"])
    ment = _campaigns(mentoring, ["wemwbs"])
    coun = _campaigns(counselling, ["wemwbs"])
    # Drop-in: 30 young people answered in February and again in May; 5 more only in May.
    for first, latest in zip(FIRST, LATEST, strict=True):
        person = Participant.create()
        respond(app, drop["wemwbs"], first, person=person, when=FEBRUARY)
        respond(app, drop["wemwbs"], latest, person=person)
    for raw in UNLINKED:
        respond(app, drop["wemwbs"], raw)
    # Mentoring: 15 people in May, 12 of whom answered in February too (a sibling with
    # nobody in a period would be a hidden 0 that Drop-in's figures pin, so Drop-in's would
    # be hidden); Counselling (another provider): 12.
    for i in range(15):
        person = Participant.create() if i < 12 else None
        if person is not None:
            respond(app, ment["wemwbs"], 62, person=person, when=FEBRUARY)
        respond(app, ment["wemwbs"], 45 + i, person=person)
    for _ in range(12):
        respond(app, coun["wemwbs"], 50)
    # Feedback: 14 said how often they come; 3 chose "first time"; one wrote a worry.
    for i in range(14):
        respond(
            app,
            drop["service-feedback"],
            answers={
                "how_often": "first_time" if i < 3 else "most_weeks",
                "feel_welcome": "yes",
                "in_a_few_words": "Staff listen to me" if i == 0 else "",
            },
            language="cy" if i < 2 else "en",
        )
    # Outcomes wheel: 12 young people, first reading in March, latest in June.
    keyworker = make_user("key_worker")
    areas = app.extensions["instruments"].get("outcomes-wheel").star.areas
    for _ in range(12):
        person = Participant.create()
        db.session.add(person)
        db.session.flush()
        for taken_on, base in ((date(2026, 3, 1), 3), (date(2026, 6, 1), 6)):
            db.session.add(
                Reading(
                    submission_key=f"reading{next(_keys)}",
                    participant_id=person.id,
                    service_id=drop_in.id,
                    recorded_by_id=keyworker.id,
                    instrument_id="outcomes-wheel",
                    instrument_version=1,
                    taken_on=taken_on,
                    scores={area: base for area in areas},
                )
            )
    # A finalised young inspectors' visit with a recommendation and the provider's reply.
    framework = app.extensions["instruments"].get("young-inspectors-framework")
    coordinator = make_user("coordinator")
    visit = Visit(
        service_id=drop_in.id,
        kind="inspection",
        channel="in_person",
        visit_on=date(2026, 5, 20),
        framework_id=framework.id,
        framework_version=framework.version,
        created_by_id=coordinator.id,
        finalised_at=datetime(2026, 5, 25),
        finalised_by_id=coordinator.id,
    )
    db.session.add(visit)
    db.session.flush()
    first_characteristic = framework.framework.characteristics[0]
    top = framework.framework.scale[-1]
    db.session.add(
        ModeratedRating(visit_id=visit.id, characteristic=first_characteristic, rating=top)
    )
    db.session.add(
        Recommendation(
            visit_id=visit.id,
            text="Put the opening times on the door",
            reply="Done by the end of the month",
            reply_due_on=date(2026, 6, 30),
            replied_at=datetime(2026, 6, 1),
        )
    )
    db.session.commit()
    return {
        "harbour": harbour,
        "other": other,
        "drop_in": drop_in,
        "mentoring": mentoring,
        "counselling": counselling,
        "commissioner": make_user("commissioner"),
        "harbour_user": make_user("provider", provider=harbour),
        "other_user": make_user("provider", provider=other),
    }


def _make_user(*roles, provider=None):
    user = User(
        email=f"{'-'.join(roles)}-{next(_keys)}@evidence.example.org",
        name="Evidence " + " ".join(roles),
        provider=provider,
    )
    user.set_roles(roles)
    user.set_password("evidence-password-not-for-use")
    db.session.add(user)
    db.session.commit()
    return user


if __name__ == "__main__":
    from app import create_app

    application = create_app()
    with application.app_context():
        world = build_world(application, _make_user)
        print(world["drop_in"].id, world["harbour"].id)
