"""The answer first: the summary heading each evidence page and pack, mystery shops named as
such with their checklist results and reports, and themes a commissioner marks in written
answers, counted under the small-numbers rule."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from app.extensions import db
from app.models import (
    Campaign,
    ModeratedRating,
    PanelMember,
    PanelRating,
    Response,
    ThemedAnswer,
    Visit,
)
from app.models.fieldwork import VISIT_KINDS
from tests.support.evidence import PERIOD, build_world, respond
from tests.support.pages import normalize_spaces

SHOP = "mystery-shop-checklist"
SAFE = "checked_i_was_safe"
HOW_LONG = "said_how_long"


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def _soup(page) -> BeautifulSoup:
    return page if isinstance(page, BeautifulSoup) else BeautifulSoup(str(page), "html.parser")


def _table(page, key) -> list[list[str]]:
    table = _soup(page).find("table", id=f"table-{key}")
    assert table is not None, f"no table {key}"
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find_all("tr")
    ]


def _summary(page) -> dict[str, list[str]]:
    section = _soup(page).find(id="summary")
    assert section is not None, "no summary"
    return {
        heading.get_text(strip=True): [
            normalize_spaces(li.get_text()) for li in heading.find_next("ul").find_all("li")
        ]
        for heading in section.find_all("h3")
    }


def _mystery_shop(app, service, coordinator, inspectors, on: date, safe, how_long, summary=""):
    """A finalised phone mystery shop; `safe` and `how_long` are each inspector's answers."""
    instrument = app.extensions["instruments"].get(SHOP)
    visit = Visit(
        service_id=service.id,
        kind="mystery",
        channel="phone",
        visit_on=on,
        framework_id=instrument.id,
        framework_version=instrument.version,
        created_by_id=coordinator.id,
        summary=summary,
        finalised_at=datetime(on.year, on.month, on.day, 17),
        finalised_by_id=coordinator.id,
    )
    db.session.add(visit)
    db.session.flush()
    for inspector, said_safe, said_how_long in zip(inspectors, safe, how_long, strict=True):
        db.session.add(PanelMember(visit_id=visit.id, user_id=inspector.id))
        db.session.add(
            PanelRating(
                visit_id=visit.id,
                user_id=inspector.id,
                ratings={SAFE: said_safe, HOW_LONG: said_how_long, "friendly_and_kind": "4"},
                submitted_at=datetime(on.year, on.month, on.day, 16),
            )
        )
    db.session.add(
        ModeratedRating(visit_id=visit.id, characteristic="friendly_and_kind", rating="4")
    )
    db.session.commit()
    return visit


@pytest.fixture
def shops(app, world, make_user):
    coordinator = make_user("coordinator")
    ash, bo = make_user("peer_researcher"), make_user("peer_researcher")
    service = world["drop_in"]
    return [
        # Both said they checked; both said nobody said how long.
        _mystery_shop(
            app,
            service,
            coordinator,
            [ash, bo],
            date(2026, 4, 14),
            ["yes", "yes"],
            ["no", "no"],
            "A warm call; nobody said how long the wait would be.",
        ),
        _mystery_shop(
            app, service, coordinator, [ash, bo], date(2026, 5, 5), ["yes", "yes"], ["yes", "no"]
        ),
        # One inspector only, who said yes to both.
        _mystery_shop(app, service, coordinator, [ash], date(2026, 6, 2), ["yes"], ["no"]),
    ]


# --- Mystery shops in the evidence -----------------------------------------------------------


def test_every_stored_kind_of_visit_is_named_as_what_it_is_in_the_evidence(
    app, world, shops, sign_in
):
    html = sign_in(world["commissioner"]).get(
        f"/evidence/services/{world['drop_in'].id}?period={PERIOD}"
    )
    captions = [c.get_text(strip=True) for c in html.select("table caption")]
    shop_caption = next(c for c in captions if "moderated ratings across 3 visits" in c)
    assert shop_caption.startswith("Mystery shops:")
    # Each stored kind gets its own label; the one the tests' world uses reads as a visit.
    from app.evidence.sections.visits import group_label

    assert {kind: group_label(kind) for kind in VISIT_KINDS} == {
        "known": "Young inspectors' visits",
        "mystery": "Mystery shops",
    }


