"""Charts cached by their data, so a page does not redraw a chart whose figures have not
changed. No Flask.

    from app.charts.cache import cached_chart
    chart = cached_chart(bands.band_chart, bands, now, before, norm, current_label=...)
    address = publish(chart)        # the page's <img src> names the chart by this key
    published_svg(address)          # what any worker serves for it

The key (`app.charts.keys`) is a SHA-256 of:

- the drawing function's module and qualified name, and a fingerprint of its module's
  source, of `app/charts/__init__.py` and of the shared `app.charts.layout` (plus the
  matplotlib version), so a deploy that changes how a chart is drawn never serves the old
  drawing;
- a canonical serialisation of the arguments: numbers (floats by `repr`, so 0.1 and
  0.1000001 differ and ints stay apart from floats), strings, None, booleans, sequences
  (a tuple and a list of the same items are the same), mappings sorted by key, sets
  sorted, dates, and frozen dataclasses by their compared fields (`Suppressed()` by its
  threshold: its `reason` is never shown, so it never splits the cache);
- the `translations=` argument by its language: `translations.info()["language"]` (what
  Flask-Babel's catalogues report from their `Language:` header) or a `language`
  attribute, together with the size and modification time of the catalogue files it was
  read from (`files`), so a recompiled catalogue draws afresh. A plain
  `gettext.NullTranslations` is English.

Anything else (an `Instrument`, a lambda, a translations object with no language) cannot be
keyed safely, so the chart is drawn without the cache (counted in `bypassed`): never a chart
in the wrong language or for the wrong data.

Charts are kept by `app.kept.Store`: in memory an LRU of at most `max_entries` charts (256)
and `max_bytes` of SVG and text (32 MB), per process; on disk, when a directory is
configured, one JSON file per chart named `<key>.json`, which every gunicorn worker shares,
and the directory pruned to about `max_files` files (4096), oldest first, once every
`PRUNE_EVERY` writes (the store's module says how files are written and pruned). A file
that cannot be read (corrupt, truncated, for another key) is ignored and the chart is
redrawn and rewritten. JSON rather than pickle: reading a file can never run code.

One cache, one layout on disk: a page publishes each chart it shows (`publish`) under the
key it is cached by (`Chart.key`), or, for a chart drawn outside the cache, under a key
made from its SVG (`content_key`), in the same `<key>.json` files; the image address
serves `published_svg(key)` from memory or from that file, so any worker can answer it.

Cached charts carry no matplotlib figure (`Chart.figure` is None), which is what keeps the
memory bounded; for a PNG export, call the drawing function itself.

The process-wide cache behind `cached_chart` uses the `CHART_CACHE_DIR` environment
variable when set, else memory only; an app calls `configure(app.config["CHART_CACHE_DIR"])`
to share its directory. Tests make their own `ChartCache`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import os
import re
from collections.abc import Callable
from typing import Any

from app.charts import Chart
from app.charts.keys import FORMAT, Unkeyable, chart_key, content_key, type_name
from app.figures import Suppressed
from app.kept import Store

ENVIRONMENT = "CHART_CACHE_DIR"
MAX_ENTRIES = 256
MAX_BYTES = 32 * 1024 * 1024
MAX_FILES = 4096
# The directory is pruned once every this many writes, not on every one.
PRUNE_EVERY = 64
SUFFIX = ".json"
# Table rows are rebuilt as their named tuple only when it comes from a chart module.
ROW_TYPES_FROM = "app.charts."
KEY_PATTERN = re.compile(r"[0-9a-f]{64}")


class ChartCache(Store):
    """Drawn charts kept by their key (see the module docstring), in memory and optionally
    in a shared directory (`app.kept.Store`).

    `hits` counts charts found in memory, `disk_hits` those read from the directory,
    `misses` those drawn, `bypassed` those drawn without the cache because their arguments
    could not be keyed; `errors` counts unreadable files and failed writes.
    """

    COUNTERS = ("hits", "disk_hits", "misses", "bypassed", "errors")
    NO_ROOM = "a chart cache needs room for at least one chart"
    # Its bounds unless given others, and how often it prunes: this module's constants.
    MAX_ENTRIES, MAX_BYTES, MAX_FILES = MAX_ENTRIES, MAX_BYTES, MAX_FILES
    PRUNE_EVERY = PRUNE_EVERY
    FILES = f"*{SUFFIX}"

    def __call__(self, draw: Callable[..., Chart], /, *args: Any, **kwargs: Any) -> Chart:
        """The chart `draw(*args, **kwargs)` would return, drawn only when not cached."""
        try:
            key = chart_key(draw, *args, **kwargs)
        except Unkeyable:
            self._count("bypassed")
            return _without_figure(draw(*args, **kwargs), None)
        name = f"{key}{SUFFIX}"
        with self._lock:
            chart = self._recall(name)
        if chart is None:
            chart = self._load(name)
        if chart is None:
            chart = _without_figure(draw(*args, **kwargs), key)
            self._made(name, chart)
        return chart

    get = __call__

    def publish(self, chart: Chart, owner: int | None = None) -> str:
        """An address for `chart` that every worker sharing the directory can serve with
        `svg`: its cache key when it came through the cache, else a key from its SVG. The
        file is written again when it is missing (pruned since, or never written).

        With `owner` (the provider whose page shows the chart), the chart is kept under a
        key of that provider (`owned_key`) and served only by `svg(key, owner)`: a key
        anyone could compute from candidate figures then confirms nothing to someone who
        may not see that provider."""
        key = chart.key or content_key(chart.svg)
        stored = key if owner is None else owned_key(owner, key)
        name = f"{stored}{SUFFIX}"
        chart = _without_figure(chart, stored)
        if not self._has_file(name):
            self._write(name, chart)
        if not self._holds(name):
            self._remember(name, chart)
        return key

    def svg(self, key: str, owner: int | None = None) -> bytes | None:
        """The SVG of the chart published (or drawn) under `key`, or None when it is not
        kept here any more (or `key` is not a chart key at all). With `owner`, only a chart
        published for that provider."""
        if not KEY_PATTERN.fullmatch(key):
            return None
        if owner is not None:
            key = owned_key(owner, key)
        name = f"{key}{SUFFIX}"
        chart = self._peek(name)
        if chart is None:
            chart = self._read(name)
        return chart.svg if chart is not None else None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._holds(f"{key}{SUFFIX}")

    # --- A chart as its file --------------------------------------------------------------

    def _encode(self, name: str, chart: Chart) -> bytes | None:
        try:
            data = _encode(chart, name.removesuffix(SUFFIX))
            text = json.dumps(data, ensure_ascii=False, allow_nan=True)
        except Unkeyable:
            return None  # a table cell JSON cannot hold: kept in memory only
        return text.encode("utf-8")

    def _decode(self, name: str, data: bytes) -> Chart:
        try:
            return _decode(json.loads(data.decode("utf-8")), name.removesuffix(SUFFIX))
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a chart file: {error}") from error

    def _size(self, chart: Chart) -> int:
        table = sum(len(str(cell)) for row in chart.table for cell in _cells(row))
        words = len(chart.alt_text.encode("utf-8")) + len(chart.lead.encode("utf-8"))
        return len(chart.svg) + words + table + 200


# --- The process-wide cache ----------------------------------------------------------------

_default = ChartCache(os.environ.get(ENVIRONMENT) or None)


def cached_chart(draw: Callable[..., Chart], /, *args: Any, **kwargs: Any) -> Chart:
    """`draw(*args, **kwargs)` through the process-wide cache (see `configure`)."""
    return _default(draw, *args, **kwargs)


def configure(
    directory: str | os.PathLike | None = None,
    *,
    max_entries: int = MAX_ENTRIES,
    max_bytes: int = MAX_BYTES,
    max_files: int = MAX_FILES,
) -> ChartCache:
    """Replace the process-wide cache: `directory` shared by every worker (None: memory
    only). Call once at start-up, e.g. with `app.config["CHART_CACHE_DIR"]`."""
    global _default
    _default = ChartCache(
        directory, max_entries=max_entries, max_bytes=max_bytes, max_files=max_files
    )
    return _default


def owned_key(owner: int, key: str) -> str:
    """The key a chart published for provider `owner` is kept under."""
    return hashlib.sha256(f"owner\0{int(owner)}\0{key}".encode()).hexdigest()


def publish(chart: Chart, owner: int | None = None) -> str:
    """`chart` published through the process-wide cache (see `ChartCache.publish`)."""
    return _default.publish(chart, owner)


def published_svg(key: str, owner: int | None = None) -> bytes | None:
    """The SVG published under `key` (for provider `owner`) in the process-wide cache, or
    None."""
    return _default.svg(key, owner)


def default_cache() -> ChartCache:
    """The cache `cached_chart` uses."""
    return _default


# --- Files ---------------------------------------------------------------------------------


def _encode(chart: Chart, key: str) -> dict:
    return {
        "format": FORMAT,
        "key": key,
        "svg": chart.svg.decode("utf-8"),
        "alt_text": chart.alt_text,
        "lead": chart.lead,
        "columns": list(chart.columns),
        "table": [_encode_row(row) for row in chart.table],
    }


def _encode_row(row: Any) -> dict:
    kind = type(row)
    named = isinstance(row, tuple) and hasattr(kind, "_fields") and kind is not tuple
    cells = row if isinstance(row, tuple | list) else (row,)
    return {
        "type": type_name(kind) if named else None,
        "cells": [_encode_cell(cell) for cell in cells],
    }


def _encode_cell(cell: Any) -> Any:
    if cell is None or isinstance(cell, bool | int | float | str):
        return cell
    if isinstance(cell, Suppressed):
        return {"suppressed": cell.threshold}
    raise Unkeyable(f"cannot store a table cell of type {type(cell).__name__}")


def _decode(data: dict, key: str) -> Chart:
    if data.get("format") != FORMAT or data.get("key") != key:
        raise ValueError("a chart file for another key or format")
    return Chart(
        svg=data["svg"].encode("utf-8"),
        alt_text=str(data["alt_text"]),
        lead=str(data.get("lead", "")),
        table=tuple(_decode_row(row) for row in data["table"]),
        columns=tuple(str(column) for column in data["columns"]),
        key=key,
    )


def _decode_row(row: dict) -> tuple:
    cells = tuple(_decode_cell(cell) for cell in row["cells"])
    kind = _row_type(row.get("type"))
    return kind(*cells) if kind is not None else cells


def _decode_cell(cell: Any) -> Any:
    if isinstance(cell, dict):
        return Suppressed(int(cell["suppressed"]))
    if cell is None or isinstance(cell, bool | int | float | str):
        return cell
    raise ValueError(f"not a table cell: {cell!r}")


def _row_type(name: str | None) -> type | None:
    """The named tuple a row was, when it comes from a chart module (never anything else:
    a file may have been written by anyone who can write the directory)."""
    if not name or not name.startswith(ROW_TYPES_FROM):
        return None
    module_name, _, attribute = name.rpartition(".")
    try:
        kind = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return None
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        return kind
    return None


def _without_figure(chart: Chart, key: str | None) -> Chart:
    return dataclasses.replace(chart, figure=None, key=key)


def _cells(row: Any):
    return row if isinstance(row, tuple | list) else (row,)


__all__ = [
    "ENVIRONMENT",
    "ChartCache",
    "Unkeyable",
    "cached_chart",
    "chart_key",
    "configure",
    "default_cache",
    "publish",
    "owned_key",
    "published_svg",
]
