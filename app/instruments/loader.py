"""Load instrument files (surveys/*.yaml and instrument packs) and check every rule.

The loader reads every file in every folder it is given and collects every problem before
raising, so whoever edits a file (a developer, a licence holder correcting a band, a
translator adding a language) sees the whole list at once, each naming the file, the path
inside it and what is wrong:

    surveys/wemwbs-1.yaml: items[3].options: unknown option set 'frequency6'

The structure is checked by JSON Schema (instrument.schema.json, via app.instruments.schema)
and the rules between parts of a file by app.instruments.semantics and its neighbours. The
format, one file per instrument version (see surveys/wemwbs-1.yaml for a full example):

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
      norms: [{population, group, ages: {min, max}, source, mean, sd, n, applies_to,
             confirm, note}]
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
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from app.instruments.fieldwork_texts import check_same_shape
from app.instruments.model import Instrument, InstrumentError, InstrumentRegistry, Problem
from app.instruments.schema import (
    language_file_problems,
    language_texts_problems,
    structure_problems,
)
from app.instruments.semantics import InstrumentChecker


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
    return read_yaml(text, label)


def read_yaml(text: str, label: str) -> tuple[Any, list[Problem]]:
    """The YAML text as data, or the problem with where it is; duplicate keys refused."""
    try:
        return yaml.load(text, Loader=_StrictLoader), []  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(label, where, f"invalid YAML: {error.problem or error}")]
    except yaml.YAMLError as error:
        return None, [Problem(label, "", f"invalid YAML: {error}")]


def check_document(data: Any, label: str, source: str | None = None) -> Instrument:
    """One instrument's data (as read from its YAML) checked by every rule a file meets.

    For instruments kept elsewhere than in a folder: written on screen or imported. Raises
    InstrumentError listing every problem, each labelled with `label`.
    """
    if _is_language_file(data):
        raise InstrumentError(
            [Problem(label, "", "a language file: load it with the instrument's folder")]
        )
    checker = InstrumentChecker(label, source, structure_problems(data))
    instrument = checker.instrument(data)
    if checker.problems:
        raise InstrumentError(checker.problems)
    return instrument


def dump_yaml(data: Any) -> str:
    """An instrument's data as YAML in the surveys/ format: keys in their written order,
    every language's own letters kept (not escaped)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _check_instrument(path: Path, data: Any) -> tuple[Instrument | None, list[Problem]]:
    """The structure by the schema, then the rules between parts; every problem together."""
    checker = InstrumentChecker(_label(path), path, structure_problems(data))
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
    label = _label(path)
    structure = language_file_problems(data)
    if structure:
        return None, [Problem(label, where, what) for where, what in structure]
    base = instruments.get((data["id"], data["version"]))
    if base is None:
        where = f"{data['id']}@{data['version']}"
        message = f"adds languages to {where}, which no instrument file defines"
        return None, [Problem(label, "id", message)]
    checker = InstrumentChecker(label, path, language_texts_problems(data, base.type))
    blocks = data["texts"]
    for locale in blocks:
        if locale in base.texts:
            checker.problem(
                f"texts.{locale}",
                f"{base.key} already has texts in {locale} "
                f"(from {defined_in[(base.id, base.version)]})",
            )
    added = checker.texts_for_instrument(blocks, base)
    if checker.fieldwork is not None:
        check_same_shape(checker, {**base.texts, **added})
    if checker.problems:
        return None, checker.problems
    return replace(base, texts=MappingProxyType({**base.texts, **added})), []


def problems_as_text(problems: Iterable[Problem]) -> str:
    """One line per problem, for a terminal or a log."""
    return "\n".join(str(problem) for problem in problems)
