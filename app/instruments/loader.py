"""Load instrument files (surveys/*.yaml and instrument packs) and check every rule.

The loader reads every file in every folder it is given and collects every problem before
raising, so whoever edits a file (a developer, a licence holder correcting a band, a
translator adding a language) sees the whole list at once, each naming the file, the path
inside it and what is wrong:

    surveys/wemwbs-1.yaml: items[3].options: unknown option set 'frequency6'

The schema, one file per instrument version (see surveys/wemwbs-1.yaml for a full example):

    id: wemwbs                  # slug; with `version`, what a stored response points at
    version: 1                  # a changed instrument is a new file with a new version
    type: scale                 # scale | star | inspection | mystery_shop | questionnaire
    estimated_minutes: 3
    ages: {min: 13, validated_min: 16, note: ...}
    links_over_time_recommended: true
    notes: free text for maintainers
    licence:                    # licensed instruments only
      holder, name, notice, terms: [...], requires_licence_reference: true, url, source,
      note, confirm
    option_sets: {frequency5: ["1", "2", "3", "4", "5"]}
    items:                      # in the order they are asked
      - id: optimistic          # becomes the form field name
        kind: single_choice     # single_choice | multiple_choice | rating_scale | yes_no |
                                # short_text | long_text
        required: true          # default true
        options: frequency5     # single_choice, multiple_choice (yes_no has built-in yes/no)
        min: 1, max: 10         # rating_scale
        max_length: 200         # short_text (default 200), long_text (default 2000); <= 5000
        max_choices: 3          # multiple_choice, optional
        concerns: ["yes"]       # optional: answers that raise a safeguarding alert
    pages: [[item ids], [item ids]]   # optional; default all items on one page
    scoring:                    # required for type scale
      rule: sum
      items: all                # or a list of item ids
      complete_only: true       # only a complete response is scored; never pro-rated
      range: {min: 14, max: 70} # checked against the items' option values
      conversion: {source, table: {raw: metric, ...}}   # must cover the range exactly
      bands: {applies_to: raw|metric, indicative, source, confirm, note,
              ranges: [{key, min, max}, ...]}           # contiguous, covering the range
      change:
        meaningful: {points, applies_to, source, note, confirm, published: {name: number}}
        reliable: {z, sd, r | sem, applies_to, source, note, confirm}
      norms: [{population, source, mean, sd, n, applies_to, confirm, note}]
    texts:                      # one block per language
      en:
        provenance: validated   # validated (official wording) | project
        title, description, prompt, source
        items: {item_id: text}          # every item
        hints: {item_id: text}          # optional
        options: {set_or_item_id: {value: label}}   # every option of every choice item;
                                        # an item id overrides its set; rating scales may
                                        # label some points only
        bands: {band_key: label}        # every band

Every number in `scoring` carries a `source`; a value still to be checked against a licensed
user guide carries `confirm: true` and a `note`, so it can be corrected without code.

Fieldwork types (`star`, `inspection`, `mystery_shop`; app.instruments.fieldwork) have no
`items`, `pages` or `scoring`: the items and pages are made from their own blocks, and their
texts name things in their own terms (see surveys/outcomes-wheel-1.yaml,
surveys/young-inspectors-framework-1.yaml and surveys/mystery-shop-checklist-1.yaml):

    type: star                  # a licensed Outcomes Star loads from a pack in this form
    star:
      points: 10                # each area scored 1..points; default 10
      areas: [area_id, ...]     # 6 to 10, in order round the wheel; each becomes an item
      stages:                   # contiguous score ranges from 1 to points, lowest first
        - {key: stage_key, min: 1, max: 2}
    texts:
      en:
        provenance, title, description, prompt, source
        areas:                  # every area: its name, or a mapping
          area_id: {name: ..., description: ..., ladder: {stage_key: text}}
                                # description optional; a ladder, if any, covers every stage
        stages: {stage_key: label}      # every stage

    type: inspection            # or mystery_shop, which also needs `mystery_shop`
    option_sets: {rating4: ["1", "2", "3", "4"]}   # the scale: "1" up, lowest first
    framework:
      rating: rating4           # names the option set (2 to 10 points)
      not_observed: true        # adds the answer "not_observed" ("we didn't see this")
      evidence_note: {required: false, max_length: 1000}   # optional; adds an item
                                # `<characteristic>_evidence` (long text) to each one
      characteristics: [id, ...]        # 1 to 20
    mystery_shop:
      channels: [phone]         # any of visit, phone, web, email
      steps:                    # in order; each checklist item is a yes/no item
        - {id: step_id, checklist: [item_id, ...]}
    texts:
      en:
        characteristics:        # every characteristic: its text, or a mapping
          id: {text: ..., hint: ..., good_looks_like: [prompt, ...]}
        evidence_prompt: ...    # when the framework has an evidence_note
        options: {rating4: {"1": ..., ..., not_observed: ...}, yes_no: {...}}
        scenario: ...           # mystery_shop: the brief the shopper follows
        steps: {step_id: text}          # mystery_shop: every step
        checklist: {item_id: question}  # mystery_shop: every checklist item

Optional words (area descriptions and ladders, hints, "what good looks like" prompts) must be
in every language or in none, so a translation never quietly shows less than the English.

A language file adds languages to an instrument defined in another file, so a validated
translation of a licensed scale can arrive in an instrument pack (INSTRUMENT_PACKS) without
touching surveys/. It has `texts` and no `type` or `items`; each block is checked exactly
like one in the instrument's own file, and may not replace a language the instrument has:

    id: wemwbs
    version: 1
    texts:
      cy: {provenance: validated, source: ..., title: ..., items: {...}, options: {...}, ...}
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from app.instruments.model import (
    DEFAULT_MAX_LENGTH,
    INSTRUMENT_TYPES,
    ITEM_KINDS,
    MAX_LENGTH_CEILING,
    PROVENANCES,
    TEXT_KINDS,
    YES_NO_OPTION_SET,
    YES_NO_VALUES,
    Ages,
    Band,
    Instrument,
    InstrumentError,
    InstrumentRegistry,
    Item,
    Licence,
    LocaleTexts,
    MeaningfulChange,
    Norm,
    Problem,
    ReliableChange,
    Scoring,
)

if TYPE_CHECKING:
    from app.instruments.fieldwork_checks import FieldworkParts

INSTRUMENT_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
# Item ids become form field names and HTML ids, so they are kept to safe identifiers.
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?$")
# Names a FlaskForm (or the form builder) already uses for itself.
RESERVED_ITEM_IDS = frozenset(
    {
        "csrf_token",
        "data",
        "errors",
        "form_errors",
        "hidden_tag",
        "instrument",
        "is_submitted",
        "item_ids",
        "locale",
        "meta",
        "page_number",
        "populate_obj",
        "process",
        "submit",
        "validate",
        "validate_on_submit",
    }
)
SCORING_RULES = ("sum",)
SCORE_SCALES = ("raw", "metric")
# More points than this is not a rating scale a person can use on a phone.
MAX_RATING_POINTS = 21

TOP_KEYS = {
    "id",
    "version",
    "type",
    "estimated_minutes",
    "ages",
    "links_over_time_recommended",
    "licence",
    "option_sets",
    "items",
    "pages",
    "scoring",
    "texts",
    "notes",
    # fieldwork types (app.instruments.fieldwork_checks)
    "star",
    "framework",
    "mystery_shop",
}
ITEM_KEYS = {
    "id",
    "kind",
    "required",
    "options",
    "min",
    "max",
    "max_length",
    "max_choices",
    "concerns",
    "notes",
}
LICENCE_KEYS = {
    "holder",
    "name",
    "notice",
    "terms",
    "requires_licence_reference",
    "url",
    "source",
    "note",
    "confirm",
}
SCORING_KEYS = {
    "rule",
    "items",
    "complete_only",
    "range",
    "conversion",
    "bands",
    "change",
    "norms",
    "notes",
}
# A language file: texts for an instrument (id@version) defined in another file.
LANGUAGE_FILE_KEYS = {"id", "version", "texts", "notes"}
TEXT_KEYS = {
    "provenance",
    "title",
    "description",
    "prompt",
    "items",
    "hints",
    "options",
    "bands",
    "source",
    "notes",
}


def load_instruments(directories: Iterable[Path | str]) -> InstrumentRegistry:
    """Load every *.yaml / *.yml file in each folder, in order, into one registry.

    A language file (see the module docstring) adds its languages to an instrument defined
    in any of the folders, whatever the order. Raises InstrumentError listing every problem
    in every file (and any id@version defined twice across folders) when anything is wrong;
    nothing is loaded in that case.
    """
    problems: list[Problem] = []
    instruments: dict[tuple[str, int], Instrument] = {}
    defined_in: dict[tuple[str, int], str] = {}
    language_files: list[tuple[Path, dict]] = []
    for directory in directories:
        directory = Path(directory)
        if not directory.is_dir():
            problems.append(Problem(_label(directory), "", "instrument folder not found"))
            continue
        files = sorted(p for p in directory.iterdir() if p.suffix in {".yaml", ".yml"})
        for path in files:
            data, file_problems = _read_file(path)
            problems.extend(file_problems)
            if file_problems:
                continue
            if _is_language_file(data):
                language_files.append((path, data))
                continue
            instrument, file_problems = _check_instrument(path, data)
            problems.extend(file_problems)
            if instrument is None:
                continue
            key = (instrument.id, instrument.version)
            if key in defined_in:
                problems.append(
                    Problem(
                        _label(path),
                        "id",
                        f"{instrument.key} is already defined in {defined_in[key]}",
                    )
                )
                continue
            defined_in[key] = _label(path)
            instruments[key] = instrument
    for path, data in language_files:
        instrument, file_problems = _add_languages(path, data, instruments, defined_in)
        problems.extend(file_problems)
        if instrument is not None:
            instruments[(instrument.id, instrument.version)] = instrument
    if problems:
        raise InstrumentError(problems)
    return InstrumentRegistry(list(instruments.values()))


def load_instrument_file(path: Path | str) -> Instrument:
    """Load and check one instrument file; InstrumentError lists everything wrong with it.

    A language file cannot be checked on its own: load it with its instrument's folder.
    """
    path = Path(path)
    data, problems = _read_file(path)
    if not problems and _is_language_file(data):
        problems = [
            Problem(_label(path), "", "a language file: load it with the instrument's folder")
        ]
    if problems:
        raise InstrumentError(problems)
    instrument, problems = _check_instrument(path, data)
    if problems:
        raise InstrumentError(problems)
    return instrument


def _label(path: Path) -> str:
    """The file as an operator would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path(os.getcwd()).resolve()))
    except ValueError:
        return str(path)


