"""`flask --app wsgi retention run`, daily: anonymise old answers, delete stale drafts,
expire old outcomes-wheel readings and codes left holding nothing."""

from __future__ import annotations

import click
from flask.cli import AppGroup

retention_cli = AppGroup(
    "retention", help="Anonymise old responses, delete stale drafts, old readings and empty codes."
)


@retention_cli.command("run")
def retention_run():
    """Anonymise responses past their campaign's retention period; delete old drafts, wheel
    readings past the retention period (with their notes) and codes with nothing left."""
    from app import audit, privacy

    counts = privacy.run_retention()
    counts.update(privacy.expire_readings_and_codes())
    if any(counts.values()):
        audit.record("retention_run", **counts)
    click.echo(
        f"Anonymised {counts['responses_anonymised']} responses; "
        f"deleted {counts['drafts_deleted']} drafts, {counts['readings_deleted']} "
        f"outcomes-wheel readings and {counts['codes_deleted']} codes left with no data."
    )
