"""Evidence as tables: the one shape every output renders. No Flask.

A `Pack` is what a commissioner takes away for one service (or provider) and period: a
title, a method (sample sizes, dates, instruments, languages, suppression) and sections,
each a list of tables. The evidence page, the CSV, the XLSX and the PDF all render the same
`Pack`, so a figure hidden on the page is hidden in every export, by construction: cells
are already `Suppressed` (shown as "fewer than 10") before a table is built.

    pack.sections[0].tables[0].rows[0]   # ("Responses", 120, Suppressed())
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from app.charts import Chart
from app.figures import Suppressed, display

# How a column's numbers are written: counts whole, means to one place, shares as percent.
TEXT = "text"
COUNT = "count"
NUMBER = "number"
SHARE = "share"
P_VALUE = "p_value"
KINDS = (TEXT, COUNT, NUMBER, SHARE, P_VALUE)


class Share(float):
    """A share (0 to 1) in a column of another kind, such as "Share with meaningful
    improvement" in a column of people and means: it is written as a percentage wherever
    the table goes (page, CSV, XLSX, PDF), whatever its column's kind."""

    def __repr__(self) -> str:
        return f"Share({float(self)!r})"


Cell = str | int | float | Suppressed | None


def share(value):
    """`value` marked as a share when it is a number; hidden figures and None unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Share(value)
    return value


def cell_kind(value: Cell, kind: str) -> str:
    """How one cell is written: a `Share` as a share, a whole number in a column of means
    (a count of people) as a count, anything else as its column says."""
    if isinstance(value, Share):
        return SHARE
    if kind == NUMBER and isinstance(value, int) and not isinstance(value, bool):
        return COUNT
    return kind


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = TEXT

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    """A captioned table. The first column names the row; `note` is said under it."""

    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    # A shorter title for a spreadsheet's sheet, where the caption would be cut short.
    short: str = ""

    def __post_init__(self):
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"{self.key}: a row has {len(row)} cells, not {len(self.columns)}")
        # Shares are published as whole percentages, never to full precision: an exact
        # fraction beside a known base pins the count behind it (page, CSV, XLSX, PDF alike).
        shares = {i for i, column in enumerate(self.columns) if column.kind == SHARE}
        rows = tuple(
            tuple(
                whole_percent(cell) if i in shares or isinstance(cell, Share) else cell
                for i, cell in enumerate(row)
            )
            for row in self.rows
        )
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Pack:
    """Everything one evidence page or export shows."""

    title: str  # "Evidence: Youth counselling (Northside Trust)"
    scope: str  # "Youth counselling, Northside Trust" or "Northside Trust, 3 services"
    period: str  # "April to June 2026"
    previous_period: str  # "January to March 2026"
    generated_at: datetime  # naive UTC
    method: tuple[tuple[str, str], ...]  # (label, value) pairs for the method page
    sections: tuple[Section, ...] = field(default_factory=tuple)
    suppression_note: str = ""
    # The answer first: an `app.evidence.summary.Summary` worked out from the sections once
    # they are all in (typed loosely, as the summary reads this module); None until then.
    summary: object | None = None


def whole_percent(value: Cell) -> Cell:
    """A share rounded to a whole percentage (0.6904... -> 0.69); anything else unchanged.
    A `Share` stays a `Share`."""
    if isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value):
        rounded = round(value, 2)
        return Share(rounded) if isinstance(value, Share) else rounded
    return value


def format_cell(value: Cell, kind: str) -> str:
    """A cell as text, the way the page and the CSV write it."""
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return display(value)
    if isinstance(value, str):
        return value
    kind = cell_kind(value, kind)
    if kind == COUNT:
        return f"{int(value):,}"
    if kind == SHARE:
        return f"{value * 100:.0f}%"
    if kind == P_VALUE:
        return "below 0.001" if value < 0.001 else f"{value:.3f}"
    if kind == NUMBER:
        return f"{value:.1f}"
    return str(value)
