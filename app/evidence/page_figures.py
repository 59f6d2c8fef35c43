"""Evidence figures kept per page: the worker's `FiguresCache` as one page uses it.

A page keeps several parts (the groups on offer, the pack) under the data version of some
of its services (`inventory.data_version`). The version of all of a page's services is read
once per period, and each part's version is its own services' share of it, so a page reads
it once instead of once per part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from app.evidence.figures_cache import FiguresCache
from app.evidence.inventory import data_version
from app.evidence.periods import Period

T = TypeVar("T")


class PageFigures:
    """The worker's kept figures (a `FiguresCache`) as one page about `service_ids` uses
    them (see the module docstring)."""

    def __init__(self, figures: FiguresCache, service_ids: Sequence[int]):
        self.figures = figures
        self.service_ids = frozenset(service_ids)
        self._versions: dict[Period, tuple] = {}

    def version(self, service_ids: Sequence[int], period: Period) -> tuple:
        wanted = set(service_ids)
        if not wanted <= self.service_ids:
            return data_version(service_ids, period)
        if period not in self._versions:
            self._versions[period] = data_version(sorted(self.service_ids), period)
        return tuple(
            tuple(row for row in rows if row[0] in wanted) for rows in self._versions[period]
        )

    def get(self, key, service_ids: Sequence[int], period: Period, build: Callable[[], T]) -> T:
        return self.figures.get(key, self.version(service_ids, period), build)


def kept(cache: PageFigures | None, key, service_ids, period, build: Callable[[], T]) -> T:
    """`build()`, or the value kept for `key` while the data behind it is unchanged."""
    if cache is None:
        return build()
    return cache.get(key, service_ids, period, build)


__all__ = ["PageFigures", "kept"]
