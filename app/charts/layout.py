"""What the evidence charts share: the phone-first layout of groups stacked downwards, the
series styles, the words for hidden figures and the way numbers are written. No Flask.

Every group of bars or points has its name on a line of its own above it, full width, so
long band, area and answer names never squeeze the plot; the figure is 3.6 inches (about 350
CSS pixels) wide and grows downwards with the number of groups.

Hidden figures. A value may be `Suppressed` (see `app.figures`): it is never drawn as a bar,
a point or a number. In its place the chart writes "fewer than 10" (the rule's threshold),
the table says the same, and the alt text names what is hidden. Every hidden figure reads
the same whatever hid it, so the words never tell a reader which hidden cells are large.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory

from app.charts import (
    GRID_COLOUR,
    OKABE_ITO,
    TEXT_COLOUR,
    Chart,
    Translations,
    fit_inside,
)
from app.figures import Suppressed

# Every message drawn or written by this module (for the message catalogue). Pairs are
# (singular, plural) for ngettext; `%(num)d` is the number the plural form depends on.

HIDDEN_LABEL = ("fewer than %(num)d", "fewer than %(num)d")
HIDDEN_SENTENCE = (
    "Shown as “fewer than %(num)d” to protect privacy: %(items)s.",
    "Shown as “fewer than %(num)d” to protect privacy: %(items)s.",
)
HIDDEN_ITEM = "%(label)s (%(period)s)"
NO_DATA = "no data"
PEOPLE = "Number of people"
MOSTLY_HIDDEN = (
    "Not drawn: most of its figures are fewer than %(num)d, so the chart would show little "
    "but gaps.",
    "Not drawn: most of its figures are fewer than %(num)d, so the chart would show little "
    "but gaps.",
)

MESSAGES = (HIDDEN_LABEL, HIDDEN_SENTENCE, HIDDEN_ITEM, NO_DATA, PEOPLE, MOSTLY_HIDDEN)

# previous period (or first reading) a hatched bar or hollow marker, and the norm an empty
# bar with a dashed black outline, or a dashed black line.

CURRENT_BAR = {"color": OKABE_ITO["blue"], "edgecolor": OKABE_ITO["blue"], "linewidth": 1}
PREVIOUS_BAR = {
    "color": "white",
    "edgecolor": OKABE_ITO["vermillion"],
    "hatch": "////",
    "linewidth": 1.2,
}
NORM_DASHED = {"color": OKABE_ITO["black"], "linestyle": (0, (5, 3)), "linewidth": 1.5}
NORM_BAR = {
    "color": "white",
    "edgecolor": OKABE_ITO["black"],
    "linestyle": (0, (3, 1.5)),
    "linewidth": 1.2,
}
COUNT_BAR = {"color": OKABE_ITO["blue"], "edgecolor": OKABE_ITO["blue"], "linewidth": 1}
FIRST_MARKER = {
    "marker": "o",
    "markersize": 8,
    "markerfacecolor": "white",
    "markeredgecolor": OKABE_ITO["vermillion"],
    "markeredgewidth": 2,
    "linestyle": "none",
}
LATEST_MARKER = {
    "marker": "s",
    "markersize": 7,
    "markerfacecolor": OKABE_ITO["blue"],
    "markeredgecolor": OKABE_ITO["blue"],
    "markeredgewidth": 1.5,
    "linestyle": "none",
}
# One style per row of a means chart, in turn: colour, marker, fill and whisker line all
# change from one row to the next.
POINT_STYLES = (
    {"color": OKABE_ITO["blue"], "marker": "o", "filled": True, "linestyle": "-"},
    {"color": OKABE_ITO["vermillion"], "marker": "s", "filled": False, "linestyle": (0, (4, 2))},
    {"color": OKABE_ITO["bluish_green"], "marker": "D", "filled": True, "linestyle": (0, (1, 1))},
    {"color": OKABE_ITO["reddish_purple"], "marker": "^", "filled": False, "linestyle": "-."},
)
STAGE_SHADE = {"color": GRID_COLOUR, "alpha": 0.2, "linewidth": 0}

# --- Layout (inches) -----------------------------------------------------------------------
# 3.2 inches (230 points) wide: shown full width on a 320-pixel phone (290 CSS pixels) the
# chart is scaled up about 1.26 times, so 10-point text reads at about 12.6 pixels.
WIDTH = 3.2
LEFT = 0.12
RIGHT = 0.45  # room for a value label past the end of a full-length bar
RIGHT_TIGHT = 0.2
TOP_PAD = 0.1
TITLE_LINE = 0.2
HEADER_LINE = 0.18
HEADER_GAP = 0.04
SLOT = 0.2
SLOT_GAP = 0.04
GROUP_GAP = 0.14
TICKS = 0.28
XLABEL = 0.22
LEGEND_ROW = 0.21
# A legend entry is wrapped at this many characters (its line sample takes the rest of the
# width), and each line after its first adds this much height (inches).
LEGEND_WRAP = 30
LEGEND_LINE = 0.16
BOTTOM_PAD = 0.08

FONT_SIZE = 10.5
TITLE_SIZE = 11
VALUE_SIZE = 10
TICK_SIZE = 10
# Characters per line of a header (band, area, answer) and of the title.
WRAP_AT = 32
TITLE_WRAP = 30
# A chart is replaced by its sentence when more than this share of its figures is hidden.
MOSTLY = 0.5
# A change smaller than this is drawn as two markers without an arrow between them.
ARROW_AT_LEAST = 0.15
DEFAULT_POINTS = 10

Value = float | int | Suppressed | None


# --- Shared layout -------------------------------------------------------------------------


class _Layout:
    """A phone-width figure of groups stacked downwards, each with a header line (wrapped)
    over `per_group` bars or points. The axes' y unit is the inch, counted down from the
    top, so every group keeps the same height however many there are. `slots` holds each
    group's bar or point positions."""

    def __init__(
        self,
        headers: Sequence[str],
        *,
        per_group: int,
        legend: Sequence,
        xlabel: str,
        right: float,
        title: str | None = None,
    ):
        self.legend = list(legend)
        # A long entry ("Norm: Pupils aged 13 to 16 (Clarke et al. 2011), 48.8") wraps
        # rather than running off the chart's right edge.
        for handle in self.legend:
            handle.set_label(_wrap(handle.get_label(), LEGEND_WRAP))
        legend_lines = sum(handle.get_label().count("\n") for handle in self.legend)
        self.title = title
        wrapped = [_wrap(header, WRAP_AT) for header in headers]
        y = GROUP_GAP / 2
        tops, slots = [], []
        for text in wrapped:
            tops.append(y)
            y += text.count("\n") * HEADER_LINE + HEADER_LINE + HEADER_GAP
            slots.append(tuple(y + SLOT / 2 + k * (SLOT + SLOT_GAP) for k in range(per_group)))
            y += per_group * SLOT + (per_group - 1) * SLOT_GAP + GROUP_GAP
        plot = max(y, SLOT)
        title = _wrap(self.title, TITLE_WRAP) if self.title else ""
        top = TOP_PAD + (title.count("\n") + 1) * TITLE_LINE + 0.06 if title else TOP_PAD
        bottom = (
            TICKS + XLABEL + len(self.legend) * LEGEND_ROW + legend_lines * LEGEND_LINE + BOTTOM_PAD
        )
        height = top + plot + bottom
        self.slots = slots
        # Each group's rows of bars or points, top to bottom (inches): lines drawn across
        # the plot stop at a group's edges, so they never run through a header.
        self.spans = [
            (group[0] - SLOT / 2 - SLOT_GAP / 2, group[-1] + SLOT / 2 + SLOT_GAP / 2)
            for group in slots
            if group
        ]
        self.figure = figure = Figure(figsize=(WIDTH, height))
        figure.set_facecolor("white")
        width = WIDTH - LEFT - right
        self.axes = axes = figure.add_axes(
            (LEFT / WIDTH, bottom / height, width / WIDTH, plot / height)
        )
        axes.set_ylim(plot, 0)
        axes.set_yticks([])
        axes.set_facecolor("white")
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.spines["bottom"].set_color(GRID_COLOUR)
        axes.tick_params(axis="x", labelsize=TICK_SIZE, colors=TEXT_COLOUR, length=3)
        axes.set_xlabel(xlabel, fontsize=FONT_SIZE, color=TEXT_COLOUR)
        self.texts: list[Text] = []
        across = blended_transform_factory(axes.transAxes, axes.transData)
        self.across = across
        for text, y_top in zip(wrapped, tops, strict=True):
            self.texts.append(
                axes.text(
                    0,
                    y_top,
                    text,
                    transform=across,
                    ha="left",
                    va="top",
                    fontsize=FONT_SIZE,
                    color=TEXT_COLOUR,
                    linespacing=1.1,
                    clip_on=False,
                )
            )
        if title:
            self.texts.append(
                figure.text(
                    LEFT / WIDTH,
                    1 - TOP_PAD / height,
                    title,
                    ha="left",
                    va="top",
                    fontsize=TITLE_SIZE,
                    fontweight="bold",
                    color=TEXT_COLOUR,
                    linespacing=1.1,
                )
            )
        if self.legend:
            figure.legend(
                handles=self.legend,
                loc="lower left",
                bbox_to_anchor=(LEFT / WIDTH * 0.5, BOTTOM_PAD / height),
                ncols=1,
                frameon=False,
                fontsize=VALUE_SIZE,
                handlelength=2.6,
                borderaxespad=0,
                borderpad=0,
            )

    def grid(self) -> None:
        """Light vertical gridlines at the x ticks, across each group's rows only."""
        low, high = sorted(self.axes.get_xlim())
        ticks = [x for x in self.axes.get_xticks() if low <= x <= high]
        for x in ticks:
            self.line(x, {"color": GRID_COLOUR, "linewidth": 0.6}, zorder=0)

    def line(self, x: float, style: dict, *, zorder: float = 1) -> None:
        """A vertical line at `x` (a norm, say), across each group's rows only."""
        for top, bottom in self.spans:
            self.axes.plot([x, x], [top, bottom], zorder=zorder, **style)

    def note(self, words: Translations, value: Value, y: float, *, at_right: bool = False):
        """Write "fewer than 10" (or "no data") where a bar or point would be."""
        text = self.axes.text(
            0.98 if at_right else 0.01,
            y,
            _cell(words, value, str) or words.gettext(NO_DATA),
            transform=self.across,
            ha="right" if at_right else "left",
            va="center",
            fontsize=VALUE_SIZE,
            fontstyle="italic",
            color=TEXT_COLOUR,
            clip_on=False,
        )
        self.texts.append(text)

    def finish(self) -> Figure:
        fit_inside(self.figure, self.texts)
        return self.figure


