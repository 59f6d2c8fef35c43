"""The demonstration provider, service and open campaigns that `make run` starts with."""

from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db, instrument_registry
from app.languages import LANGUAGE_CODES
from app.models import Campaign, Contract, Provider, Service

DEMO_PRIVACY_NOTICE = """\
Riverside Youth Trust is responsible for your answers. We ask these questions to find out \
how the club helps the young people who come to it, and to show the council, who pay for \
the club, what works and what could be better.

Our data protection lead is Sam Okafor. You can email privacy@riverside-youth.example.org \
or call the club office on 01632 960 123 with any question about your answers, or to ask us \
to see, correct or delete them."""


def load_demo_data(today: date) -> list[Campaign]:
    provider = Provider(name="Riverside Youth Trust")
    contract = Contract(
        reference="CYP-2026-014",
        title="Open-access youth work, Riverside",
        provider=provider,
        starts_on=today - timedelta(days=180),
        monitoring_interval_months=3,
        risk="medium",
    )
    service = Service(
        provider=provider,
        contract=contract,
        name="Riverside Youth Club",
        starts_on=today - timedelta(days=180),
        monitoring_interval_months=3,
        help_contact="Ask any youth worker at the club, or call the club office on 01632 960 123 "
        "(Monday to Friday, 9am to 5pm).",
        contact_name="Dana Duty Manager",
        contact_phone="01632 960 124",
        contact_email="duty@riverside.example.org",
    )
    db.session.add_all([provider, contract, service])
    campaigns = []
    every_language = ",".join(LANGUAGE_CODES)
    # The feedback questionnaire is in every language. WEMWBS is offered in every language
    # too, so a respondent reading another is told, in it, which languages the scale has;
    # SWEMWBS shows a campaign limited to the scale's own language.
    # The quick check asks each person's age group first, so younger children are asked to
    # come with a parent or carer who agrees.
    demo = [
        ("Wellbeing check (WEMWBS)", "wemwbs", "DEMO-WEMWBS-LICENCE", every_language, False),
        ("Quick wellbeing check (SWEMWBS)", "swemwbs", "DEMO-SWEMWBS-LICENCE", "en", True),
        ("Tell us about the club", "service-feedback", None, every_language, False),
    ]
    registry = instrument_registry()
    for name, instrument_id, licence, languages, asks_age_band in demo:
        instrument = registry.get(instrument_id)
        campaign = Campaign(
            service=service,
            name=name,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            opens_on=today - timedelta(days=30),
            closes_on=today + timedelta(days=335),
            languages=languages,
            links_over_time=True,
            licence_reference=licence,
            asks_age_band=asks_age_band,
            privacy_notice=DEMO_PRIVACY_NOTICE,
        )
        campaign.open(instrument)
        db.session.add(campaign)
        campaigns.append(campaign)
    db.session.commit()
    return campaigns
