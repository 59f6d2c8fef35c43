"""The demo's contracts for client tests: load them, and sign in as one of the demo people."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.accounts.cli import DEMO_PASSWORD
from app.extensions import db
from app.models import Contract
from tests.support.pages import normalize_spaces


def load_demo(runner) -> dict[str, Contract]:
    """`demo load`: the demo contracts by reference."""
    result = runner.invoke(args=["demo", "load"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {c.reference: c for c in db.session.scalars(select(Contract))}


def sign_in_as(client_request, email: str):
    """Signs in through the sign-in page; returns the response (a redirect)."""
    return client_request.post("/sign-in", {"email": email, "password": DEMO_PASSWORD})


def overview_rows(page) -> list[dict[str, str]]:
    """The overview table's rows as {column: text}, with the reference under "reference"."""
    table = page.find("table", id="contracts")
    if table is None:
        return []
    rows = []
    for tr in table.tbody.find_all("tr"):
        row = {"reference": normalize_spaces(tr.th.a.text)}
        for td in tr.find_all("td"):
            if td.get("data-column"):
                row[td["data-column"]] = normalize_spaces(td.get_text(" "))
        rows.append(row)
    return rows


def references(page) -> list[str]:
    return [row["reference"] for row in overview_rows(page)]


def workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data), read_only=True)


def sheet_rows(book, name: str, header_row: int = 3) -> list[dict[str, object]]:
    """A sheet's rows below its header row, as {heading: value}."""
    rows = list(book[name].iter_rows(values_only=True))
    headings = rows[header_row - 1]
    return [
        dict(zip(headings, row, strict=False))
        for row in rows[header_row:]
        if any(value is not None for value in row)
    ]
