"""Evidence charts and their cache: hidden figures stay hidden, the finding is in words,
the SVG is stable and fits a phone, and unchanged charts are not drawn twice."""

from __future__ import annotations

import gettext
import json
import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle

from app.charts import GRID_COLOUR, OKABE_ITO, TEXT_COLOUR, Chart
from app.charts import cache as chart_cache
from app.charts.answers import distribution_chart
from app.charts.bands import BandRow, band_chart, means_chart
from app.charts.cache import ChartCache, cached_chart, chart_key, configure, default_cache
from app.charts.change import DistanceRow, distance_chart
from app.charts.messages import MESSAGES
from app.figures import SECONDARY, Suppressed

SVG = "{http://www.w3.org/2000/svg}"
HIDDEN = Suppressed()
NOW, BEFORE = "April to June 2026", "January to March 2026"

BANDS = (
    ("probable_depression", "Probable depression"),
    ("possible_depression", "Possible depression"),
    ("average", "Average wellbeing"),
    ("high", "High wellbeing"),
)
NORM_SHARES = {
    "probable_depression": 0.08,
    "possible_depression": 0.12,
    "average": 0.64,
    "high": 0.16,
}
PREVIOUS_SHARES = {
    "probable_depression": 0.18,
    "possible_depression": 0.21,
    "average": 0.41,
    "high": 0.2,
}
AREAS = (
    ("safe", "Feeling safe"),
    ("coping", "Coping with how I feel"),
    ("care", "Looking after myself"),
    ("people", "People I can count on"),
)
STAGES = (
    ("Really hard right now", 1, 2),
    ("Starting to change", 3, 4),
    ("Making progress", 5, 6),
    ("Mostly going well", 7, 8),
    ("Going really well", 9, 10),
)
OPTIONS = (
    ("friend", "A friend told me"),
    ("school", "My school"),
    ("poster", "A poster or leaflet"),
    ("social", "Social media"),
)


def bands(high=HIDDEN, **kwargs):
    current = {"probable_depression": 0.22, "possible_depression": 0.13, "average": 0.34}
    current["high"] = high
    return band_chart(
        BANDS,
        current,
        PREVIOUS_SHARES,
        NORM_SHARES,
        current_label=NOW,
        previous_label=BEFORE,
        norm_label="Expected from the national norm",
        **kwargs,
    )


def means(previous=HIDDEN, **kwargs):
    return means_chart(
        (
            (NOW, 47.3, 45.1, 49.5),
            (BEFORE, previous, previous, previous),
            ("First reading", 50.2, 48.0, 52.4),
        ),
        scale_label="WEMWBS mean score",
        norm=51.0,
        norm_label="National norm (adults in England)",
        **kwargs,
    )


def distance(people=HIDDEN, **kwargs):
    first = {"safe": 3.4, "coping": 4.1, "care": 5.0, "people": people}
    latest = {"safe": 5.5, "coping": 4.9, "care": 4.6, "people": people}
    return distance_chart(AREAS, first, latest, **kwargs)


def answers(school=HIDDEN, **kwargs):
    counts = {"friend": 23, "school": school, "poster": 12, "social": HIDDEN}
    return distribution_chart(OPTIONS, counts, answered=50, **kwargs)


DRAWINGS = {"bands": bands, "means": means, "distance": distance, "answers": answers}
POINTS = {"bands": len(BANDS), "means": 3, "distance": len(AREAS), "answers": len(OPTIONS)}


def svg_words(chart: Chart) -> list[str]:
    root = ET.fromstring(chart.svg)
    return ["".join(node.itertext()).strip() for node in root.iter(f"{SVG}text")]


def svg_text(chart: Chart) -> str:
    """Every word of the SVG as one line (a wrapped header is several text elements)."""
    return " ".join(svg_words(chart))


def bars(chart: Chart) -> list[Rectangle]:
    return [patch for patch in chart.figure.axes[0].patches if isinstance(patch, Rectangle)]


