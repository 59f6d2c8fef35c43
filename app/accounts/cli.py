"""`flask --app wsgi users ...`: accounts for staff and peer researchers."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.accounts.credentials import find_by_email, set_password_link
from app.extensions import db
from app.models import ROLES, CommissioningBody, Provider, User

users_cli = AppGroup("users", help="Staff and peer researcher accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(sorted(ROLES)),
    help="Repeat for more than one role.",
)
@click.option("--provider", "provider_id", type=int, help="Provider id, for provider accounts.")
@click.option(
    "--body",
    "body_names",
    multiple=True,
    help="Name of a commissioning body the person works for (commissioners, coordinators "
    "and admins). Repeat for more than one.",
)
@click.option(
    "--password",
    is_flag=True,
    help="Type a password now instead of printing a set-password link.",
)
def create_user(email, name, roles, provider_id, body_names, password):
    """Create an account and print its one-time set-password link."""
    if find_by_email(email):
        raise click.ClickException(f"There is already an account for {email}.")
    if "provider" in roles and not provider_id:
        raise click.ClickException("A provider account needs --provider with the provider's id.")
    if provider_id and db.session.get(Provider, provider_id) is None:
        raise click.ClickException(f"No provider with id {provider_id}.")
    bodies = []
    for body_name in body_names:
        body = db.session.scalar(
            select(CommissioningBody).where(
                func.lower(CommissioningBody.name) == body_name.strip().lower()
            )
        )
        if body is None:
            known = db.session.scalars(select(CommissioningBody.name).order_by("name")).all()
            raise click.ClickException(
                f"No commissioning body called {body_name!r}. Known bodies: "
                + (", ".join(known) or "none yet")
                + "."
            )
        bodies.append(body)
    if bodies and not set(roles) & {"admin", "commissioner", "coordinator"}:
        raise click.ClickException(
            "Only commissioners, coordinators and admins belong to a commissioning body."
        )
    user = User(email=email.strip().lower(), name=name, provider_id=provider_id)
    user.set_roles(roles)
    user.bodies = bodies
    if password:
        user.set_password(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    db.session.add(user)
    db.session.commit()
    click.echo(f"User {user.id}: {user.name} <{user.email}> ({', '.join(sorted(user.roles))})")
    if user.bodies:
        click.echo("Commissioning bodies: " + ", ".join(body.name for body in user.bodies))
    if not password:
        click.echo(f"Set-password link (works once, for 3 days): {set_password_link(user)}")


@users_cli.command("list")
def list_users():
    for user in db.session.scalars(select(User).order_by(User.id)):
        state = "active" if user.active else "inactive"
        click.echo(f"{user.id}\t{user.email}\t{','.join(sorted(user.roles))}\t{state}")


DEMO_PASSWORD = "demo-password-please-change"
DEMO_USERS = [
    ("admin@example.org", "Alex Admin", ["admin"]),
    ("coordinator@example.org", "Casey Coordinator", ["coordinator"]),
    ("commissioner@example.org", "Chris Commissioner", ["commissioner"]),
    ("provider@example.org", "Pat Provider", ["provider"]),
    ("keyworker@example.org", "Kim Key Worker", ["key_worker"]),
    ("inspector@example.org", "Jordan Young Inspector", ["peer_researcher"]),
    ("safeguarding@example.org", "Sam Safeguarding Lead", ["safeguarding_lead"]),
]


def load_demo_users(provider: Provider) -> list[User]:
    """One account per role, sharing a demo password: for trying the platform, never live."""
    users = []
    for email, name, roles in DEMO_USERS:
        user = User(email=email, name=name)
        user.set_roles(roles)
        if "provider" in roles:
            user.provider = provider
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users.append(user)
    db.session.commit()
    return users
