"""The structure of an instrument file, checked by JSON Schema (instrument.schema.json).

The schema says which keys a file has, their types, which are required and which values
are allowed; `jsonschema` finds every place that breaks it. Each error's path becomes this
project's path format (`items[3].options`) and its message the words an editor of the file
reads, taken from the schema's `x-messages` for the keyword that failed, else from a
default per keyword below.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from app.instruments.checking import BOOL_HINT, describe

SCHEMA_FILE = Path(__file__).with_name("instrument.schema.json")
# The language block each instrument type's texts are checked against.
TEXTS_BY_TYPE = {
    "star": "star_texts",
    "inspection": "inspection_texts",
    "mystery_shop": "mystery_shop_texts",
}
TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


@cache
def instrument_schema() -> dict:
    """The instrument file schema, read once."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def _validator(definition: str | None) -> Draft202012Validator:
    schema = instrument_schema()
    if definition is not None:
        # A part of the schema on its own, with every definition it may refer to.
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema)


@cache
def _language_file_texts(kind: str | None) -> Draft202012Validator:
    name = TEXTS_BY_TYPE.get(kind or "", "locale_texts")
    block = {"additionalProperties": {"$ref": f"#/$defs/{name}"}}
    return Draft202012Validator(
        {"$defs": instrument_schema()["$defs"], "properties": {"texts": block}}
    )


def structure_problems(data: Any) -> list[tuple[str, str]]:
    """(path, message) for every place an instrument file breaks the schema."""
    return _problems(_validator(None), data)


def language_file_problems(data: Any) -> list[tuple[str, str]]:
    """(path, message) for a language file's own keys (id, version, texts as a mapping)."""
    return _problems(_validator("language_file"), data)


def language_texts_problems(data: dict, kind: str | None) -> list[tuple[str, str]]:
    """(path, message) for a language file's blocks, checked as the instrument's own are."""
    return _problems(_language_file_texts(kind), {"texts": data.get("texts")})


def _problems(validator: Draft202012Validator, data: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    errors = sorted(validator.iter_errors(data), key=lambda e: _order(data, e))
    for error in errors:
        for problem in _explain(data, error):
            if problem not in found:
                found.append(problem)
    return found


def _order(data: Any, error: ValidationError) -> tuple:
    """Errors in the order of the file, so the list reads from top to bottom."""
    positions: list[int] = []
    node = data
    for step in error.absolute_path:
        if isinstance(node, dict):
            keys = list(node)
            positions.append(keys.index(step) if step in keys else len(keys))
        elif isinstance(node, list) and isinstance(step, int):
            positions.append(step)
        node = node[step] if isinstance(node, (dict, list)) else None
    return (*positions, -1) if error.validator == "required" else tuple(positions)


def format_path(data: Any, steps: Sequence[Any]) -> str:
    """`items[3].options` from the steps into the document: list positions in brackets."""
    path = ""
    node = data
    for step in steps:
        if isinstance(node, list):
            path += f"[{step}]"
        else:
            path = f"{path}.{step}" if path else str(step)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
    return path


def _explain(data: Any, error: ValidationError) -> Iterator[tuple[str, str]]:
    steps = list(error.absolute_path)
    keyword = error.validator
    messages = error.schema.get("x-messages", {}) if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.absolute_schema_path:
        # A key's name is wrong: the key itself is the place.
        steps.append(error.instance)
    path = format_path(data, steps)
    if keyword == "required":
        required = messages.get("required", {})
        for key in error.validator_value:
            # One error per missing key, each naming its key only in its message.
            if error.message == f"{key!r} is a required property":
                yield _join(path, key), required.get(key, "is required")
        return
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield _join(path, str(key)), "unknown key"
        return
    template = messages.get(keyword) or _DEFAULTS.get(keyword)
    if template is None:
        yield path, error.message
        return
    yield path, template.format(**_values(error))


def _values(error: ValidationError) -> dict[str, Any]:
    value = error.instance
    allowed = error.validator_value if error.validator == "enum" else ()
    types = error.validator_value if error.validator == "type" else ()
    if isinstance(types, str):
        types = [types]
    return {
        "value": value,
        "describe": describe(value),
        "hint": BOOL_HINT if isinstance(value, bool) else "",
        "allowed": ", ".join(str(a) for a in allowed),
        "count": len(value) if isinstance(value, (list, dict)) else 0,
        "limit": error.validator_value,
        "types": " or ".join(TYPE_NAMES.get(t, t) for t in types),
    }


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_DEFAULTS = {
    "type": "must be {types}, not {describe}",
    "enum": "must be one of {allowed}",
    "const": "must be {limit!r}",
    "minimum": "must be {limit} or more",
    "maximum": "must be {limit} or less",
    "exclusiveMinimum": "must be more than {limit}",
    "exclusiveMaximum": "must be less than {limit}",
    "minItems": "must list at least {limit}",
    "maxItems": "must list no more than {limit}",
    "minProperties": "must have at least {limit} entries",
    "pattern": "{value!r} is not in the expected form",
}