# --- What every evidence chart promises ----------------------------------------------------


@pytest.mark.parametrize("name", DRAWINGS)
def test_the_svg_is_valid_xml_with_words_as_text_and_no_date(name):
    chart = DRAWINGS[name]()
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    assert "fewer than 10" in svg_text(chart)
    assert b"<dc:date>" not in chart.svg


@pytest.mark.parametrize("name", DRAWINGS)
def test_the_same_figures_give_the_same_svg_bytes(name):
    assert DRAWINGS[name]().svg == DRAWINGS[name]().svg


@pytest.mark.parametrize("name", DRAWINGS)
def test_the_chart_fits_a_phone_screen_without_tiny_text(name):
    chart = DRAWINGS[name]()
    width_points = float(ET.fromstring(chart.svg).get("width").removesuffix("pt"))
    assert width_points * 96 / 72 < 360
    texts = [*chart.figure.texts, *chart.figure.axes[0].texts]
    assert min(text.get_fontsize() for text in texts) >= 7.5


@pytest.mark.parametrize("name", DRAWINGS)
def test_every_colour_drawn_is_okabe_ito_or_the_page_neutrals(name):
    svg = DRAWINGS[name]().svg.decode()
    colours = {c.lower() for c in re.findall(r"(?:fill|stroke):\s*(#[0-9a-fA-F]{6})", svg)}
    allowed = {c.lower() for c in OKABE_ITO.values()} | {"#ffffff", TEXT_COLOUR, GRID_COLOUR}
    assert colours <= allowed
    assert colours & {c.lower() for c in OKABE_ITO.values()} - {"#000000"}


@pytest.mark.parametrize("name", DRAWINGS)
def test_the_table_has_a_row_per_data_point_under_its_columns(name):
    chart = DRAWINGS[name]()
    assert len(chart.table) == POINTS[name]
    assert all(len(row) >= len(chart.columns) for row in chart.table)
    assert any("fewer than 10" in row[: len(chart.columns)] for row in chart.table)


@pytest.mark.parametrize("name", DRAWINGS)
def test_the_alt_text_says_what_is_hidden(name):
    assert "Shown as “fewer than 10” to protect privacy:" in DRAWINGS[name]().alt_text


class Marked:
    """A stand-in message catalogue that marks every message it translates."""

    def __init__(self):
        self.asked = set()

    def gettext(self, message):
        self.asked.add(message)
        return f"<{message}>"

    def ngettext(self, singular, plural, n):
        self.asked.add((singular, plural))
        return f"<{singular if n == 1 else plural}>"


@pytest.mark.parametrize("name", DRAWINGS)
def test_every_word_the_chart_adds_goes_through_the_translations_given(name):
    words = Marked()
    chart = DRAWINGS[name](translations=words)
    assert chart.alt_text.startswith("<") or chart.alt_text.split(". ", 1)[1].startswith("<")
    assert "<fewer than 10>" in svg_text(chart)
    assert any("<fewer than 10>" in row for row in chart.table)
    assert "fewer than 10" not in chart.alt_text.replace("<fewer than 10>", "").replace(
        "“fewer than 10”", ""
    )
    # The columns the chart names itself are translated; period labels are the caller's.
    assert any(column.startswith("<") for column in chart.columns)
    # Every message asked for is listed for the catalogue.
    assert words.asked <= set(MESSAGES)


# --- Bands ---------------------------------------------------------------------------------


def test_band_alt_text_gives_each_share_against_the_norm_and_the_biggest_differences():
    assert bands().alt_text == (
        "Bar chart of the share of people in each band, in April to June 2026 and January to "
        "March 2026, against the share expected from the national norm. "
        "In April to June 2026: Probable depression 22% (8% expected); Possible depression "
        "13% (12% expected); Average wellbeing 34% (64% expected); High wellbeing fewer than "
        "10 (16% expected). "
        "Biggest difference from the norm: Average wellbeing, 34% against 64% expected. "
        "Biggest change since January to March 2026: Possible depression, down from 21% to "
        "13%. "
        "Shown as “fewer than 10” to protect privacy: High wellbeing (April to June 2026)."
    )


