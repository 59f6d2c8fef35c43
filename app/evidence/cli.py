"""`flask --app wsgi evidence ...`: operator commands about evidence."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.evidence import synthetic
from app.extensions import instrument_registry

evidence_cli = AppGroup("evidence", help="Evidence for commissioners.")


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
    """Fill the database with realistic synthetic providers, services, campaigns, people,
    responses and outcomes-wheel readings, all marked "Synthetic". For benchmarks and
    demonstrations: never on a live database."""
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
        click.echo(f"Synthesising {responses:,} responses from {first} to {last}, seed {seed}.")
        report = synthetic.synthesise(settings, instrument_registry(), echo=click.echo)
    except (ValueError, synthetic.SyntheticDataError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Done in {report.seconds['total']:.1f} s: {report.providers} providers, "
        f"{report.services} services, {report.campaigns} campaigns, "
        f"{report.participants:,} participants, {report.responses:,} responses, "
        f"{report.readings:,} readings.{_peak_memory()}"
    )


def _peak_memory() -> str:
    try:
        import resource
    except ImportError:  # Windows
        return ""
    return f" Peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB."
