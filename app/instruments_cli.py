"""`flask instruments check`, `list`, `export` and `import`, for operators and CI.

`check` reads the files again and checks every instrument kept in the database (written on
screen or imported) by today's rules. `export ID VERSION` prints a version in exactly the
surveys/ format; `import FILE` checks such a file and keeps it, so councils share frameworks.
"""

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
    """Load every instrument file and every stored instrument; print each instrument, or
    every problem and exit 1."""
    registry = _load()
    for instrument in registry:
        click.echo(summary_line(instrument))
    stored, problems = _stored()
    for instrument in stored:
        click.echo(f"{summary_line(instrument)}  ({instrument.source})")
    if problems:
        _fail(problems)
    click.echo(f"{len(registry) + len(stored)} instruments OK")


def _stored():
    """Stored instruments, when the database has their table (a fresh checkout may not)."""
    from sqlalchemy import inspect

    from app.extensions import db
    from app.instrument_store import check_all_stored

    if "sqlalchemy" not in current_app.extensions:
        return [], []  # files checked on their own, with no database configured
    if not inspect(db.engine).has_table("stored_instrument"):
        return [], []
    return check_all_stored()


def _fail(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    count = len(problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
    raise SystemExit(1)


@instruments_cli.command("export")
@click.argument("instrument_id")
@click.argument("version", type=int)
def export_command(instrument_id: str, version: int) -> None:
    """Print one instrument version as a YAML file in the surveys/ format."""
    from app.instrument_store import export_yaml

    try:
        text = export_yaml(instrument_id, version)
    except KeyError:
        click.echo(f"no instrument {instrument_id}@{version}", err=True)
        raise SystemExit(1) from None
    click.echo(text, nl=False)


@instruments_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Check an instrument file by every rule and keep it in the database."""
    from app.extensions import db
    from app.instrument_store import StoreRefused, import_yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"{path}: cannot read file: {error}", err=True)
        raise SystemExit(1) from None
    try:
        row, new = import_yaml(text, path.name)
    except StoreRefused as error:
        db.session.rollback()
        _fail(error.problems)
    db.session.commit()
    click.echo(f"{row.key} {'imported' if new else 'already here, unchanged'}")


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