# --- YAML reading -------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, which PyYAML would otherwise silently drop."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:
            continue  # unhashable key: construct_mapping reports it properly below
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_file(path: Path) -> tuple[Any, list[Problem]]:
    label = _label(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(label, "", f"cannot read file: {error}")]
    try:
        return yaml.load(text, Loader=_StrictLoader), []  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(label, where, f"invalid YAML: {error.problem or error}")]
    except yaml.YAMLError as error:
        return None, [Problem(label, "", f"invalid YAML: {error}")]


def _check_instrument(path: Path, data: Any) -> tuple[Instrument | None, list[Problem]]:
    checker = _Checker(_label(path), path)
    instrument = checker.instrument(data)
    if checker.problems:
        return None, checker.problems
    return instrument, []


def _is_language_file(data: Any) -> bool:
    """Texts for an instrument defined elsewhere: `texts` without the instrument's own
    `type` and `items`."""
    return isinstance(data, dict) and "texts" in data and not {"type", "items"} & set(data)


def _add_languages(
    path: Path,
    data: dict,
    instruments: dict[tuple[str, int], Instrument],
    defined_in: dict[tuple[str, int], str],
) -> tuple[Instrument | None, list[Problem]]:
    """The instrument with the languages of a language file added, checked like its own."""
    checker = _Checker(_label(path), path)
    checker.known_keys(data, LANGUAGE_FILE_KEYS, "")
    instrument_id = checker.field(data, "id", "", str, required=True)
    version = checker.field(data, "version", "", int, required=True)
    if checker.problems:
        return None, checker.problems
    base = instruments.get((instrument_id, version))
    if base is None:
        checker.problem(
            "id", f"adds languages to {instrument_id}@{version}, which no instrument file defines"
        )
        return None, checker.problems
    blocks = checker.mapping(data["texts"], "texts") or {}
    for locale in blocks:
        if locale in base.texts:
            checker.problem(
                f"texts.{locale}",
                f"{base.key} already has texts in {locale} "
                f"(from {defined_in[(base.id, base.version)]})",
            )
    added = checker.texts_for_instrument(blocks, base)
    if checker.fieldwork is not None:
        _fieldwork_checks().check_same_shape(checker, {**base.texts, **added})
    if checker.problems:
        return None, checker.problems
    return replace(base, texts=MappingProxyType({**base.texts, **added})), []


