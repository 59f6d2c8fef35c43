"""The outcomes wheel chart: the finding in words, the numbers in a table, a stable SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from app.charts import OKABE_ITO, english
from app.charts.wheel import alt_text, draw_wheel, wheel_chart
from app.instruments import load_instruments

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def wheel():
    return load_instruments([SURVEYS]).get("outcomes-wheel")


def reading(wheel, *scores):
    return dict(zip(wheel.star.areas, scores, strict=True))


@pytest.fixture(scope="module")
def chart(wheel):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    latest = reading(wheel, 7, 5, 6, 4, 6, 5, 3, 7)
    return wheel_chart(wheel, first, latest, locale="en")


def test_the_alt_text_states_the_biggest_move_and_how_many_areas_moved(chart):
    assert chart.alt_text == (
        "Wheel chart comparing the first and latest readings in 8 areas. "
        "Biggest move: Feeling safe, up 4 points from 3 to 7. "
        "6 of 8 areas moved up. 1 stayed the same. 1 moved down."
    )


def test_the_table_gives_every_area_first_latest_and_change_in_wheel_order(chart):
    assert chart.columns == ("Area", "First", "Latest", "Change")
    assert [tuple(row[:4]) for row in chart.table] == [
        ("Feeling safe", 3, 7, 4),
        ("Coping with how I feel", 4, 5, 1),
        ("Looking after myself", 5, 6, 1),
        ("People I can count on", 2, 4, 2),
        ("A settled home", 6, 6, 0),
        ("School, college or work", 3, 5, 2),
        ("Liking who I am", 4, 3, -1),
        ("Making my own choices", 5, 7, 2),
    ]
    assert chart.table[0].area_id == "feeling_safe" and chart.table[6].change == -1


def test_a_fall_and_a_single_point_read_naturally(wheel):
    first = reading(wheel, 5, 5, 5, 5, 5, 5, 5, 5)
    assert "Biggest move: Coping with how I feel, down 3 points from 5 to 2." in (
        wheel_chart(wheel, first, reading(wheel, 5, 2, 5, 5, 5, 5, 6, 5)).alt_text
    )
    one = wheel_chart(wheel, first, reading(wheel, 6, 5, 5, 5, 5, 5, 5, 5)).alt_text
    assert "Biggest move: Feeling safe, up 1 point from 5 to 6." in one
    assert one.endswith("1 of 8 areas moved up. 7 stayed the same.")
    same = wheel_chart(wheel, first, first).alt_text
    assert same.endswith(
        "Every area has the same score as at the first reading. 0 of 8 areas moved up. "
        "8 stayed the same."
    )


def test_an_area_missing_from_a_reading_is_left_blank_and_out_of_the_counts(wheel):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    latest = reading(wheel, 7, 5, 6, 4, 6, 5, 3, 7)
    del latest["settled_home"]
    chart = wheel_chart(wheel, first, latest)
    assert tuple(chart.table[4][:4]) == ("A settled home", 6, None, None)
    assert "6 of 7 areas moved up." in chart.alt_text


def test_area_names_come_from_the_chosen_language(wheel):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    chart = wheel_chart(wheel, first, first, locale="cy")
    assert chart.table[0].area == "Teimlo'n ddiogel"
    assert "Teimlo" in chart.svg.decode()


class Marked:
    """A stand-in message catalogue that marks every message it translates."""

    def gettext(self, message):
        return f"<{message}>"

    def ngettext(self, singular, plural, n):
        return f"<{singular if n == 1 else plural}>"


def test_every_word_the_chart_adds_goes_through_the_translations_given(wheel):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    latest = reading(wheel, 7, 5, 6, 4, 6, 5, 3, 7)
    chart = wheel_chart(wheel, first, latest, translations=Marked())
    assert chart.columns == ("<Area>", "<First>", "<Latest>", "<Change>")
    assert chart.alt_text.startswith("<Wheel chart comparing")
    assert "<Biggest move: Feeling safe, up 4 points from 3 to 7.>" in chart.alt_text
    assert "<6 of 8 areas moved up.>" in chart.alt_text
    legend = chart.figure.legends[0]
    assert [text.get_text() for text in legend.get_texts()] == [
        "<First reading>",
        "<Latest reading>",
    ]


def test_the_legend_can_name_the_readings_by_date(wheel):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    chart = wheel_chart(wheel, first, first, first_label="March 2026", latest_label="June 2026")
    legend = chart.figure.legends[0]
    assert [text.get_text() for text in legend.get_texts()] == ["March 2026", "June 2026"]


def test_the_same_readings_give_the_same_svg_bytes(wheel, chart):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    latest = reading(wheel, 7, 5, 6, 4, 6, 5, 3, 7)
    again = wheel_chart(wheel, first, latest, locale="en")
    assert again.svg == chart.svg
    changed = wheel_chart(wheel, first, dict(latest, feeling_safe=8), locale="en")
    assert changed.svg != chart.svg


def test_the_svg_is_valid_xml_with_its_words_as_text_and_no_date(chart):
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    words = {"".join(node.itertext()).strip() for node in root.iter(f"{SVG}text")}
    assert {"First reading", "Latest reading", "10"} <= words
    assert any("Feeling" in word for word in words)
    assert b"<dc:date>" not in chart.svg


def test_the_chart_fits_a_phone_screen(chart):
    root = ET.fromstring(chart.svg)
    width_points = float(root.get("width").removesuffix("pt"))
    # Under 360 CSS pixels wide, so a 320-pixel screen shows it at nearly full size.
    assert width_points * 96 / 72 < 360
    assert min(text.get_fontsize() for text in chart.figure.axes[0].texts) >= 7.5


# The server has no Bengali font: names are measured with stand-in glyphs of similar width.
@pytest.mark.filterwarnings("ignore:Glyph")
@pytest.mark.parametrize("locale", ["en", "cy", "pl", "ro", "pt", "es", "ar", "ur", "bn", "so"])
def test_no_area_name_runs_off_the_edge_in_any_language(wheel, locale):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    chart = wheel_chart(wheel, first, first, locale=locale)
    renderer = FigureCanvasAgg(chart.figure).get_renderer()
    bounds = chart.figure.bbox
    for text in chart.figure.axes[0].texts:
        box = text.get_window_extent(renderer)
        assert bounds.x0 <= box.x0 and box.x1 <= bounds.x1, (locale, text.get_text())
        assert bounds.y0 <= box.y0 and box.y1 <= bounds.y1, (locale, text.get_text())


def test_the_two_readings_differ_in_line_style_and_marker_not_only_colour(chart):
    first, latest = chart.figure.axes[0].get_lines()[:2]
    assert first.get_linestyle() != latest.get_linestyle()
    assert first.get_marker() != latest.get_marker()
    assert {first.get_color(), latest.get_color()} <= set(OKABE_ITO.values())


def test_a_png_can_be_made_for_exports(chart):
    assert chart.png(dpi=72).startswith(b"\x89PNG\r\n\x1a\n")


def test_draw_wheel_needs_no_instrument_but_at_least_three_areas():
    areas = [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")]
    chart = draw_wheel(areas, {"a": 1, "b": "2", "c": 3}, {"a": 4, "b": 2, "c": 1}, points=5)
    assert [row.change for row in chart.table] == [3, 0, -2]
    with pytest.raises(ValueError, match="at least 3 areas"):
        draw_wheel(areas[:2], {}, {})


def test_alt_text_without_any_area_in_both_readings_says_only_what_the_chart_is():
    assert alt_text([], english()) == (
        "Wheel chart comparing the first and latest readings in 0 areas."
    )
