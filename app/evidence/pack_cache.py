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

In memory, per worker, an LRU of at most `max_entries` files and `max_bytes` bytes; on
disk, when a directory is given, one file per key written to a temporary file and moved
into place, so every worker shares them and never reads half a file. The directory is
pruned to about `max_files` files, oldest first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.charts import Chart
from app.figures import Suppressed

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


class PackCache:
    """Pack files by content (see the module docstring). `hits` counts files found in
    memory, `disk_hits` in the directory, `misses` files built; `errors` unreadable or
    unwritable files."""

    def __init__(
        self,
        directory: str | os.PathLike | None = None,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        max_files: int = MAX_FILES,
    ):
        if max_entries < 1 or max_bytes < 1 or max_files < 1:
            raise ValueError("a pack cache needs room for at least one file")
        self.directory = Path(directory) if directory else None
        self.max_entries, self.max_bytes, self.max_files = max_entries, max_bytes, max_files
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._writes = 0
        self._lock = threading.Lock()
        self._building: dict[str, threading.Event] = {}
        self._preparing = threading.Semaphore(1)
        self.hits = self.disk_hits = self.misses = self.errors = self.waits = 0

    def get(self, pack: Any, fmt: str, build: Callable[[Any], bytes]) -> bytes:
        """The `fmt` file of `pack`, built by `build(pack)` only when not kept (waiting
        for it when it is being built already)."""
        return self._get(pack_key(pack, fmt), pack, fmt, build)

    def _get(self, key: str, pack: Any, fmt: str, build: Callable[[Any], bytes]) -> bytes:
        while True:
            with self._lock:
                body = self._entries.get(key)
                if body is not None:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return body
                building = self._building.get(key)
                if building is None:
                    done = self._building[key] = threading.Event()
                    break
                self.waits += 1
            building.wait()  # then found in memory, or built here if that build failed
        try:
            body = self._read(key, fmt)
            if body is not None:
                with self._lock:
                    self.disk_hits += 1
            else:
                body = build(pack)
                with self._lock:
                    self.misses += 1
                self._write(key, fmt, body)
            self._remember(key, body)
        finally:
            with self._lock:
                del self._building[key]
            done.set()
        return body

    def prepare(self, pack: Any, fmt: str, build: Callable[[Any], bytes]) -> bool:
        """Start building the `fmt` file of `pack` in a background thread, unless it is kept,
        being built, or this worker is already preparing another. Whether it started."""
        key = pack_key(pack, fmt)
        with self._lock:
            if key in self._entries or key in self._building:
                return False
        if self.directory is not None and self._path(key, fmt).exists():
            return False
        if not self._preparing.acquire(blocking=False):
            return False

        def work() -> None:
            try:
                self._get(key, pack, fmt, build)
            except Exception:  # noqa: BLE001 - a download will build it, and say what failed
                with self._lock:
                    self.errors += 1
            finally:
                self._preparing.release()

        threading.Thread(target=work, name="pack-prepare", daemon=True).start()
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _remember(self, key: str, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = body
            self._bytes += len(body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    def _path(self, key: str, fmt: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{key}.{fmt}"

    def _read(self, key: str, fmt: str) -> bytes | None:
        if self.directory is None:
            return None
        try:
            return self._path(key, fmt).read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            with self._lock:
                self.errors += 1
            return None

    def _write(self, key: str, fmt: str, body: bytes) -> None:
        if self.directory is None:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".pack-")
            with os.fdopen(handle, "wb") as out:
                out.write(body)
            os.replace(temporary, self._path(key, fmt))
        except OSError:
            with self._lock:
                self.errors += 1
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temporary)
            return
        with self._lock:
            self._writes += 1
            prune = self._writes % PRUNE_EVERY == 0
        if prune:
            self._prune()

    def _prune(self) -> None:
        try:
            files = [p for p in self.directory.iterdir() if not p.name.startswith(".")]
            if len(files) <= self.max_files:
                return
            files.sort(key=lambda p: p.stat().st_mtime)
            for path in files[: len(files) - self.max_files]:
                with contextlib.suppress(OSError):  # another worker may have pruned it
                    path.unlink()
        except OSError:
            with self._lock:
                self.errors += 1


__all__ = ["PackCache", "pack_key"]
