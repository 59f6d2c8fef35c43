"""`flask --app wsgi api-tokens ...`: tokens for the read-only API, for an operator."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import tokens
from app.accounts.credentials import find_by_email
from app.extensions import db
from app.models import ApiToken

api_tokens_cli = AppGroup("api-tokens", help="Tokens for the read-only API (/api/v1).")


def _person(email: str):
    user = find_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account for {email}.")
    return user


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


@api_tokens_cli.command("create")
@click.option("--email", required=True, help="Whose token: they must be able to read evidence.")
@click.option("--name", required=True, help="What it is for, e.g. the report that will use it.")
def create_token(email, name):
    """Make a token and print it once, alone on the last line."""
    user = _person(email)
    try:
        token, text = tokens.make(user, name, via="command line")
    except tokens.TokenRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(
        f"API token {token.id} '{token.name}' for {user.email}, prefix {token.prefix}. "
        "It is shown only this once: copy it now. Send it as: Authorization: Bearer <token>",
        err=False,
    )
    click.echo(text)


@api_tokens_cli.command("list")
@click.option("--email", required=True)
def list_tokens(email):
    """A person's tokens: id, prefix, name, made, last used, and whether in use."""
    user = _person(email)
    found = tokens.tokens_of(user)
    if not found:
        click.echo(f"{user.email} has no API tokens.")
    for token in found:
        state = f"revoked {_when(token.revoked_at)}" if token.revoked_at else "in use"
        click.echo(
            f"{token.id}\t{token.prefix}\t{token.name}\tmade {_when(token.created_at)}\t"
            f"last used {_when(token.last_used_at)}\t{state}"
        )


@api_tokens_cli.command("revoke")
@click.argument("token", metavar="ID_OR_PREFIX")
def revoke_token(token):
    """Stop a token working, named by its id or its prefix (see `api-tokens list`)."""
    if token.isdigit():
        found = db.session.get(ApiToken, int(token))
        matches = [found] if found is not None else []
    else:
        matches = tokens.find_by_prefix(token)
    if not matches:
        raise click.ClickException(f"No API token with id or prefix {token}.")
    if len(matches) > 1:
        raise click.ClickException("More than one token has this prefix: revoke it by its id.")
    chosen = matches[0]
    if chosen.revoked_at is not None:
        click.echo(f"API token {chosen.id} ({chosen.prefix}) was already revoked.")
        return
    tokens.revoke(chosen, via="command line")
    click.echo(
        f"Revoked API token {chosen.id} '{chosen.name}' ({chosen.prefix}) of {chosen.user.email}."
    )
