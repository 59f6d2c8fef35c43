"""Message catalogues in translations/: extract, update, compile, and the quality gates.

Everything runs in-process through Babel's own API (no `pybabel` subprocess). No Flask here:
the operator commands (`app.languages.cli`) and the test suite call these functions directly.

The template (translations/messages.pot) is extracted from app/ as babel.cfg describes. It
carries file names but no line numbers, so moving a line does not make it stale; changing,
adding or removing a message does, and `check` then fails until someone runs `extract`.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from app.languages import TRANSLATED_CODES, language

REPO_ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO_ROOT / "translations"
MAPPING_FILE = REPO_ROOT / "babel.cfg"
DOMAIN = "messages"
PROJECT = "Have your say"
# Only the application's own code holds respondent text; skipping the rest keeps a walk
# of the repository (node_modules, .venv) out of every extraction.
SOURCE_FOLDERS = ("app",)

TEMPLATE_HEADER = """\
# The words of the respondent pages, extracted from app/ by
# `flask --app wsgi translate extract`. Do not edit: change the source text and extract again.
#"""
CATALOGUE_HEADER = """\
# {name} ({code}) translation of the respondent pages of Have your say.
# Written for young people and parents: plain, warm words a 13-year-old understands.
# Update with `flask --app wsgi translate update`; see README.md, "Translating".
#"""
# Lines of a written template that change on every extraction without any message changing.
VOLATILE_HEADER_LINES = re.compile(r'^"(POT-Creation-Date|Generated-By): .*\\n"$', re.MULTILINE)

# A Python %-format conversion: %s, %d, %(name)s, %(num)d, %.2f ... but not the literal %%.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>[a-zA-Z%])"
)
# The number a plural message is chosen by. Flask-Babel's ngettext reserves `num` for the
# raw number, so messages name the number as written for the locale `count`.
COUNT_NAMES = frozenset({"count", "num"})
# The context of the words a young person reads about their own scores (/my-answers). They
# never name a clinical band ("probable depression"): a screening label for professionals,
# not something to tell a young person about themselves. The gate checks every language
# against the band names the instruments in surveys/ give, in every language they have,
# and against these words.
YOUNG_PERSONS_VIEW = "young person's own view"
CLINICAL_WORDS = frozenset({"depression", "depressed", "disorder", "clinical", "diagnosis"})


@dataclass(frozen=True)
class CatalogueProblem:
    """One thing wrong with one catalogue, naming the file and, where it applies, the message."""

    file: str
    message: str
    msgid: str = ""

    def __str__(self) -> str:
        if self.msgid:
            return f"{self.file}: {self.msgid!r}: {self.message}"
        return f"{self.file}: {self.message}"


def template_path(folder: Path = TRANSLATIONS) -> Path:
    return folder / f"{DOMAIN}.pot"


