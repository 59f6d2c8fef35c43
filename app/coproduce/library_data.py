"""What the instrument library shows: every instrument in one list, where each came from, and
what one version asks, in plain words for coordinators. No views here; app.coproduce.library
renders these."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import select

from app.coproduce.framework_document import slug, unique
from app.extensions import db, instrument_registry
from app.instrument_store import WRITABLE_TYPES, answered_keys, is_answered, stored, stored_rows
from app.instruments.fieldwork import NOT_OBSERVED
from app.instruments.model import Instrument, InstrumentError
from app.languages import is_supported, language
from app.models import Campaign, Service, StoredInstrument, Visit
from app.models.lookup import LARGEST_ID
from app.scope import service_filter

# The list's groups, in the order a coordinator looks for them.
GROUPS = (
    ("questionnaire", "Questionnaires"),
    ("inspection", "Inspection frameworks"),
    ("mystery_shop", "Mystery shops"),
    ("scale", "Scales"),
    ("star", "Stars"),
)
TYPE_NAMES = {
    "questionnaire": "Questionnaire",
    "inspection": "Inspection framework",
    "mystery_shop": "Mystery shop",
    "scale": "Scale",
    "star": "Star",
}
KIND_NAMES = {
    "single_choice": "choose one",
    "multiple_choice": "choose any",
    "rating_scale": "rating scale",
    "yes_no": "yes or no",
    "short_text": "short written answer",
    "long_text": "long written answer",
}
PROVENANCE_NAMES = {"validated": "validated wording", "project": "the project's own wording"}

# The editors other parts of the platform provide, by instrument type.
EDITORS = {
    "inspection": "coproduce.framework_edit",
    "mystery_shop": "coproduce.shop_edit",
    "questionnaire": "coproduce.questionnaire_edit",
}
WRITE_LINKS = (
    ("Write a framework", "coproduce.framework_new"),
    ("Write a mystery shop", "coproduce.shop_new"),
    ("Write a questionnaire", "coproduce.questionnaire_new"),
)


def has_endpoint(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def editor_for(instrument_type: str) -> str | None:
    """The editor's endpoint for this type, when the platform has one."""
    endpoint = EDITORS.get(instrument_type)
    return endpoint if endpoint and has_endpoint(endpoint) else None


def other_pages(instrument: Instrument) -> list[tuple[str, str]]:
    """(link text, address) of the pages about this version that the platform has."""
    pages = []
    if has_endpoint("coproduce.preview"):
        address = url_for(
            "coproduce.preview",
            instrument_id=instrument.id,
            version=instrument.version,
            locale=instrument.default_locale,
            page=1,
        )
        pages.append(("Preview it as a respondent or inspector sees it", address))
    if has_endpoint("coproduce.translations"):
        address = url_for(
            "coproduce.translations", instrument_id=instrument.id, version=instrument.version
        )
        pages.append(("Its languages and translations", address))
    return pages


@dataclass(frozen=True)
class Entry:
    """One version in the library, with what the list says about it."""

    instrument: Instrument
    origin: str
    row: StoredInstrument | None
    answered: bool

    @property
    def stored(self) -> bool:
        return self.row is not None

    @property
    def writable(self) -> bool:
        return self.instrument.type in WRITABLE_TYPES and self.instrument.licence is None

    @property
    def languages(self) -> str:
        return ", ".join(language_name(locale) for locale in self.instrument.locales)


def language_name(locale: str) -> str:
    if is_supported(locale):
        return language(locale).english_name
    return locale


def file_origin(instrument: Instrument) -> str:
    """ "Project file (surveys/)" for the first instrument folder, else "Instrument pack"."""
    folders = current_app.config["INSTRUMENT_DIRS"]
    source = Path(str(instrument.source)).resolve()
    if folders and source.is_relative_to(Path(folders[0]).resolve()):
        return "Project file (surveys/)"
    return "Instrument pack"


def stored_origin(row: StoredInstrument) -> str:
    if row.origin == "import":
        return f"Imported from {row.origin_note or 'a file'}"
    if row.origin_note:
        return f"Written on screen, started from {row.origin_note}"
    return "Written on screen"


def library() -> list[tuple[str, str, list[Entry]]]:
    """(type, heading, entries) for every group, each entry one version, by title then
    version."""
    rows = {(row.instrument_id, row.version): row for row in stored_rows()}
    answered = answered_keys()
    entries: dict[str, list[Entry]] = {kind: [] for kind, _ in GROUPS}
    for instrument in instrument_registry().all():
        key = (instrument.id, instrument.version)
        row = rows.get(key)
        origin = stored_origin(row) if row is not None else file_origin(instrument)
        entries.setdefault(instrument.type, []).append(
            Entry(instrument, origin, row, key in answered)
        )
    for group in entries.values():
        group.sort(key=lambda e: (e.instrument.title("en").lower(), e.instrument.version))
    return [(kind, heading, entries[kind]) for kind, heading in GROUPS]


