"""Published figures: a number, or a `Suppressed` one that renders as "fewer than 10", and a
`Row` of them. A leaf: imports nothing from the app, so charts, evidence, packs and pages
can all share these types without importing each other.

Which figures are hidden, and why, is the small-numbers rule's business
(`app.evidence.suppression`); this module only says what a hidden figure looks like.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

DEFAULT_THRESHOLD = 10

K = TypeVar("K", bound=Hashable)

# Why a figure was hidden, kept for tests and audit and never shown.
PRIMARY = "primary"
SECONDARY = "secondary"
DIFFERENCING = "differencing"


@dataclass(frozen=True)
class Suppressed:
    """A hidden figure. Renders as "fewer than 10"; `reason` is kept for tests and audit
    and is never shown, because showing it would leak which hidden cells are large."""

    threshold: int = DEFAULT_THRESHOLD
    reason: str = field(default=PRIMARY, compare=False)

    def __str__(self) -> str:
        return f"fewer than {self.threshold}"

    @property
    def label(self) -> str:
        return str(self)


Figure = int | float | Suppressed


def is_suppressed(value: object) -> bool:
    """True for a hidden figure."""
    return isinstance(value, Suppressed)


def display(value: Figure | None, places: int | None = None) -> str:
    """A figure as text for a page or export: hidden figures as "fewer than 10"."""
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return str(value)
    if places is not None:
        return f"{value:.{places}f}"
    return str(value)


@dataclass(frozen=True)
class Row(Generic[K]):
    """A published row: each cell and the total, as numbers or `Suppressed`."""

    cells: dict[K, Figure]
    total: Figure
    # Every cell hidden and still unsafe beside the total (35 in four cells a reader takes
    # as "fewer than 10": each 8 or 9): the breakdown is left out of tables altogether.
    withheld: bool = False

    def hidden(self) -> set[K]:
        """The keys of the hidden cells."""
        return {key for key, value in self.cells.items() if is_suppressed(value)}

    def share(self, key: K) -> Figure:
        """The cell as a fraction of the total; hidden when either is, None when the
        breakdown is withheld."""
        if self.withheld:
            return None
        value = self.cells[key]
        if is_suppressed(value):
            return value
        if is_suppressed(self.total):
            return self.total
        return value / self.total if self.total else 0.0


__all__ = [
    "DEFAULT_THRESHOLD",
    "DIFFERENCING",
    "PRIMARY",
    "SECONDARY",
    "Figure",
    "Row",
    "Suppressed",
    "display",
    "is_suppressed",
]
