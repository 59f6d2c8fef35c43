"""A contract measure's history: its value in each period against the target. No Flask.

    history_chart("Median wait", "days", "lower", points, target=28.0, tolerance=3.0)

`points` are (period label, value or None, status in words), oldest first; a period with no
figure (hidden by the small-numbers rules, or nothing to measure) leaves a gap and is named
in the text alternative. The table under the chart on the page is the accessible version;
the chart's own table holds the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from matplotlib.figure import Figure

from app.charts import GRID_COLOUR, OKABE_ITO, TEXT_COLOUR, Chart, render_svg

COLUMNS = ("Period", "Value", "Status")


class HistoryRow(NamedTuple):
    period: str
    value: str
    status: str


def _shown(unit: str, value: float) -> str:
    if unit == "percent":
        return f"{value:.0f}%"
    if unit == "score":
        return f"{value:.1f}"
    if unit == "days":
        return f"{value:g} day{'' if value == 1 else 's'}"
    return f"{value:g}"


def history_chart(
    name: str,
    unit: str,
    direction: str,
    points: Sequence[tuple[str, float | None, str]],
    *,
    target: float,
    tolerance: float = 0.0,
) -> Chart:
    figure = Figure(figsize=(6.4, 3.4), layout="constrained")
    axes = figure.add_subplot()
    labels = [label for label, _, _ in points]
    xs = list(range(len(points)))
    values = [value for _, value, _ in points]
    # Consecutive known values are joined; a missing one leaves a gap.
    axes.plot(
        xs,
        [float("nan") if v is None else v for v in values],
        color=OKABE_ITO["blue"],
        marker="o",
        linewidth=2,
        label=name,
    )
    axes.axhline(target, color=TEXT_COLOUR, linestyle="--", linewidth=1.2, label="Target")
    if tolerance:
        edge = target - tolerance if direction != "lower" else target + tolerance
        axes.axhline(edge, color=OKABE_ITO["orange"], linestyle=":", linewidth=1.2, label="Close")
    for x, value in zip(xs, values, strict=True):
        if value is not None:
            axes.annotate(
                _shown(unit, value),
                (x, value),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=10,
                color=TEXT_COLOUR,
            )
    # "December 2025 to February 2026" on two lines, so four periods fit side by side.
    axes.set_xticks(xs, [label.replace(" to ", " to\n", 1) for label in labels], fontsize=9)
    axes.tick_params(colors=TEXT_COLOUR, labelsize=9)
    known = [v for v in values if v is not None] + [target]
    low, high = min(known), max(known)
    room = (high - low) * 0.25 or abs(high) * 0.2 or 1.0
    axes.set_ylim(min(0.0, low - room) if low >= 0 else low - room, high + room)
    if len(xs) == 1:
        axes.set_xlim(-0.5, 0.5)
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="best", fontsize=9, frameon=False)
    table = tuple(
        HistoryRow(label, "no figure" if value is None else _shown(unit, value), words)
        for label, value, words in points
    )
    return Chart(
        svg=render_svg(figure),
        alt_text=_alt_text(name, unit, points, target),
        lead=_lead(name, unit, len(points), target),
        table=table,
        columns=COLUMNS,
        figure=figure,
    )


def _lead(name, unit, count, target) -> str:
    return (
        f"Chart of {name} over {count} period{'s' if count != 1 else ''}, "
        f"against a target of {_shown(unit, target)}."
    )


def _alt_text(name, unit, points, target) -> str:
    words = [_lead(name, unit, len(points), target)]
    known = [(label, value, status) for label, value, status in points if value is not None]
    if known:
        label, value, status = known[-1]
        words.append(f"Latest figure: {_shown(unit, value)} in {label} ({status.lower()}).")
        if len(known) > 1:
            first_label, first, _ = known[0]
            if value > first:
                move = "up"
            elif value < first:
                move = "down"
            else:
                move = "level"
            words.append(f"From {_shown(unit, first)} in {first_label}: {move}.")
    missing = [label for label, value, _ in points if value is None]
    if missing:
        words.append(f"No figure for {', '.join(missing)}.")
    return " ".join(words)