def entry(instrument_id: str, version: int) -> Entry | None:
    """The library entry of one version, or None when there is no such version (or a kept
    version today's rules refuse: `instruments check` names its problems)."""
    if not 0 < version <= LARGEST_ID or len(instrument_id) > 64:
        return None
    try:
        instrument = instrument_registry().get(instrument_id, version)
    except (KeyError, InstrumentError):
        return None
    row = stored(instrument_id, version)
    if row is None:
        return Entry(instrument, file_origin(instrument), None, False)
    return Entry(instrument, stored_origin(row), row, is_answered(instrument_id, version))


def versions_of(instrument_id: str) -> list[int]:
    return instrument_registry().versions(instrument_id)


# --- What a version asks --------------------------------------------------------------------


def questions(instrument: Instrument) -> list[tuple[int, str, list[tuple[str, str]]]]:
    """(page number, when it is skipped or "", [(question, kind in words)]) for a
    questionnaire or scale."""
    rules = instrument.page_rules
    pages = []
    for number in range(1, instrument.page_count + 1):
        rule = rules[number - 1] if number <= len(rules) else None
        skipped = ""
        if rule is not None:
            question = instrument.item_text(rule.item, "en")
            answer = instrument.answer_label(rule.item, rule.answer, "en")
            skipped = f"Skipped when the answer to “{question}” is “{answer}”."
        asked = [
            (instrument.item_text(item.id, "en"), KIND_NAMES.get(item.kind, item.kind))
            for item in instrument.page_items(number)
        ]
        pages.append((number, skipped, asked))
    return pages


def characteristics(instrument: Instrument) -> list[tuple[str, str]]:
    """(characteristic, hint) of a framework, in order."""
    texts = instrument.fieldwork_texts("en").characteristics
    return [
        (texts[c].text, texts[c].hint) if c in texts else (c, "")
        for c in instrument.framework.characteristics
    ]


def rating_scale(instrument: Instrument) -> list[str]:
    """The framework's rating labels, lowest first, "Not observed" last when allowed."""
    first = instrument.framework.characteristics[0]
    return [
        "Not observed" if value == NOT_OBSERVED else f"{value}: {label}"
        for value, label in instrument.option_choices(first, "en")
    ]


def steps(instrument: Instrument) -> list[tuple[str, list[str]]]:
    """(step, [checklist questions]) of a mystery shop's scenario."""
    texts = instrument.fieldwork_texts("en")
    return [
        (texts.steps.get(step.id, step.id), [texts.checklist.get(c, c) for c in step.checklist])
        for step in instrument.mystery_shop.steps
    ]


def areas(instrument: Instrument) -> list[str]:
    texts = instrument.fieldwork_texts("en")
    return [texts.areas[a].name if a in texts.areas else a for a in instrument.star.areas]


def languages(instrument: Instrument) -> list[tuple[str, str]]:
    """(language, where its wording comes from) for each language version."""
    return [
        (
            f"{language_name(locale)} ({locale})",
            PROVENANCE_NAMES.get(texts.provenance, texts.provenance)
            + (f": {texts.source}" if texts.source else ""),
        )
        for locale, texts in instrument.texts.items()
    ]


def uses(instrument_id: str, version: int, user) -> tuple[list[Campaign], list[Visit]]:
    """The campaigns and visits of this version that `user` may see."""
    visible = select(Service.id).where(service_filter(user))
    campaigns = db.session.scalars(
        select(Campaign)
        .where(
            Campaign.instrument_id == instrument_id,
            Campaign.instrument_version == version,
            Campaign.service_id.in_(visible),
        )
        .order_by(Campaign.opens_on.desc(), Campaign.id)
    ).all()
    visits = db.session.scalars(
        select(Visit)
        .where(
            Visit.framework_id == instrument_id,
            Visit.framework_version == version,
            Visit.service_id.in_(visible),
        )
        .order_by(Visit.visit_on.desc(), Visit.id)
    ).all()
    return list(campaigns), list(visits)


# --- Ids from titles ------------------------------------------------------------------------


def new_instrument_id(title: str, fallback: str = "instrument") -> str:
    """A new instrument id from a title: lowercase words joined by hyphens, numbered until
    no file or stored instrument has it ("Riverside framework" -> "riverside-framework",
    then "riverside-framework-2"); `fallback` when the title has no usable letters. The one
    rule of the library and both editors."""
    taken = {instrument.id for instrument in instrument_registry().all()}
    return unique(slug(title, "-"), taken, fallback, "-")
