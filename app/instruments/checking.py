"""What every check of an instrument file shares: the problems found so far, and reading
values the schema has already checked without reporting them again.

The structure of a file (keys, types, required keys, allowed values) is checked by JSON
Schema (app.instruments.schema); the checks built on this class compare one part of a file
with another. They read values with `get`, which quietly gives a default for anything the
schema has reported, so each mistake is named once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.instruments.model import Problem

# Item ids become form field names and HTML ids, so they are kept to safe identifiers.
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?$")
# More points than this is not a rating scale a person can use on a phone.
MAX_RATING_POINTS = 21
BOOL_HINT = " (YAML reads bare yes/no/on/off as true/false: put the value in quotes)"


class Checker:
    """Problems with one file, and which of its places the schema found broken."""

    def __init__(self, label: str, path: Path, structure: list[tuple[str, str]] = ()):
        self.label = label
        self.path = path
        self.problems: list[Problem] = [Problem(label, where, what) for where, what in structure]
        self.broken_places = [where for where, _ in structure]

    def problem(self, path: str, message: str) -> None:
        """Record a problem at `path` inside the file."""
        self.problems.append(Problem(self.label, path, message))

    def broken(self, path: str) -> bool:
        """Whether the schema found a problem at `path` or anywhere inside it."""
        return any(
            place == path or place.startswith((f"{path}.", f"{path}["))
            for place in self.broken_places
        )

    @staticmethod
    def get(mapping: Any, key: str, types: type | tuple[type, ...], default: Any = None) -> Any:
        """mapping[key] when it is of `types` (and, for text, not blank), else `default`."""
        if not isinstance(mapping, dict):
            return default
        value = mapping.get(key)
        if value is None or not is_a(value, types):
            return default
        if isinstance(value, str) and not value.strip():
            return default
        return value

    def number(self, mapping: Any, key: str) -> float | None:
        value = self.get(mapping, key, (int, float))
        return float(value) if value is not None else None


def is_a(value: Any, types: type | tuple[type, ...]) -> bool:
    """isinstance, except that true and false are not numbers here."""
    # bool is an int in Python, but `true` is never a sensible count or score.
    if isinstance(value, bool):
        return bool in (types if isinstance(types, tuple) else (types,))
    return isinstance(value, types)


def option_value(value: Any) -> str | None:
    """Option values are text; a bare YAML number is accepted and read as its digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def text_of(value: Any) -> str | None:
    """The value trimmed, when it is text that is not blank."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def describe(value: Any) -> str:
    """A value as an editor of the file would recognise it in a message."""
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


def num(value: float) -> str:
    """A number as written in a message: 3, not 3.0."""
    return f"{value:g}"
