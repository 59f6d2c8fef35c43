"""The PDF pack laid out as a briefing: a provider's full evidence (two scales, a
questionnaire of six questions, an outcomes wheel) fits in 12 pages, no page but the last
is mostly blank, no heading or caption is left alone at the foot of a page, the method
comes last, and charts are not followed by tables that repeat the section's figures."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from app.charts.answers import distribution_chart
from app.charts.bands import band_chart, means_chart
from app.charts.change import distance_chart
from app.evidence import packs
from app.evidence.tables import COUNT, NUMBER, SHARE, Column, Pack, Section, Table
from app.figures import Suppressed

NOW, BEFORE = "July to September 2026", "April to June 2026"
MOST_PAGES = 12
# A page is mostly blank when its content ends before this share of its height.
LEAST_FILL = 0.5


def _scale(key: str, title: str, norm: float) -> Section:
    bands = (
        ("probable", "Probable depression"),
        ("possible", "Possible depression"),
        ("average", "Average wellbeing"),
        ("high", "High wellbeing"),
    )
    now = {"probable": 0.16, "possible": 0.14, "average": 0.56, "high": 0.14}
    before = {"probable": 0.17, "possible": 0.12, "average": 0.58, "high": 0.13}
    expected = {"probable": 0.16, "possible": 0.13, "average": 0.58, "high": 0.13}
    periods = (Column("Measure"), Column(NOW, NUMBER), Column(BEFORE, NUMBER))
    return Section(
        key=key,
        title=title,
        note=f"{title} © NHS Health Scotland, the University of Warwick and the University "
        "of Edinburgh, all rights reserved.",
        tables=(
            Table(
                f"{key}-scores",
                f"{title}: scores",
                periods,
                (
                    ("People", 1418, 1404),
                    ("Mean", 49.3, 49.4),
                    ("95% confidence interval, lower", 48.9, 48.9),
                    ("95% confidence interval, upper", 49.8, 49.9),
                    ("Standard deviation", 9.1, 9.3),
                ),
                note=f"National norm: mean {norm} (adults in England).",
            ),
            Table(
                f"{key}-bands",
                f"{title}: indicative bands",
                (
                    Column("Band"),
                    Column(f"People, {NOW}", COUNT),
                    Column(f"Share, {NOW}", SHARE),
                    Column(f"Share, {BEFORE}", SHARE),
                    Column("Expected from the national norm", SHARE),
                ),
                tuple(
                    (label, int(now[k] * 1418), now[k], before[k], expected[k])
                    for k, label in bands
                ),
                note="Bands are indicative, not a diagnosis.",
            ),
            Table(
                f"{key}-change",
                f"{title}: change from first to latest score",
                periods,
                (
                    ("People with an earlier score", 673, 632),
                    ("Mean change", 2.3, 2.3),
                    ("Share with meaningful improvement", 0.49, 0.47),
                    ("Share with reliable improvement", 0.31, 0.3),
                    ("Share with reliable deterioration", 0.08, 0.09),
                ),
            ),
        ),
        charts=(
            means_chart(
                ((NOW, 49.3, 48.9, 49.8), (BEFORE, 49.4, 48.9, 49.9)),
                scale_label="mean score",
                norm=norm,
                norm_label=f"National norm, {norm}",
            ),
            band_chart(
                bands,
                now,
                before,
                expected,
                current_label=NOW,
                previous_label=BEFORE,
                norm_label="Expected from the national norm",
                title=f"{title}: indicative bands",
            ),
        ),
    )


QUESTIONS = (
    ("How often do you come here?", ("This is my first time", "Most weeks", "Monthly")),
    ("Overall, how good is this place?", tuple(str(n) for n in range(1, 11))),
    ("Do you feel welcome here?", ("Yes", "No")),
    ("What is good about coming here?", ("The staff", "Friends", "Activities", "A safe place")),
    ("Do the staff listen to what you say?", ("Always", "Mostly", "Sometimes", "Never")),
    ("Would you tell a friend to come here?", ("Yes", "No")),
)


def _questionnaire() -> Section:
    tables, charts = [], []
    for number, (question, answers) in enumerate(QUESTIONS):
        counts = {answer: 40 + 37 * ((i + number) % 5) for i, answer in enumerate(answers)}
        counts[answers[-1]] = Suppressed() if number == 3 else counts[answers[-1]]
        answered = sum(c for c in counts.values() if isinstance(c, int)) + 5
        tables.append(
            Table(
                f"q{number}",
                question,
                (
                    Column("Answer"),
                    Column(f"People, {NOW}", COUNT),
                    Column(f"Share, {NOW}", SHARE),
                ),
                tuple((a, c, c / answered if isinstance(c, int) else c) for a, c in counts.items()),
            )
        )
        charts.append(
            distribution_chart(
                tuple((a, a) for a in answers), counts, answered=answered, title=question
            )
        )
    return Section(
        key="feedback",
        title="Tell us what you think",
        tables=tuple(tables),
        charts=tuple(charts),
        note="Written answers are not part of the evidence pack.",
    )


def _wheel() -> Section:
    areas = tuple((f"a{i}", name) for i, name in enumerate(("Feeling safe", "Coping", "Care")))
    first = {key: 4.3 + i / 10 for i, (key, _) in enumerate(areas)}
    latest = {key: 5.2 + i / 10 for i, (key, _) in enumerate(areas)}
    return Section(
        key="wheel",
        title="My outcomes wheel",
        tables=(
            Table(
                "wheel-distance",
                "My outcomes wheel: distance travelled, first to latest reading",
                (
                    Column("Area"),
                    Column("People", COUNT),
                    Column("Mean first", NUMBER),
                    Column("Mean latest", NUMBER),
                ),
                tuple((name, 170, first[key], latest[key]) for key, name in areas),
            ),
        ),
        charts=(distance_chart(areas, first, latest),),
    )


@pytest.fixture(scope="module")
def pack() -> Pack:
    return Pack(
        title="Evidence: Synthetic Provider 1",
        scope="Synthetic Provider 1, 5 services",
        period=NOW,
        previous_period=BEFORE,
        generated_at=datetime(2026, 10, 2, 9, 30),
        method=tuple((f"Fact {n}", "A line of method. " * 6) for n in range(14)),
        sections=(
            Section(
                key="responses",
                title="Responses",
                tables=(
                    Table(
                        "responses",
                        "Responses and people",
                        (Column("Measure"), Column(NOW, COUNT), Column(BEFORE, COUNT)),
                        (("Responses", 3174, 3096), ("People", 3174, 3096)),
                    ),
                ),
            ),
            _scale("swemwbs", "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)", 23.7),
            _scale("wemwbs", "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)", 49.4),
            _questionnaire(),
            _wheel(),
        ),
        suppression_note="Fewer than 10 is never shown. " * 5,
    )


@pytest.fixture(scope="module")
def document(pack):
    return HTML(string=packs.pack_html(pack)).render()


def _page_items(page) -> list[tuple[float, boxes.Box]]:
    """The lines and images on a page, as (bottom, box), leaving out the footer."""
    items = []

    def walk(box):
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
            items.append((box.position_y + box.margin_height(), box))
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(page._page_box)
    return items


def test_a_full_provider_pack_fits_in_12_pages(document, pack):
    assert len(document.pages) <= MOST_PAGES
    reader = PdfReader(io.BytesIO(packs.pack_pdf(pack)))
    assert len(reader.pages) == len(document.pages)


def test_no_page_but_the_last_is_mostly_blank(document):
    for number, page in enumerate(document.pages[:-1], start=1):
        box = page._page_box
        bottom = max(bottom for bottom, _ in _page_items(page))
        fill = (bottom - box.content_box_y()) / box.height
        assert fill >= LEAST_FILL, f"page {number} is {fill:.0%} full"


def test_no_heading_or_caption_is_left_alone_at_the_foot_of_a_page(document):
    for number, page in enumerate(document.pages[:-1], start=1):
        _, last = max(_page_items(page), key=lambda item: item[0])
        assert last.element_tag not in ("h1", "h2", "h3", "caption"), f"page {number}"


def test_the_method_comes_last_and_the_title_first(document, pack):
    first = " ".join(packs.pack_html(pack).split("<section", 2)[1].split())
    assert "Evidence pack" in first and pack.title in first
    reader = PdfReader(io.BytesIO(packs.pack_pdf(pack)))
    text = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert pack.title in text[0]
    method = next(i for i, page in enumerate(text) if "Method How these figures" in page)
    assert all("Method How these figures" not in page for page in text[:method])
    assert method >= len(text) - 2 and "Fact 13" in " ".join(text[method:])
    # The last section's tables come before the method (on its page, or earlier).
    whole = " ".join(text)
    starts = whole.index("Method How these figures")
    assert all(0 <= whole.find(t.caption.split(":")[0]) < starts for t in pack.sections[4].tables)


def test_charts_whose_figures_the_section_tables_give_carry_no_second_table(pack):
    html = packs.pack_html(pack)
    assert "Figures in the chart" not in html
    for section in pack.sections:
        for chart in section.charts:
            assert packs.repeats_tables(chart, section)


def test_a_chart_with_figures_the_tables_lack_keeps_its_own_table(pack):
    section = pack.sections[4]
    bare = Section(key="wheel", title="My outcomes wheel", charts=section.charts)
    assert not packs.repeats_tables(section.charts[0], bare)
    assert "Figures in the chart" in packs.pack_html(Pack(**{**pack.__dict__, "sections": (bare,)}))
