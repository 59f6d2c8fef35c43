"""Operator commands: `flask --app wsgi <group> <command>`."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db, instrument_registry
from app.languages import LANGUAGE_CODES, is_supported, parse_language_list
from app.links import public_link
from app.models import Campaign, CampaignError, Provider, Service
from app.models.timeutil import uk_today

providers_cli = AppGroup("providers", help="Organisations that deliver services.")
services_cli = AppGroup("services", help="Commissioned services.")
campaigns_cli = AppGroup("campaigns", help="Instruments offered to the people a service is for.")
demo_cli = AppGroup("demo", help="Demonstration data.")


@providers_cli.command("create")
@click.argument("name")
def create_provider(name):
    provider = Provider(name=name)
    db.session.add(provider)
    db.session.commit()
    click.echo(f"Provider {provider.id}: {provider.name}")


@services_cli.command("create")
@click.option("--provider", "provider_id", type=int, required=True, help="Provider id.")
@click.option("--name", required=True)
@click.option("--contract-reference")
@click.option("--monitoring-interval-months", type=int, default=3, show_default=True)
@click.option("--help-contact", help="Who respondents can contact at this service.")
def create_service(provider_id, name, contract_reference, monitoring_interval_months, help_contact):
    if db.session.get(Provider, provider_id) is None:
        raise click.ClickException(f"No provider with id {provider_id}.")
    service = Service(
        provider_id=provider_id,
        name=name,
        contract_reference=contract_reference,
        monitoring_interval_months=monitoring_interval_months,
        help_contact=help_contact,
    )
    db.session.add(service)
    db.session.commit()
    click.echo(f"Service {service.id}: {service.name}")


@campaigns_cli.command("create")
@click.option("--service", "service_id", type=int, required=True, help="Service id.")
@click.option("--name", required=True)
@click.option("--instrument", required=True, help="Instrument id, optionally id@version.")
@click.option("--opens", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--closes", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option(
    "--languages",
    help="Comma-separated language codes respondents may choose, e.g. en,cy "
    "(default: every language the instrument has).",
)
@click.option("--links-over-time/--no-links-over-time", default=True, show_default=True)
@click.option("--licence-reference", help="The organisation's licence for the instrument.")
def create_campaign(
    service_id, name, instrument, opens, closes, languages, links_over_time, licence_reference
):
    if db.session.get(Service, service_id) is None:
        raise click.ClickException(f"No service with id {service_id}.")
    instrument_obj = _instrument(instrument)
    campaign = Campaign(
        service_id=service_id,
        name=name,
        instrument_id=instrument_obj.id,
        instrument_version=instrument_obj.version,
        opens_on=opens.date(),
        closes_on=closes.date(),
        languages=_languages(languages, instrument_obj),
        links_over_time=links_over_time,
        licence_reference=licence_reference,
    )
    db.session.add(campaign)
    db.session.commit()
    click.echo(f"Campaign {campaign.id}: {campaign.name} (draft). Link: {public_link(campaign)}")


@campaigns_cli.command("licence")
@click.argument("campaign_id", type=int)
@click.argument("reference")
def record_licence(campaign_id, reference):
    """Record the organisation's licence reference for a licensed instrument."""
    campaign = _campaign(campaign_id)
    campaign.licence_reference = reference.strip()
    db.session.commit()
    click.echo(f"Campaign {campaign.id}: licence reference recorded.")


@campaigns_cli.command("open")
@click.argument("campaign_id", type=int)
def open_campaign(campaign_id):
    campaign = _campaign(campaign_id)
    try:
        campaign.open(_instrument(f"{campaign.instrument_id}@{campaign.instrument_version}"))
    except CampaignError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Campaign {campaign.id} is open. Link: {public_link(campaign)}")


@campaigns_cli.command("close")
@click.argument("campaign_id", type=int)
def close_campaign(campaign_id):
    campaign = _campaign(campaign_id)
    campaign.close()
    db.session.commit()
    click.echo(f"Campaign {campaign.id} is closed.")


@campaigns_cli.command("list")
def list_campaigns():
    for campaign in db.session.scalars(select(Campaign).order_by(Campaign.id)):
        click.echo(
            f"{campaign.id}\t{campaign.status}\t{campaign.instrument_id}@"
            f"{campaign.instrument_version}\t{campaign.name}\t{public_link(campaign)}"
        )


