"""A contract measure's history chart: the finding in words, gaps where a figure is
hidden, the same SVG for the same figures, and a table with the same rows."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.charts.cache import ChartCache
from app.charts.measure import history_chart

POINTS = (
    ("December 2025 to February 2026", 24.0, "Close"),
    ("March to May 2026", None, "Not enough data"),
    ("June to August 2026", 38.0, "Not met"),
    ("September to November 2026", 49.0, "Not met"),
)


def _chart(points=POINTS):
    return history_chart("Median wait", "days", "lower", points, target=21.0, tolerance=7.0)


def test_the_finding_is_in_words_with_the_periods_that_have_no_figure():
    chart = _chart()
    assert chart.alt_text == (
        "Chart of Median wait over 4 periods, against a target of 21 days. "
        "Latest figure: 49 days in September to November 2026 (not met). "
        "From 24 days in December 2025 to February 2026: up. "
        "No figure for March to May 2026."
    )
    assert chart.columns == ("Period", "Value", "Status")
    assert [tuple(row) for row in chart.table] == [
        ("December 2025 to February 2026", "24 days", "Close"),
        ("March to May 2026", "no figure", "Not enough data"),
        ("June to August 2026", "38 days", "Not met"),
        ("September to November 2026", "49 days", "Not met"),
    ]


def test_the_chart_is_the_same_svg_for_the_same_figures_and_keeps_its_text_as_text():
    first, again = _chart(), _chart()
    assert first.svg == again.svg
    root = ET.fromstring(first.svg)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "49 days" in texts and "Target" in texts
    other = _chart(POINTS[:-1] + (("September to November 2026", 50.0, "Not met"),))
    assert other.svg != first.svg


def test_a_measure_with_one_period_and_a_percentage_draws(tmp_path):
    cache = ChartCache(tmp_path)
    chart = cache(
        history_chart,
        "Share of referrals seen",
        "percent",
        "higher",
        (("April to June 2026", 49.0, "Not met"),),
        target=80.0,
    )
    assert chart.alt_text.startswith(
        "Chart of Share of referrals seen over 1 period, against a target of 80%. "
        "Latest figure: 49% in April to June 2026 (not met)."
    )
    assert (
        cache(
            history_chart,
            "Share of referrals seen",
            "percent",
            "higher",
            (("April to June 2026", 49.0, "Not met"),),
            target=80.0,
        ).svg
        == chart.svg
    )
    assert cache.stats()["misses"] == 1