def test_a_mystery_shops_checklist_counts_the_visits_where_most_of_the_panel_said_yes(
    world, shops, sign_in
):
    html = sign_in(world["commissioner"]).get(
        f"/evidence/services/{world['drop_in'].id}?period={PERIOD}"
    )
    rows = {row[0]: row[1:] for row in _table(html, f"{SHOP}-checklist")[1:]}
    assert rows["Did they check that you were safe right now?"] == ["3", "3"]
    # Split 1 to 1 on the second visit is not "most of the panel".
    assert rows["Did they say how long you might have to wait?"] == ["0", "3"]
    summary = _summary(html)
    assert (
        "Mystery shops: \u201cDid they check that you were safe right now?\u201d done on 3 of 3 "
        "visits." in summary["What is going well"]
    )
    assert (
        "Mystery shops: \u201cDid they say how long you might have to wait?\u201d done on 0 of 3 "
        "visits." in summary["What is of concern"]
    )


def test_the_visits_table_gives_each_reports_summary_and_links_to_the_report(world, shops, sign_in):
    client = sign_in(world["harbour_user"])
    html = client.get(f"/evidence/services/{world['drop_in'].id}?period={PERIOD}")
    rows = _table(html, "visits")
    first_shop = next(row for row in rows if row[0] == "14 Apr 2026")
    assert first_shop[1:4] == [
        "Mystery shop",
        "Mystery shop: phoning for help with anxiety",
        "A warm call; nobody said how long the wait would be.",
    ]
    links = {a["href"] for a in html.select("#table-visits a")}
    assert links >= {f"/reports/{visit.id}" for visit in shops}
    report = client.get(f"/reports/{shops[0].id}")
    assert report.select_one("#report-checklist") is not None


# --- The summary ---------------------------------------------------------------------------


def test_the_summary_heads_the_page_and_each_line_links_to_its_detail(world, sign_in):
    html = sign_in(world["commissioner"]).get(
        f"/evidence/services/{world['drop_in'].id}?period={PERIOD}"
    )
    summary = _summary(html)
    assert list(summary)[:5] == [
        "What is going well",
        "What is of concern",
        "What changed since the last period",
        "Contract measures",
        "Open improvement actions",
    ]
    assert (
        "49 people answered, up from 30 in January to March 2026."
        in (summary["What changed since the last period"])
    )
    assert all(lines for lines in summary.values())
    # The summary comes before the first section of figures.
    text = str(html)
    assert text.index('id="summary"') < text.index('id="section-responses"')
    for link in html.select("#summary a"):
        assert html.find(id=link["href"].removeprefix("#")) is not None, link["href"]
    # Every section of the detail ends with the way back to the summary.
    sections = html.select("section[aria-labelledby^=section-]")
    backs = [section.select("a")[-1] for section in sections if section.select("a")]
    assert sections and len(backs) >= len(sections) - 1  # the method has no way back
    assert {(a.get_text(), a["href"]) for a in backs} == {("Back to the summary", "#summary")}
    assert "fewer than" not in html.select_one("#summary").get_text()


def test_the_summary_opens_every_download(world, shops, sign_in):
    client = sign_in(world["commissioner"])
    base = f"/evidence/services/{world['drop_in'].id}/pack"
    body = client.get(f"{base}.csv?period={PERIOD}").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    first_table = next(i for i, line in enumerate(lines) if line[:1] == ["Summary"])
    assert lines[first_table + 1] == ["Part", "Finding"]
    # The answer first, the method last.
    assert first_table < next(i for i, line in enumerate(lines) if line[:1] == ["Responses"])
    assert lines.index(["Method"]) > first_table
    assert [
        "What changed since the last period",
        "49 people answered, up from 30 in January to March 2026.",
    ] in lines
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}.xlsx?period={PERIOD}").data))
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "Method"
    opening = book["Summary"]
    assert opening["A1"].value == f"Evidence: {world['drop_in'].name}"
    assert opening["A3"].value == "About" and world["drop_in"].name in opening["B3"].value
    pdf = PdfReader(io.BytesIO(client.get(f"{base}.pdf?period={PERIOD}").data))
    text = " ".join(page.extract_text() for page in pdf.pages[:3])
    assert "What is going well" in normalize_spaces(text)


# --- Themes in written answers --------------------------------------------------------------


def _written(app, world, texts):
    campaign = (
        db.session.query(Campaign)
        .filter_by(service_id=world["drop_in"].id, instrument_id="service-feedback")
        .one()
    )
    for text in texts:
        respond(
            app,
            campaign,
            answers={"how_often": "most_weeks", "feel_welcome": "yes", "in_a_few_words": text},
        )
    db.session.commit()


def _answers_url(world):
    return f"/evidence/services/{world['drop_in'].id}/written-answers?period={PERIOD}"


