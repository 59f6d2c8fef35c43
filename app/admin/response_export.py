"""Response-level exports for analysts: one row per response, pseudonymous. No request objects.

Who may download this is the admin screen's business (app.admin.exports); this module only
reads and writes. It never holds every response in memory: rows come from the database in
batches (`yield_per`), the CSV is produced as a stream of chunks and the XLSX is written by
XlsxWriter in constant-memory mode to a temporary file.

Pseudonyms. A participant appears as `P-` and 16 hex digits of HMAC-SHA256 over their
database id, keyed with a key derived from the app's SECRET_KEY; a response as `R-` and the
same over its id. The pseudonyms are *stable*: the same person has the same pseudonym in
every export, so an analyst can link this quarter's file to last quarter's (distance
travelled is the point of the platform) and drop responses that two overlapping exports
share. They cannot be turned back into an id or a code without the server's secret, and
they are not codes: nothing on the platform accepts them. The participant's code is never
written. Rotating SECRET_KEY changes every pseudonym (and ends every session): files made
before and after a rotation no longer link.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import IO, Any

from sqlalchemy import Select, func, select

from app.dates import uk_day
from app.evidence.packs import neutralise_formula
from app.extensions import db
from app.instruments.model import InstrumentRegistry
from app.models import Campaign, Provider, Response, Service
from app.models.timeutil import UK

BATCH = 500
# Excel's last row is 1,048,576; one row is the header.
XLSX_MAX_ROWS = 1_048_575
PSEUDONYM_PURPOSE = b"coproduce response export pseudonyms v1"

FIXED_COLUMNS = (
    "participant",
    "response",
    "campaign",
    "service",
    "provider",
    "instrument",
    "instrument_version",
    "language",
    "text_provenance",
    "mode",
    "submitted_on",
    "complete",
    "raw_score",
    "metric_score",
    "band",
)


# --- Pseudonyms ----------------------------------------------------------------------------


def pseudonym_key(secret_key: str | bytes) -> bytes:
    """The key for export pseudonyms, derived from SECRET_KEY for this purpose only, so a
    pseudonym is never the same bytes as a session or CSRF signature."""
    secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, PSEUDONYM_PURPOSE, hashlib.sha256).digest()


def _pseudonym(key: bytes, kind: str, number: int) -> str:
    return hmac.new(key, f"{kind}:{number}".encode(), hashlib.sha256).hexdigest()[:16]


def participant_pseudonym(key: bytes, participant_id: int | None) -> str:
    """`P-` and 16 hex digits, the same in every export; "" for an anonymised response."""
    return "" if participant_id is None else "P-" + _pseudonym(key, "participant", participant_id)


def response_pseudonym(key: bytes, response_id: int) -> str:
    """`R-` and 16 hex digits, the same in every export."""
    return "R-" + _pseudonym(key, "response", response_id)


# --- What is exported ----------------------------------------------------------------------


def _uk_midnight_as_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UK).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Selection:
    """Responses submitted from `date_from` to `date_to` (UK dates, both included), for one
    service or (`service_id` None) every service."""

    date_from: date
    date_to: date
    service_id: int | None = None

    def conditions(self) -> list:
        since = _uk_midnight_as_utc(self.date_from)
        until = _uk_midnight_as_utc(date.fromordinal(self.date_to.toordinal() + 1))
        found = [Response.submitted_at >= since, Response.submitted_at < until]
        if self.service_id is not None:
            found.append(Campaign.service_id == self.service_id)
        return found

    def _from(self, statement: Select) -> Select:
        return statement.select_from(Response).join(Campaign, Campaign.id == Response.campaign_id)


def count_responses(selection: Selection) -> int:
    """How many rows the export will have."""
    statement = selection._from(select(func.count(Response.id)))
    return db.session.scalar(statement.where(*selection.conditions())) or 0


@dataclass(frozen=True)
class ItemColumn:
    """One answer column: `<instrument id>.<item id>`, since two instruments may share an
    item id."""

    instrument_id: str
    item_id: str
    numeric: bool = False  # a rating scale: answers are whole numbers

    @property
    def heading(self) -> str:
        return f"{self.instrument_id}.{self.item_id}"


def item_columns(selection: Selection, registry: InstrumentRegistry) -> list[ItemColumn]:
    """The answer columns for the instruments the selected responses were given on, in the
    instrument files' order (every version's items, each once)."""
    statement = selection._from(select(Response.instrument_id, Response.instrument_version))
    used = db.session.execute(statement.where(*selection.conditions()).distinct()).all()
    columns: dict[ItemColumn, None] = {}
    for instrument_id, version in sorted(used):
        try:
            instrument = registry.get(instrument_id, version)
        except KeyError:
            continue  # an instrument no longer loaded: its answers are not named here
        for item in instrument.items:
            column = ItemColumn(instrument_id, item.id, item.kind == "rating_scale")
            if not any(c.heading == column.heading for c in columns):
                columns[column] = None
    return list(columns)


def headings(columns: Sequence[ItemColumn]) -> list[str]:
    return [*FIXED_COLUMNS, *(column.heading for column in columns)]


def _answer(value: Any, numeric: bool) -> str | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple):
        return "; ".join(str(part) for part in value)
    text = str(value)
    if numeric and re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return text


def _uk_date(moment: datetime) -> date:
    return uk_day(moment)


def rows(
    selection: Selection, key: bytes, columns: Sequence[ItemColumn]
) -> Iterator[list[str | int | float | bool | date | None]]:
    """Each selected response as a list of values under `headings(columns)`, oldest first,
    read from the database `BATCH` rows at a time."""
    statement = (
        selection._from(
            select(
                Response.id,
                Response.participant_id,
                Campaign.name,
                Service.name,
                Provider.name,
                Response.instrument_id,
                Response.instrument_version,
                Response.language,
                Response.text_provenance,
                Response.mode,
                Response.submitted_at,
                Response.complete,
                Response.raw_score,
                Response.metric_score,
                Response.band,
                Response.answers,
            )
        )
        .join(Service, Service.id == Campaign.service_id)
        .join(Provider, Provider.id == Service.provider_id)
        .where(*selection.conditions())
        .order_by(Response.submitted_at, Response.id)
        .execution_options(yield_per=BATCH)
    )
    for row in db.session.execute(statement):
        answers = row.answers or {}
        yield [
            participant_pseudonym(key, row.participant_id),
            response_pseudonym(key, row.id),
            row[2],
            row[3],
            row[4],
            row.instrument_id,
            row.instrument_version,
            row.language,
            row.text_provenance,
            row.mode,
            _uk_date(row.submitted_at),
            bool(row.complete),
            row.raw_score,
            row.metric_score,
            row.band,
            *(
                _answer(answers.get(c.item_id), c.numeric)
                if c.instrument_id == row.instrument_id
                else None
                for c in columns
            ),
        ]


# --- Files ---------------------------------------------------------------------------------


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return "" if not math.isfinite(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    return neutralise_formula(str(value))


def csv_chunks(
    selection: Selection, key: bytes, registry: InstrumentRegistry, rows_per_chunk: int = 200
) -> Iterator[bytes]:
    """The export as CSV (UTF-8 with a BOM, CRLF), in chunks of bytes to stream: dates as
    YYYY-MM-DD, complete as TRUE/FALSE, text that a spreadsheet would run as a formula with
    a leading apostrophe."""
    columns = item_columns(selection, registry)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.writerow(headings(columns))
    yield b"\xef\xbb\xbf" + flush()
    waiting = 0
    for row in rows(selection, key, columns):
        writer.writerow([_csv_value(value) for value in row])
        waiting += 1
        if waiting == rows_per_chunk:
            yield flush()
            waiting = 0
    if waiting:
        yield flush()


def write_xlsx(
    selection: Selection,
    key: bytes,
    registry: InstrumentRegistry,
    out: IO[bytes],
    *,
    tmpdir: str | None = None,
) -> int:
    """Write the export to `out` as an XLSX workbook (one sheet, header row frozen) in
    XlsxWriter's constant-memory mode; returns the number of responses written."""
    import xlsxwriter

    columns = item_columns(selection, registry)
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    if tmpdir:
        options["tmpdir"] = tmpdir
    book = xlsxwriter.Workbook(out, options)
    sheet = book.add_worksheet("Responses")
    header = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    names = headings(columns)
    for index, name in enumerate(names):
        sheet.set_column(index, index, max(10, min(40, len(name) + 2)))
    sheet.freeze_panes(1, 0)
    for index, name in enumerate(names):
        sheet.write_string(0, index, name, header)
    written = 0
    for number, row in enumerate(rows(selection, key, columns), start=1):
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(number, index, value)
            elif isinstance(value, date):
                sheet.write_datetime(number, index, datetime.combine(value, time()), day)
            elif isinstance(value, int | float):
                if math.isfinite(value):
                    sheet.write_number(number, index, value)
            else:
                sheet.write_string(number, index, str(value))
        written = number
    book.close()
    return written
