"""Evidence packs as files: CSV, XLSX and PDF, each rendered from one `Pack`. No Flask.

Every function takes a `Pack` (app.evidence.tables) and returns the file's bytes. Cells are
already `Suppressed` where a figure is hidden, so each format only decides how to write
what it is given: a hidden figure is always the text "fewer than 10", never a number.

- `pack_csv`: UTF-8 with a byte order mark (so Excel reads accents, Welsh and Arabic
  rightly), CRLF line ends. Counts are whole numbers, means have one decimal place, shares
  are percentages written with a % sign ("45%", which Excel reads as the number 0.45),
  p-values have three places ("below 0.001" when smaller). Text that a spreadsheet would
  run as a formula gets a leading apostrophe.
- `pack_xlsx`: a Method sheet, then a sheet per table; figures are real numbers with
  number formats, so they sort and add up.
- `pack_pdf`: a tagged PDF/UA-1 document drawn by WeasyPrint from the Jinja template
  `evidence/pack.html`, through a Jinja environment of its own over the app's templates:
  it needs no Flask app or request, so a worker, a CLI command or a test can call it.

    body = pack_pdf(pack)   # bytes, ready for a download or an email attachment
"""

from __future__ import annotations

import base64
import csv
import io
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.charts import Chart
from app.dates import format_clock, format_day
from app.evidence.sheets import sheet_names
from app.evidence.tables import (
    COUNT,
    NUMBER,
    P_VALUE,
    SHARE,
    TEXT,
    Cell,
    Column,
    Pack,
    Section,
    Table,
    cell_kind,
    format_cell,
)
from app.figures import Suppressed, display, is_suppressed

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PDF_TEMPLATE = "evidence/pack.html"
LANGUAGE = "en-GB"  # staff pages and packs are in English

# A text cell starting with one of these is run as a formula by Excel, LibreOffice or
# Google Sheets (OWASP "CSV injection"). The fullwidth forms are treated the same, to be
# safe with spreadsheet programs set up for East Asian input.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# XLSX number formats per column kind. A p-value below 0.001 reads as such, not as 0.000.
XLSX_FORMATS = {
    COUNT: "#,##0",
    NUMBER: "0.0",
    SHARE: "0%",
    P_VALUE: '[<0.001]"below 0.001";0.000',
}


def generated_label(pack: Pack) -> str:
    """When the pack was made, as the cover and the method page say it (UK time)."""
    at = pack.generated_at
    return f"{format_day(at)} at {format_clock(at)} (UK time)"


def cover_rows(pack: Pack) -> list[tuple[str, str]]:
    """The facts on a pack's cover, as (label, value)."""
    return [
        ("About", pack.scope),
        ("Period", pack.period),
        ("Compared with", pack.previous_period),
        ("Generated", generated_label(pack)),
    ]


def summary_section(pack: Pack) -> Section | None:
    """The summary as a spreadsheet's first table, one line per finding (None when the pack
    has no summary): a CSV or workbook opens with the answer, as the PDF and the page do."""
    if not getattr(pack, "summary", None):
        return None
    rows = tuple((part.heading, line.text) for part in pack.summary.parts for line in part.lines)
    table = Table(
        key="summary",
        caption=f"Summary, {pack.period}",
        columns=(Column("Part"), Column("Finding")),
        rows=rows,
    )
    return Section(key="summary", title="Summary", tables=(table,))


def _spreadsheet_sections(pack: Pack) -> tuple[bool, tuple[Section, ...]]:
    """Whether the pack has a summary, and its sections for a spreadsheet: the summary
    first when there is one."""
    summary = summary_section(pack)
    return summary is not None, ((summary,) if summary else ()) + tuple(pack.sections)


# --- CSV -----------------------------------------------------------------------------------


def neutralise_formula(text: str) -> str:
    """Text that a spreadsheet would read as a formula, made inert with a leading apostrophe.

    Free text and names come from people using the platform: "=HYPERLINK(...)" in a campaign
    name must stay words when a commissioner opens the file.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Cell, kind: str = TEXT) -> str:
    """One cell as the CSV writes it: plain numbers a spreadsheet reads as numbers, hidden
    figures as "fewer than 10", text made safe from formula injection."""
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return display(value)
    if isinstance(value, str):
        return neutralise_formula(value)
    if not math.isfinite(value):
        return ""
    kind = cell_kind(value, kind)
    if kind == COUNT:
        return str(int(round(value)))
    if kind == NUMBER:
        return f"{value:.1f}"
    if kind in (SHARE, P_VALUE):
        return format_cell(value, kind)
    return str(value)  # a number is never a formula, even a negative one


def pack_csv(pack: Pack) -> bytes:
    """The pack as a CSV file for Excel: UTF-8 with a BOM, CRLF line ends.

    Layout, top to bottom: the title and cover facts; the summary (when the pack has one);
    each table of each section as a line naming the section and the table, the header row,
    the rows, the table's note and a blank line; "Method" and its label/value lines and the
    small-numbers note last (first, after the cover, when there is no summary to lead).
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")

    def line(*cells: str) -> None:
        writer.writerow([neutralise_formula(cell) for cell in cells])

    def method() -> None:
        line("Method")
        for label, value in pack.method:
            line(label, value)
        if pack.suppression_note:
            line("Small numbers", pack.suppression_note)
        writer.writerow([])

    line(pack.title)
    for label, value in cover_rows(pack):
        line(label, value)
    writer.writerow([])
    summarised, sections = _spreadsheet_sections(pack)
    if not summarised:
        method()
    for section in sections:
        for table in section.tables:
            line(section.title, table.caption)
            line(*(column.heading for column in table.columns))
            kinds = [column.kind for column in table.columns]
            for row in table.rows:
                writer.writerow([csv_cell(v, k) for v, k in zip(row, kinds, strict=True)])
            if table.note:
                line(table.note)
            writer.writerow([])
        if section.note:
            line(section.title, section.note)
            writer.writerow([])
    if summarised:
        method()
    return out.getvalue().encode("utf-8-sig")