def catalogue_path(code: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _label(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


# --- Extract -------------------------------------------------------------------------------


def extract(root: Path = REPO_ROOT, mapping_file: Path = MAPPING_FILE) -> Catalog:
    """Every translatable message in the application, as a fresh template catalogue."""
    with mapping_file.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(mapping_file))
    root = Path(root)

    def inside_sources(path: str) -> bool:
        relative = Path(path).relative_to(root)
        return relative.parts[0] in SOURCE_FOLDERS

    catalog = Catalog(
        project=PROJECT,
        version="1",
        header_comment=TEMPLATE_HEADER,
        charset="utf-8",
        fuzzy=False,
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        strip_comment_tags=True,
        directory_filter=inside_sources,
    ):
        catalog.add(
            message,
            None,
            [(filename.replace(os.sep, "/"), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def render(catalog: Catalog) -> str:
    """A catalogue as the text of its .po or .pot file (file names, no line numbers)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_lineno=False, ignore_obsolete=True)
    return buffer.getvalue().decode("utf-8")


def write_template(root: Path = REPO_ROOT, folder: Path = TRANSLATIONS) -> Path:
    """Extract afresh and write translations/messages.pot (left alone when no message
    changed, so its date does not churn)."""
    path = template_path(folder)
    text = render(extract(root))
    if not path.exists() or _stable(path.read_text(encoding="utf-8")) != _stable(text):
        _write_text(path, text)
    return path


def template_problems(
    root: Path = REPO_ROOT, folder: Path = TRANSLATIONS
) -> list[CatalogueProblem]:
    """A problem when extracting afresh would not give the committed template."""
    path = template_path(folder)
    if not path.exists():
        return [CatalogueProblem(_label(path), "missing: run `translate extract`")]
    fresh = _stable(render(extract(root)))
    committed = _stable(path.read_text(encoding="utf-8"))
    if fresh == committed:
        return []
    return [
        CatalogueProblem(
            _label(path),
            "stale: the application's messages have changed. Run `translate extract`, then "
            "`translate update`, and translate what is new.",
        )
    ]


def _stable(text: str) -> str:
    return VOLATILE_HEADER_LINES.sub("", text)


# --- Update and compile --------------------------------------------------------------------


def read_catalogue(path: Path, code: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


def new_catalogue(code: str) -> Catalog:
    """An empty catalogue for a language, with Babel's plural rule for it in the header."""
    return Catalog(
        locale=code,
        domain=DOMAIN,
        project=PROJECT,
        version="1",
        header_comment=CATALOGUE_HEADER.format(name=language(code).english_name, code=code),
        last_translator="Have your say project",
        language_team=language(code).english_name,
        revision_date=datetime.now(UTC),
        charset="utf-8",
        fuzzy=False,
    )


def update(codes: Iterable[str] = TRANSLATED_CODES, folder: Path = TRANSLATIONS) -> list[Path]:
    """Merge the template into each language's catalogue, creating any that is missing.

    New messages arrive untranslated, or marked fuzzy with a near match's translation as a
    starting point; `check` fails on both until a translator has dealt with them. Messages
    no longer in the template are dropped.
    """
    template = read_catalogue(template_path(folder))
    written = []
    for code in codes:
        path = catalogue_path(code, folder)
        catalog = read_catalogue(path, code) if path.exists() else new_catalogue(code)
        catalog.update(template)
        text = render(catalog)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _write_text(path, text)
        written.append(path)
    return written


def compile_catalogues(
    codes: Iterable[str] = TRANSLATED_CODES,
    folder: Path = TRANSLATIONS,
    *,
    only_stale: bool = False,
) -> list[Path]:
    """Write each .mo beside its .po (build output: never committed). Fuzzy entries are left
    out, so a half-checked translation is never shown."""
    written = []
    for code in codes:
        po = catalogue_path(code, folder)
        if not po.exists():
            continue
        mo = po.with_suffix(".mo")
        if only_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        buffer = io.BytesIO()
        write_mo(buffer, read_catalogue(po, code), use_fuzzy=False)
        _write_bytes(mo, buffer.getvalue())
        written.append(mo)
    return written


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    # Replace in one step, so a server reading the file never sees half of it.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)


# --- Quality gates -------------------------------------------------------------------------


def check(
    codes: Iterable[str] = TRANSLATED_CODES,
    root: Path = REPO_ROOT,
    folder: Path = TRANSLATIONS,
) -> list[CatalogueProblem]:
    """Every gate at once: a current template, and each language complete and faithful."""
    problems = template_problems(root, folder)
    template_file = template_path(folder)
    if not template_file.exists():
        return problems
    template = read_catalogue(template_file)
    clinical = clinical_words(root / "surveys")
    problems.extend(young_persons_view_problems(template, clinical, _label(template_file)))
    for code in codes:
        path = catalogue_path(code, folder)
        if not path.exists():
            problems.append(CatalogueProblem(_label(path), "missing: run `translate update`"))
            continue
        catalog = read_catalogue(path, code)
        problems.extend(catalogue_problems(catalog, template, code, path))
        problems.extend(young_persons_view_problems(catalog, clinical, _label(path)))
    return problems


def clinical_words(surveys: Path) -> frozenset[str]:
    """Band names the instruments give, in every language they have them, and CLINICAL_WORDS."""
    import yaml

    words = set(CLINICAL_WORDS)
    for path in sorted(surveys.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for texts in (data.get("texts") or {}).values():
            bands = (texts or {}).get("bands") or {}
            words.update(str(name).casefold() for name in bands.values())
    return frozenset(words)


def young_persons_view_problems(
    catalog: Catalog, clinical: Iterable[str], file: str
) -> list[CatalogueProblem]:
    """No message in the young person's own view names a clinical band, in any language."""
    problems = []
    for message in catalog:
        if not message.id or message.context != YOUNG_PERSONS_VIEW:
            continue
        texts = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        texts.extend(text for text in strings if text)
        for text in texts:
            found = sorted(word for word in clinical if word in text.casefold())
            if found:
                problems.append(
                    CatalogueProblem(
                        file,
                        f"names a clinical band ({', '.join(found)}): a young person's own "
                        "view says only higher, lower or about the same",
                        _msgid(message),
                    )
                )
    return problems


def catalogue_problems(
    catalog: Catalog, template: Catalog, code: str, path: Path | None = None
) -> list[CatalogueProblem]:
    """What stops one language's catalogue from shipping.

    It must have the language's plural rule, exactly the template's messages, every one
    translated (each plural form too), none fuzzy, and every translation must keep the
    placeholders of its source text, since a lost or renamed %(service)s breaks the page.
    """
    file = _label(path) if path else f"{code}/{DOMAIN}.po"
    problems: list[CatalogueProblem] = []

    def problem(message: str, msgid: str = "") -> None:
        problems.append(CatalogueProblem(file, message, msgid))

    expected_plurals = get_plural(code)
    if (catalog.num_plurals, catalog.plural_expr) != (
        expected_plurals.num_plurals,
        expected_plurals.plural_expr,
    ):
        problem(
            f"Plural-Forms must be {expected_plurals.plural_forms!r} for {code}, "
            f"not {catalog.plural_forms!r}"
        )
    forms_by_index = _numbers_by_plural_form(expected_plurals.plural_expr)

    wanted = {_key(m): m for m in template if m.id}
    present = {_key(m): m for m in catalog if m.id}
    for key in wanted.keys() - present.keys():
        problem("not in this catalogue: run `translate update`", _msgid(wanted[key]))
    for key in present.keys() - wanted.keys():
        problem("no longer in the template: run `translate update`", _msgid(present[key]))
    if catalog.obsolete:
        problem(f"{len(catalog.obsolete)} obsolete entries: run `translate update`")

    for key, message in present.items():
        if key not in wanted:
            continue
        msgid = _msgid(message)
        if message.fuzzy:
            problem("marked fuzzy: check the translation, then remove the fuzzy flag", msgid)
        if message.pluralizable:
            forms = list(message.string) if isinstance(message.string, tuple | list) else []
            if len(forms) != expected_plurals.num_plurals:
                problem(
                    f"has {len(forms)} plural forms; {code} needs {expected_plurals.num_plurals}",
                    msgid,
                )
            expected = placeholders(message.id[1])
            for index, form in enumerate(forms):
                if not form:
                    problem(f"plural form {index} is not translated", msgid)
                    continue
                # A form used for one number only (such as 1) may say it in words.
                optional = COUNT_NAMES if len(forms_by_index.get(index, ())) == 1 else set()
                difference = _placeholder_difference(expected, placeholders(form), optional)
                if difference:
                    problem(f"plural form {index} {difference}", msgid)
        else:
            if not message.string:
                problem("not translated", msgid)
                continue
            difference = _placeholder_difference(
                placeholders(message.id), placeholders(message.string)
            )
            if difference:
                problem(f"translation {difference}", msgid)
    return problems


def placeholders(text: str) -> Counter:
    """The %-format placeholders in a text, as written (e.g. '%(service)s': 1)."""
    return Counter(
        match.group(0) for match in PLACEHOLDER.finditer(text) if match.group("type") != "%"
    )


def _placeholder_difference(
    expected: Counter, found: Counter, optional: set[str] = frozenset()
) -> str:
    missing = expected - found
    extra = found - expected
    for token in list(missing):
        match = PLACEHOLDER.fullmatch(token)
        if match and match.group("name") in optional:
            del missing[token]
    parts = []
    if missing:
        parts.append("lost " + ", ".join(sorted(missing)))
    if extra:
        parts.append("added " + ", ".join(sorted(extra)))
    return "; ".join(parts)


def _numbers_by_plural_form(plural_expr: str) -> dict[int, list[int]]:
    choose = gettext.c2py(plural_expr)
    numbers: dict[int, list[int]] = {}
    for number in range(0, 1000):
        numbers.setdefault(choose(number), []).append(number)
    return numbers


def _key(message: Message) -> tuple:
    return (message.id, message.context)


def _msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


# A placeholder such as {name} (str.format style), as instrument texts may hold; {{ is a
# literal brace.
BRACES = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})")


def placeholder_problem(english: str, translation: str) -> str | None:
    """What a translation does to the placeholders of its English, or None when it keeps
    them all (the message catalogues' gate, with {name} as well as %(name)s)."""
    difference = _placeholder_difference(_all_placeholders(english), _all_placeholders(translation))
    if not difference:
        return None
    return f"The translation must keep the placeholders of the English: it {difference}"


def _all_placeholders(text: str) -> Counter:
    return placeholders(text) + Counter(BRACES.findall(text))
