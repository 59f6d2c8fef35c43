"""The measure library and the provider return's fields, as data: surveys/measures/*.yaml.

`load_library` reads and checks the files (no database); `sync_library` writes each shared
measure into the `measure` table by its stable `key`, so contracts can choose them. A body's
own local measures live only in the table. `return_fields` lists what a provider's periodic
return asks for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from app.extensions import db
from app.models import Measure

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "surveys" / "measures"

KINDS = {
    "outcome": "Outcome",
    "experience": "Experience",
    "output": "Output",
    "process": "Process",
}
TAGS = {"national": "National", "local": "Local"}
UNITS = {"score": "score", "percent": "per cent", "count": "count", "days": "days"}
DIRECTIONS = {"higher": "Higher is better", "lower": "Lower is better"}
# Each source and the params it needs.
SOURCES: dict[str, tuple[str, ...]] = {
    "scale_mean": ("instrument",),
    "scale_meaningful": ("instrument",),
    "wheel_distance": ("instrument", "area"),
    "question_positive": ("instrument", "item", "positive"),
    "inspection_rating": ("framework", "characteristic", "positive"),
    "return_figure": ("field",),
    "return_ratio": ("numerator", "denominator"),
}
RETURN_SOURCES = ("return_figure", "return_ratio")


class LibraryError(ValueError):
    """A measure file that cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class ReturnField:
    key: str
    label: str
    hint: str = ""
    not_above: str | None = None


@dataclass(frozen=True)
class MeasureSpec:
    key: str
    name: str
    kind: str
    tag: str
    unit: str
    direction: str
    source: str
    params: dict[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Library:
    measures: tuple[MeasureSpec, ...]
    return_fields: tuple[ReturnField, ...]


def _check_measure(where: str, raw: Any, fields: set[str]) -> MeasureSpec:
    if not isinstance(raw, dict):
        raise LibraryError(f"{where}: expected a mapping")
    for name in ("key", "name", "kind", "unit", "direction", "source"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise LibraryError(f"{where}.{name}: missing")
    spec = MeasureSpec(
        key=raw["key"],
        name=raw["name"],
        kind=raw["kind"],
        tag=raw.get("tag", "local"),
        unit=raw["unit"],
        direction=raw["direction"],
        source=raw["source"],
        params=dict(raw.get("params") or {}),
        description=str(raw.get("description", "")),
    )
    for name, allowed in (
        ("kind", KINDS),
        ("tag", TAGS),
        ("unit", UNITS),
        ("direction", DIRECTIONS),
        ("source", SOURCES),
    ):
        if getattr(spec, name) not in allowed:
            raise LibraryError(
                f"{where}.{name}: {getattr(spec, name)!r} is not one of {', '.join(allowed)}"
            )
    for param in SOURCES[spec.source]:
        if param not in spec.params:
            raise LibraryError(f"{where}.params.{param}: missing for source {spec.source}")
    for param in ("field", "numerator", "denominator"):
        if (
            spec.source in RETURN_SOURCES
            and param in spec.params
            and spec.params[param] not in fields
        ):
            raise LibraryError(
                f"{where}.params.{param}: {spec.params[param]!r} is not a return field"
            )
    return spec


def load_library(directory: Path = LIBRARY_DIR) -> Library:
    """Every measure and return field in `directory`'s YAML files, checked."""
    measures: list[MeasureSpec] = []
    fields: list[ReturnField] = []
    raws = []
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle) or {}
        if not isinstance(raw, dict):
            raise LibraryError(f"{path.name}: expected a mapping")
        for i, item in enumerate(raw.get("return_fields") or []):
            where = f"{path.name}: return_fields[{i}]"
            if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
                raise LibraryError(f"{where}: needs a key and a label")
            fields.append(
                ReturnField(
                    key=str(item["key"]),
                    label=str(item["label"]),
                    hint=str(item.get("hint", "")),
                    not_above=item.get("not_above"),
                )
            )
        raws.append((path, raw))
    keys = {f.key for f in fields}
    for f in fields:
        if f.not_above is not None and f.not_above not in keys:
            raise LibraryError(f"return field {f.key}: not_above {f.not_above!r} is unknown")
    seen: set[str] = set()
    for path, raw in raws:
        for i, item in enumerate(raw.get("measures") or []):
            spec = _check_measure(f"{path.name}: measures[{i}]", item, keys)
            if spec.key in seen:
                raise LibraryError(f"{path.name}: measures[{i}].key: {spec.key!r} is used twice")
            seen.add(spec.key)
            measures.append(spec)
    return Library(measures=tuple(measures), return_fields=tuple(fields))


_LIBRARY: Library | None = None


def library() -> Library:
    """The shipped library, read once per process."""
    global _LIBRARY
    if _LIBRARY is None:
        _LIBRARY = load_library()
    return _LIBRARY


def return_fields() -> tuple[ReturnField, ...]:
    return library().return_fields


def sync_library() -> int:
    """Write the shipped measures into the `measure` table (new ones added, changed wording
    updated; a measure's key never changes). Returns how many were added. Commits."""
    have = {m.key: m for m in db.session.scalars(select(Measure).where(Measure.body_id.is_(None)))}
    added = 0
    for spec in library().measures:
        measure = have.get(spec.key)
        if measure is None:
            measure = Measure(key=spec.key)
            db.session.add(measure)
            added += 1
        measure.name = spec.name
        measure.description = spec.description
        measure.kind = spec.kind
        measure.tag = spec.tag
        measure.unit = spec.unit
        measure.direction = spec.direction
        measure.source = spec.source
        measure.params = spec.params
    db.session.commit()
    return added


def measure_by_key(key: str) -> Measure | None:
    return db.session.scalar(select(Measure).filter_by(key=key))
