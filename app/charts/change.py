"""The distance-travelled chart: each outcomes-wheel area's mean at the first and latest
reading, over the stages of the wheel. No Flask.

    distance_chart(areas, first, latest, stages=...)

Tables hold text as the page shows it, with the row's key last (see `app.charts.layout`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from app.charts import (
    TEXT_COLOUR,
    Chart,
    Translations,
    english,
    render_svg,
)
from app.charts.layout import (
    ARROW_AT_LEAST,
    DEFAULT_POINTS,
    FIRST_MARKER,
    LATEST_MARKER,
    RIGHT_TIGHT,
    STAGE_SHADE,
    Value,
    _cell,
    _hidden_sentence,
    _Layout,
    _number,
    _sentence_only,
    _shown,
    _signed,
    _worded,
    mostly_hidden,
)
from app.figures import Suppressed

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
MEAN_SCORE = "Average score"
DISTANCE_COLUMNS = ("Area", "Mean first", "Mean latest", "Change")
STAGE_COLUMNS = ("Stage at first", "Stage at latest")

MESSAGES = (
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
)


class DistanceRow(NamedTuple):
    area: str
    first: str
    latest: str
    change: str
    first_stage: str
    latest_stage: str
    key: str


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
    columns = [words.gettext(column) for column in DISTANCE_COLUMNS]
    if stages:
        columns += [words.gettext(column) for column in STAGE_COLUMNS]
    sentences = _distance_alt_text(areas, first, latest, words)
    values = [values.get(key) for values in (first, latest) for key, _ in areas]
    if mostly_hidden(values) or mostly_hidden([latest.get(key) for key, _ in areas]):
        return _sentence_only(words, None, sentences, values, rows, tuple(columns))
    # Each area's readings (or "fewer than 10") are in its header, so nothing is written
    # where the lines run.
    headers = []
    for key, name in areas:
        before, after = first.get(key), latest.get(key)
        was, now = _cell(words, before, _number) or "–", _cell(words, after, _number) or "–"
        if not (_shown(before) or _shown(after)) and was == now:
            headers.append(f"{name}: {now}")
            continue
        span = words.gettext(FROM_TO) % {"first": was, "latest": now}
        headers.append(f"{name}: {span}")
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
    layout.grid()
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
    figure = layout.finish()
    lead, alt_text = _worded(None, sentences)
    return Chart(
        svg=render_svg(figure),
        alt_text=alt_text,
        lead=lead,
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
    return sentences


# --- Answers to a closed question ----------------------------------------------------------
