"""Evidence figures kept while the data behind them is unchanged. No Flask.

Building a service's evidence runs some sixty aggregate queries; a page asked for again
(the same service, period, group and threshold) with no new, deleted or anonymised
response or reading since gets the figures already built. Each entry is stored with the
data version it was built from (`inventory.data_version`: per service, the count, highest id
and number still linked to a participant of the responses sent before the period's end,
and the count and highest id of the readings taken by then, read from covering indexes in
a few milliseconds), and is used only while the version read for the new request is the
same, so a page never shows figures older than its data. Answers arriving today leave a
past period's figures kept.

In memory, per worker process, at most `max_entries` entries, least recently used first
out, so a worker's memory stays bounded however many pages are asked for. A process holds
one cache per app (`app.extensions["evidence_figures"]`); a test that empties the database
under a running app clears it, as a new process would start empty.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
MAX_ENTRIES = 64


class FiguresCache:
    """`get(key, version, build)`: the value built for `key` from data at `version`."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        if max_entries < 1:
            raise ValueError("a figures cache needs room for at least one entry")
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Hashable, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]  # type: ignore[return-value]
        value = build()
        with self._lock:
            self.misses += 1
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)