def test_band_table_gives_this_period_the_last_and_the_norm_as_percentages():
    chart = bands()
    assert chart.columns == (
        "Band",
        NOW,
        BEFORE,
        "Expected from the national norm",
    )
    assert chart.table[0] == BandRow(
        "Probable depression", "22%", "18%", "8%", "probable_depression"
    )
    assert chart.table[3] == BandRow("High wellbeing", "fewer than 10", "20%", "16%", "high")


def test_a_hidden_band_share_is_neither_a_bar_nor_a_number():
    shown, hidden = bands(high=0.37), bands(high=Suppressed(10, SECONDARY))
    assert "37%" in svg_words(shown) and "37%" in shown.alt_text
    for place in (" ".join(svg_words(hidden)), hidden.alt_text, repr(hidden.table)):
        assert "37%" not in place
    assert len(bars(hidden)) == len(bars(shown)) - 1
    assert svg_words(hidden).count("fewer than 10") == 1


def test_band_series_differ_in_fill_and_outline_not_only_colour():
    current, previous, norm = bars(bands())[:3]
    assert current.get_hatch() is None and previous.get_hatch() == "////"
    assert norm.get_facecolor()[:3] == (1, 1, 1) and norm.get_linestyle() != "-"
    assert len({current.get_hatch(), previous.get_hatch(), norm.get_linestyle()}) == 3


def test_without_a_norm_the_band_chart_compares_two_periods():
    chart = band_chart(
        BANDS[:2],
        {"probable_depression": 0.3, "possible_depression": 0.7},
        {"probable_depression": 0.3, "possible_depression": 0.7},
        current_label=NOW,
        previous_label=BEFORE,
        title="SWEMWBS: indicative bands",
    )
    assert chart.columns == ("Band", NOW, BEFORE)
    assert chart.alt_text == (
        "SWEMWBS: indicative bands. Bar chart of the share of people in each band, in April "
        "to June 2026 and January to March 2026. In April to June 2026: Probable depression "
        "30%; Possible depression 70%. Every band has the same share as in January to March "
        "2026."
    )
    assert len(chart.figure.legends[0].get_texts()) == 2
    assert "SWEMWBS: indicative bands" in svg_words(chart)


# --- Means ---------------------------------------------------------------------------------


def test_means_alt_text_states_each_mean_and_whether_its_interval_reaches_the_norm():
    assert means().alt_text == (
        "Chart of the WEMWBS mean score with 95% confidence intervals, against a dashed line "
        "for the National norm (adults in England), 51.0. "
        "April to June 2026: 47.3, 95% confidence interval 45.1 to 49.5. "
        "The interval is below the norm. "
        "First reading: 50.2, 95% confidence interval 48.0 to 52.4. "
        "The interval includes the norm. "
        "Shown as “fewer than 10” to protect privacy: January to March 2026."
    )


def test_a_hidden_mean_is_not_drawn_and_reads_fewer_than_10():
    shown, hidden = means(previous=52.7), means()
    assert "January to March 2026: 52.7" in svg_words(shown)
    assert "52.7" not in " ".join(svg_words(hidden)) + hidden.alt_text + repr(hidden.table)
    assert tuple(hidden.table[1]) == (BEFORE, "fewer than 10", "fewer than 10", "fewer than 10")
    assert hidden.columns == ("Group", "Mean", "Lower 95% limit", "Upper 95% limit")
    points = [
        line for line in hidden.figure.axes[0].lines if line.get_marker() not in ("|", "None")
    ]
    assert len(points) == 2


