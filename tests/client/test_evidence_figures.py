"""Figures a provider would check at once on an evidence page: shares as percentages, the
completion rate beside a small count, one SWEMWBS change figure, the norm young people are
compared with, and the current period shown by default."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from bs4 import BeautifulSoup

from app.evidence.periods import period_containing, previous
from app.extensions import db
from app.models import Campaign, Response
from app.models.timeutil import uk_today
from tests.support.evidence import FIRST, LATEST, PERIOD, build_world, respond


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def _rows(html, key) -> list[list[str]]:
    table = BeautifulSoup(html, "html.parser").find("table", id=f"table-{key}")
    assert table is not None, f"no table {key}"
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find_all("tr")
    ]


def _row(rows, label):
    return next(row for row in rows if row[0] == label)


def _drop_in(world, sign_in, query=f"?period={PERIOD}") -> str:
    client = sign_in(world["commissioner"])
    return str(client.get(f"/evidence/services/{world['drop_in'].id}{query}"))


def _harbour(world, sign_in, suffix="") -> str:
    client = sign_in(world["commissioner"])
    return client, f"/evidence/providers/{world['harbour'].id}{suffix}"


# Drop-in's 30 people with two scores, 16 of them up by 3 or more; Mentoring's 12 all down.
IMPROVED = sum(b - a >= 3 for a, b in zip(FIRST, LATEST, strict=True))
MEANINGFUL = "Share with meaningful improvement (3 or more points)"


def test_change_shares_read_as_percentages_on_the_page(world, sign_in):
    client, path = _harbour(world, sign_in)
    html = str(client.get(f"{path}?period={PERIOD}"))
    change = _rows(html, "wemwbs-change")
    assert _row(change, "People with an earlier score")[1] == "42"
    assert _row(change, MEANINGFUL)[1] == f"{IMPROVED / 42:.0%}"  # "38%", not "0.4"


def test_csv_and_xlsx_write_shares_as_percentages_and_people_as_whole_numbers(world, sign_in):
    client, path = _harbour(world, sign_in)
    text = client._send("get", f"{path}/pack.csv?period={PERIOD}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["People with an earlier score", "42", "fewer than 10"] in rows  # not "42.0"
    assert [MEANINGFUL, "38%", "fewer than 10"] in rows  # not "0.4"
    people = [row for row in rows if row and row[0] == "People"]
    assert people and all("." not in cell for row in people for cell in row)
    body = client._send("get", f"{path}/pack.xlsx?period={PERIOD}").data
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert "WEMWBS change from first" in book.sheetnames  # shortened by words
    assert all(len(name) <= 31 for name in book.sheetnames)
    sheet = book["WEMWBS change from first"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value}
    paired = cells["People with an earlier score"]
    assert paired.value == 42 and paired.number_format == "#,##0"
    share = cells[MEANINGFUL]
    assert share.value == pytest.approx(0.38) and share.number_format == "0%"
    assert sheet.freeze_panes == f"B{next(c.row for c in sheet['A'] if c.value == 'Measure') + 1}"


def test_completion_rate_beside_few_unfinished_says_what_is_hidden(world, sign_in):
    html = _drop_in(world, sign_in)
    # 49 responses, none unfinished: "100%" would tell that nobody left off. What "fewer
    # than 10" beside 49 already says is that more than 79% finished.
    assert _row(_rows(html, "responses"), "Responses")[1] == "49"
    assert _row(_rows(html, "completion"), "Completion rate")[1] == "more than 79%"
    assert "April to June 2026: fewer than 10 people started without finishing." in html
    assert "Completion rate fewer than 10" not in BeautifulSoup(html, "html.parser").text


def test_young_peoples_wemwbs_is_compared_with_the_pupils_norm(world, sign_in):
    html = _drop_in(world, sign_in)
    assert "Compared with pupils aged 13 to 16 (Clarke et al. 2011): mean 48.8." in html
    bands = _rows(html, "wemwbs-bands")
    assert bands[0][-1] == "Expected among pupils aged 13 to 16"
    assert all(row[0].endswith("(indicative)") for row in bands[1:])


def test_adults_wemwbs_is_compared_with_the_adult_norm(world, sign_in, app):
    # Counselling's 12 people all say they are 25 or over.
    campaign = db.session.scalar(
        db.select(Campaign).where(Campaign.service_id == world["counselling"].id)
    )
    db.session.execute(
        db.update(Response).where(Response.campaign_id == campaign.id).values(age_band="25_plus")
    )
    db.session.commit()
    client = sign_in(world["commissioner"])
    html = str(client.get(f"/evidence/services/{world['counselling'].id}?period={PERIOD}"))
    assert "Compared with adults in Scotland (Scottish Health Survey 2018): mean 49.4." in html
    assert _rows(html, "wemwbs-bands")[0][-1] == "Expected among adults in Scotland"


def test_swemwbs_shows_one_change_figure(world, sign_in, app):
    campaign = Campaign(
        service_id=world["counselling"].id,
        name="Quick check",
        instrument_id="swemwbs",
        instrument_version=1,
        opens_on=date(2025, 1, 1),
        closes_on=date(2027, 12, 31),
        licence_reference="LICENCE-1",
    )
    db.session.add(campaign)
    db.session.flush()
    for raw in range(12, 24):
        respond(app, campaign, raw)
    db.session.commit()
    client = sign_in(world["commissioner"])
    html = str(client.get(f"/evidence/services/{world['counselling'].id}?period={PERIOD}"))
    labels = [row[0] for row in _rows(html, "swemwbs-change")[1:]]
    assert labels == [
        "People with an earlier score",
        "Mean change",
        "Share who improved by 3 or more metric points (beyond measurement error)",
    ]
    assert "Compared with adults in England" in html
    assert "No norm for young people is held for this scale" in html
    # WEMWBS keeps both its meaningful and its reliable shares.
    wemwbs = [row[0] for row in _rows(html, "wemwbs-change")[1:]]
    assert any(label.startswith("Share with reliable improvement") for label in wemwbs)
    assert any(label.startswith("Share with meaningful improvement") for label in wemwbs)


def test_the_page_opens_on_the_current_period_so_far_beside_the_last_complete(world, sign_in):
    html = _drop_in(world, sign_in, query="")
    current = period_containing(uk_today())
    complete = previous(current)
    page = BeautifulSoup(html, "html.parser")
    assert page.h1.get_text(strip=True) == f"Drop-in: {current.label}"
    note = page.find(id="period-note")
    assert f"{current.label} so far" in note.text and complete.label in note.text
    link = note.find("a")
    assert link["href"].endswith(f"?period={complete.start.isoformat()}")


def test_a_visit_of_the_last_complete_period_is_listed_while_a_new_one_starts(
    world, sign_in, monkeypatch
):
    # Early July 2026: the visit of 20 May 2026 is in the last complete period.
    monkeypatch.setattr("app.review.routes.uk_today", lambda: date(2026, 7, 3))
    monkeypatch.setattr("app.evidence.build.uk_today", lambda: date(2026, 7, 3))
    html = _drop_in(world, sign_in, query="")
    assert "Drop-in: July to September 2026" in html
    recommendations = _rows(html, "recommendations")
    assert recommendations[1][1] == "Put the opening times on the door"
    assert "Visits in July to September 2026 so far and in April to June 2026." in html
