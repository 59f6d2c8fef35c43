"""`flask --app wsgi demo load`: demonstration data, and the links and accounts to try it."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.accounts.cli import DEMO_PASSWORD, DEMO_USERS, load_demo_users
from app.demo.campaigns import load_demo_data
from app.extensions import db
from app.links import public_link
from app.models import Campaign, Provider
from app.models.timeutil import uk_today

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when there is already a provider.")
def demo_load(if_empty):
    """Load a demonstration provider, service and open campaigns, and print their links."""
    if if_empty and db.session.scalar(select(func.count(Provider.id))):
        click.echo("Demo data not loaded: the database already has data.")
        _print_links()
        return
    campaigns = load_demo_data(uk_today())
    load_demo_users(campaigns[0].service.provider)
    from app.inspections.demo import load_demo_fieldwork

    load_demo_fieldwork(campaigns[0].service)
    from app.demo.evidence import load_demo_evidence

    load_demo_evidence(campaigns[0].service, uk_today())
    from app.demo.contracts import load_demo_contracts

    load_demo_contracts(campaigns[0].service, uk_today())
    from app.demo.improvement import load_demo_improvement

    load_demo_improvement(uk_today())
    from app.safeguarding.demo import load_demo_alert

    load_demo_alert(campaigns[0])

    from app.demo.results import load_demo_results

    load_demo_results(campaigns[0].service, uk_today())
    _print_links()


def _print_links():
    click.echo("Respondent links:")
    for campaign in db.session.scalars(select(Campaign).where(Campaign.status == "open")):
        click.echo(f"  {campaign.name}: {public_link(campaign)}")
    from app.demo.results import results_line

    if line := results_line():
        click.echo(line)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    click.echo(f"Staff sign-in at {base}/sign-in; each demo account's password: {DEMO_PASSWORD}")
    from app.demo.contracts import CONTRACT_USERS

    for email, _name, roles, *_ in [*DEMO_USERS, *CONTRACT_USERS]:
        click.echo(f"  {email} ({', '.join(roles)})")