def test_the_norm_is_a_dashed_vertical_line_named_in_the_legend():
    chart = means()
    norms = [line for line in chart.figure.axes[0].lines if list(line.get_xdata()) == [51, 51]]
    # One dashed segment per row, stopping short of the row's header.
    assert len(norms) == 3 and {line.get_linestyle() for line in norms} == {"--"}
    # Its words, wrapped to the chart's width.
    legend = [" ".join(text.get_text().split()) for text in chart.figure.legends[0].get_texts()]
    assert legend == ["National norm (adults in England), 51.0"]


def test_the_legend_names_the_norm_once_with_its_value_once():
    # As the evidence sections call it: the label already carries the value.
    chart = means_chart(
        ((NOW, 23.9, 23.1, 24.7), (BEFORE, 23.2, 22.4, 24.0)),
        scale_label="mean metric score",
        norm=23.7,
        norm_label="National norm, 23.7",
    )
    (legend,) = [text.get_text() for text in chart.figure.legends[0].get_texts()]
    assert legend == "National norm, 23.7"
    assert chart.alt_text.count("23.7") == 1


def test_a_mean_without_an_interval_says_so_and_nothing_is_invented():
    chart = means_chart(
        (("Latest reading", 44.0, None, None), ("First reading", None, None, None)),
        scale_label="SWEMWBS mean metric score",
    )
    assert chart.alt_text == (
        "Chart of the SWEMWBS mean metric score with 95% confidence intervals. "
        "Latest reading: 44.0, too few scores for an interval. First reading: no scores."
    )
    assert tuple(chart.table[1]) == ("First reading", "", "", "")
    assert "First reading: no data" in svg_words(chart)


# --- Distance travelled --------------------------------------------------------------------


def test_distance_alt_text_names_the_biggest_move_and_the_overall_direction():
    assert distance().alt_text == (
        "Chart of the mean score in each of 4 areas at the first and latest reading. "
        "Biggest move: Feeling safe, up from 3.4 to 5.5. "
        "On average across the areas shown, the mean went up by 0.8. "
        "2 of 3 areas moved up, 1 moved down. "
        "Shown as “fewer than 10” to protect privacy: People I can count on."
    )


def test_distance_table_gives_means_change_and_stages_reached():
    chart = distance(stages=STAGES)
    assert chart.columns == (
        "Area",
        "Mean first",
        "Mean latest",
        "Change",
        "Stage at first",
        "Stage at latest",
    )
    assert chart.table[0] == DistanceRow(
        "Feeling safe", "3.4", "5.5", "+2.1", "Starting to change", "Making progress", "safe"
    )
    assert chart.table[2].change == "-0.4"
    assert set(chart.table[3][1:6]) == {"fewer than 10"}
    assert chart.figure.axes[0].get_xlim() == (0.5, 10.5)


def test_a_hidden_area_has_no_markers_and_first_and_latest_differ_in_shape_and_fill():
    chart, shown = distance(), distance(people=7.7)
    assert "7.7" not in " ".join(svg_words(chart)) + chart.alt_text + repr(chart.table)
    assert "People I can count on: 7.7 to 7.7" in svg_text(shown)
    assert "People I can count on: fewer than 10 " in svg_text(chart)
    markers = [line for line in chart.figure.axes[0].lines]
    firsts = [line for line in markers if line.get_marker() == "o"]
    latests = [line for line in markers if line.get_marker() == "s"]
    assert len(firsts) == len(latests) == 3
    assert firsts[0].get_markerfacecolor() == "white"
    assert latests[0].get_markerfacecolor() == OKABE_ITO["blue"]


def test_a_falling_picture_reads_as_down():
    chart = distance_chart(AREAS[:2], {"safe": 6.0, "coping": 5.0}, {"safe": 4.5, "coping": 5.0})
    assert "Biggest move: Feeling safe, down from 6.0 to 4.5." in chart.alt_text
    assert "the mean went down by 0.8." in chart.alt_text
    assert chart.alt_text.endswith("0 of 2 areas moved up, 1 moved down.")


