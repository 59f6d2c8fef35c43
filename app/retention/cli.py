"""`flask --app wsgi retention run`, daily: anonymise old answers, delete stale drafts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

retention_cli = AppGroup("retention", help="Anonymise old responses and delete stale drafts.")


@retention_cli.command("run")
def retention_run():
    """Anonymise responses past their campaign's retention period; delete old drafts."""
    from app import audit, privacy

    counts = privacy.run_retention()
    if any(counts.values()):
        audit.record("retention_run", **counts)
    click.echo(
        f"Anonymised {counts['responses_anonymised']} responses; "
        f"deleted {counts['drafts_deleted']} drafts."
    )