@campaigns_cli.command("qr")
@click.argument("campaign_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def campaign_qr(campaign_id, path):
    """Write the campaign's QR code for a poster; the file ending picks SVG or PNG."""
    import segno

    campaign = _campaign(campaign_id)
    segno.make(public_link(campaign), error="m").save(path, scale=10, border=4)
    click.echo(f"Wrote {path}")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when there is already a provider.")
def demo_load(if_empty):
    """Load a demonstration provider, service and open campaigns, and print their links."""
    if if_empty and db.session.scalar(select(func.count(Provider.id))):
        click.echo("Demo data not loaded: the database already has data.")
        _print_links()
        return
    campaigns = load_demo_data(uk_today())
    from app.auth.cli import load_demo_users

    load_demo_users(campaigns[0].service.provider)
    from app.inspections.demo import load_demo_fieldwork

    load_demo_fieldwork(campaigns[0].service)
    _print_links()


DEMO_PRIVACY_NOTICE = """\
Riverside Youth Trust is responsible for your answers. We ask these questions to find out \
how the club helps the young people who come to it, and to show the council, who pay for \
the club, what works and what could be better.

Our data protection lead is Sam Okafor. You can email privacy@riverside-youth.example.org \
or call the club office on 01632 960 123 with any question about your answers, or to ask us \
to see, correct or delete them."""


def load_demo_data(today: date) -> list[Campaign]:
    provider = Provider(name="Riverside Youth Trust")
    service = Service(
        provider=provider,
        name="Riverside Youth Club",
        contract_reference="CYP-2026-014",
        starts_on=today - timedelta(days=180),
        monitoring_interval_months=3,
        help_contact="Ask any youth worker at the club, or call the club office on 01632 960 123 "
        "(Monday to Friday, 9am to 5pm).",
    )
    db.session.add_all([provider, service])
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


def _print_links():
    from app.auth.cli import DEMO_PASSWORD, DEMO_USERS

    click.echo("Respondent links:")
    for campaign in db.session.scalars(select(Campaign).where(Campaign.status == "open")):
        click.echo(f"  {campaign.name}: {public_link(campaign)}")
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    click.echo(f"Staff sign-in at {base}/sign-in; each demo account's password: {DEMO_PASSWORD}")
    for email, _name, roles in DEMO_USERS:
        click.echo(f"  {email} ({', '.join(roles)})")


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"No campaign with id {campaign_id}.")
    return campaign


def _languages(text: str | None, instrument) -> str:
    """A campaign's language list: the codes asked for, each one the platform offers."""
    if text is None:
        return ",".join(code for code in LANGUAGE_CODES if code in instrument.texts)
    codes = parse_language_list(text)
    unknown = [code for code in codes if not is_supported(code)]
    if unknown or not codes:
        raise click.ClickException(
            f"Unknown language {', '.join(unknown) or '(none given)'}: use codes from "
            f"{', '.join(LANGUAGE_CODES)}."
        )
    return ",".join(codes)


def _instrument(spec: str):
    instrument_id, _, version = spec.partition("@")
    try:
        return instrument_registry().get(instrument_id, int(version) if version else None)
    except (KeyError, ValueError) as error:
        raise click.ClickException(f"No instrument {spec!r} in the instrument folders.") from error


retention_cli = AppGroup("retention", help="Anonymise old responses and delete stale drafts.")


@retention_cli.command("run")
def retention_run():
    """Anonymise responses past their campaign's retention period; delete old drafts."""
    from app import audit, privacy

    counts = privacy.run_retention()
    if any(counts.values()):
        audit.record("retention_run", **counts)
    click.echo(
        f"Anonymised {counts['responses_anonymised']} responses; "
        f"deleted {counts['drafts_deleted']} drafts."
    )


def register_cli(app: Flask) -> None:
    from app.instruments_cli import instruments_cli
    from app.languages.cli import translate_cli
    from app.synthetic.cli import evidence_cli

    groups = (
        providers_cli,
        services_cli,
        campaigns_cli,
        demo_cli,
        instruments_cli,
        translate_cli,
        retention_cli,
        evidence_cli,
    )
    for group in groups:
        app.cli.add_command(group)