# --- Answers to a closed question ----------------------------------------------------------


def test_distribution_alt_text_names_the_most_chosen_answer():
    chart = answers(title="How did you hear about us?")
    assert chart.alt_text == (
        "How did you hear about us? Bar chart of the answers of 50 people. "
        "Most chosen: A friend told me, by 23 people (46%). "
        "Shown as “fewer than 10” to protect privacy: My school; Social media."
    )
    assert chart.columns == ("Answer", "People", "Share")
    assert tuple(chart.table[0]) == ("A friend told me", "23", "46%", "friend")
    assert tuple(chart.table[1]) == ("My school", "fewer than 10", "fewer than 10", "school")


def test_a_hidden_count_is_neither_a_bar_nor_a_number():
    shown, hidden = answers(school=17), answers()
    assert "17 (34%)" in svg_words(shown)
    for place in (" ".join(svg_words(hidden)), hidden.alt_text, repr(hidden.table)):
        assert "17" not in place and "34%" not in place
    assert len(bars(hidden)) == len(bars(shown)) - 1 == 2


def test_equal_most_chosen_answers_are_named_together():
    chart = distribution_chart(OPTIONS[:2], {"friend": 12, "school": 12}, answered=24)
    assert "Most chosen, equally: A friend told me, My school, by 12 people each." in (
        chart.alt_text
    )


def test_when_everyone_is_hidden_the_chart_is_its_sentence():
    chart = distribution_chart(OPTIONS[:2], {"friend": HIDDEN, "school": HIDDEN}, answered=HIDDEN)
    assert chart.alt_text == (
        "Not drawn: most of its figures are fewer than 10, so the chart would show little but "
        "gaps. Shown as “fewer than 10” to protect privacy: A friend told me; My school."
    )
    assert not chart.drawn and chart.figure is None
    assert [row.people for row in chart.table] == ["fewer than 10", "fewer than 10"]


# --- The cache -----------------------------------------------------------------------------

DRAWN: list[tuple] = []


def counted_bands(*args, **kwargs) -> Chart:
    DRAWN.append(args)
    return band_chart(*args, **kwargs)


def cheap(number, **kwargs) -> Chart:
    DRAWN.append((number,))
    return Chart(
        svg=f"<svg>{number}</svg>".encode(),
        alt_text=f"Chart {number}.",
        table=(BandRow("Band", f"{number}%", "fewer than 10", "", "key"),),
        columns=("Band", "Now", "Before"),
    )


@pytest.fixture(autouse=True)
def reset_draws():
    DRAWN.clear()


def band_arguments(high=HIDDEN):
    current = {"probable_depression": 0.22, "possible_depression": 0.13, "average": 0.34}
    current["high"] = high
    return (BANDS, current, dict(PREVIOUS_SHARES), dict(NORM_SHARES))


LABELS = {"current_label": NOW, "previous_label": BEFORE}


def test_equal_figures_are_served_from_the_cache_without_drawing_again():
    charts = ChartCache()
    first = charts(counted_bands, *band_arguments(), **LABELS)
    # Equal data built afresh: keys in another order, the hidden cell hidden for another
    # reason (never shown, so never part of the key).
    bands_, current, previous, norm = band_arguments(high=Suppressed(10, SECONDARY))
    again = charts(
        counted_bands,
        bands_,
        dict(reversed(current.items())),
        previous,
        norm,
        previous_label=BEFORE,
        current_label=NOW,
    )
    assert len(DRAWN) == 1
    assert again.svg == first.svg and again is first
    assert (charts.hits, charts.misses) == (1, 1)
    assert first.figure is None