def _bar(layout: _Layout, words, value, y, style, label) -> None:
    """A bar with its value written past its end, or a note in its place."""
    if not _shown(value):
        layout.note(words, value, y)
        return
    layout.axes.barh(y, value, height=SLOT, zorder=2, **style)
    layout.axes.text(
        value,
        y,
        f" {label(value)}",
        ha="left",
        va="center",
        fontsize=VALUE_SIZE,
        color=TEXT_COLOUR,
        clip_on=False,
        zorder=5,
    )


# --- Words and numbers ---------------------------------------------------------------------


def _shown(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(words: Translations, value: object, written) -> str:
    """A table cell: "" for no figure, "fewer than 10" for a hidden one."""
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return words.ngettext(*HIDDEN_LABEL, value.threshold) % {"num": value.threshold}
    return written(value)


def _hidden_sentence(words: Translations, hidden: list[tuple[Suppressed, str]]) -> list[str]:
    if not hidden:
        return []
    threshold = hidden[0][0].threshold
    items = "; ".join(label for _, label in hidden)
    return [words.ngettext(*HIDDEN_SENTENCE, threshold) % {"num": threshold, "items": items}]


def _titled(title: str | None, text: str) -> str:
    if not title:
        return text
    title = " ".join(title.split())
    return f"{title} {text}" if title[-1] in ".?!:؟。" else f"{title}. {text}"


def mostly_hidden(values) -> bool:
    """Whether more than half of the figures given are hidden (no data aside): a chart of
    them would be mostly "fewer than 10"."""
    given = [value for value in values if value is not None]
    hidden = sum(1 for value in given if isinstance(value, Suppressed))
    return bool(given) and hidden > MOSTLY * len(given)


def _threshold(values) -> int:
    return next(value.threshold for value in values if isinstance(value, Suppressed))


def _sentence_only(words, title, sentences, values, table, columns) -> Chart:
    """The chart as its sentence alone: nothing drawn, the table kept (see `Chart.drawn`)."""
    threshold = _threshold(values)
    note = words.ngettext(*MOSTLY_HIDDEN, threshold) % {"num": threshold}
    lead, alt_text = _worded(title, [note, *sentences[1:]])
    return Chart(svg=b"", alt_text=alt_text, table=table, columns=columns, lead=lead)


def _worded(title: str | None, sentences: Sequence[str]) -> tuple[str, str]:
    """(lead, alt text): the lead says what the chart is (with its title); the alt text
    goes on with the finding. A page shows the lead as the image's alt and the rest as the
    caption, so a screen reader never hears a sentence twice."""
    lead = _titled(title, sentences[0]) if sentences else (title or "")
    return lead, " ".join([lead, *sentences[1:]]).strip()


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _whole(share: float) -> int:
    return int(f"{share * 100:.0f}")


def _number(value: float) -> str:
    return f"{value:.1f}"


def _signed(value: float) -> str:
    written = f"{value:+.1f}"
    return "0.0" if written in ("+0.0", "-0.0") else written


def _count(value: int) -> str:
    return f"{int(value):,}"


def _wrap(text: str, width: int) -> str:
    lines = []
    for line in text.splitlines() or [text]:
        lines.extend(textwrap.wrap(line, width, break_long_words=False) or [""])
    return "\n".join(lines)
