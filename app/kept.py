"""A bounded store of things by name: an LRU in memory and, optionally, a directory that
every worker shares. What the chart cache (`app.charts.cache`) and the pack cache
(`app.evidence.pack_cache`) are built on; each adds its own keying on top. No Flask.

Two layers. In memory, per process, an LRU of at most `max_entries` entries and
`max_bytes` bytes (as the store measures them); an entry bigger than `max_bytes` on its
own is served but not kept. On disk, when a directory is given, one file per name,
written to a temporary file (hidden: its name starts with a dot) and moved into place
with `os.replace`, so gunicorn workers share the files and never read half of one. A file
that cannot be read, or whose content the store cannot take back (`_decode` raises
ValueError), is counted in `errors` and treated as missing, so it is made again and
rewritten; a write that fails is counted in `errors` too. Once every `PRUNE_EVERY`
writes, the directory is pruned to about `max_files` files (those matching `FILES`),
oldest first.

A `Store` keeps bytes as they are. A subclass that keeps something else in memory (a
drawn chart, say) says how to turn it into the bytes of its file and back, and how big
it is, by overriding `_encode`, `_decode` and `_size`.

Counters: `hits` (found in memory), `disk_hits` (read from the directory), `misses` (made
afresh: the subclass reports them with `_made`) and `errors`; a subclass may add more in
`COUNTERS`. `clear()` forgets what is in memory and resets the counters; files stay.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any


class Store:
    """Things kept by name, in memory and optionally in `directory` (see the module
    docstring). Names are file names: no separator, no leading dot."""

    COUNTERS: tuple[str, ...] = ("hits", "disk_hits", "misses", "errors")
    # The bounds a store has when its constructor is not given others; a subclass sets its
    # own.
    MAX_ENTRIES = 64
    MAX_BYTES = 16 * 1024 * 1024
    MAX_FILES = 1024
    # The directory is pruned once every this many writes, not on every one.
    PRUNE_EVERY = 16
    # Which files in the directory are the store's, and so pruned (never the hidden
    # temporary ones).
    FILES = "[!.]*"
    # What a store with no room at all says.
    NO_ROOM = "a store needs room for at least one entry"

    def __init__(
        self,
        directory: str | os.PathLike | None = None,
        *,
        max_entries: int | None = None,
        max_bytes: int | None = None,
        max_files: int | None = None,
    ):
        self.directory = Path(directory) if directory else None
        self.max_entries = self.MAX_ENTRIES if max_entries is None else max_entries
        self.max_bytes = self.MAX_BYTES if max_bytes is None else max_bytes
        self.max_files = self.MAX_FILES if max_files is None else max_files
        if self.max_entries < 1 or self.max_bytes < 1 or self.max_files < 1:
            raise ValueError(self.NO_ROOM)
        self._entries: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._writes = 0
        self._lock = threading.Lock()
        self._reset()

    # --- What a subclass keeps -----------------------------------------------------------

    def _encode(self, name: str, value: Any) -> bytes | None:
        """The bytes of `value`'s file, or None to keep it in memory only."""
        return value

    def _decode(self, name: str, data: bytes) -> Any:
        """The value kept in file `name`; ValueError when it is not a good one."""
        return data

    def _size(self, value: Any) -> int:
        """What `value` counts towards `max_bytes`."""
        return len(value)

    # --- Counters -------------------------------------------------------------------------

    def _reset(self) -> None:
        for counter in self.COUNTERS:
            setattr(self, counter, 0)

    def _count(self, counter: str) -> None:
        with self._lock:
            setattr(self, counter, getattr(self, counter) + 1)

    def stats(self) -> dict[str, int]:
        """Counters and sizes, for tests and an operator's status page."""
        with self._lock:
            counts = {counter: getattr(self, counter) for counter in self.COUNTERS}
            return counts | {"entries": len(self._entries), "bytes": self._bytes}

    def clear(self) -> None:
        """Forget what is kept in memory and reset the counters (files stay)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._reset()

    # --- Memory ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_in_bytes(self) -> int:
        """What the memory layer holds, in bytes (what `max_bytes` bounds)."""
        return self._bytes

    def _holds(self, name: str) -> bool:
        """Whether `name` is kept in memory (with the lock held or not)."""
        return name in self._entries

    def _recall(self, name: str) -> Any | None:
        """With the lock held: the value kept in memory as `name`, counted in `hits` and
        made the most recently used, or None."""
        entry = self._entries.get(name)
        if entry is None:
            return None
        self._entries.move_to_end(name)
        self.hits += 1
        return entry[0]

    def _peek(self, name: str) -> Any | None:
        """The value kept in memory as `name`, or None; neither counted nor moved."""
        with self._lock:
            entry = self._entries.get(name)
        return entry[0] if entry is not None else None

    def _remember(self, name: str, value: Any) -> None:
        """Keep `value` in memory as `name`, forgetting the least recently used beyond the
        bounds."""
        size = self._size(value)
        with self._lock:
            old = self._entries.pop(name, None)
            if old is not None:
                self._bytes -= old[1]
            if size > self.max_bytes:
                return  # bigger than the whole store: served, not kept
            self._entries[name] = (value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    # --- Both layers ----------------------------------------------------------------------

    def _load(self, name: str) -> Any | None:
        """The value in file `name`, counted in `disk_hits` and kept in memory, or None
        when there is no directory or no good file."""
        value = self._read(name)
        if value is not None:
            self._count("disk_hits")
            self._remember(name, value)
        return value

    def _made(self, name: str, value: Any) -> None:
        """`value` made afresh for `name` (counted in `misses`): written to its file and
        kept in memory."""
        self._count("misses")
        self._write(name, value)
        self._remember(name, value)

    # --- Directory ------------------------------------------------------------------------

    def _path(self, name: str) -> Path:
        assert self.directory is not None
        if not name or name.startswith(".") or Path(name).name != name:
            raise ValueError(f"not a name a store keeps: {name!r}")
        return self.directory / name

    def _has_file(self, name: str) -> bool:
        """Whether the directory holds file `name` (False when there is no directory)."""
        return self.directory is not None and self._path(name).exists()

    def _read(self, name: str) -> Any | None:
        """The value in file `name`, or None when there is none or it cannot be read or
        decoded (counted in `errors`)."""
        if self.directory is None:
            return None
        try:
            data = self._path(name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            self._count("errors")
            return None
        try:
            return self._decode(name, data)
        except ValueError:
            self._count("errors")
            return None

    def _write(self, name: str, value: Any) -> None:
        """Write file `name` whole or not at all, pruning the directory now and then."""
        if self.directory is None:
            return
        data = self._encode(name, value)
        if data is None:
            return
        temporary = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self._path(name))
            temporary = None
        except OSError:
            self._count("errors")
            return
        finally:
            if temporary is not None:
                _remove(Path(temporary))
        with self._lock:
            self._writes += 1
            prune = self._writes % self.PRUNE_EVERY == 0
        if prune:
            self.prune()

    def prune(self) -> int:
        """Delete the oldest files beyond `max_files`; returns how many went."""
        if self.directory is None:
            return 0
        files = []
        for path in self.directory.glob(self.FILES):
            try:
                files.append((path.stat().st_mtime_ns, path.name, path))
            except OSError:
                continue  # another worker removed it
        files.sort()
        excess = files[: max(0, len(files) - self.max_files)]
        for _, _, path in excess:
            _remove(path)
        return len(excess)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # already gone, perhaps removed by another worker
        path.unlink()


__all__ = ["Store"]
