"""`flask --app wsgi improvement ...`: the cases as JSON or text, and the daily reminders."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.improvement import reminders, summary
from app.models.improvement import ImprovementCase
from app.models.timeutil import uk_today

improvement_cli = AppGroup("improvement", help="Improvement cases and their reminders.")


@improvement_cli.command("list")
@click.option("--format", "output", type=click.Choice(["json", "text"]), default="text")
def list_cases(output):
    """Every case with its contract, status, actions and next review."""
    today = uk_today()
    cases = db.session.scalars(select(ImprovementCase).order_by(ImprovementCase.id))
    rows = [summary.json_row(case, today) for case in cases]
    if output == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        review = row["next_review_on"] or "not set"
        click.echo(
            f"{row['id']}  {row['contract']}  {row['status']}  plan {row['plan']}  "
            f"next review {review}  {row['title']}"
        )
        for action in row["actions"]:
            click.echo(
                f"    - {action['owner_label']}, due {action['due_on'] or 'not set'}, "
                f"{action['status']}{' (overdue)' if action['overdue'] else ''}"
            )


@improvement_cli.command("remind")
def remind():
    """Queue today's reminders (run daily): actions due within 7 days, overdue, reviews due.
    Each goes once; `flask safeguarding send` delivers the emails."""
    sent = reminders.remind(uk_today())
    click.echo(
        f"Queued {sent['due_soon']} due-soon, {sent['overdue']} overdue and "
        f"{sent['review_due']} review-due reminders."
    )
