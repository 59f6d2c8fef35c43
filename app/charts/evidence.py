"""Charts for the commissioner's evidence page: bands, means, distance travelled, answers.

Each function returns a `Chart` (SVG bytes, alt text, table, columns) and draws on a figure
of its own, as `app.charts` describes. The charts share one phone-first layout: every group
of bars or points has its name on a line of its own above it, full width, so long band,
area and answer names never squeeze the plot; the figure is 3.6 inches (about 350 CSS
pixels) wide and grows downwards with the number of groups.

Hidden figures. A value may be `Suppressed` (see `app.evidence.suppression`): it is never
drawn as a bar, a point or a number. In its place the chart writes "fewer than 10" (the
rule's threshold), the table says the same, and the alt text names what is hidden. Every
hidden figure reads the same whatever hid it, so the words never tell a reader which hidden
cells are large.

    band_chart(bands, current, previous, norm, current_label=..., previous_label=...)
    means_chart(rows, scale_label=..., norm=50.8, norm_label="National norm")
    distance_chart(areas, first, latest, stages=...)
    distribution_chart(options, counts, answered=...)

Tables hold text as the page shows it ("34%", "48.2", "fewer than 10", "" for no data),
with the row's key last, after the columns a page renders. Words are English unless
`translations` is given; `MESSAGES` lists every message for the catalogue.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

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
from app.evidence.suppression import Suppressed

# --- Messages ------------------------------------------------------------------------------
# Every message drawn or written by this module (for the message catalogue). Pairs are
# (singular, plural) for ngettext; `%(num)d` is the number the plural form depends on.

HIDDEN_LABEL = ("fewer than %(num)d", "fewer than %(num)d")
HIDDEN_SENTENCE = (
    "Shown as “fewer than %(num)d” to protect privacy: %(items)s.",
    "Shown as “fewer than %(num)d” to protect privacy: %(items)s.",
)
HIDDEN_ITEM = "%(label)s (%(period)s)"
NO_DATA = "no data"
PEOPLE = "People"

# Bands
BAND_LEAD = "Bar chart of the share of people in each band, in %(current)s and %(previous)s."
BAND_LEAD_NORM = (
    "Bar chart of the share of people in each band, in %(current)s and %(previous)s, "
    "against the share expected from the national norm."
)
BAND_SHARES = "In %(period)s: %(shares)s."
BAND_ITEM = "%(band)s %(share)s"
BAND_ITEM_NORM = "%(band)s %(share)s (%(expected)s expected)"
BAND_BIGGEST_NORM = (
    "Biggest difference from the norm: %(band)s, %(share)s against %(expected)s expected."
)
BAND_BIGGEST_UP = "Biggest change since %(previous)s: %(band)s, up from %(before)s to %(share)s."
BAND_BIGGEST_DOWN = (
    "Biggest change since %(previous)s: %(band)s, down from %(before)s to %(share)s."
)
BAND_NO_CHANGE = "Every band has the same share as in %(previous)s."
BAND_NORM = "Expected from the national norm"
SHARE_OF_PEOPLE = "Share of people"
BAND_COLUMNS = ("Band",)

# Means
MEANS_LEAD = "Chart of the %(scale)s with 95%% confidence intervals."
MEANS_LEAD_NORM = (
    "Chart of the %(scale)s with 95%% confidence intervals, against a line at %(norm)s: "
    "%(norm_label)s."
)
MEANS_ROW_CI = "%(label)s: %(mean)s, 95%% confidence interval %(low)s to %(high)s."
MEANS_ROW = "%(label)s: %(mean)s, too few scores for an interval."
MEANS_ROW_NO_DATA = "%(label)s: no scores."
MEANS_ABOVE = "The interval is above the norm."
MEANS_BELOW = "The interval is below the norm."
MEANS_OVERLAPS = "The interval includes the norm."
MEANS_NORM = "National norm"
MEANS_COLUMNS = ("Group", "Mean", "Lower 95% limit", "Upper 95% limit")

# Distance travelled
DISTANCE_LEAD = (
    "Chart of the mean score in %(num)d area at the first and latest reading.",
    "Chart of the mean score in each of %(num)d areas at the first and latest reading.",
)
DISTANCE_BIGGEST_UP = "Biggest move: %(area)s, up from %(first)s to %(latest)s."
DISTANCE_BIGGEST_DOWN = "Biggest move: %(area)s, down from %(first)s to %(latest)s."
DISTANCE_NO_CHANGE = "Every area's mean is the same as at the first reading."
DISTANCE_OVERALL_UP = "On average across the areas shown, the mean went up by %(change)s."
DISTANCE_OVERALL_DOWN = "On average across the areas shown, the mean went down by %(change)s."
DISTANCE_OVERALL_SAME = "On average across the areas shown, the mean did not change."
DISTANCE_MOVED = (
    "%(num)d of %(total)d areas moved up, %(down)d moved down.",
    "%(num)d of %(total)d areas moved up, %(down)d moved down.",
)
FROM_TO = "%(first)s to %(latest)s"
FIRST_READING = "First reading"
LATEST_READING = "Latest reading"
MEAN_SCORE = "Mean score"
DISTANCE_COLUMNS = ("Area", "Mean first", "Mean latest", "Change")
STAGE_COLUMNS = ("Stage at first", "Stage at latest")

# Answers to a closed question
DISTRIBUTION_LEAD = (
    "Bar chart of the answers of %(num)d person.",
    "Bar chart of the answers of %(num)d people.",
)
DISTRIBUTION_LEAD_HIDDEN = (
    "Bar chart of the answers of fewer than %(num)d person.",
    "Bar chart of the answers of fewer than %(num)d people.",
)
DISTRIBUTION_MOST = (
    "Most chosen: %(option)s, by %(num)d person (%(share)s).",
    "Most chosen: %(option)s, by %(num)d people (%(share)s).",
)
DISTRIBUTION_MOST_NO_SHARE = (
    "Most chosen: %(option)s, by %(num)d person.",
    "Most chosen: %(option)s, by %(num)d people.",
)
DISTRIBUTION_TIED = (
    "Most chosen, equally: %(options)s, by %(num)d person each.",
    "Most chosen, equally: %(options)s, by %(num)d people each.",
)
DISTRIBUTION_COLUMNS = ("Answer", "People", "Share")

MESSAGES = (
    HIDDEN_LABEL,
    HIDDEN_SENTENCE,
    HIDDEN_ITEM,
    NO_DATA,
    PEOPLE,
    BAND_LEAD,
    BAND_LEAD_NORM,
    BAND_SHARES,
    BAND_ITEM,
    BAND_ITEM_NORM,
    BAND_BIGGEST_NORM,
    BAND_BIGGEST_UP,
    BAND_BIGGEST_DOWN,
    BAND_NO_CHANGE,
    BAND_NORM,
    SHARE_OF_PEOPLE,
    *BAND_COLUMNS,
    MEANS_LEAD,
    MEANS_LEAD_NORM,
    MEANS_ROW_CI,
    MEANS_ROW,
    MEANS_ROW_NO_DATA,
    MEANS_ABOVE,
    MEANS_BELOW,
    MEANS_OVERLAPS,
    MEANS_NORM,
    *MEANS_COLUMNS,
    DISTANCE_LEAD,
    DISTANCE_BIGGEST_UP,
    DISTANCE_BIGGEST_DOWN,
    DISTANCE_NO_CHANGE,
    DISTANCE_OVERALL_UP,
    DISTANCE_OVERALL_DOWN,
    DISTANCE_OVERALL_SAME,
    DISTANCE_MOVED,
    FROM_TO,
    FIRST_READING,
    LATEST_READING,
    MEAN_SCORE,
    *DISTANCE_COLUMNS,
    *STAGE_COLUMNS,
    DISTRIBUTION_LEAD,
    DISTRIBUTION_LEAD_HIDDEN,
    DISTRIBUTION_MOST,
    DISTRIBUTION_MOST_NO_SHARE,
    DISTRIBUTION_TIED,
    *DISTRIBUTION_COLUMNS,
)

# --- Styles --------------------------------------------------------------------------------
# Two series never differ by colour alone: this period is a solid bar or filled marker, the
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
WIDTH = 3.6
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
BOTTOM_PAD = 0.08

FONT_SIZE = 10
TITLE_SIZE = 10.5
VALUE_SIZE = 9
TICK_SIZE = 9
# Characters per line of a header (band, area, answer) and of the title.
WRAP_AT = 40
TITLE_WRAP = 38
# A change smaller than this is drawn as two markers without an arrow between them.
ARROW_AT_LEAST = 0.15
DEFAULT_POINTS = 10


class BandRow(NamedTuple):
    band: str
    current: str
    previous: str
    expected: str
    key: str


class MeanRow(NamedTuple):
    group: str
    mean: str
    low: str
    high: str


class DistanceRow(NamedTuple):
    area: str
    first: str
    latest: str
    change: str
    first_stage: str
    latest_stage: str
    key: str


class AnswerRow(NamedTuple):
    answer: str
    people: str
    share: str
    value: str


Value = float | int | Suppressed | None


# --- Band chart ----------------------------------------------------------------------------


def band_chart(
    bands: Sequence[tuple[str, str]],
    current: Mapping[str, Value],
    previous: Mapping[str, Value],
    norm: Mapping[str, float | None] | None = None,
    *,
    current_label: str,
    previous_label: str,
    norm_label: str | None = None,
    title: str | None = None,
    translations: Translations | None = None,
) -> Chart:
    """The share of people in each indicative band, this period against the previous one.

    `bands` are (key, label) in order (lowest first); `current` and `previous` map a band's
    key to a share from 0 to 1, `Suppressed`, or None (no figure); `norm` maps it to the
    share expected from the national norm. This period's bars are solid, the previous
    period's hatched, the norm's empty with a dashed outline; each is labelled with its
    percentage. Table rows: (band, current, previous, expected, key); columns "Band" and
    the three labels (the norm's only when there is a norm).
    """
    words = translations or english()
    norm = norm or {}
    has_norm = any(isinstance(norm.get(key), int | float) for key, _ in bands)
    norm_label = norm_label or words.gettext(BAND_NORM)
    rows = tuple(
        BandRow(
            band=label,
            current=_cell(words, current.get(key), _percent),
            previous=_cell(words, previous.get(key), _percent),
            expected=_cell(words, norm.get(key), _percent),
            key=key,
        )
        for key, label in bands
    )
    legend = [
        Patch(label=current_label, facecolor=CURRENT_BAR["color"], edgecolor=CURRENT_BAR["color"]),
        Patch(
            label=previous_label,
            facecolor=PREVIOUS_BAR["color"],
            edgecolor=PREVIOUS_BAR["edgecolor"],
            hatch=PREVIOUS_BAR["hatch"],
        ),
    ]
    if has_norm:
        legend.append(
            Patch(
                label=norm_label,
                facecolor=NORM_BAR["color"],
                edgecolor=NORM_BAR["edgecolor"],
                linestyle=NORM_BAR["linestyle"],
            )
        )
    layout = _Layout(
        [label for _, label in bands],
        per_group=3 if has_norm else 2,
        title=title,
        legend=legend,
        xlabel=words.gettext(SHARE_OF_PEOPLE),
        right=RIGHT,
    )
    axes = layout.axes
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1]))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _percent(value)))
    series = [(current, CURRENT_BAR), (previous, PREVIOUS_BAR)]
    if has_norm:
        series.append((norm, NORM_BAR))
    for (key, _), slots in zip(bands, layout.slots, strict=True):
        for (values, style), y in zip(series, slots, strict=True):
            _bar(layout, words, values.get(key), y, style, _percent)
    figure = layout.finish()
    return Chart(
        svg=render_svg(figure),
        alt_text=_titled(
            title,
            _band_alt_text(
                bands, current, previous, norm, has_norm, current_label, previous_label, words
            ),
        ),
        table=rows,
        columns=(
            *(words.gettext(column) for column in BAND_COLUMNS),
            current_label,
            previous_label,
            *((norm_label,) if has_norm else ()),
        ),
        figure=figure,
    )


def _band_alt_text(bands, current, previous, norm, has_norm, current_label, previous_label, words):
    periods = {"current": current_label, "previous": previous_label}
    sentences = [words.gettext(BAND_LEAD_NORM if has_norm else BAND_LEAD) % periods]
    items = []
    for key, label in bands:
        share = current.get(key)
        if share is None:
            continue
        expected = norm.get(key)
        if isinstance(expected, int | float):
            items.append(
                words.gettext(BAND_ITEM_NORM)
                % {
                    "band": label,
                    "share": _cell(words, share, _percent),
                    "expected": _percent(expected),
                }
            )
        else:
            items.append(
                words.gettext(BAND_ITEM) % {"band": label, "share": _cell(words, share, _percent)}
            )
    if items:
        sentences.append(
            words.gettext(BAND_SHARES) % {"period": current_label, "shares": "; ".join(items)}
        )
    # Compare whole percentages, as written, so a sentence never reads "up from 34% to 34%".
    against_norm = [
        (abs(_whole(current[key]) - _whole(norm[key])), key, label)
        for key, label in bands
        if _shown(current.get(key)) and isinstance(norm.get(key), int | float)
    ]
    if against_norm:
        gap, key, label = max(against_norm, key=lambda item: item[0])
        if gap > 0:
            sentences.append(
                words.gettext(BAND_BIGGEST_NORM)
                % {
                    "band": label,
                    "share": _percent(current[key]),
                    "expected": _percent(norm[key]),
                }
            )
    changes = [
        (_whole(current[key]) - _whole(previous[key]), key, label)
        for key, label in bands
        if _shown(current.get(key)) and _shown(previous.get(key))
    ]
    if changes:
        change, key, label = max(changes, key=lambda item: abs(item[0]))
        if change == 0:
            sentences.append(words.gettext(BAND_NO_CHANGE) % {"previous": previous_label})
        else:
            sentences.append(
                words.gettext(BAND_BIGGEST_UP if change > 0 else BAND_BIGGEST_DOWN)
                % {
                    "previous": previous_label,
                    "band": label,
                    "before": _percent(previous[key]),
                    "share": _percent(current[key]),
                }
            )
    hidden = [
        (value, words.gettext(HIDDEN_ITEM) % {"label": label, "period": period})
        for period, values in ((current_label, current), (previous_label, previous))
        for key, label in bands
        if isinstance(value := values.get(key), Suppressed)
    ]
    sentences.extend(_hidden_sentence(words, hidden))
    return " ".join(sentences)


# --- Means with confidence intervals -------------------------------------------------------


def means_chart(
    rows: Sequence[tuple[str, Value, Value, Value]],
    *,
    scale_label: str,
    norm: float | None = None,
    norm_label: str | None = None,
    translations: Translations | None = None,
) -> Chart:
    """Mean scores with their 95% confidence intervals, one dot and whisker per row, and a
    dashed line at the norm's mean.

    `rows` are (label, mean, ci_low, ci_high), each value a number, `Suppressed` or None
    (no scores, or too few for an interval); labels are usually periods ("April to June
    2026", "January to March 2026") or readings. Rows differ in colour, marker, fill and
    whisker style. Table rows: (group, mean, low, high).
    """
    words = translations or english()
    norm_label = norm_label or words.gettext(MEANS_NORM)
    table = tuple(
        MeanRow(
            group=label,
            mean=_cell(words, mean, _number),
            low=_cell(words, low, _number),
            high=_cell(words, high, _number),
        )
        for label, mean, low, high in rows
    )
    headers = [f"{label}: {_number(mean)}" if _shown(mean) else label for label, mean, _, _ in rows]
    legend = []
    if norm is not None:
        legend.append(Line2D([], [], label=f"{norm_label}: {_number(norm)}", **NORM_DASHED))
    layout = _Layout(headers, per_group=1, legend=legend, xlabel=scale_label, right=RIGHT_TIGHT)
    axes = layout.axes
    shown = [v for _, *values in rows for v in values if _shown(v)]
    if norm is not None:
        shown.append(norm)
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    pad = max((high - low) * 0.12, 0.5)
    axes.set_xlim(low - pad, high + pad)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
    if norm is not None:
        axes.axvline(norm, zorder=1, **NORM_DASHED)
    for index, ((_, mean, ci_low, ci_high), (y,)) in enumerate(
        zip(rows, layout.slots, strict=True)
    ):
        style = POINT_STYLES[index % len(POINT_STYLES)]
        if not _shown(mean):
            layout.note(words, mean, y)
            continue
        if _shown(ci_low) and _shown(ci_high):
            axes.plot(
                [ci_low, ci_high],
                [y, y],
                color=style["color"],
                linestyle=style["linestyle"],
                linewidth=2,
                zorder=2,
            )
            axes.plot(
                [ci_low, ci_high],
                [y, y],
                color=style["color"],
                marker="|",
                markersize=10,
                markeredgewidth=2,
                linestyle="none",
                zorder=2,
            )
        axes.plot(
            [mean],
            [y],
            marker=style["marker"],
            markersize=8,
            markerfacecolor=style["color"] if style["filled"] else "white",
            markeredgecolor=style["color"],
            markeredgewidth=2,
            linestyle="none",
            zorder=3,
        )
    figure = layout.finish()
    return Chart(
        svg=render_svg(figure),
        alt_text=_means_alt_text(rows, scale_label, norm, norm_label, words),
        table=table,
        columns=tuple(words.gettext(column) for column in MEANS_COLUMNS),
        figure=figure,
    )


def _means_alt_text(rows, scale_label, norm, norm_label, words) -> str:
    if norm is None:
        sentences = [words.gettext(MEANS_LEAD) % {"scale": scale_label}]
    else:
        sentences = [
            words.gettext(MEANS_LEAD_NORM)
            % {"scale": scale_label, "norm": _number(norm), "norm_label": norm_label}
        ]
    hidden = []
    for label, mean, low, high in rows:
        if isinstance(mean, Suppressed):
            hidden.append((mean, label))
            continue
        if mean is None:
            sentences.append(words.gettext(MEANS_ROW_NO_DATA) % {"label": label})
            continue
        if not (_shown(low) and _shown(high)):
            sentences.append(words.gettext(MEANS_ROW) % {"label": label, "mean": _number(mean)})
            continue
        sentences.append(
            words.gettext(MEANS_ROW_CI)
            % {"label": label, "mean": _number(mean), "low": _number(low), "high": _number(high)}
        )
        if norm is not None:
            if low > norm:
                sentences.append(words.gettext(MEANS_ABOVE))
            elif high < norm:
                sentences.append(words.gettext(MEANS_BELOW))
            else:
                sentences.append(words.gettext(MEANS_OVERLAPS))
    sentences.extend(_hidden_sentence(words, hidden))
    return " ".join(sentences)


# --- Distance travelled --------------------------------------------------------------------


def distance_chart(
    areas: Sequence[tuple[str, str]],
    first: Mapping[str, Value],
    latest: Mapping[str, Value],
    *,
    stages: Sequence[tuple[str, float, float]] | None = None,
    points: int = DEFAULT_POINTS,
    first_label: str | None = None,
    latest_label: str | None = None,
    translations: Translations | None = None,
) -> Chart:
    """Outcomes-wheel distance travelled: each area's mean score at the first reading (a
    hollow circle) and the latest (a filled square), with an arrow from one to the other.

    `areas` are (key, name) in wheel order; `first` and `latest` map an area to a mean
    score, `Suppressed` or None. The axis runs from 1 to `points`, or across `stages`,
    (label, min, max) in order, e.g. `[(texts.stage_label(s.key), s.min, s.max) for s in
    star.stages]`: every other stage is shaded and the table names the stage each mean has
    reached (a stage is reached at its minimum). Table rows: (area, first, latest, change,
    first_stage, latest_stage, key); the stage columns are listed only with `stages`.
    """
    words = translations or english()
    rows = tuple(_distance_row(words, key, name, first, latest, stages) for key, name in areas)
    headers = []
    for key, name in areas:
        before, after = first.get(key), latest.get(key)
        if _shown(before) and _shown(after):
            span = words.gettext(FROM_TO) % {"first": _number(before), "latest": _number(after)}
            headers.append(f"{name}: {span}")
        else:
            headers.append(name)
    legend = [
        Line2D([], [], label=first_label or words.gettext(FIRST_READING), **FIRST_MARKER),
        Line2D([], [], label=latest_label or words.gettext(LATEST_READING), **LATEST_MARKER),
    ]
    layout = _Layout(
        headers, per_group=1, legend=legend, xlabel=words.gettext(MEAN_SCORE), right=RIGHT_TIGHT
    )
    axes = layout.axes
    low, high = (stages[0][1], stages[-1][2]) if stages else (1, points)
    axes.set_xlim(low - 0.5, high + 0.5)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    if stages:
        for index, (_, start, end) in enumerate(stages):
            if index % 2:
                axes.axvspan(start - 0.5, end + 0.5, zorder=0, **STAGE_SHADE)
    for (key, _), (y,) in zip(areas, layout.slots, strict=True):
        before, after = first.get(key), latest.get(key)
        if _shown(before) and _shown(after) and abs(after - before) >= ARROW_AT_LEAST:
            axes.annotate(
                "",
                xy=(after, y),
                xytext=(before, y),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": TEXT_COLOUR,
                    "linewidth": 1.3,
                    "shrinkA": 5,
                    "shrinkB": 5,
                    "mutation_scale": 11,
                },
                zorder=2,
            )
        for value, style in ((before, FIRST_MARKER), (after, LATEST_MARKER)):
            if _shown(value):
                axes.plot([value], [y], zorder=3, **style)
        if not (_shown(before) and _shown(after)):
            drawn = after if _shown(after) else before if _shown(before) else None
            hidden = next((v for v in (before, after) if isinstance(v, Suppressed)), None)
            if hidden is not None or drawn is None:
                # A note for a hidden reading goes to the side away from the point drawn.
                at_right = drawn is not None and drawn < (low + high) / 2
                layout.note(words, hidden, y, at_right=at_right)
    figure = layout.finish()
    columns = [words.gettext(column) for column in DISTANCE_COLUMNS]
    if stages:
        columns += [words.gettext(column) for column in STAGE_COLUMNS]
    return Chart(
        svg=render_svg(figure),
        alt_text=_distance_alt_text(areas, first, latest, words),
        table=rows,
        columns=tuple(columns),
        figure=figure,
    )


def _distance_row(words, key, name, first, latest, stages) -> DistanceRow:
    before, after = first.get(key), latest.get(key)
    if _shown(before) and _shown(after):
        change = _signed(after - before)
    elif isinstance(before, Suppressed) or isinstance(after, Suppressed):
        change = _cell(words, before if isinstance(before, Suppressed) else after, _number)
    else:
        change = ""
    return DistanceRow(
        area=name,
        first=_cell(words, before, _number),
        latest=_cell(words, after, _number),
        change=change,
        first_stage=_stage(words, before, stages),
        latest_stage=_stage(words, after, stages),
        key=key,
    )


def _stage(words, value, stages) -> str:
    if not stages:
        return ""
    if not _shown(value):
        return _cell(words, value, _number)
    reached = ""
    for label, start, _ in stages:
        if value >= start:
            reached = label
    return reached


def _distance_alt_text(areas, first, latest, words) -> str:
    compared = [
        (round(latest[key], 1) - round(first[key], 1), key, name)
        for key, name in areas
        if _shown(first.get(key)) and _shown(latest.get(key))
    ]
    total = len(compared)
    sentences = [words.ngettext(*DISTANCE_LEAD, len(areas)) % {"num": len(areas)}]
    if compared:
        change, key, name = max(compared, key=lambda item: abs(item[0]))
        if round(change, 1) == 0:
            sentences.append(words.gettext(DISTANCE_NO_CHANGE))
        else:
            sentences.append(
                words.gettext(DISTANCE_BIGGEST_UP if change > 0 else DISTANCE_BIGGEST_DOWN)
                % {"area": name, "first": _number(first[key]), "latest": _number(latest[key])}
            )
        average = round(sum(item[0] for item in compared) / total, 1)
        if average > 0:
            sentences.append(words.gettext(DISTANCE_OVERALL_UP) % {"change": _number(average)})
        elif average < 0:
            sentences.append(words.gettext(DISTANCE_OVERALL_DOWN) % {"change": _number(-average)})
        else:
            sentences.append(words.gettext(DISTANCE_OVERALL_SAME))
        up = sum(1 for item in compared if round(item[0], 1) > 0)
        down = sum(1 for item in compared if round(item[0], 1) < 0)
        sentences.append(
            words.ngettext(*DISTANCE_MOVED, up) % {"num": up, "total": total, "down": down}
        )
    hidden = [
        (value, name)
        for key, name in areas
        for value in (first.get(key), latest.get(key))
        if isinstance(value, Suppressed)
    ]
    # An area with both readings hidden is named once.
    seen: set[str] = set()
    hidden = [item for item in hidden if not (item[1] in seen or seen.add(item[1]))]
    sentences.extend(_hidden_sentence(words, hidden))
    return " ".join(sentences)


# --- Answers to a closed question ----------------------------------------------------------


def distribution_chart(
    options: Sequence[tuple[str, str]],
    counts: Mapping[str, int | Suppressed | None],
    *,
    answered: int | Suppressed,
    title: str | None = None,
    translations: Translations | None = None,
) -> Chart:
    """How many people chose each answer, as horizontal bars labelled "23 (46%)".

    `options` are (value, label) in the order the question shows them; `counts` maps a
    value to a count or `Suppressed`; `answered` is how many people answered the question
    (shares are of it, so for a multiple-choice question they may add up to more than
    100%). Table rows: (answer, people, share, value).
    """
    words = translations or english()
    base = answered if _shown(answered) and answered > 0 else None
    table = tuple(
        AnswerRow(
            answer=label,
            people=_cell(words, counts.get(value), _count),
            share=_answer_share(words, counts.get(value), base),
            value=value,
        )
        for value, label in options
    )
    layout = _Layout(
        [label for _, label in options],
        per_group=1,
        title=title,
        legend=[],
        xlabel=words.gettext(PEOPLE),
        right=RIGHT_TIGHT,
    )
    axes = layout.axes
    shown = [counts[value] for value, _ in options if _shown(counts.get(value))]
    most = max(shown, default=0)
    # Room past the longest bar for its label, which stays inside the axes.
    axes.set_xlim(0, max(most, 1) * 1.45)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))

    def label(count):
        return f"{_count(count)} ({_percent(count / base)})" if base else _count(count)

    for (value, _), (y,) in zip(options, layout.slots, strict=True):
        _bar(layout, words, counts.get(value), y, COUNT_BAR, label)
    figure = layout.finish()
    return Chart(
        svg=render_svg(figure),
        alt_text=_titled(title, _distribution_alt_text(options, counts, answered, base, words)),
        table=table,
        columns=tuple(words.gettext(column) for column in DISTRIBUTION_COLUMNS),
        figure=figure,
    )


def _answer_share(words, count, base) -> str:
    if _shown(count):
        return _percent(count / base) if base else ""
    return _cell(words, count, _count)


def _distribution_alt_text(options, counts, answered, base, words) -> str:
    if isinstance(answered, Suppressed):
        lead = words.ngettext(*DISTRIBUTION_LEAD_HIDDEN, answered.threshold)
        sentences = [lead % {"num": answered.threshold}]
    else:
        sentences = [words.ngettext(*DISTRIBUTION_LEAD, answered) % {"num": answered}]
    shown = [(counts[value], label) for value, label in options if _shown(counts.get(value))]
    most = max((count for count, _ in shown), default=0)
    if most > 0:
        chosen = [label for count, label in shown if count == most]
        if len(chosen) > 1:
            sentences.append(
                words.ngettext(*DISTRIBUTION_TIED, most)
                % {"options": ", ".join(chosen), "num": most}
            )
        elif base:
            sentences.append(
                words.ngettext(*DISTRIBUTION_MOST, most)
                % {"option": chosen[0], "num": most, "share": _percent(most / base)}
            )
        else:
            sentences.append(
                words.ngettext(*DISTRIBUTION_MOST_NO_SHARE, most)
                % {"option": chosen[0], "num": most}
            )
    hidden = [
        (counts[value], label)
        for value, label in options
        if isinstance(counts.get(value), Suppressed)
    ]
    sentences.extend(_hidden_sentence(words, hidden))
    return " ".join(sentences)


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
        bottom = TICKS + XLABEL + len(self.legend) * LEGEND_ROW + BOTTOM_PAD
        height = top + plot + bottom
        self.slots = slots
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
        axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
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


__all__ = [
    "MESSAGES",
    "AnswerRow",
    "BandRow",
    "DistanceRow",
    "MeanRow",
    "band_chart",
    "distance_chart",
    "distribution_chart",
    "means_chart",
]
