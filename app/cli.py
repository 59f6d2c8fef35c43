"""Operator commands, `flask --app wsgi <group> <command>`: each capability declares its
commands as one click group in its own `cli` module, and they are all registered here."""

from __future__ import annotations

from flask import Flask

from app.accounts.cli import users_cli
from app.accounts.tokens_cli import api_tokens_cli
from app.campaigns.cli import campaigns_cli, providers_cli, services_cli
from app.demo.cli import demo_cli
from app.improvement.cli import improvement_cli
from app.instruments_cli import instruments_cli
from app.languages.cli import translate_cli
from app.monitoring.cli import contracts_cli
from app.retention.cli import retention_cli
from app.safeguarding.cli import safeguarding_cli
from app.synthetic.cli import evidence_cli

COMMAND_GROUPS = (
    providers_cli,
    services_cli,
    campaigns_cli,
    demo_cli,
    instruments_cli,
    translate_cli,
    retention_cli,
    evidence_cli,
    users_cli,
    safeguarding_cli,
    contracts_cli,
    api_tokens_cli,
    improvement_cli,
)


def register_cli(app: Flask) -> None:
    """Add every group to `flask` (`db` comes from Flask-Migrate)."""
    for group in COMMAND_GROUPS:
        app.cli.add_command(group)
