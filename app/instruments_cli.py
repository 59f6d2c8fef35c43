"""`flask instruments check` and `flask instruments list`, for operators and CI."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.instruments.loader import load_instruments
from app.instruments.model import Instrument, InstrumentError, InstrumentRegistry

instruments_cli = AppGroup(
    "instruments", help="Check and list instrument files (surveys/ and instrument packs)."
)


def _load() -> InstrumentRegistry:
    """Read the files again from disk, so an edit is checked without restarting anything."""
    directories = [Path(p) for p in current_app.config["INSTRUMENT_DIRS"]]
    try:
        return load_instruments(directories)
    except InstrumentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        count = len(error.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
        raise SystemExit(1) from None


def summary_line(instrument: Instrument) -> str:
    """One line: key, type, languages, items and whether a licence reference is needed."""
    licence = "licensed" if instrument.is_licensed else "not licensed"
    return (
        f"{instrument.key}  {instrument.type}  {','.join(instrument.locales)}  "
        f"{_contents(instrument)}  {licence}"
    )


def _contents(instrument: Instrument) -> str:
    """What an instrument asks, counted in its own terms (a star's areas, not its items)."""
    counts = [(len(instrument.items), "item")]
    if instrument.star is not None:
        counts = [(len(instrument.star.areas), "area")]
    elif instrument.framework is not None:
        counts = [(len(instrument.framework.characteristics), "characteristic")]
        if instrument.mystery_shop is not None:
            counts.append((len(instrument.mystery_shop.checklist), "check"))
    return ", ".join(f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in counts)


@instruments_cli.command("check")
def check_command() -> None:
    """Load every instrument file; print each instrument, or every problem and exit 1."""
    registry = _load()
    for instrument in registry:
        click.echo(summary_line(instrument))
    click.echo(f"{len(registry)} instruments OK")


@instruments_cli.command("list")
def list_command() -> None:
    """Each instrument with its title, pages, time to answer, languages and source file."""
    registry = _load()
    for instrument in registry:
        click.echo(f"{instrument.key}: {instrument.title()}")
        click.echo(
            f"  type {instrument.type}, {len(instrument.items)} items on "
            f"{instrument.page_count} page(s), about {instrument.estimated_minutes} min"
        )
        for locale in instrument.locales:
            click.echo(f"  {locale}: {instrument.texts[locale].provenance}")
        if instrument.is_licensed:
            click.echo(f"  licence: {instrument.licence.holder} (reference required)")
        click.echo(f"  file: {instrument.source}")