def test_different_figures_are_drawn():
    charts = ChartCache()
    charts(counted_bands, *band_arguments(), **LABELS)
    charts(counted_bands, *band_arguments(high=0.37), **LABELS)
    charts(counted_bands, *band_arguments(), current_label=NOW, previous_label="Last year")
    assert len(DRAWN) == 3 and charts.misses == 3 and charts.hits == 0


def test_keys_tell_apart_numbers_text_and_hidden_figures():
    keys = {
        chart_key(cheap, 1),
        chart_key(cheap, 1.0),
        chart_key(cheap, "1"),
        chart_key(cheap, HIDDEN),
        chart_key(cheap, Suppressed(5)),
        chart_key(cheap, None),
    }
    assert len(keys) == 6
    assert chart_key(cheap, {"a": 1, "b": 2}) == chart_key(cheap, {"b": 2, "a": 1})
    assert chart_key(cheap, (1, 2)) == chart_key(cheap, [1, 2])
    assert re.fullmatch(r"[0-9a-f]{64}", chart_key(cheap, 1))


def test_the_memory_cache_stays_at_its_bound_and_forgets_the_oldest():
    charts = ChartCache(max_entries=3)
    for number in range(10):
        charts(cheap, number)
    assert len(charts) == 3
    charts(cheap, 9)
    assert charts.hits == 1
    charts(cheap, 0)
    assert charts.misses == 11 and len(charts) == 3


def test_the_memory_cache_also_stays_within_its_bytes():
    charts = ChartCache(max_bytes=1000)
    for number in range(20):
        charts(cheap, number)
    assert 0 < charts.size_in_bytes <= 1000
    assert len(charts) < 20


def test_two_workers_share_charts_through_the_directory(tmp_path):
    worker, other = ChartCache(tmp_path), ChartCache(tmp_path)
    drawn = worker(counted_bands, *band_arguments(), **LABELS)
    read = other(counted_bands, *band_arguments(), **LABELS)
    assert len(DRAWN) == 1 and other.disk_hits == 1 and other.misses == 0
    assert read.svg == drawn.svg and read.alt_text == drawn.alt_text
    assert read.table == drawn.table and read.columns == drawn.columns
    assert isinstance(read.table[0], BandRow) and read.table[3].current == "fewer than 10"
    files = list(tmp_path.iterdir())
    assert [path.suffix for path in files] == [".json"]  # no temporary file left behind
    assert files[0].stem == chart_key(counted_bands, *band_arguments(), **LABELS)


def test_a_published_chart_is_served_by_another_worker_from_the_same_one_file(tmp_path):
    worker, other = ChartCache(tmp_path), ChartCache(tmp_path)
    drawn = worker(counted_bands, *band_arguments(), **LABELS)
    address = worker.publish(drawn)
    assert address == chart_key(counted_bands, *band_arguments(), **LABELS)
    assert other.svg(address) == drawn.svg
    assert [path.stem for path in tmp_path.iterdir()] == [address]  # one layout, one file


def test_a_chart_drawn_outside_the_cache_is_published_by_its_svg(tmp_path):
    chart = cheap(5)
    address = ChartCache(tmp_path).publish(chart)
    assert re.fullmatch(r"[0-9a-f]{64}", address)
    assert ChartCache(tmp_path).svg(address) == b"<svg>5</svg>"
    assert ChartCache(tmp_path).svg("0" * 64) is None
    assert ChartCache(tmp_path).svg("../" + address) is None


def test_a_pruned_chart_is_written_again_when_published(tmp_path):
    charts = ChartCache(tmp_path)
    chart = charts(cheap, 6)
    (path,) = tmp_path.iterdir()
    path.unlink()
    address = charts.publish(chart)
    assert ChartCache(tmp_path).svg(address) == b"<svg>6</svg>"


