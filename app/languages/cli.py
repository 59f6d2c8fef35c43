"""`flask --app wsgi translate extract|update|compile|check`, for translators and CI."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.languages import TRANSLATED_CODES, is_supported
from app.languages import catalogues as catalogue_files

translate_cli = AppGroup(
    "translate", help="Message catalogues of the respondent pages (translations/)."
)


def _codes(codes: tuple[str, ...]) -> tuple[str, ...]:
    for code in codes:
        if not is_supported(code) or code not in TRANSLATED_CODES:
            raise click.BadParameter(
                f"{code!r} is not one of {', '.join(TRANSLATED_CODES)}", param_hint="--language"
            )
    return codes or TRANSLATED_CODES


_language_option = click.option(
    "--language",
    "codes",
    multiple=True,
    help="Only this language (repeat for more); default: every translated language.",
)


@translate_cli.command("extract")
def extract_command() -> None:
    """Write translations/messages.pot from the application's source."""
    path = catalogue_files.write_template()
    count = len([m for m in catalogue_files.read_catalogue(path) if m.id])
    click.echo(f"{path.relative_to(catalogue_files.REPO_ROOT)}: {count} messages")


@translate_cli.command("update")
@_language_option
def update_command(codes: tuple[str, ...]) -> None:
    """Merge the template into each language's .po file (new messages arrive untranslated)."""
    for path in catalogue_files.update(_codes(codes)):
        click.echo(f"{path.relative_to(catalogue_files.REPO_ROOT)}: merged")


@translate_cli.command("compile")
@_language_option
def compile_command(codes: tuple[str, ...]) -> None:
    """Write the .mo files the application reads (build output, not committed)."""
    written = catalogue_files.compile_catalogues(_codes(codes))
    click.echo(f"Compiled {len(written)} catalogue{'s' if len(written) != 1 else ''}")


@translate_cli.command("check")
@_language_option
def check_command(codes: tuple[str, ...]) -> None:
    """Fail unless the template is current and every language is complete and faithful."""
    problems = catalogue_files.check(_codes(codes))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        count = len(problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found", err=True)
        raise SystemExit(1)
    click.echo("Translations OK: the template is current and every language is complete")