# --- XLSX ----------------------------------------------------------------------------------


class _Widths:
    """The widest text seen per column, for setting column widths at the end."""

    def __init__(self, least: float = 8, most: float = 60):
        self.least, self.most = least, most
        self.seen: dict[int, int] = {}

    def note(self, column: int, text: str) -> None:
        self.seen[column] = max(self.seen.get(column, 0), len(text))

    def apply(self, sheet) -> None:
        for column, width in self.seen.items():
            sheet.set_column(column, column, min(self.most, max(self.least, width + 2)))


def pack_xlsx(pack: Pack) -> bytes:
    """The pack as an Excel workbook: the summary's sheet first (the pack's title and facts
    above the summary's lines), then one sheet per table, named readably (`sheet_names`),
    so that every sheet keeps its header row in view, and the Method sheet last. A pack
    with no summary opens on its Method sheet.

    Each sheet has its section's title, the table's caption in bold, a bold header row,
    then its rows: figures are numbers with number formats ("#,##0" counts of people,
    "0.0" means, "0%" shares, rounded as the page shows them, "0.000" p-values, reading
    "below 0.001" when smaller), hidden figures the text "fewer than 10".
    """
    import xlsxwriter

    buffer = io.BytesIO()
    # Text is always written as text: a name starting with "=" must never become a formula.
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    book.set_properties(
        {
            "title": pack.title,
            "subject": f"{pack.scope}, {pack.period}",
            "comments": pack.suppression_note,
            "created": pack.generated_at,
        }
    )
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    label = book.add_format({"bold": True, "valign": "top"})
    when = book.add_format({"num_format": "d mmmm yyyy hh:mm", "align": "left"})
    hidden = book.add_format({"italic": True, "align": "right"})
    header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
    numbers = {kind: book.add_format({"num_format": f}) for kind, f in XLSX_FORMATS.items()}

    summarised, sections = _spreadsheet_sections(pack)
    facts = [(text, value) for text, value in cover_rows(pack) if text != "Generated"]
    if not summarised:
        method = book.add_worksheet("Method")
    sheets = [(section, table) for section in sections for table in _sheet_tables(section)]
    names = sheet_names((_sheet_title(s, t) for s, t in sheets), taken=["Method"])
    for number, ((section, table), name) in enumerate(zip(sheets, names, strict=True)):
        # The summary's sheet opens the workbook with the pack's title and facts above it.
        opening = (
            (pack.title, cover_rows(pack), label, wrap) if summarised and number == 0 else None
        )
        _table_sheet(
            book.add_worksheet(name), section, table, title, bold, header, hidden, numbers, opening
        )
    if summarised:
        method = book.add_worksheet("Method")
    method.write_string(0, 0, pack.title, title)
    row = 2
    for text, value in facts:
        method.write_string(row, 0, text, label)
        method.write_string(row, 1, value, wrap)
        row += 1
    # When the pack was made, as a date and time Excel can sort by.
    method.write_string(row, 0, "Generated (UTC)", label)
    method.write_datetime(row, 1, pack.generated_at, when)
    row += 2
    method.write_string(row, 0, "Method", bold)
    row += 1
    for text, value in pack.method:
        method.write_string(row, 0, text, label)
        method.write_string(row, 1, value, wrap)
        row += 1
    if pack.suppression_note:
        row += 1
        method.write_string(row, 0, "Small numbers", label)
        method.write_string(row, 1, pack.suppression_note, wrap)
    method.set_column(0, 0, 24)
    method.set_column(1, 1, 90)
    book.close()
    return buffer.getvalue()


def _sheet_tables(section: Section) -> tuple[Table | None, ...]:
    """The tables of a section, one sheet each (a section of notes only: one sheet)."""
    return section.tables or (None,)


def _sheet_title(section: Section, table: Table | None) -> str:
    """What a table's sheet is called: its section's title when it is the section's only
    table, else its short title or its caption."""
    if table is None or len(section.tables) == 1:
        return section.title
    return table.short or table.caption


