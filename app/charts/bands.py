"""Charts of a wellbeing scale: the share of people in each indicative band, and the mean
score with its 95% confidence interval, each against the national norm. No Flask.

    band_chart(bands, current, previous, norm, current_label=..., previous_label=...)
    means_chart(rows, scale_label=..., norm=50.8, norm_label="National norm")

Tables hold text as the page shows it ("34%", "48.2", "fewer than 10", "" for no data),
with the row's key last, after the columns a page renders (see `app.charts.layout`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from app.charts import (
    Chart,
    Translations,
    english,
    render_svg,
)
from app.charts.layout import (
    CURRENT_BAR,
    HIDDEN_ITEM,
    NO_DATA,
    NORM_BAR,
    NORM_DASHED,
    POINT_STYLES,
    PREVIOUS_BAR,
    RIGHT,
    RIGHT_TIGHT,
    Value,
    _bar,
    _cell,
    _hidden_sentence,
    _Layout,
    _number,
    _percent,
    _sentence_only,
    _shown,
    _whole,
    _worded,
    mostly_hidden,
)
from app.figures import Suppressed

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
SHARE_OF_PEOPLE = "Percentage of people"
BAND_COLUMNS = ("Band",)

# Means
MEANS_LEAD = "Chart of the %(scale)s with 95%% confidence intervals."
MEANS_LEAD_NORM = (
    "Chart of the %(scale)s with 95%% confidence intervals, against a dashed line for the "
    "%(norm_label)s."
)
AVERAGE_SCORE = "Average score"
MEANS_ROW_CI = "%(label)s: %(mean)s, 95%% confidence interval %(low)s to %(high)s."
MEANS_ROW = "%(label)s: %(mean)s, too few scores for an interval."
MEANS_ROW_NO_DATA = "%(label)s: no scores."
MEANS_ABOVE = "The interval is above the norm."
MEANS_BELOW = "The interval is below the norm."
MEANS_OVERLAPS = "The interval includes the norm."
MEANS_NORM = "National norm"
MEANS_COLUMNS = ("Group", "Mean", "Lower 95% limit", "Upper 95% limit")

MESSAGES = (
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
    AVERAGE_SCORE,
    *MEANS_COLUMNS,
)


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
    columns = (
        *(words.gettext(column) for column in BAND_COLUMNS),
        current_label,
        previous_label,
        *((norm_label,) if has_norm else ()),
    )
    sentences = _band_alt_text(
        bands, current, previous, norm, has_norm, current_label, previous_label, words
    )
    drawn_values = [values.get(key) for values in (current, previous) for key, _ in bands]
    # This period's bars are the point of the chart: mostly gaps there is mostly gaps.
    if mostly_hidden(drawn_values) or mostly_hidden([current.get(key) for key, _ in bands]):
        return _sentence_only(words, title, sentences, drawn_values, rows, columns)
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
    lead, alt_text = _worded(title, sentences)
    return Chart(
        svg=render_svg(figure),
        alt_text=alt_text,
        lead=lead,
        table=rows,
        columns=columns,
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
    return sentences


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
    columns = tuple(words.gettext(column) for column in MEANS_COLUMNS)
    # The norm named once, with its value once: "National norm, 23.7".
    if norm is not None and _number(norm) not in norm_label and str(norm) not in norm_label:
        norm_label = f"{norm_label}, {_number(norm)}"
    sentences = _means_alt_text(rows, scale_label, norm, norm_label, words)
    means = [mean for _, mean, _, _ in rows]
    if mostly_hidden(means):
        return _sentence_only(words, None, sentences, means, table, columns)
    # Each row's mean (or why there is none) is in its header, so nothing is written where
    # the lines run.
    headers = [
        f"{label}: {_cell(words, mean, _number) or words.gettext(NO_DATA)}"
        for label, mean, _, _ in rows
    ]
    legend = []
    if norm is not None:
        legend.append(Line2D([], [], label=norm_label, **NORM_DASHED))
    layout = _Layout(
        headers,
        per_group=1,
        legend=legend,
        xlabel=words.gettext(AVERAGE_SCORE),
        right=RIGHT_TIGHT,
    )
    axes = layout.axes
    shown = [v for _, *values in rows for v in values if _shown(v)]
    if norm is not None:
        shown.append(norm)
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    pad = max((high - low) * 0.12, 0.5)
    axes.set_xlim(low - pad, high + pad)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
    layout.grid()
    if norm is not None:
        layout.line(norm, NORM_DASHED)
    for index, ((_, mean, ci_low, ci_high), (y,)) in enumerate(
        zip(rows, layout.slots, strict=True)
    ):
        style = POINT_STYLES[index % len(POINT_STYLES)]
        if not _shown(mean):
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
    lead, alt_text = _worded(None, sentences)
    return Chart(
        svg=render_svg(figure),
        alt_text=alt_text,
        lead=lead,
        table=table,
        columns=columns,
        figure=figure,
    )


def _means_alt_text(rows, scale_label, norm, norm_label, words) -> str:
    if norm is None:
        sentences = [words.gettext(MEANS_LEAD) % {"scale": scale_label}]
    else:
        sentences = [
            words.gettext(MEANS_LEAD_NORM) % {"scale": scale_label, "norm_label": norm_label}
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
    return sentences


# --- Distance travelled --------------------------------------------------------------------
