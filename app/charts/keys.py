"""Cache keys for charts: a SHA-256 of what draws a chart and of what it is drawn from. No Flask.

A key covers the drawing function's module and qualified name, a fingerprint of its module's
source, of `app/charts/__init__.py` and of the shared layout (`app.charts.layout`), and the
matplotlib version, so a deploy that changes how a chart is drawn never serves the old
drawing; then a canonical serialisation of the arguments and the language of `translations=`
(see `app.charts.cache` for the details). Anything that cannot be serialised canonically
raises `Unkeyable`, and the chart is drawn uncached.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import gettext
import hashlib
import importlib
import json
import math
import os
import sys
from collections.abc import Callable, Mapping, Set
from pathlib import Path
from typing import Any

import matplotlib

from app.charts import Chart

# Bumped when the key or the file format changes.
FORMAT = 3
# Drawing code every evidence chart shares: a change there draws every chart afresh.
SHARED_MODULES = ("app.charts", "app.charts.layout")


class Unkeyable(TypeError):
    """An argument the cache cannot turn into a key: the chart is drawn uncached."""


def chart_key(draw: Callable[..., Chart], /, *args: Any, **kwargs: Any) -> str:
    """The cache key of `draw(*args, **kwargs)`: 64 hex digits. `Unkeyable` when an
    argument (or the function) cannot be serialised canonically."""
    module = getattr(draw, "__module__", None)
    name = getattr(draw, "__qualname__", None)
    if not module or not name or "<" in name:
        # A lambda or a function defined inside another may close over anything.
        raise Unkeyable(f"cannot key charts drawn by {draw!r}")
    keyed = {}
    for argument, value in kwargs.items():
        keyed[argument] = _language(value) if argument == "translations" else _canonical(value)
    payload = [
        FORMAT,
        f"{module}.{name}",
        _fingerprint(module),
        *(_fingerprint(shared) for shared in SHARED_MODULES),
        matplotlib.__version__,
        [_canonical(value) for value in args],
        sorted(keyed.items()),
    ]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_key(svg: bytes) -> str:
    """The key of a chart known only by its SVG (one drawn outside the cache): 64 hex
    digits, apart from every `chart_key` because its payload is not JSON."""
    return hashlib.sha256(b"svg\0" + svg).hexdigest()


def _canonical(value: Any) -> Any:
    """A JSON value standing for `value`, equal for equal data and typed so that, say,
    the string "1" and the number 1 never meet."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, float):
        # repr round-trips exactly; nan and the infinities are spelled out.
        return ["f", repr(value) if math.isfinite(value) else str(value)]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, decimal.Decimal):
        return ["d", str(value)]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return ["t", type(value).__name__, value.isoformat()]
    if isinstance(value, enum.Enum):
        return ["e", type_name(type(value)), _canonical(value.value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        params = type(value).__dataclass_params__
        if not (params.frozen and params.eq):
            raise Unkeyable(f"{type(value).__name__} is not a frozen, comparable dataclass")
        return [
            "D",
            type_name(type(value)),
            [
                [field.name, _canonical(getattr(value, field.name))]
                for field in dataclasses.fields(value)
                if field.compare
            ],
        ]
    if isinstance(value, Mapping):
        items = [[_canonical(k), _canonical(v)] for k, v in value.items()]
        return ["m", sorted(items, key=_sort_key)]
    if isinstance(value, Set):
        return ["S", sorted((_canonical(item) for item in value), key=_sort_key)]
    if isinstance(value, tuple | list):
        return ["l", [_canonical(item) for item in value]]
    raise Unkeyable(f"cannot key a chart argument of type {type(value).__name__}")


def _sort_key(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _language(translations: Any) -> Any:
    """What keys a translations object: its language and the catalogue files behind it."""
    if translations is None:
        return None
    if type(translations) is gettext.NullTranslations:
        return ["language", "en", []]
    language = None
    info = getattr(translations, "info", None)
    if callable(info):
        try:
            language = (info() or {}).get("language")
        except Exception:  # a stand-in with an odd info(): treat as unknown
            language = None
    language = language or getattr(translations, "language", None)
    if not isinstance(language, str) or not language:
        raise Unkeyable("the translations give no language to key charts by")
    files = []
    for name in getattr(translations, "files", None) or ():
        try:
            status = os.stat(name)
        except (OSError, TypeError):
            continue
        files.append([str(name), status.st_size, status.st_mtime_ns])
    return ["language", language, sorted(files)]


_FINGERPRINTS: dict[str, str] = {}


def _fingerprint(module_name: str) -> str:
    """A hash of a module's source file, so charts drawn by older code are not reused."""
    known = _FINGERPRINTS.get(module_name)
    if known is not None:
        return known
    module = sys.modules.get(module_name) or _imported(module_name)
    source = getattr(module, "__file__", None)
    try:
        digest = hashlib.sha256(Path(source).read_bytes()).hexdigest() if source else ""
    except OSError:
        digest = ""
    _FINGERPRINTS[module_name] = digest
    return digest


def _imported(module_name: str):
    # A shared module not loaded yet still has a source to fingerprint, so that every
    # worker keys a chart the same way whatever it happened to import first.
    try:
        return importlib.import_module(module_name)
    except ImportError:
        return None


__all__ = ["FORMAT", "Unkeyable", "chart_key", "content_key", "type_name"]