def _themes_url(world):
    return f"/evidence/services/{world['drop_in'].id}/written-answers/themes?period={PERIOD}"


def _fields(page) -> dict[str, str]:
    """Each answer's checkbox name, by the answer's text."""
    found = {}
    for item in page.select(".app-written-answers > li"):
        text = item.select_one("p").get_text(strip=True)
        box = item.select_one("input[type=checkbox]")
        found[text] = box["name"] if box else item.select_one("p")["id"].removeprefix("answer-")
    return found


def test_a_commissioner_marks_themes_and_their_counts_follow_the_small_numbers_rule(
    app, world, sign_in
):
    _written(app, world, [f"The wait was too long ({i})" for i in range(10)] + ["Lovely staff"])
    client = sign_in(world["commissioner"])
    page = client.get(_answers_url(world))
    assert "No themes marked" in page.get_text()
    client.post(
        _themes_url(world), {"new_theme": "  Waiting   times "}, form_page=_answers_url(world)
    )
    client.post(_themes_url(world), {"new_theme": "Staff"}, form_page=_answers_url(world))
    page = client.get(_answers_url(world))
    ids = {
        label.get_text(strip=True): label["for"].rpartition("-")[2]
        for label in page.select(".app-written-answers li:first-child label")
    }
    assert set(ids) == {"Waiting times", "Staff"}
    fields = _fields(page)
    waits = [name for text, name in fields.items() if text.startswith("The wait")]
    data = {name: ids["Waiting times"] for name in waits}
    data[fields["Lovely staff"]] = ids["Staff"]
    data[fields["Staff listen to me"]] = ids["Staff"]
    client.post(_themes_url(world), data, form_page=_answers_url(world))

    page = client.get(_answers_url(world))
    counts = {
        row.select_one("th").get_text(strip=True): row.select_one("td").get_text(strip=True)
        for row in page.select("#theme-counts tbody tr")
    }
    assert counts == {"Staff": "fewer than 10", "Waiting times": "10"}
    assert page.select_one(f"input[name='{waits[0]}'][value='{ids['Waiting times']}']").has_attr(
        "checked"
    )

    # The provider sees the counts on the evidence page, and the summary quotes the shown one.
    provider = sign_in(world["harbour_user"])
    html = provider.get(f"/evidence/services/{world['drop_in'].id}?period={PERIOD}")
    assert _table(html, "written-themes")[1:] == [
        ["Staff", "fewer than 10"],
        ["Waiting times", "10"],
    ]
    assert _summary(html)["What people wrote about"] == ["Waiting times: 10 written answers."]


def test_saving_themes_keeps_other_answers_themes_and_ignores_answers_not_on_the_page(
    app, world, sign_in
):
    _written(app, world, ["Too far to travel"])
    client = sign_in(world["commissioner"])
    client.post(_themes_url(world), {"new_theme": "Travel"}, form_page=_answers_url(world))
    page = client.get(_answers_url(world))
    theme = page.select_one(".app-written-answers input[type=checkbox]")["value"]
    other = (
        db.session.query(Response)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .filter(Campaign.service_id == world["counselling"].id)
        .first()
    )
    forged = f"theme-{other.id}-in_a_few_words"
    fields = _fields(page)
    client.post(
        _themes_url(world),
        {fields["Too far to travel"]: theme, forged: theme},
        form_page=_answers_url(world),
    )
    marked = db.session.query(ThemedAnswer).all()
    assert [(m.response_id, m.item_id) for m in marked] == [
        (int(fields["Too far to travel"].split("-")[1]), "in_a_few_words")
    ]


def test_a_theme_name_too_long_is_explained_and_the_ticks_are_kept(app, world, sign_in):
    client = sign_in(world["commissioner"])
    client.post(_themes_url(world), {"new_theme": "Staff"}, form_page=_answers_url(world))
    page = client.get(_answers_url(world))
    box = page.select_one(".app-written-answers input[type=checkbox]")
    page = client.post(
        _themes_url(world),
        {"new_theme": "x" * 81, box["name"]: box["value"]},
        form_page=_answers_url(world),
        expected_status=400,
    )
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".govuk-error-summary a")["href"] == "#new_theme"
    assert "80 characters or fewer" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one(f"input[name='{box['name']}']").has_attr("checked")
    assert db.session.query(ThemedAnswer).count() == 0


def test_only_those_who_may_read_written_answers_may_mark_themes(world, sign_in):
    client = sign_in(world["harbour_user"])
    client.post(
        _themes_url(world),
        {"new_theme": "Staff"},
        form_page="/evidence/",
        expected_status=403,
    )
