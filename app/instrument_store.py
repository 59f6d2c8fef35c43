"""Instruments written on screen or imported, beside those in surveys/ and instrument packs.

Files are loaded once per worker (app.extensions.InstrumentsExtension). Instruments kept in
the database (app.models.StoredInstrument) are checked by exactly the rules a file meets
(app.instruments.loader.check_document) every time they are saved, and read into the
registry the rest of the platform uses (`registry()`), so a campaign, a visit, scoring and
evidence treat them exactly as files.

Rules:
- An id belongs to one place: a stored instrument cannot take the id of a file's.
- Licensed scales (anything with a `licence`) are never written or imported here.
- Once a version has been answered (a response, a reading, a visit, or a respondent part
  way through), it never changes: editing makes the next version.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from flask import current_app
from sqlalchemy import exists, func, select

from app.extensions import InstrumentsExtension, db
from app.instruments.loader import check_document, dump_yaml, read_yaml
from app.instruments.model import Instrument, InstrumentError, InstrumentRegistry, Problem
from app.models import Campaign, Draft, Reading, Response, StoredInstrument, Visit
from app.models.timeutil import utcnow

# Types a coordinator may write on screen; scales and stars come only from files and packs.
WRITABLE_TYPES = ("inspection", "mystery_shop", "questionnaire")


class StoreRefused(InstrumentError):
    """A save or import refused, with every problem (each naming where it is)."""


def file_registry() -> InstrumentRegistry:
    """Only the instruments read from files (surveys/ and packs)."""
    return current_app.extensions[InstrumentsExtension.name]


# --- The registry the platform reads ------------------------------------------------------

# Checked instruments by (id, version): (revision and time saved, instrument). Per worker;
# a draft saved again is checked again on its next read.
_checked: dict[tuple[str, int], tuple[tuple, Instrument]] = {}


def _instrument(row: StoredInstrument) -> Instrument:
    key = (row.instrument_id, row.version)
    stamp = (row.revision, row.updated_at)
    cached = _checked.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    instrument = check_document(row.document, label(row), source=ORIGIN_SOURCES[row.origin])
    _checked[key] = (stamp, instrument)
    return instrument


ORIGIN_SOURCES = {"screen": "written on screen", "import": "imported from a file"}


def label(row: StoredInstrument) -> str:
    return f"{row.key} ({ORIGIN_SOURCES.get(row.origin, row.origin)})"


class CombinedRegistry(InstrumentRegistry):
    """Files first, then the database: a file instrument costs no query at all."""

    def __init__(self, files: InstrumentRegistry):
        super().__init__()
        self._files = files

    def _stored(self) -> list[Instrument]:
        rows = db.session.scalars(select(StoredInstrument)).all()
        instruments = []
        for row in rows:
            try:
                instruments.append(_instrument(row))
            except InstrumentError:
                current_app.logger.warning("stored instrument %s no longer checks", row.key)
        return instruments

    def get(self, instrument_id: str, version: int | None = None) -> Instrument:
        try:
            return self._files.get(instrument_id, version)
        except KeyError:
            if instrument_id in self._files:
                raise
        query = select(StoredInstrument).where(StoredInstrument.instrument_id == instrument_id)
        if version is not None:
            query = query.where(StoredInstrument.version == int(version))
        row = db.session.scalars(query.order_by(StoredInstrument.version.desc())).first()
        if row is None:
            raise KeyError(f"no instrument {instrument_id}" + (f"@{version}" if version else ""))
        return _instrument(row)

    def versions(self, instrument_id: str) -> list[int]:
        if instrument_id in self._files:
            return self._files.versions(instrument_id)
        return list(
            db.session.scalars(
                select(StoredInstrument.version)
                .where(StoredInstrument.instrument_id == instrument_id)
                .order_by(StoredInstrument.version)
            )
        )

    def all(self) -> list[Instrument]:
        everything = {(i.id, i.version): i for i in self._stored()}
        everything.update({(i.id, i.version): i for i in self._files.all()})
        return [everything[key] for key in sorted(everything)]

    def latest(self) -> list[Instrument]:
        newest: dict[str, Instrument] = {}
        for instrument in self.all():
            newest[instrument.id] = instrument
        return [newest[i] for i in sorted(newest)]

    def __iter__(self) -> Iterator[Instrument]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())

    def __contains__(self, key: object) -> bool:
        if key in self._files:
            return True
        if isinstance(key, Instrument):
            key = (key.id, key.version)
        if isinstance(key, str) and "@" in key:
            instrument_id, _, version = key.partition("@")
            if not version.isdigit():
                return False
            key = (instrument_id, int(version))
        query = select(StoredInstrument.id)
        if isinstance(key, tuple) and len(key) == 2:
            query = query.where(
                StoredInstrument.instrument_id == key[0], StoredInstrument.version == key[1]
            )
        elif isinstance(key, str):
            query = query.where(StoredInstrument.instrument_id == key)
        else:
            return False
        return db.session.scalar(query.limit(1)) is not None


def registry() -> CombinedRegistry:
    """The app's one registry of files and stored versions. One object per app (while its
    files stay the same), so whatever is kept by registry (the evidence figures cache keys
    on it) is found again on the next request."""
    files = file_registry()
    whole = current_app.extensions.get("instruments_combined")
    if whole is None or whole._files is not files:
        whole = current_app.extensions["instruments_combined"] = CombinedRegistry(files)
    return whole


# --- Saving -------------------------------------------------------------------------------


def is_answered(instrument_id: str, version: int) -> bool:
    """Whether anyone has answered this version, or is part way through answering it."""
    by_campaign = select(Campaign.id).where(
        Campaign.instrument_id == instrument_id, Campaign.instrument_version == version
    )
    checks = [
        exists().where(
            Response.instrument_id == instrument_id, Response.instrument_version == version
        ),
        exists().where(Draft.campaign_id.in_(by_campaign)),
        exists().where(
            Reading.instrument_id == instrument_id, Reading.instrument_version == version
        ),
        exists().where(Visit.framework_id == instrument_id, Visit.framework_version == version),
    ]
    return any(db.session.scalar(select(check)) for check in checks)


def stored(instrument_id: str, version: int) -> StoredInstrument | None:
    return db.session.scalar(
        select(StoredInstrument).where(
            StoredInstrument.instrument_id == instrument_id, StoredInstrument.version == version
        )
    )


def next_version(instrument_id: str) -> int:
    """One more than any version of this id, in files or stored."""
    stored_max = db.session.scalar(
        select(func.max(StoredInstrument.version)).where(
            StoredInstrument.instrument_id == instrument_id
        )
    )
    files = file_registry()
    file_versions = files.versions(instrument_id) if instrument_id in files else []
    return max([stored_max or 0, *file_versions]) + 1


def check(document: Any, where: str = "written on screen", name: str | None = None) -> Instrument:
    """Every rule a file meets, and the store's own: raises StoreRefused with each problem,
    each labelled with `name` (the file's name for an import; else id@version)."""
    name = name or _name(document)
    problems: list[Problem] = []
    if isinstance(document, dict):
        if "licence" in document:
            problems.append(
                Problem(name, "licence", "licensed scales cannot be written or changed here")
            )
        if document.get("type") not in WRITABLE_TYPES:
            problems.append(
                Problem(
                    name,
                    "type",
                    "only inspection frameworks, mystery shops and questionnaires can be "
                    "kept here; scales and stars come from instrument files",
                )
            )
        instrument_id = document.get("id")
        if isinstance(instrument_id, str) and instrument_id in file_registry():
            problems.append(
                Problem(name, "id", f"{instrument_id} is an instrument file's id; choose another")
            )
    try:
        instrument = check_document(document, name, source=where)
    except InstrumentError as error:
        problems.extend(error.problems)
        instrument = None
    if problems:
        raise StoreRefused(problems)
    return instrument


def save(
    document: dict[str, Any],
    user=None,
    origin: str = "screen",
    origin_note: str | None = None,
    name: str | None = None,
) -> StoredInstrument:
    """Check and keep one version (new, or a draft nobody has answered). Flushes; the caller
    commits. Raises StoreRefused naming every problem."""
    instrument = check(document, ORIGIN_SOURCES[origin], name)
    row = stored(instrument.id, instrument.version)
    if row is not None:
        if is_answered(row.instrument_id, row.version):
            raise StoreRefused(
                [
                    Problem(
                        _name(document),
                        "version",
                        f"{row.key} has been answered and cannot change: save it as version "
                        f"{next_version(row.instrument_id)}",
                    )
                ]
            )
        row.document = copy.deepcopy(document)
        row.type = instrument.type
        row.revision += 1
        row.updated_at = utcnow()
    else:
        row = StoredInstrument(
            instrument_id=instrument.id,
            version=instrument.version,
            type=instrument.type,
            document=copy.deepcopy(document),
            origin=origin,
            origin_note=origin_note,
            created_by_id=getattr(user, "id", None),
        )
        db.session.add(row)
    db.session.flush()
    return row


def add_language(row: StoredInstrument, locale: str, block: dict[str, Any]) -> None:
    """Give a stored version a complete language block, checked with every rule, and drop
    that language's work in progress. A new language may join even an answered version (it
    changes nothing anyone answered, as a pack's language file does); changing the words of
    a language an answered version has is refused. Flushes; the caller commits."""
    document = copy.deepcopy(row.document)
    texts = document.setdefault("texts", {})
    if texts.get(locale) == block:
        return
    if locale in texts and is_answered(row.instrument_id, row.version):
        raise StoreRefused(
            [
                Problem(
                    row.key,
                    f"texts.{locale}",
                    f"{row.key} has been answered, so its words cannot change: make a new "
                    f"version ({next_version(row.instrument_id)}) to change them",
                )
            ]
        )
    texts[locale] = block
    check(document, ORIGIN_SOURCES[row.origin], row.key)
    row.document = document
    row.translations_in_progress = {
        code: kept for code, kept in (row.translations_in_progress or {}).items() if code != locale
    } or None
    row.revision += 1
    row.updated_at = utcnow()
    db.session.flush()


def document_of(instrument_id: str, version: int) -> dict[str, Any]:
    """An instrument version's data, from the database or read again from its file."""
    row = stored(instrument_id, version)
    if row is not None:
        return copy.deepcopy(row.document)
    instrument = file_registry().get(instrument_id, version)
    data, problems = read_yaml(_file_text(instrument), str(instrument.source))
    if problems:
        raise InstrumentError(problems)
    return data


def start_from(instrument_id: str, version: int, new_id: str | None = None) -> dict[str, Any]:
    """A copy of an instrument's data to start a new one from: a new id (or the next version
    of the same id when it is stored here), without any licence."""
    document = document_of(instrument_id, version)
    document.pop("licence", None)
    document.pop("co_written", None)
    if new_id is not None:
        document["id"] = new_id
        document["version"] = next_version(new_id)
    else:
        document["version"] = next_version(instrument_id)
    return document


# --- Export and import --------------------------------------------------------------------


def export_yaml(instrument_id: str, version: int) -> str:
    """The version as a YAML file in exactly the surveys/ format (`instruments check` takes
    it). A file instrument is given as its file."""
    row = stored(instrument_id, version)
    if row is not None:
        return dump_yaml(row.document)
    return _file_text(file_registry().get(instrument_id, version))


def import_yaml(text: str, filename: str, user=None) -> tuple[StoredInstrument, bool]:
    """Check and keep an instrument file's version. Returns the row and whether it is new;
    the same file imported again changes nothing. Raises StoreRefused."""
    data, problems = read_yaml(text, filename)
    if problems:
        raise StoreRefused(problems)
    instrument = check(data, ORIGIN_SOURCES["import"], filename)
    row = stored(instrument.id, instrument.version)
    if row is not None:
        if row.document == data:
            return row, False
        raise StoreRefused(
            [
                Problem(
                    filename,
                    "version",
                    f"{row.key} is already here with different contents: give the file "
                    f"version {next_version(row.instrument_id)}",
                )
            ]
        )
    row = save(data, user, origin="import", origin_note=filename[:300], name=filename)
    return row, True


def check_all_stored() -> tuple[list[Instrument], list[Problem]]:
    """Every stored version checked again by today's rules (for `instruments check`)."""
    instruments, problems = [], []
    for row in db.session.scalars(select(StoredInstrument).order_by(StoredInstrument.id)):
        try:
            instruments.append(
                check_document(row.document, label(row), ORIGIN_SOURCES.get(row.origin))
            )
        except InstrumentError as error:
            problems.extend(error.problems)
    return instruments, problems


def _file_text(instrument: Instrument) -> str:
    with open(instrument.source, encoding="utf-8") as handle:
        return handle.read()


def _name(document: Any) -> str:
    if isinstance(document, dict) and document.get("id"):
        return f"{document.get('id')}@{document.get('version', '?')}"
    return "instrument"


def stored_rows() -> list[StoredInstrument]:
    return list(
        db.session.scalars(
            select(StoredInstrument).order_by(
                StoredInstrument.instrument_id, StoredInstrument.version
            )
        )
    )


def answered_keys() -> set[tuple[str, int]]:
    """(id, version) of every stored version anyone has answered, for a list's marks: what
    `is_answered` says of each, in one query per kind of answer rather than four per version."""
    kept = set(db.session.execute(select(StoredInstrument.instrument_id, StoredInstrument.version)))
    if not kept:
        return set()
    ids = {instrument_id for instrument_id, _ in kept}
    answers = [
        select(Response.instrument_id, Response.instrument_version)
        .where(Response.instrument_id.in_(ids))
        .distinct(),
        select(Campaign.instrument_id, Campaign.instrument_version)
        .join(Draft, Draft.campaign_id == Campaign.id)
        .where(Campaign.instrument_id.in_(ids))
        .distinct(),
        select(Reading.instrument_id, Reading.instrument_version)
        .where(Reading.instrument_id.in_(ids))
        .distinct(),
        select(Visit.framework_id, Visit.framework_version)
        .where(Visit.framework_id.in_(ids))
        .distinct(),
    ]
    found = {(key[0], key[1]) for query in answers for key in db.session.execute(query)}
    return {(key[0], key[1]) for key in kept} & found