def test_a_corrupt_file_is_redrawn_and_replaced(tmp_path):
    ChartCache(tmp_path)(cheap, 7)
    (path,) = tmp_path.iterdir()
    path.write_text('{"format": 1, "svg": "<svg>trunc')
    charts = ChartCache(tmp_path)
    chart = charts(cheap, 7)
    assert chart.svg == b"<svg>7</svg>"
    assert (charts.errors, charts.misses, len(DRAWN)) == (1, 1, 2)
    assert json.loads(path.read_text())["alt_text"] == "Chart 7."
    assert ChartCache(tmp_path)(cheap, 7).svg == b"<svg>7</svg>" and len(DRAWN) == 2


def test_a_file_for_another_key_is_not_served(tmp_path):
    ChartCache(tmp_path)(cheap, 1)
    (path,) = tmp_path.iterdir()
    path.rename(tmp_path / f"{chart_key(cheap, 2)}.json")
    assert ChartCache(tmp_path)(cheap, 2).svg == b"<svg>2</svg>"


def test_a_file_cannot_name_an_arbitrary_row_type(tmp_path):
    ChartCache(tmp_path)(cheap, 3)
    (path,) = tmp_path.iterdir()
    data = json.loads(path.read_text())
    data["table"][0]["type"] = "os.system"
    path.write_text(json.dumps(data))
    chart = ChartCache(tmp_path)(cheap, 3)
    assert type(chart.table[0]) is tuple and chart.table[0][1] == "3%"


def test_the_directory_is_pruned_to_its_bound(tmp_path):
    charts = ChartCache(tmp_path, max_files=2)
    for number in range(5):
        charts(cheap, number)
    assert charts.prune() == 3
    assert len(list(tmp_path.glob("*.json"))) == 2


class Welsh:
    def info(self):
        return {"language": "cy"}

    def gettext(self, message):
        return f"cy:{message}"

    def ngettext(self, singular, plural, n):
        return f"cy:{singular if n == 1 else plural}"


def test_charts_are_keyed_by_the_language_of_their_translations():
    charts = ChartCache()
    english = charts(cheap, 1, translations=gettext.NullTranslations())
    charts(cheap, 1)
    charts(cheap, 1, translations=Welsh())
    charts(cheap, 1, translations=Welsh())
    assert charts.misses == 3 and charts.hits == 1
    assert english.svg == b"<svg>1</svg>"
    assert chart_key(cheap, 1, translations=Welsh()) != chart_key(cheap, 1, translations=None)


def test_arguments_that_cannot_be_keyed_are_drawn_uncached():
    charts = ChartCache()
    for _ in range(2):
        charts(cheap, 1, translations=Marked())  # no language to key by
        charts(lambda: cheap(2))
    assert charts.bypassed == 4 and len(DRAWN) == 4 and len(charts) == 0


def test_the_process_wide_cache_is_configured_with_a_shared_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(chart_cache, "_default", default_cache())
    configure(tmp_path, max_entries=8)
    assert default_cache().directory == tmp_path and default_cache().max_entries == 8
    chart = cached_chart(cheap, 5)
    assert cached_chart(cheap, 5) is chart and len(DRAWN) == 1
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_long_names_and_titles_stay_on_a_phone_width_chart():
    options = (
        ("a", "Waxaan ka helay macluumaadka saaxiibkay oo igu yiri inaan isku dayo adeegan"),
        ("b", "Supercalifragilisticexpialidociousandaverylongwordindeed yes"),
    )
    chart = distribution_chart(
        options,
        {"a": 1234, "b": HIDDEN},
        answered=2000,
        title="Skąd dowiedziałeś się o tej usłudze dla młodzieży w twojej okolicy?",
    )
    renderer = FigureCanvasAgg(chart.figure).get_renderer()
    bounds = chart.figure.bbox
    for text in [*chart.figure.texts, *chart.figure.axes[0].texts]:
        box = text.get_window_extent(renderer)
        assert bounds.x0 <= box.x0 and box.x1 <= bounds.x1, text.get_text()
        assert bounds.y0 <= box.y0 and box.y1 <= bounds.y1, text.get_text()
