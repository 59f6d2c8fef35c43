"""Operator commands: `flask --app wsgi safeguarding send` and `... escalate`.

Run both every minute (cron or a systemd timer): `send` retries emails the mail server did
not take, `escalate` marks alerts nobody acknowledged in time and tells the leads again.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.safeguarding import alerts, notify

safeguarding_cli = AppGroup("safeguarding", help="Safeguarding emails and overdue alerts.")


@safeguarding_cli.command("send")
def send():
    """Send the safeguarding emails that are due, retrying failed ones."""
    sent, failed = notify.send_due()
    click.echo(f"Sent {sent} safeguarding email(s); {failed} failed and will be retried.")
    if failed:
        raise SystemExit(1)


@safeguarding_cli.command("escalate")
def escalate():
    """Escalate alerts not acknowledged in time, then send what is due."""
    escalated = alerts.escalate_overdue()
    sent, failed = notify.send_due()
    click.echo(
        f"Escalated {len(escalated)} overdue alert(s). Sent {sent} email(s); "
        f"{failed} failed and will be retried."
    )
    if failed:
        raise SystemExit(1)
