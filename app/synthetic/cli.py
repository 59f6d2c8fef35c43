"""`flask --app wsgi evidence synthesise ...`: fill an empty database with synthetic data.

The command keeps the name operators and the benchmarks know (`evidence synthesise`); the
group object is `evidence_cli`. It only ever writes into a database of its own: one that
holds any provider or response is refused, and one not migrated to the latest schema is
told to run `flask db upgrade` first, both with a message and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app import synthetic
from app.extensions import db, instrument_registry

evidence_cli = AppGroup("evidence", help="Evidence for commissioners.")

NOT_MIGRATED = (
    "This database has no tables yet (or an older schema): run `flask db upgrade` first, "
    "with the same DATABASE_URL."
)


@evidence_cli.command("synthesise")
@click.option("--responses", type=click.IntRange(min=1), required=True, help="How many.")
@click.option("--providers", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--services-per-provider", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day of answers (default: two years before --end).",
)
@click.option(
    "--end", type=click.DateTime(["%Y-%m-%d"]), help="Last day of answers (default: yesterday)."
)
def synthesise(responses, providers, services_per_provider, seed, start, end):
    """Fill an empty database with realistic synthetic providers, services, campaigns,
    people, responses and outcomes-wheel readings, all marked "Synthetic". For benchmarks
    and demonstrations: refuses a database that already holds data."""
    settings = synthetic.Settings(
        responses=responses,
        providers=providers,
        services_per_provider=services_per_provider,
        seed=seed,
        start=start.date() if start else None,
        end=end.date() if end else None,
    )
    try:
        first, last = settings.date_range()
        _check_schema()
        synthetic.refuse_data_already_there()
        click.echo(f"Synthesising {responses:,} responses from {first} to {last}, seed {seed}.")
        report = synthetic.synthesise(settings, instrument_registry(), echo=click.echo)
    except (ValueError, synthetic.SyntheticDataError) as error:
        raise click.ClickException(str(error)) from error
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(f"The database could not be read or written: {error}") from error
    click.echo(
        f"Done in {report.seconds['total']:.1f} s: {report.providers} providers, "
        f"{report.services} services, {report.campaigns} campaigns, "
        f"{report.participants:,} participants, {report.responses:,} responses, "
        f"{report.readings:,} readings, {report.contracts} contracts, "
        f"{report.returns:,} returns.{_peak_memory()}"
    )


def _check_schema() -> None:
    """Raise SyntheticDataError unless the database is at the latest migration."""
    directory = current_app.extensions["migrate"].directory
    heads = set(ScriptDirectory(str(directory)).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        raise synthetic.SyntheticDataError(NOT_MIGRATED)


def _peak_memory() -> str:
    try:
        import resource
    except ImportError:  # Windows
        return ""
    return f" Peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB."
