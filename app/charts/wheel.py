"""The outcomes wheel chart: a young person's first and latest reading, area by area.

A radar ("star") chart with one spoke per area, the first reading dashed with round markers
and the latest solid with square markers and a light fill, so the two differ in more than
colour. Sized for a phone: the SVG is 3.6 inches (about 350 CSS pixels) wide at 12 point
text, so it stays readable scaled down to a 320-pixel screen; long area names wrap; the only
numbers drawn are a few scale marks, because the table beside the chart carries the rest.

    chart = draw_wheel(
        areas=[("feeling_safe", "Feeling safe"), ...],
        first={"feeling_safe": 3, ...},
        latest={"feeling_safe": 7, ...},
    )
    chart.svg, chart.alt_text, chart.table   # rows: (area, first, latest, change, area_id)

`wheel_chart(instrument, first, latest, locale=...)` does the same from a star instrument,
with its area names in that language.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from matplotlib.figure import Figure

from app.charts import (
    GRID_COLOUR,
    OKABE_ITO,
    TEXT_COLOUR,
    Chart,
    Translations,
    english,
    fit_inside,
    render_svg,
)
from app.instruments.model import Instrument

# Every message drawn or written by this module (for the message catalogue); `%(num)d`
# is the number the plural form depends on.
LEAD = "Wheel chart comparing the first and latest readings in %(total)d areas."
BIGGEST_UP = (
    "Biggest move: %(area)s, up %(num)d point from %(first)d to %(latest)d.",
    "Biggest move: %(area)s, up %(num)d points from %(first)d to %(latest)d.",
)
BIGGEST_DOWN = (
    "Biggest move: %(area)s, down %(num)d point from %(first)d to %(latest)d.",
    "Biggest move: %(area)s, down %(num)d points from %(first)d to %(latest)d.",
)
NO_CHANGE = "Every area has the same score as at the first reading."
MOVED_UP = ("%(num)d of %(total)d areas moved up.", "%(num)d of %(total)d areas moved up.")
STAYED = ("%(num)d stayed the same.", "%(num)d stayed the same.")
MOVED_DOWN = ("%(num)d moved down.", "%(num)d moved down.")
FIRST_READING = "First reading"
LATEST_READING = "Latest reading"
COLUMNS = ("Area", "First", "Latest", "Change")
MESSAGES = (
    LEAD,
    BIGGEST_UP,
    BIGGEST_DOWN,
    NO_CHANGE,
    MOVED_UP,
    STAYED,
    MOVED_DOWN,
    FIRST_READING,
    LATEST_READING,
    *COLUMNS,
)

FIRST_STYLE = {
    "color": OKABE_ITO["vermillion"],
    "linestyle": (0, (4, 2)),
    "marker": "o",
    "markersize": 6,
    "linewidth": 2,
}
LATEST_STYLE = {
    "color": OKABE_ITO["blue"],
    "linestyle": "-",
    "marker": "s",
    "markersize": 6,
    "linewidth": 2.5,
}
FIGURE_SIZE = (3.6, 4.0)  # inches: a square wheel and room below for the legend
# The wheel's width as a share of the figure's, and the height of its centre.
WHEEL_SHARE = 0.46
WHEEL_CENTRE = 0.59
FONT_SIZE = 11
SCALE_FONT_SIZE = 8
# Characters per line of an area name; longer names wrap onto at most three lines.
WRAP_AT = 11
MIN_WRAP = 5
# Area names start this far out, as a share of the scale's top.
LABEL_RADIUS = 1.08
MIN_AREAS = 3


class WheelRow(NamedTuple):
    """One row of the table beside the chart. `first`, `latest` and `change` are None
    when the area was not scored in one of the readings."""

    area: str
    first: int | None
    latest: int | None
    change: int | None
    area_id: str


def draw_wheel(
    areas: Sequence[tuple[str, str]],
    first: Mapping[str, int | str],
    latest: Mapping[str, int | str],
    *,
    points: int = 10,
    first_label: str | None = None,
    latest_label: str | None = None,
    translations: Translations | None = None,
) -> Chart:
    """Draw the first against the latest reading; the areas are (id, name) in wheel order.

    Scores are whole numbers from 1 to `points` (or their digits). An area scored in only one
    reading is drawn for that reading, shown with blanks in the table and left out of the
    alt text's counts. The legend reads `first_label` and `latest_label` ("First reading" and
    "Latest reading" unless given, e.g. with dates). ValueError for fewer than three areas.
    """
    if len(areas) < MIN_AREAS:
        raise ValueError(f"a wheel needs at least {MIN_AREAS} areas, not {len(areas)}")
    words = translations or english()
    rows = tuple(_row(area_id, name, first, latest) for area_id, name in areas)
    figure = _figure(
        rows,
        points,
        first_label or words.gettext(FIRST_READING),
        latest_label or words.gettext(LATEST_READING),
    )
    compared = sum(1 for row in rows if row.change is not None)
    return Chart(
        svg=render_svg(figure),
        alt_text=alt_text(rows, words),
        lead=words.gettext(LEAD) % {"total": compared},
        table=rows,
        columns=tuple(words.gettext(column) for column in COLUMNS),
        figure=figure,
    )


def wheel_chart(
    instrument: Instrument,
    first: Mapping[str, int | str],
    latest: Mapping[str, int | str],
    *,
    locale: str | None = None,
    first_label: str | None = None,
    latest_label: str | None = None,
    translations: Translations | None = None,
) -> Chart:
    """`draw_wheel` for a star instrument, with its areas named in `locale` (else English)."""
    if instrument.star is None:
        raise ValueError(f"{instrument.key} is a {instrument.type}, not a star")
    words = instrument.fieldwork_texts(locale)
    return draw_wheel(
        [(area, words.area_name(area)) for area in instrument.star.areas],
        first,
        latest,
        points=instrument.star.points,
        first_label=first_label,
        latest_label=latest_label,
        translations=translations,
    )


def alt_text(rows: Sequence[WheelRow], translations: Translations | None = None) -> str:
    """The chart's finding in words: the biggest move, then how many areas went up, stayed
    the same and went down. Only areas scored in both readings count."""
    words = translations or english()
    compared = [row for row in rows if row.change is not None]
    total = len(compared)
    sentences = [words.gettext(LEAD) % {"total": total}]
    if not compared:
        return sentences[0]
    # The largest change either way; on a tie, the first in wheel order.
    biggest = max(compared, key=lambda row: abs(row.change))
    if biggest.change == 0:
        sentences.append(words.gettext(NO_CHANGE))
    else:
        forms = BIGGEST_UP if biggest.change > 0 else BIGGEST_DOWN
        size = abs(biggest.change)
        sentences.append(
            words.ngettext(*forms, size)
            % {"area": biggest.area, "num": size, "first": biggest.first, "latest": biggest.latest}
        )
    up = sum(1 for row in compared if row.change > 0)
    same = sum(1 for row in compared if row.change == 0)
    down = total - up - same
    sentences.append(words.ngettext(*MOVED_UP, up) % {"num": up, "total": total})
    if same:
        sentences.append(words.ngettext(*STAYED, same) % {"num": same})
    if down:
        sentences.append(words.ngettext(*MOVED_DOWN, down) % {"num": down})
    return " ".join(sentences)


def _row(area_id: str, name: str, first: Mapping, latest: Mapping) -> WheelRow:
    before, after = _score(first.get(area_id)), _score(latest.get(area_id))
    change = after - before if before is not None and after is not None else None
    return WheelRow(area=name, first=before, latest=after, change=change, area_id=area_id)


def _score(value: object) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    return int(value)


def _figure(rows: Sequence[WheelRow], points: int, first_label: str, latest_label: str) -> Figure:
    figure = Figure(figsize=FIGURE_SIZE)
    figure.set_facecolor("white")
    # A fixed layout: the wheel in the middle of the upper part, names around it, the legend
    # below. (An automatic layout shrinks the wheel to make room for the names.)
    width, height = FIGURE_SIZE
    size = WHEEL_SHARE * width / height
    axes = figure.add_axes(
        (0.5 - WHEEL_SHARE / 2, WHEEL_CENTRE - size / 2, WHEEL_SHARE, size), projection="polar"
    )
    count = len(rows)
    # The first area at the top, the rest clockwise, as a wheel is read.
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    angles = [2 * math.pi * index / count for index in range(count)]

    for label, style, key, fill in (
        (first_label, FIRST_STYLE, "first", False),
        (latest_label, LATEST_STYLE, "latest", True),
    ):
        scores = [getattr(row, key) for row in rows]
        # Close the shape; an unscored area leaves a gap rather than a misleading zero.
        values = [math.nan if s is None else s for s in scores]
        axes.plot([*angles, angles[0]], [*values, values[0]], label=label, **style)
        if fill and all(s is not None for s in scores):
            axes.fill(angles, values, color=style["color"], alpha=0.12, linewidth=0)

    axes.set_ylim(0, points)
    # A few scale marks only: the stage boundaries of a two-points-a-stage wheel.
    ticks = [t for t in range(2, points + 1, 2)] if points <= 12 else [points // 2, points]
    axes.set_yticks(ticks)
    axes.set_yticklabels([str(t) for t in ticks], fontsize=SCALE_FONT_SIZE, color=TEXT_COLOUR)
    axes.set_rlabel_position(180 / count)
    axes.set_xticks(angles)
    axes.set_xticklabels([])
    names = []
    for angle, row in zip(angles, rows, strict=True):
        # Each name sits just outside the rim and grows away from it (leftwards on the left,
        # upwards at the top), so a long name never covers the wheel.
        across, up = math.sin(angle), math.cos(angle)
        name = axes.text(
            angle,
            points * LABEL_RADIUS,
            _wrap(row.area),
            fontsize=FONT_SIZE,
            color=TEXT_COLOUR,
            linespacing=1.0,
            ha="left" if across > 0.1 else "right" if across < -0.1 else "center",
            va="bottom" if up > 0.1 else "top" if up < -0.1 else "center",
            clip_on=False,
        )
        names.append(name)
    axes.grid(color=GRID_COLOUR, linewidth=0.8)
    axes.spines["polar"].set_color(GRID_COLOUR)
    axes.set_facecolor("white")
    figure.legend(
        loc="lower center",
        ncols=1,
        frameon=False,
        fontsize=FONT_SIZE,
        handlelength=3,
        borderaxespad=0.2,
    )
    fit_inside(figure, names, narrower=_narrower)
    return figure


def _wrap(name: str, width: int = WRAP_AT, most_lines: int = 3) -> str:
    lines = textwrap.wrap(name, width, break_long_words=False) or [name]
    if len(lines) > most_lines:
        lines = [*lines[: most_lines - 1], " ".join(lines[most_lines - 1 :])]
    return "\n".join(lines)


def _narrower(label: str) -> str:
    """A wrapped name wrapped a few characters narrower, on up to four lines."""
    name = " ".join(label.split())
    longest = max(len(line) for line in label.splitlines())
    return _wrap(name, max(MIN_WRAP, longest - 3), most_lines=4) if longest > MIN_WRAP else label
