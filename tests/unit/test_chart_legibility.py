"""Evidence charts a meeting can read: no label crosses a gridline or the norm line, the
legend names the norm once, axes are titled in plain words, text stays legible on a phone,
the image's alt and its caption never say the same sentence, and a chart that would be
mostly gaps is replaced by its sentence."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from matplotlib.text import Text

from app.charts import GRID_COLOUR
from app.charts.answers import distribution_chart
from app.charts.bands import band_chart, means_chart
from app.charts.change import distance_chart
from app.charts.layout import WIDTH
from app.figures import Suppressed

HIDDEN = Suppressed()
NOW, BEFORE = "April to June 2026", "January to March 2026"
BANDS = (
    ("probable", "Probable depression"),
    ("possible", "Possible depression"),
    ("average", "Average wellbeing"),
    ("high", "High wellbeing"),
)
# What a 320-pixel phone gives a full-width chart: the page's 15-pixel margins either side.
PHONE_CHART_PIXELS = 290
LEGIBLE_PIXELS = 12


def means(**kwargs):
    rows = kwargs.pop(
        "rows",
        (
            (NOW, 23.9, 23.1, 24.7),
            (BEFORE, HIDDEN, HIDDEN, HIDDEN),
            ("First reading", 23.4, 22.6, 24.2),
        ),
    )
    return means_chart(
        rows, scale_label="mean metric score", norm=23.7, norm_label="National norm, 23.7"
    )


def bands(**kwargs):
    return band_chart(
        BANDS,
        kwargs.get("current", {"probable": 0.12, "possible": 0.18, "average": 0.52, "high": 0.18}),
        {"probable": 0.1, "possible": 0.2, "average": 0.5, "high": 0.2},
        {"probable": 0.08, "possible": 0.12, "average": 0.64, "high": 0.16},
        current_label=NOW,
        previous_label=BEFORE,
        norm_label="Expected from the national norm",
        title="SWEMWBS: indicative bands",
    )


def answers(**kwargs):
    counts = kwargs.get("counts", {"yes": 85, "no": 15, "unsure": 24})
    return distribution_chart(
        (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")),
        counts,
        answered=124,
        title="Would you tell a friend to come here?",
    )


def distance(**kwargs):
    areas = (("safe", "Feeling safe"), ("coping", "Coping with how I feel"), ("care", "Care"))
    return distance_chart(
        areas,
        {"safe": 3.4, "coping": 4.1, "care": 5.0},
        kwargs.get("latest", {"safe": 5.5, "coping": 4.9, "care": 4.6}),
    )


DRAWINGS = {"means": means, "bands": bands, "answers": answers, "distance": distance}


def _texts(figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _across_lines(figure) -> list[Line2D]:
    """Gridlines and the norm line: vertical lines drawn across the plot."""
    axes = figure.axes[0]
    FigureCanvasAgg(figure).draw()  # lays out the ticks and their gridlines
    lines = [line for line in axes.xaxis.get_gridlines() if line.get_visible()]
    for line in axes.get_lines():
        xs = list(line.get_xdata())
        vertical = len(xs) == 2 and xs[0] == xs[1]
        if vertical and (line.get_color() == GRID_COLOUR or line.get_linestyle() == "--"):
            lines.append(line)
    return lines


@pytest.mark.parametrize("name", DRAWINGS)
def test_no_label_crosses_a_gridline_or_the_norm_line(name):
    chart = DRAWINGS[name]()
    figure = chart.figure
    renderer = FigureCanvasAgg(figure).get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _texts(figure)]
    crossings = []
    for line in _across_lines(figure):
        (x, y0), (_, y1) = line.get_transform().transform(line.get_xydata())
        low, high = sorted((y0, y1))
        for text, box in boxes:
            if box.x0 < x < box.x1 and box.y0 < high and low < box.y1:
                crossings.append(text)
    assert crossings == []
    if name in ("means", "distance"):
        assert _across_lines(figure), "the chart should still have its lines to read against"


def test_the_norm_line_is_drawn_and_named_once_in_the_legend():
    chart = means()
    norms = [line for line in _across_lines(chart.figure) if line.get_linestyle() == "--"]
    assert norms and {tuple(line.get_xdata()) for line in norms} == {(23.7, 23.7)}
    (legend,) = [text.get_text() for text in chart.figure.legends[0].get_texts()]
    assert legend == "National norm, 23.7"
    assert legend.count("National norm") == 1 and legend.count("23.7") == 1


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("means", "Average score"),
        ("bands", "Percentage of people"),
        ("answers", "Number of people"),
        ("distance", "Average score"),
    ],
)
def test_axes_are_titled_in_plain_words(name, title):
    assert DRAWINGS[name]().figure.axes[0].get_xlabel() == title


def test_a_long_norm_in_the_legend_wraps_inside_the_chart():
    chart = means_chart(
        ((NOW, 49.5, 48.9, 50.0), (BEFORE, 49.2, 48.8, 49.7)),
        scale_label="mean score",
        norm=48.8,
        norm_label="Norm: Pupils aged 13 to 16 (Clarke et al. 2011)",
    )
    figure = chart.figure
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)  # places the legend
    inside = figure.bbox
    for text in figure.legends[0].get_texts():
        box = text.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, text.get_text()
        assert inside.y0 <= box.y0 and box.y1 <= inside.y1, text.get_text()
    (legend,) = [text.get_text() for text in figure.legends[0].get_texts()]
    assert " ".join(legend.split()) == "Norm: Pupils aged 13 to 16 (Clarke et al. 2011), 48.8"


@pytest.mark.parametrize("name", DRAWINGS)
def test_text_reads_at_least_12_pixels_on_a_320_pixel_phone(name):
    figure = DRAWINGS[name]().figure
    assert figure.get_figwidth() == WIDTH
    scale = PHONE_CHART_PIXELS / (WIDTH * 72)  # SVG user units are points
    smallest = min(text.get_fontsize() for text in _texts(figure))
    assert smallest * scale >= LEGIBLE_PIXELS


@pytest.mark.parametrize("name", DRAWINGS)
def test_alt_and_caption_never_repeat_each_other(name):
    chart = DRAWINGS[name]()
    assert chart.alt and chart.caption
    assert chart.alt_text == f"{chart.alt} {chart.caption}"
    sentences = lambda text: {s.strip() for s in text.split(". ") if s.strip()}  # noqa: E731
    assert not sentences(chart.alt) & sentences(chart.caption)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("means", {"rows": ((NOW, HIDDEN, None, None), (BEFORE, HIDDEN, None, None))}),
        ("bands", {"current": {"probable": HIDDEN, "possible": HIDDEN, "average": HIDDEN}}),
        ("answers", {"counts": {"yes": 12, "no": HIDDEN, "unsure": HIDDEN}}),
        ("distance", {"latest": {"safe": HIDDEN, "coping": HIDDEN, "care": HIDDEN}}),
    ],
)
def test_a_chart_mostly_hidden_is_replaced_by_its_sentence(name, kwargs):
    chart = DRAWINGS[name](**kwargs)
    assert not chart.drawn and chart.svg == b""
    assert chart.alt_text.startswith(
        chart.alt_text.split("Not drawn", 1)[0] + "Not drawn: most of its figures are fewer than 10"
    )
    assert "fewer than 10" in " ".join(" ".join(map(str, row)) for row in chart.table)


@pytest.mark.parametrize("name", DRAWINGS)
def test_a_chart_with_a_few_hidden_figures_is_still_drawn(name):
    assert DRAWINGS[name]().drawn