# --- Checking ----------------------------------------------------------------------------

_MISSING = object()


def _type_name(types: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a mapping",
    }
    if not isinstance(types, tuple):
        types = (types,)
    if set(types) == {int, float}:
        return "a number"
    return " or ".join(names.get(t, t.__name__) for t in types)


def _is(value: Any, types: type | tuple[type, ...]) -> bool:
    # bool is an int in Python, but `true` is never a sensible count or score.
    if isinstance(value, bool):
        return bool in (types if isinstance(types, tuple) else (types,))
    return isinstance(value, types)


def _option_value(value: Any) -> str | None:
    """Option values are text; a bare YAML number is accepted and read as its digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


_BOOL_HINT = " (YAML reads bare yes/no/on/off as true/false: put the value in quotes)"


class _Checker:
    """Walks one parsed file, recording problems and building the instrument if it can."""

    def __init__(self, label: str, path: Path):
        self.label = label
        self.path = path
        self.problems: list[Problem] = []
        # Ids and band keys as written, even when their item or band is faulty, so one
        # mistake is reported once rather than again by every section that refers to it.
        self.declared_items: list[str] = []
        self.declared_bands: list[str] | None = []
        self.faulty_items = False
        # A star, inspection or mystery shop: its definition and the items made from it.
        self.fieldwork: FieldworkParts | None = None

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.label, path, message))

    # generic helpers

    def mapping(self, value: Any, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, f"must be a mapping of keys to values, not {_describe(value)}")
            return None
        return value

    def known_keys(self, mapping: dict, allowed: set[str], path: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(_join(path, str(key)), "unknown key")

    def field(
        self,
        mapping: dict,
        key: str,
        path: str,
        types: type | tuple[type, ...],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        value = mapping.get(key, _MISSING)
        where = _join(path, key)
        if value is _MISSING or value is None:
            if required:
                self.problem(where, "is required")
            return default
        if not _is(value, types):
            self.problem(where, f"must be {_type_name(types)}, not {_describe(value)}")
            return default
        if isinstance(value, str) and not value.strip():
            if required:
                self.problem(where, "must not be empty")
            return default
        return value

    def number(self, mapping: dict, key: str, path: str, **kwargs) -> float | None:
        value = self.field(mapping, key, path, (int, float), **kwargs)
        return float(value) if value is not None else None

    def source(self, mapping: dict, path: str) -> str:
        return self.field(mapping, "source", path, str, required=True, default="")

    # the instrument

    def instrument(self, data: Any) -> Instrument | None:
        top = self.mapping(data, "")
        if top is None:
            return None
        self.known_keys(top, TOP_KEYS, "")
        instrument_id = self.field(top, "id", "", str, required=True)
        if instrument_id is not None and not INSTRUMENT_ID.match(instrument_id):
            self.problem("id", f"{instrument_id!r} must be lower-case letters, digits and hyphens")
        version = self.field(top, "version", "", int, required=True)
        if version is not None and version < 1:
            self.problem("version", "must be 1 or more")
        kind = self.field(top, "type", "", str, required=True)
        if kind is not None and kind not in INSTRUMENT_TYPES:
            self.problem(
                "type", f"unknown instrument type {kind!r} (one of {', '.join(INSTRUMENT_TYPES)})"
            )
        minutes = self.field(top, "estimated_minutes", "", int, required=True)
        if minutes is not None and minutes < 1:
            self.problem("estimated_minutes", "must be 1 or more")
        ages = self.ages(top.get("ages"))
        links = self.field(top, "links_over_time_recommended", "", bool, default=False)
        licence = self.licence(top.get("licence"))
        option_sets = self.option_sets(top.get("option_sets"))
        self.fieldwork = _fieldwork_checks().check_definition(self, kind, top, option_sets)
        if self.fieldwork is None:
            items = self.items(top.get("items"), option_sets)
            pages = self.pages(top.get("pages"), self.declared_items)
            scoring, norms = self.scoring(top.get("scoring"), items, kind)
        else:
            items, pages = list(self.fieldwork.items), self.fieldwork.pages
            scoring, norms = None, ()
        texts = self.texts(top.get("texts"), items, option_sets, scoring)
        if self.fieldwork is not None:
            _fieldwork_checks().check_same_shape(self, texts)
        if self.problems:
            return None
        return Instrument(
            id=instrument_id,
            version=version,
            type=kind,
            items=tuple(items),
            pages=pages,
            texts=MappingProxyType(texts),
            estimated_minutes=minutes,
            scoring=scoring,
            licence=licence,
            norms=norms,
            ages=ages,
            links_over_time_recommended=links,
            option_sets=MappingProxyType(option_sets),
            source=self.path,
            **(self.fieldwork.definitions() if self.fieldwork else {}),
        )

    def ages(self, value: Any) -> Ages:
        if value is None:
            return Ages()
        ages = self.mapping(value, "ages")
        if ages is None:
            return Ages()
        self.known_keys(ages, {"min", "validated_min", "note"}, "ages")
        return Ages(
            min=self.field(ages, "min", "ages", int),
            validated_min=self.field(ages, "validated_min", "ages", int),
            note=self.field(ages, "note", "ages", str, default=""),
        )

    def licence(self, value: Any) -> Licence | None:
        if value is None:
            return None
        licence = self.mapping(value, "licence")
        if licence is None:
            return None
        self.known_keys(licence, LICENCE_KEYS, "licence")
        needs_reference = self.field(
            licence, "requires_licence_reference", "licence", bool, default=False
        )
        terms = self.field(licence, "terms", "licence", list, default=[])
        for index, term in enumerate(terms):
            if not isinstance(term, str) or not term.strip():
                self.problem(f"licence.terms[{index}]", "must be text")
        return Licence(
            holder=self.field(licence, "holder", "licence", str, required=True, default=""),
            name=self.field(licence, "name", "licence", str, required=True, default=""),
            # The notice must be shown on every page, so a licensed instrument cannot lack it.
            notice=self.field(
                licence, "notice", "licence", str, required=needs_reference, default=""
            ),
            terms=tuple(t for t in terms if isinstance(t, str)),
            requires_licence_reference=needs_reference,
            url=self.field(licence, "url", "licence", str, default=""),
            source=self.field(licence, "source", "licence", str, default=""),
            note=self.field(licence, "note", "licence", str, default=""),
            confirm=self.field(licence, "confirm", "licence", bool, default=False),
        )

    def option_sets(self, value: Any) -> dict[str, tuple[str, ...]]:
        if value is None:
            return {}
        sets = self.mapping(value, "option_sets")
        if sets is None:
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for name, values in sets.items():
            path = f"option_sets.{name}"
            if not isinstance(name, str) or not NAME.match(name):
                self.problem(path, "option set names are lower-case letters, digits and _")
                continue
            if name == YES_NO_OPTION_SET:
                self.problem(path, f"'{YES_NO_OPTION_SET}' is built in: use kind yes_no")
                continue
            if not isinstance(values, list) or not values:
                self.problem(path, "must be a list of at least one option value")
                continue
            cleaned: list[str] = []
            for index, raw in enumerate(values):
                option = _option_value(raw)
                if option is None:
                    hint = _BOOL_HINT if isinstance(raw, bool) else ""
                    self.problem(f"{path}[{index}]", f"must be text, not {_describe(raw)}{hint}")
                elif option in cleaned:
                    self.problem(f"{path}[{index}]", f"duplicate option value {option!r}")
                else:
                    cleaned.append(option)
            result[name] = tuple(cleaned)
        return result

    def items(self, value: Any, option_sets: dict[str, tuple[str, ...]]) -> list[Item]:
        if value is None:
            self.problem("items", "is required")
            return []
        if not isinstance(value, list) or not value:
            self.problem("items", "must be a list of at least one item")
            return []
        items: list[Item] = []
        seen: set[str] = set()
        for index, raw in enumerate(value):
            declared = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(declared, str) and declared not in self.declared_items:
                self.declared_items.append(declared)
            item = self.item(raw, f"items[{index}]", option_sets)
            if item is None:
                self.faulty_items = True
                continue
            if item.id in seen:
                self.problem(f"items[{index}].id", f"duplicate item id {item.id!r}")
                self.faulty_items = True
                continue
            seen.add(item.id)
            items.append(item)
        return items

    def item(self, value: Any, path: str, option_sets: dict[str, tuple[str, ...]]) -> Item | None:
        data = self.mapping(value, path)
        if data is None:
            return None
        self.known_keys(data, ITEM_KEYS, path)
        before = len(self.problems)
        item_id = self.field(data, "id", path, str, required=True)
        if item_id is not None:
            if not ITEM_ID.match(item_id):
                self.problem(f"{path}.id", f"{item_id!r} must be lower-case letters, digits and _")
            elif item_id in RESERVED_ITEM_IDS:
                self.problem(f"{path}.id", f"{item_id!r} is reserved for the form itself")
        kind = self.field(data, "kind", path, str, required=True)
        if kind is not None and kind not in ITEM_KINDS:
            self.problem(
                f"{path}.kind", f"unknown item kind {kind!r} (one of {', '.join(ITEM_KINDS)})"
            )
            kind = None
        required = self.field(data, "required", path, bool, default=True)

        def not_for(key: str, kinds: str) -> None:
            if key in data:
                self.problem(f"{path}.{key}", f"only {kinds} items take {key}")

        options_name, option_values = None, ()
        if kind in ("single_choice", "multiple_choice"):
            options_name = self.field(data, "options", path, str, required=True)
            if options_name is not None:
                if options_name not in option_sets:
                    self.problem(f"{path}.options", f"unknown option set {options_name!r}")
                else:
                    option_values = option_sets[options_name]
        elif kind == "yes_no":
            not_for("options", "single_choice and multiple_choice")
            options_name, option_values = YES_NO_OPTION_SET, YES_NO_VALUES
        elif kind is not None:
            not_for("options", "single_choice and multiple_choice")

        low = high = None
        if kind == "rating_scale":
            low = self.field(data, "min", path, int, required=True)
            high = self.field(data, "max", path, int, required=True)
            if low is not None and high is not None:
                if low >= high:
                    self.problem(f"{path}.max", f"must be more than min ({low})")
                elif high - low + 1 > MAX_RATING_POINTS:
                    self.problem(
                        f"{path}.max", f"a rating scale has at most {MAX_RATING_POINTS} points"
                    )
        elif kind is not None:
            not_for("min", "rating_scale")
            not_for("max", "rating_scale")

        max_length = None
        if kind in TEXT_KINDS:
            max_length = self.field(data, "max_length", path, int, default=DEFAULT_MAX_LENGTH[kind])
            if max_length is not None and not 1 <= max_length <= MAX_LENGTH_CEILING:
                self.problem(f"{path}.max_length", f"must be between 1 and {MAX_LENGTH_CEILING}")
        elif kind is not None:
            not_for("max_length", "short_text and long_text")

        max_choices = None
        if kind == "multiple_choice":
            max_choices = self.field(data, "max_choices", path, int)
            if (
                max_choices is not None
                and option_values
                and not 1 <= max_choices <= len(option_values)
            ):
                self.problem(
                    f"{path}.max_choices",
                    f"must be between 1 and {len(option_values)} (the options)",
                )
        elif kind is not None:
            not_for("max_choices", "multiple_choice")

        # Answers that raise a safeguarding alert (app.safeguarding.detect), by option value.
        concerns = ()
        if "concerns" in data:
            raw = data["concerns"]
            values = [_option_value(v) for v in raw] if isinstance(raw, list) else None
            allowed = tuple(str(n) for n in range(low, high + 1)) if low is not None else ()
            allowed = allowed or tuple(option_values)
            if kind is not None and kind not in ("single_choice", "multiple_choice", "yes_no",
                                                 "rating_scale"):  # fmt: skip
                self.problem(f"{path}.concerns", "only choice and rating items take concerns")
            elif not values or None in values:
                hint = _BOOL_HINT if isinstance(raw, list) and True in map(_is_bool, raw) else ""
                self.problem(f"{path}.concerns", "must be a list of option values" + hint)
            elif allowed and set(values) - set(allowed):
                unknown = sorted(set(values) - set(allowed))
                self.problem(f"{path}.concerns", f"not options of this item: {unknown}")
            else:
                concerns = tuple(values)

        if len(self.problems) > before or item_id is None or kind is None:
            return None
        return Item(
            id=item_id,
            kind=kind,
            required=required,
            options=options_name,
            option_values=tuple(option_values),
            min=low,
            max=high,
            max_length=max_length,
            max_choices=max_choices,
            concerns=concerns,
        )

    def pages(self, value: Any, item_ids: list[str]) -> tuple[tuple[str, ...], ...]:
        if value is None:
            return (tuple(item_ids),)
        if not isinstance(value, list) or not value:
            self.problem("pages", "must be a list of pages, each a list of item ids")
            return ()
        placed: dict[str, int] = {}
        pages: list[tuple[str, ...]] = []
        for number, page in enumerate(value, start=1):
            path = f"pages[{number - 1}]"
            if not isinstance(page, list) or not page:
                self.problem(path, "must be a list of at least one item id")
                continue
            for position, item_id in enumerate(page):
                where = f"{path}[{position}]"
                if item_id not in item_ids:
                    self.problem(where, f"unknown item {item_id!r}")
                elif item_id in placed:
                    self.problem(where, f"item {item_id!r} is already on page {placed[item_id]}")
                else:
                    placed[item_id] = number
            pages.append(tuple(page))
        for item_id in item_ids:
            if item_id not in placed:
                self.problem("pages", f"item {item_id!r} is on no page")
        return tuple(pages)

    # scoring

    def scoring(
        self, value: Any, items: list[Item], instrument_type: str | None
    ) -> tuple[Scoring | None, tuple[Norm, ...]]:
        if value is None:
            if instrument_type == "scale":
                self.problem("scoring", "is required for a scale")
            return None, ()
        data = self.mapping(value, "scoring")
        if data is None:
            self.declared_bands = None
            return None, ()
        self.known_keys(data, SCORING_KEYS, "scoring")
        before = len(self.problems)
        by_id = {item.id: item for item in items}
        rule = self.field(data, "rule", "scoring", str, required=True)
        if rule is not None and rule not in SCORING_RULES:
            self.problem(
                "scoring.rule", f"unknown rule {rule!r} (one of {', '.join(SCORING_RULES)})"
            )
        complete_only = self.field(data, "complete_only", "scoring", bool, default=True)
        if complete_only is False:
            self.problem(
                "scoring.complete_only", "must be true: partial responses are never pro-rated"
            )

        scored = self.scored_items(data.get("items", "all"), items, by_id)
        low_sum = sum(min(int(v) for v in by_id[i].values) for i in scored if i in by_id)
        high_sum = sum(max(int(v) for v in by_id[i].values) for i in scored if i in by_id)
        low = high = None
        score_range = self.field(data, "range", "scoring", dict, required=True)
        if score_range is not None:
            self.known_keys(score_range, {"min", "max"}, "scoring.range")
            low = self.field(score_range, "min", "scoring.range", int, required=True)
            high = self.field(score_range, "max", "scoring.range", int, required=True)
            if scored and len(self.problems) == before and not self.faulty_items:
                if low is not None and low != low_sum:
                    self.problem(
                        "scoring.range.min",
                        f"{low} is not the lowest possible total of the scored items ({low_sum})",
                    )
                if high is not None and high != high_sum:
                    self.problem(
                        "scoring.range.max",
                        f"{high} is not the highest possible total of the scored items "
                        f"({high_sum})",
                    )
        conversion, conversion_source = self.conversion(data.get("conversion"), low, high)
        has_metric = conversion is not None

        bands, bands_on, bands_source, indicative, bands_confirm = self.bands(
            data.get("bands"), low, high, conversion
        )
        meaningful, reliable = self.change(data.get("change"), has_metric)
        norms = self.norms(data.get("norms"), has_metric)
        if len(self.problems) > before or low is None or high is None:
            return None, norms
        return (
            Scoring(
                rule=rule,
                items=tuple(scored),
                complete_only=True,
                min=low,
                max=high,
                conversion=MappingProxyType(conversion) if conversion is not None else None,
                conversion_source=conversion_source,
                bands=bands,
                bands_apply_to=bands_on,
                bands_source=bands_source,
                bands_indicative=indicative,
                bands_confirm=bands_confirm,
                meaningful_change=meaningful,
                reliable_change=reliable,
            ),
            norms,
        )

    def scored_items(self, value: Any, items: list[Item], by_id: dict[str, Item]) -> list[str]:
        if value == "all":
            candidates = [(f"items[{i}]", item.id) for i, item in enumerate(items)]
        elif isinstance(value, list) and value:
            candidates = [(f"scoring.items[{i}]", v) for i, v in enumerate(value)]
        else:
            self.problem("scoring.items", "must be 'all' or a list of item ids")
            return []
        scored: list[str] = []
        for where, item_id in candidates:
            item = by_id.get(item_id) if isinstance(item_id, str) else None
            if item is None and item_id in self.declared_items:
                continue  # a faulty item, already reported
            if item is None:
                self.problem(where, f"unknown item {item_id!r}")
            elif item_id in scored:
                self.problem(where, f"item {item_id!r} is scored twice")
            elif item.kind not in ("single_choice", "rating_scale") or not all(
                _is_integer_text(v) for v in item.values
            ):
                self.problem(
                    where,
                    f"item {item_id!r} cannot be summed: scored items are single_choice or "
                    "rating_scale with whole-number option values",
                )
            else:
                scored.append(item_id)
        return scored

    def conversion(
        self, value: Any, low: int | None, high: int | None
    ) -> tuple[dict[int, float] | None, str]:
        if value is None:
            return None, ""
        path = "scoring.conversion"
        data = self.mapping(value, path)
        if data is None:
            return None, ""
        self.known_keys(data, {"table", "source", "note", "confirm"}, path)
        source = self.source(data, path)
        table = self.field(data, "table", path, dict, required=True)
        if table is None:
            return None, source
        result: dict[int, float] = {}
        for raw, metric in table.items():
            where = f"{path}.table.{raw}"
            if not _is(raw, int):
                self.problem(where, "raw scores must be whole numbers")
            elif not _is(metric, (int, float)):
                self.problem(where, f"metric score must be a number, not {_describe(metric)}")
            elif low is not None and high is not None and not low <= raw <= high:
                self.problem(where, f"raw score {raw} is outside the range {low}-{high}")
            else:
                result[raw] = float(metric)
        if low is not None and high is not None:
            missing = [str(r) for r in range(low, high + 1) if r not in table]
            if missing:
                self.problem(f"{path}.table", f"no metric score for raw {', '.join(missing)}")
        ordered = [result[r] for r in sorted(result)]
        if any(b < a for a, b in zip(ordered, ordered[1:], strict=False)):
            self.problem(f"{path}.table", "metric scores must not go down as raw scores go up")
        return result, source

    def bands(
        self, value: Any, low: int | None, high: int | None, conversion: dict | None
    ) -> tuple[tuple[Band, ...], str, str, bool, bool]:
        empty: tuple[tuple[Band, ...], str, str, bool, bool] = ((), "raw", "", True, False)
        if value is None:
            return empty
        path = "scoring.bands"
        self.declared_bands = None
        data = self.mapping(value, path)
        if data is None:
            return empty
        self.known_keys(
            data, {"applies_to", "indicative", "confirm", "source", "note", "ranges"}, path
        )
        default_on = "metric" if conversion is not None else "raw"
        applies_to = self.applies_to(data, path, conversion is not None, default_on)
        source = self.source(data, path)
        indicative = self.field(data, "indicative", path, bool, default=True)
        confirm = self.field(data, "confirm", path, bool, default=False)
        ranges = self.field(data, "ranges", path, list, required=True, default=[])
        declared = [r.get("key") for r in ranges if isinstance(r, dict)]
        if len(declared) == len(ranges) and all(isinstance(k, str) for k in declared):
            self.declared_bands = declared
        bands: list[Band] = []
        keys: set[str] = set()
        for index, raw in enumerate(ranges):
            where = f"{path}.ranges[{index}]"
            band = self.mapping(raw, where)
            if band is None:
                continue
            self.known_keys(band, {"key", "min", "max"}, where)
            key = self.field(band, "key", where, str, required=True)
            band_min = self.number(band, "min", where, required=True)
            band_max = self.number(band, "max", where, required=True)
            if key is None or band_min is None or band_max is None:
                continue
            if not NAME.match(key):
                self.problem(f"{where}.key", "band keys are lower-case letters, digits and _")
            if key in keys:
                self.problem(f"{where}.key", f"duplicate band {key!r}")
            keys.add(key)
            if band_min > band_max:
                self.problem(where, f"min {_num(band_min)} is more than max {_num(band_max)}")
            bands.append(Band(key=key, min=band_min, max=band_max))
        if not bands:
            if ranges:
                return empty
            self.problem(f"{path}.ranges", "must list at least one band")
            return empty
        for index, (before, after) in enumerate(zip(bands, bands[1:], strict=False), start=1):
            where = f"{path}.ranges[{index}].min"
            if after.min <= before.max:
                self.problem(
                    where,
                    f"band {after.key!r} starts at {_num(after.min)}, overlapping "
                    f"{before.key!r} (up to {_num(before.max)})",
                )
            elif after.min - before.max > 1:
                self.problem(
                    where,
                    f"band {after.key!r} starts at {_num(after.min)}, leaving a gap after "
                    f"{before.key!r} (up to {_num(before.max)})",
                )
        if low is not None and high is not None:
            score_low, score_high = float(low), float(high)
            if applies_to == "metric" and conversion and low in conversion and high in conversion:
                score_low, score_high = conversion[low], conversion[high]
            if bands[0].min != score_low:
                self.problem(
                    f"{path}.ranges[0].min",
                    f"the first band must start at the lowest {applies_to} score "
                    f"({_num(score_low)})",
                )
            if bands[-1].max != score_high:
                self.problem(
                    f"{path}.ranges[{len(bands) - 1}].max",
                    f"the last band must end at the highest {applies_to} score "
                    f"({_num(score_high)})",
                )
        return tuple(bands), applies_to, source, indicative, confirm

    def applies_to(self, data: dict, path: str, has_metric: bool, default: str) -> str:
        value = self.field(data, "applies_to", path, str, default=default)
        if value not in SCORE_SCALES:
            self.problem(f"{path}.applies_to", f"must be one of {', '.join(SCORE_SCALES)}")
            return default
        if value == "metric" and not has_metric:
            self.problem(f"{path}.applies_to", "metric needs a scoring.conversion table")
            return default
        return value

    def change(
        self, value: Any, has_metric: bool
    ) -> tuple[MeaningfulChange | None, ReliableChange | None]:
        if value is None:
            return None, None
        data = self.mapping(value, "scoring.change")
        if data is None:
            return None, None
        self.known_keys(data, {"meaningful", "reliable"}, "scoring.change")
        default_on = "metric" if has_metric else "raw"
        meaningful = reliable = None
        if "meaningful" in data:
            path = "scoring.change.meaningful"
            block = self.mapping(data["meaningful"], path)
            if block is not None:
                self.known_keys(
                    block,
                    {"points", "applies_to", "source", "note", "confirm", "published"},
                    path,
                )
                points = self.number(block, "points", path, required=True)
                if points is not None and points <= 0:
                    self.problem(f"{path}.points", "must be more than 0")
                published = {}
                for key, number in self.field(block, "published", path, dict, default={}).items():
                    if not _is(number, (int, float)):
                        self.problem(f"{path}.published.{key}", "must be a number")
                    else:
                        published[str(key)] = float(number)
                meaningful = MeaningfulChange(
                    points=points or 0.0,
                    applies_to=self.applies_to(block, path, has_metric, default_on),
                    source=self.source(block, path),
                    note=self.field(block, "note", path, str, default=""),
                    confirm=self.field(block, "confirm", path, bool, default=False),
                    published=MappingProxyType(published),
                )
        if "reliable" in data:
            path = "scoring.change.reliable"
            block = self.mapping(data["reliable"], path)
            if block is not None:
                self.known_keys(
                    block, {"z", "sd", "r", "sem", "applies_to", "source", "note", "confirm"}, path
                )
                z = self.number(block, "z", path, required=True)
                sd = self.number(block, "sd", path)
                r = self.number(block, "r", path)
                sem = self.number(block, "sem", path)
                if sem is None and (sd is None or r is None):
                    self.problem(path, "needs either sem, or both sd and r")
                if sem is not None and sem <= 0:
                    self.problem(f"{path}.sem", "must be more than 0")
                if sd is not None and sd <= 0:
                    self.problem(f"{path}.sd", "must be more than 0")
                if r is not None and not 0 < r < 1:
                    self.problem(f"{path}.r", "must be between 0 and 1")
                if z is not None and z <= 0:
                    self.problem(f"{path}.z", "must be more than 0")
                reliable = ReliableChange(
                    z=z or 0.0,
                    applies_to=self.applies_to(block, path, has_metric, default_on),
                    source=self.source(block, path),
                    sd=sd,
                    r=r,
                    sem=sem,
                    note=self.field(block, "note", path, str, default=""),
                    confirm=self.field(block, "confirm", path, bool, default=False),
                )
        return meaningful, reliable

    def norms(self, value: Any, has_metric: bool) -> tuple[Norm, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("scoring.norms", "must be a list")
            return ()
        norms: list[Norm] = []
        for index, raw in enumerate(value):
            path = f"scoring.norms[{index}]"
            data = self.mapping(raw, path)
            if data is None:
                continue
            self.known_keys(
                data,
                {"population", "source", "mean", "sd", "n", "applies_to", "confirm", "note"},
                path,
            )
            before = len(self.problems)
            population = self.field(data, "population", path, str, required=True)
            source = self.source(data, path)
            mean = self.number(data, "mean", path, required=True)
            sd = self.number(data, "sd", path)
            n = self.field(data, "n", path, int)
            applies_to = self.applies_to(data, path, has_metric, "metric" if has_metric else "raw")
            confirm = self.field(data, "confirm", path, bool, default=False)
            if len(self.problems) == before:
                norms.append(Norm(population, source, mean, sd, n, applies_to, confirm))
        return tuple(norms)

    # texts

    def texts(
        self,
        value: Any,
        items: list[Item],
        option_sets: dict[str, tuple[str, ...]],
        scoring: Scoring | None,
    ) -> dict[str, LocaleTexts]:
        if value is None:
            self.problem("texts", "is required (one block per language, e.g. en)")
            return {}
        blocks = self.mapping(value, "texts")
        if blocks is None:
            return {}
        if not blocks:
            self.problem("texts", "must have at least one language")
        result: dict[str, LocaleTexts] = {}
        for locale, block in blocks.items():
            if not isinstance(locale, str) or not LOCALE.match(locale):
                self.problem(f"texts.{locale}", "language codes look like en, cy, pt_BR")
                continue
            texts = self.locale_texts(locale, block, items, option_sets, scoring)
            if texts is not None:
                result[locale] = texts
        return result

    def texts_for_instrument(self, blocks: dict, base: Instrument) -> dict[str, LocaleTexts]:
        """Check language blocks against an instrument already loaded from another file."""
        self.fieldwork = _fieldwork_checks().parts_from_instrument(base)
        # A fieldwork instrument's items are named by its own keys (areas, characteristics).
        self.declared_items = [] if self.fieldwork else [item.id for item in base.items]
        self.declared_bands = [band.key for band in base.scoring.bands] if base.scoring else []
        return self.texts(blocks, list(base.items), dict(base.option_sets), base.scoring)

    def locale_texts(
        self,
        locale: str,
        value: Any,
        items: list[Item],
        option_sets: dict[str, tuple[str, ...]],
        scoring: Scoring | None,
    ) -> LocaleTexts | None:
        path = f"texts.{locale}"
        data = self.mapping(value, path)
        if data is None:
            return None
        kind = self.fieldwork.kind if self.fieldwork else None
        self.known_keys(data, TEXT_KEYS | _fieldwork_checks().text_keys(kind), path)
        provenance = self.field(data, "provenance", path, str, required=True)
        if provenance is not None and provenance not in PROVENANCES:
            self.problem(
                f"{path}.provenance",
                f"unknown provenance {provenance!r} (one of {', '.join(PROVENANCES)})",
            )
        title = self.field(data, "title", path, str, required=True)
        item_ids = self.declared_items

        item_texts = self.text_map(data, "items", path, required=self.fieldwork is None)
        for item_id in item_ids:
            if not item_texts.get(item_id):
                self.problem(f"{path}.items", f"no text for item {item_id!r}")
        for item_id in item_texts:
            if item_id not in item_ids:
                self.problem(f"{path}.items.{item_id}", "unknown item")

        hints = self.text_map(data, "hints", path)
        for item_id in hints:
            if item_id not in item_ids:
                self.problem(f"{path}.hints.{item_id}", "unknown item")

        options = {}
        # A faulty fieldwork definition has no items yet: its labels cannot be checked, and
        # the fault is already reported.
        if not (self.fieldwork and self.fieldwork.faulty):
            options = self.option_labels(data.get("options"), f"{path}.options", items)
            self.check_option_labels(options, f"{path}.options", items)

        band_labels = self.text_map(data, "bands", path)
        band_keys = self.declared_bands
        if band_keys is None:  # the bands themselves are faulty and already reported
            band_keys = list(band_labels)
        for key in band_keys:
            if not band_labels.get(key):
                self.problem(f"{path}.bands", f"no label for band {key!r}")
        for key in band_labels:
            if key not in band_keys:
                self.problem(f"{path}.bands.{key}", "unknown band")

        words = None
        if self.fieldwork is not None:
            words = _fieldwork_checks().check_words(self, self.fieldwork, data, path)
            item_texts, hints = words.items, words.hints

        if provenance is None or title is None:
            return None
        return LocaleTexts(
            locale=locale,
            provenance=provenance,
            title=title,
            items=MappingProxyType(item_texts),
            description=self.field(data, "description", path, str, default=""),
            prompt=self.field(data, "prompt", path, str, default=""),
            hints=MappingProxyType(hints),
            options=MappingProxyType(options),
            bands=MappingProxyType(band_labels),
            source=self.field(data, "source", path, str, default=""),
            fieldwork=words.texts if words else None,
        )

    def text_map(self, data: dict, key: str, path: str, *, required: bool = False) -> dict:
        value = self.field(data, key, path, dict, required=required, default={})
        result = {}
        for name, text in value.items():
            if not isinstance(text, str) or not text.strip():
                self.problem(f"{path}.{key}.{name}", "must be text")
            else:
                result[str(name)] = text.strip()
        return result

    def option_labels(self, value: Any, path: str, items: list[Item]) -> dict[str, dict[str, str]]:
        if value is None:
            return {}
        data = self.mapping(value, path)
        if data is None:
            return {}
        by_id = {item.id: item for item in items}
        used_sets = {item.options for item in items if item.options}
        result: dict[str, dict[str, str]] = {}
        for name, labels in data.items():
            where = f"{path}.{name}"
            item = by_id.get(name)
            if name not in used_sets and (item is None or not item.is_choice):
                self.problem(where, "not an option set used by an item, nor a choice item's id")
                continue
            if not isinstance(labels, dict):
                self.problem(where, "must map each option value to its label")
                continue
            allowed = item.values if item is not None else _set_values(name, items)
            cleaned: dict[str, str] = {}
            for raw_value, label in labels.items():
                option = _option_value(raw_value)
                if option is None:
                    hint = _BOOL_HINT if isinstance(raw_value, bool) else ""
                    self.problem(f"{where}.{raw_value}", f"option values are text{hint}")
                elif option not in allowed:
                    self.problem(f"{where}.{option}", f"{option!r} is not one of its options")
                elif not isinstance(label, str) or not label.strip():
                    self.problem(f"{where}.{option}", "must be text")
                else:
                    cleaned[option] = label.strip()
            result[name] = cleaned
        return result

    def check_option_labels(
        self, options: dict[str, dict[str, str]], path: str, items: list[Item]
    ) -> None:
        """Every option a person can pick has a label, shared by the set or for its item."""
        missing: dict[str, list[str]] = {}
        for item in items:
            if item.kind not in ("single_choice", "multiple_choice", "yes_no"):
                continue
            shared = options.get(item.options, {})
            specific = options.get(item.id, {})
            for option in item.values:
                if option not in shared and option not in specific:
                    names = missing.setdefault(item.options, [])
                    if option not in names:
                        names.append(option)
        for name, values in missing.items():
            quoted = ", ".join(repr(v) for v in values)
            self.problem(f"{path}.{name}", f"no label for option {quoted}")


def _set_values(name: str, items: list[Item]) -> tuple[str, ...]:
    for item in items:
        if item.options == name:
            return item.option_values
    return ()


def _fieldwork_checks():
    """The star, inspection and mystery-shop checks, imported when first used: they use this
    module's helpers, so importing them at the top would be circular."""
    from app.instruments import fieldwork_checks

    return fieldwork_checks


def _is_integer_text(value: str) -> bool:
    return re.fullmatch(r"-?\d+", value) is not None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _num(value: float) -> str:
    return f"{value:g}"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    return type(value).__name__


def problems_as_text(problems: Iterable[Problem]) -> str:
    """One line per problem, for a terminal or a log."""
    return "\n".join(str(problem) for problem in problems)
