"""Built evidence packs kept while what they show is unchanged, so a repeat download is
fast. No Flask.

A PDF takes seconds to draw; building the `Pack` it is drawn from takes milliseconds once
its figures are kept (`figures_cache`, by data version). So a built file is kept under a
key of the pack's content: every title, cell, note, chart (by a hash of its SVG, its
words and its table) and method line, and the source of the code and template that draw
it. The time the pack was generated is left out of the key: a repeat download while the
figures are the same gets the file built first, which says when its figures were made.
Anything that changes what the pack shows (new responses, a contract's status, an action
closed, a reader who may see fewer contracts) changes the pack and so the key: a file is
never served for figures it does not show.

    files = PackCache(directory)
    body = files.get(pack, "pdf", pack_pdf)

A file is built once however many ask for it at the same moment: a request that finds its
file being built (by another request, or by `prepare`) waits for that build rather than
starting its own. `prepare(pack, fmt, build)` builds a file in a background thread, so
that the evidence page can start drawing its PDF as soon as it is viewed and the download
a moment later is usually a file already kept; one such build at a time per worker, and
none for a file kept or being built.

Files are kept by `app.kept.Store`: in memory, per worker, an LRU of at most `max_entries`
files (32) and `max_bytes` bytes (64 MB); on disk, when a directory is given, one file per
pack and format named `<key>.<fmt>` (`<key>.pdf`, `<key>.xlsx`, ...), which every worker
shares, and the directory pruned to about `max_files` files (512), oldest first, once
every `PRUNE_EVERY` writes (the store's module says how files are written and pruned).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.charts import Chart
from app.figures import Suppressed
from app.kept import Store

MAX_ENTRIES = 32
MAX_BYTES = 64 * 1024 * 1024
MAX_FILES = 512
PRUNE_EVERY = 16
# Bumped when the key changes.
FORMAT = 1
# What draws a pack file: a change to any of them draws every pack afresh.
SOURCES = (
    Path(__file__).resolve().parent / "packs.py",
    Path(__file__).resolve().parent.parent / "templates" / "evidence" / "pack.html",
    Path(__file__).resolve().parent.parent / "templates" / "review" / "_summary.html",
)
LEFT_OUT = frozenset({"generated_at"})


def pack_key(pack: Any, fmt: str) -> str:
    """The key of the `fmt` file of `pack`: 64 hex digits, the same for the same content."""
    payload = [FORMAT, fmt, _sources(), _plain(pack)]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Suppressed):
        return {"suppressed": value.threshold}
    if isinstance(value, Chart):
        return {
            "svg": hashlib.sha256(value.svg).hexdigest(),
            "alt_text": value.alt_text,
            "lead": value.lead,
            "columns": list(value.columns),
            "table": [_plain(tuple(row)) for row in value.table],
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _plain(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.compare and field.name not in LEFT_OUT
        }
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return repr(value)


_SOURCE_DIGEST: list[str] = []


def _sources() -> str:
    if not _SOURCE_DIGEST:
        digest = hashlib.sha256()
        for path in SOURCES:
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
        _SOURCE_DIGEST.append(digest.hexdigest())
    return _SOURCE_DIGEST[0]


class PackCache(Store):
    """Pack files by content (see the module docstring), kept as `<key>.<fmt>` by
    `app.kept.Store`. `hits` counts files found in memory, `disk_hits` in the directory,
    `misses` files built, `waits` requests that waited for a build in progress; `errors`
    unreadable or unwritable files and failed background builds."""

    COUNTERS = ("hits", "disk_hits", "misses", "errors", "waits")
    NO_ROOM = "a pack cache needs room for at least one file"
    # Its bounds unless given others, and how often it prunes: this module's constants.
    MAX_ENTRIES, MAX_BYTES, MAX_FILES = MAX_ENTRIES, MAX_BYTES, MAX_FILES
    PRUNE_EVERY = PRUNE_EVERY

    def __init__(self, directory: str | os.PathLike | None = None, **bounds: int):
        """`bounds`: `max_entries`, `max_bytes` and `max_files`, as for `app.kept.Store`."""
        super().__init__(directory, **bounds)
        self._building: dict[str, threading.Event] = {}
        self._preparing = threading.Semaphore(1)

    def get(self, pack: Any, fmt: str, build: Callable[[Any], bytes]) -> bytes:
        """The `fmt` file of `pack`, built by `build(pack)` only when not kept (waiting
        for it when it is being built already)."""
        return self._get(_name(pack, fmt), pack, build)

    def _get(self, name: str, pack: Any, build: Callable[[Any], bytes]) -> bytes:
        while True:
            with self._lock:
                body = self._recall(name)
                if body is not None:
                    return body
                building = self._building.get(name)
                if building is None:
                    done = self._building[name] = threading.Event()
                    break
                self.waits += 1
            building.wait()  # then found in memory, or built here if that build failed
        try:
            body = self._load(name)
            if body is None:
                body = build(pack)
                self._made(name, body)
        finally:
            with self._lock:
                del self._building[name]
            done.set()
        return body

    def prepare(self, pack: Any, fmt: str, build: Callable[[Any], bytes]) -> bool:
        """Start building the `fmt` file of `pack` in a background thread, unless it is kept,
        being built, or this worker is already preparing another. Whether it started."""
        name = _name(pack, fmt)
        with self._lock:
            if self._holds(name) or name in self._building:
                return False
        if self._has_file(name):
            return False
        if not self._preparing.acquire(blocking=False):
            return False

        def work() -> None:
            try:
                self._get(name, pack, build)
            except Exception:  # noqa: BLE001 - a download will build it, and say what failed
                self._count("errors")
            finally:
                self._preparing.release()

        threading.Thread(target=work, name="pack-prepare", daemon=True).start()
        return True


def _name(pack: Any, fmt: str) -> str:
    """The name of the `fmt` file of `pack`, in memory and in the directory."""
    return f"{pack_key(pack, fmt)}.{fmt}"


__all__ = ["PackCache", "pack_key"]