def _table_sheet(
    sheet, section: Section, table, title, bold, header, hidden, numbers, opening=None
) -> None:
    """One table on its own sheet: the section's title, the caption, then the header row,
    kept in view with the row names while scrolling, then the rows and notes. `opening`
    (the pack's title, its facts as (label, value), and their formats) puts the pack's
    title and facts at the top instead of the section's title: the workbook's first sheet."""
    widths = _Widths()
    row = 2
    if opening is None:
        sheet.write_string(0, 0, section.title, title)
    else:
        heading, facts, label, wrap = opening
        sheet.write_string(0, 0, heading, title)
        for text, value in facts:
            sheet.write_string(row, 0, text, label)
            sheet.write_string(row, 1, value, wrap)
            row += 1
        row += 2
    if table is not None:
        sheet.write_string(row - 1, 0, table.caption, bold)
        for column, heading in enumerate(table.columns):
            sheet.write_string(row, column, heading.heading, header)
            widths.note(column, heading.heading)
        sheet.freeze_panes(row + 1, 1)
        row += 1
        for cells in table.rows:
            for column, (value, heading) in enumerate(zip(cells, table.columns, strict=True)):
                _xlsx_cell(sheet, row, column, value, heading.kind, hidden, numbers)
                widths.note(column, format_cell(value, heading.kind))
            row += 1
        if table.note:
            sheet.write_string(row, 0, table.note)
            row += 1
        row += 1
    if section.note:
        sheet.write_string(row, 0, section.note)
    widths.apply(sheet)


def _xlsx_cell(sheet, row: int, column: int, value: Cell, kind: str, hidden, numbers) -> None:
    if value is None:
        sheet.write_blank(row, column, None)
    elif isinstance(value, Suppressed):
        sheet.write_string(row, column, display(value), hidden)
    elif isinstance(value, str):
        sheet.write_string(row, column, value)
    elif not math.isfinite(value):
        sheet.write_blank(row, column, None)
    elif (kind := cell_kind(value, kind)) in numbers:
        sheet.write_number(row, column, value, numbers[kind])
    else:
        sheet.write_number(row, column, value)


# --- PDF -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["cell"] = format_cell
    environment.tests["suppressed"] = is_suppressed
    environment.globals["chart_cell"] = chart_cell
    return environment


def chart_cell(value: object) -> str:
    """A cell of a chart's data table as text."""
    if value is None:
        return ""
    if isinstance(value, Suppressed):
        return display(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def chart_image(chart: Chart) -> str:
    """A chart's SVG as a data: address for an <img>. Drawn by WeasyPrint as vectors, with
    the text as text; an <img> (rather than the SVG inline in the HTML) keeps WeasyPrint from
    reading the SVG's styles as HTML styles, and its `alt` becomes the figure's /Alt tag."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode("ascii")


def chart_rows(chart: Chart) -> list[Sequence[object]]:
    """A chart's data table, cut to its columns (rows may carry a key after them)."""
    width = len(chart.columns)
    return [tuple(row)[:width] for row in chart.table]


def repeats_tables(chart: Chart, section: Section) -> bool:
    """Whether the section's own tables already give the chart's figures: every row of the
    chart is named in them (as a row, or as a column such as a period). The PDF then leaves
    the chart's data table out rather than print the same figures twice."""
    named = set()
    for table in section.tables:
        named.update(str(row[0]) for row in table.rows if row)
        named.update(column.heading for column in table.columns)
    labels = [str(tuple(row)[0]) for row in chart.table if tuple(row)]
    return bool(labels) and all(label in named for label in labels)


def _pdf_charts(section: Section) -> list[tuple[Chart, str, list[Sequence[object]]]]:
    return [
        (
            chart,
            chart_image(chart) if chart.drawn else "",
            [] if repeats_tables(chart, section) else chart_rows(chart),
        )
        for chart in section.charts
    ]


def pack_html(pack: Pack) -> str:
    """The pack as the HTML the PDF is drawn from (print CSS, A4): the title, the facts and
    the summary first, then the sections, then the method."""
    charts = [_pdf_charts(section) for section in pack.sections]
    return (
        _environment()
        .get_template(PDF_TEMPLATE)
        .render(
            pack=pack,
            language=LANGUAGE,
            cover=cover_rows(pack),
            generated=generated_label(pack),
            sections=list(zip(pack.sections, charts, strict=True)),
        )
    )


def pack_pdf(pack: Pack) -> bytes:
    """The pack as a tagged, accessible PDF (PDF/UA-1): the title, the facts and the
    summary on the first page, then each section's tables, charts (each beside its finding)
    and notes, then the method. The document's title and language are in its metadata."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The charts are data: addresses; nothing else is fetched, from the network or from
    # files, whatever text a pack holds. A chart that cannot be read stops the render
    # rather than leaving a hole in the evidence.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=pack_html(pack), url_fetcher=fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1")


__all__ = [
    "csv_cell",
    "neutralise_formula",
    "pack_csv",
    "pack_html",
    "pack_pdf",
    "pack_xlsx",
    "sheet_names",
    "summary_section",
]
