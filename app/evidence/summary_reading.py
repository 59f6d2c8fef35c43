"""What every summary rule reads and writes: the parts of a summary, its lines, and small
readers of a suppressed `Pack`'s published tables (`app.evidence.summary`). No Flask."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.evidence.tables import Pack, Table
from app.figures import is_suppressed

GOING_WELL = "going-well"
CONCERNS = "concerns"
CHANGES = "changes"
MEASURES = "measures"
ACTIONS = "actions"
THEMES = "themes"
HEADINGS = {
    GOING_WELL: "What is going well",
    CONCERNS: "What is of concern",
    CHANGES: "What changed since the last period",
    MEASURES: "Contract measures",
    ACTIONS: "Open improvement actions",
    THEMES: "What people wrote about",
}


@dataclass(frozen=True)
class Line:
    """One sentence of the summary and where its detail is (an id on the page, or "")."""

    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Summary:
    parts: tuple[Part, ...]

    def part(self, key: str) -> Part | None:
        return next((part for part in self.parts if part.key == key), None)


Found = list[tuple[str, Line]]  # (part key, line)


# --- Reading the pack ------------------------------------------------------------------------


def tables(pack: Pack) -> Iterable[Table]:
    for section in pack.sections:
        yield from section.tables


def table(pack: Pack, key: str) -> Table | None:
    return next((t for t in tables(pack) if t.key == key), None)


def row(t: Table | None, label: str):
    if t is None:
        return None
    return next((r for r in t.rows if r[0] == label), None)


def number(cell) -> float | None:
    """A published number, or None for a hidden, blank or text cell."""
    if cell is None or isinstance(cell, str | bool) or is_suppressed(cell):
        return None
    return float(cell)


def cell_at(r, index: int) -> float | None:
    return number(r[index]) if r is not None and len(r) > index else None


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def one_place(value: float) -> str:
    return f"{value:.1f}"


def signed(value: float) -> str:
    return f"+{value:.1f}" if value > 0 else f"{value:.1f}".replace("-", "\u2212")


def whole(value: float) -> str:
    return f"{int(round(value)):,}"


def subject(t: Table) -> str:
    """The instrument's title from a caption such as "WEMWBS: metric scores"."""
    return t.caption.split(":")[0].strip()


def anchor(key: str) -> str:
    return f"table-{key}"
