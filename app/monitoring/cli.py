"""`flask --app wsgi contracts ...`: contract measures' statuses, worked out and reported."""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from app.extensions import db
from app.models import Contract
from app.monitoring import library, status


@click.group("contracts")
def contracts_cli():
    """Contracts, measures and targets."""


def status_rows(contracts, today=None) -> list[dict]:
    """For every contract, each measure's latest complete period, value (or "suppressed"),
    target, status and reason, worked out now."""
    rows = []
    for contract in contracts:
        period = status.latest_complete_period(contract, today)
        results = status.refresh(contract, today) if period else {}
        measures = []
        for chosen in status.contract_measures(contract):
            result = results.get((chosen.id, period)) if period else None
            value = None
            if result is not None:
                value = "suppressed" if result.suppressed else result.value
            measures.append(
                {
                    "measure": chosen.measure.key,
                    "name": chosen.measure.name,
                    "kind": chosen.measure.kind,
                    "unit": chosen.measure.unit,
                    "direction": chosen.measure.direction,
                    "period": {"start": period.start.isoformat(), "end": period.end.isoformat()}
                    if period
                    else None,
                    "value": value,
                    "target": chosen.target,
                    "tolerance": chosen.tolerance,
                    "status": result.status if result else status.NO_DATA,
                    "reason": result.reason
                    if result
                    else "The contract has no complete period yet.",
                }
            )
        rows.append(
            {
                "contract": contract.reference,
                "title": contract.title,
                "provider": contract.provider.name,
                "risk": contract.risk,
                "measures": measures,
            }
        )
    return rows


@contracts_cli.command("status")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def status_command(output):
    """Each contract measure's latest complete period, value, target, status and reason."""
    contracts = db.session.scalars(select(Contract).order_by(Contract.reference)).all()
    rows = status_rows(contracts)
    if output == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['contract']}: {row['title']} ({row['provider']}, risk {row['risk']})")
        if not row["measures"]:
            click.echo("  no measures chosen yet")
        for measure in row["measures"]:
            label = status.STATUSES[measure["status"]]
            click.echo(f"  {measure['name']}: {label}. {measure['reason']}")


@contracts_cli.command("refresh")
def refresh_command():
    """Work out every contract's measures again (run nightly, and after loading data)."""
    contracts = db.session.scalars(select(Contract).order_by(Contract.reference)).all()
    for contract in contracts:
        status.refresh(contract)
    click.echo(f"Worked out the measures of {len(contracts)} contracts.")


@contracts_cli.command("load-measures")
def load_measures_command():
    """Add the shipped measure library (surveys/measures) to the database, or update it."""
    added = library.sync_library()
    click.echo(f"Measure library loaded: {added} new measures.")


@contracts_cli.command("remind")
def remind_command():
    """Email each overdue provider return's provider once (run daily). The emails wait in
    the outbox for `flask safeguarding send`."""
    from app.monitoring import returns

    done = returns.remind()
    click.echo(
        f"Queued reminders for {done.reminded} overdue return{'s' if done.reminded != 1 else ''}."
    )
    for where in done.nobody_to_email:
        click.echo(f"Overdue, but its provider has no active account to email: {where}")
