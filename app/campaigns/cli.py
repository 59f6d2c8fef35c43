"""`flask --app wsgi providers|services|campaigns ...`: setting up who is asked."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db, instrument_registry
from app.languages import LANGUAGE_CODES, is_supported, parse_language_list
from app.links import public_link
from app.models import Campaign, CampaignError, Contract, Provider, Service

providers_cli = AppGroup("providers", help="Organisations that deliver services.")
services_cli = AppGroup("services", help="Commissioned services.")
campaigns_cli = AppGroup("campaigns", help="Instruments offered to the people a service is for.")


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
    contract = None
    if contract_reference:
        contract = db.session.scalar(select(Contract).filter_by(reference=contract_reference))
        if contract is None:
            contract = Contract(
                reference=contract_reference,
                title=contract_reference,
                provider_id=provider_id,
                monitoring_interval_months=monitoring_interval_months,
            )
        elif contract.provider_id != provider_id:
            raise click.ClickException(f"Contract {contract_reference} is with another provider.")
    service = Service(
        provider_id=provider_id,
        name=name,
        contract=contract,
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
