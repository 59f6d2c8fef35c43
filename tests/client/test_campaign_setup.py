"""A coordinator sets a campaign up: chooses what to ask, gives the details, checks them,
creates it, works through the task list, and changes it later without a new link."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Campaign
from tests.support.campaigns import create_campaign
from tests.support.pages import normalize_spaces

NEW = "/admin/campaigns/new"
DETAILS = "/admin/campaigns/new/details"

# Every platform language, in the order the form lists them.
ALL_TEN = ["en", "cy", "pl", "ro", "pt", "es", "ar", "ur", "bn", "so"]


def details(service_id, **changes):
    data = {
        "instrument": "wemwbs@1",
        "name": "Spring wellbeing",
        "service_id": str(service_id),
        "opens_on": ["1", "1", "2026"],
        "closes_on": ["31", "12", "2030"],
        "languages": ["en"],
        "links_over_time": "y",
    }
    data.update(changes)
    return data


def campaign_count():
    return len(db.session.scalars(select(Campaign)).all())


def checked_languages(page):
    return [box["value"] for box in page.select("input[name=languages][checked]")]


def test_the_answers_are_checked_before_anything_is_made_and_change_keeps_them(
    client_request, demo, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    before = campaign_count()
    chooser = client_request.get(NEW)
    assert normalize_spaces(chooser.h1.text) == "What do you want to ask?"
    wemwbs = chooser.select_one("input[name=instrument][value='wemwbs@1']")
    hint = normalize_spaces(chooser.select_one(f"#{wemwbs['aria-describedby']}").text)
    assert hint == (
        "In English only. Licensed: record your organisation’s WEMWBS licence reference "
        "before the campaign opens."
    )

    data = details(demo["wemwbs"].service_id, step="check")
    check = client_request.post(DETAILS, data, expected_status=200, form_page=NEW)
    assert normalize_spaces(check.h1.text) == "Check the campaign before you create it"
    rows = {
        normalize_spaces(row.dt.text): normalize_spaces(row.select_one("dd").text)
        for row in check.select("#check-answers .govuk-summary-list__row")
    }
    assert rows["Name"] == "Spring wellbeing"
    assert rows["Closes on"] == "31 December 2030"
    assert rows["Languages"] == "English"
    assert rows["Licence reference"] == "Not recorded yet: needed before opening"
    assert campaign_count() == before

    # "Change" sends every answer back to the details page, where each is still filled in.
    carried = {field["name"]: field["value"] for field in check.select("form input[type=hidden]")}
    assert carried["name"] == "Spring wellbeing" and carried["instrument"] == "wemwbs@1"
    again = client_request.post(
        DETAILS, details(demo["wemwbs"].service_id, change="name"), 200, form_page=NEW
    )
    assert again.select_one("#name")["value"] == "Spring wellbeing"
    assert [i["value"] for i in again.select("input[name=closes_on]")] == ["31", "12", "2030"]
    assert campaign_count() == before

    response = create_campaign(client_request, details(demo["wemwbs"].service_id))
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id.desc()))
    assert response.headers["Location"] == f"/admin/campaigns/{campaign.id}"
    assert (campaign.name, campaign.status) == ("Spring wellbeing", "draft")
    # The same answers sent twice (a double tap) make one campaign.
    create_campaign(client_request, details(demo["wemwbs"].service_id))
    assert campaign_count() == before + 1


def test_languages_an_instrument_lacks_are_not_offered_and_say_why(
    client_request, demo, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    service_id = demo["wemwbs"].service_id
    page = client_request.post(DETAILS, {"instrument": "wemwbs@1"}, 200, form_page=NEW)
    assert checked_languages(page) == ["en"]
    welsh = page.select_one("input[name=languages][value=cy]")
    assert welsh.has_attr("disabled")
    reason = page.select_one(f"#{welsh['aria-describedby']}")
    assert normalize_spaces(reason.text) == (
        "WEMWBS has no Welsh text, so it cannot be offered in Welsh."
    )

    page = client_request.post(DETAILS, {"instrument": "service-feedback@1"}, 200, form_page=NEW)
    assert checked_languages(page) == ALL_TEN
    assert not page.select("input[name=languages][disabled]")

    page = create_campaign(
        client_request, details(service_id, languages=["en", "cy"]), expected_status=400
    )
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "WEMWBS has no Welsh text: choose only languages it has" in summary
    assert page.select_one(".govuk-error-summary a")["href"] == "#languages"


def test_the_task_list_shows_what_is_left_and_opening_needs_the_licence_in_words(
    client_request, demo, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    create_campaign(client_request, details(demo["wemwbs"].service_id, name="Licence first"))
    campaign = db.session.scalar(select(Campaign).where(Campaign.name == "Licence first"))
    hub = f"/admin/campaigns/{campaign.id}"
    page = client_request.get(hub)
    tasks = {
        normalize_spaces(item.select_one(".govuk-task-list__name-and-hint a, "
                                         ".govuk-task-list__name-and-hint div").text):
        normalize_spaces(item.select_one(".govuk-task-list__status").text)
        for item in page.select("#setup-tasks li")
    }  # fmt: skip
    assert tasks == {
        "Campaign details": "Completed",
        "Licence": "Needed before opening",
        "Consent and privacy": "Not yet started",
        "Open the campaign": "Cannot open yet",
        "QR code for posters": "Not yet started",
    }

    page = client_request.post(f"{hub}/open", {}, expected_status=400, form_page=hub)
    assert page.title.text.startswith("Error:")
    link = page.select_one(".govuk-error-summary a")
    assert normalize_spaces(link.text) == "Record the WEMWBS licence reference before opening"
    assert link["href"] == "#licence_reference"
    assert page.select_one("#licence_reference") is not None
    assert "wemwbs@1" not in page.text

    client_request.post(f"{hub}/open", {"licence_reference": "WEMWBS-REG-1"}, form_page=hub)
    db.session.refresh(campaign)
    assert (campaign.status, campaign.licence_reference) == ("open", "WEMWBS-REG-1")
    client_request.get(f"{hub}/qr.svg")
    page = client_request.get(hub)
    statuses = [normalize_spaces(s.text) for s in page.select(".govuk-task-list__status")]
    assert statuses == ["Completed", "Completed", "Not yet started", "Open", "Downloaded"]


def test_name_dates_and_languages_change_with_the_same_link_and_each_change_is_audited(
    client_request, demo, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    campaign = demo["service-feedback"]
    token = campaign.token
    edit = f"/admin/campaigns/{campaign.id}/edit"
    page = client_request.get(edit)
    assert checked_languages(page) == campaign.language_list
    client_request.post(
        edit,
        {"name": "Autumn feedback", "opens_on": ["1", "9", "2026"],
         "closes_on": ["30", "4", "2031"], "languages": ["en", "cy", "ar"]},
    )  # fmt: skip
    db.session.refresh(campaign)
    assert campaign.token == token
    assert (campaign.name, campaign.languages) == ("Autumn feedback", "en,cy,ar")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "campaign_details_changed")
    ).one()
    assert event.object_id == str(campaign.id)
    assert event.detail["closes_on"].endswith("→ 30 April 2031")
    assert event.detail["languages"].endswith("→ English, Welsh, Arabic")
    page = client_request.get(f"/admin/campaigns/{campaign.id}")
    assert token in page.select_one("#respondent-link").text

    page = client_request.post(
        edit,
        {"name": "", "opens_on": ["1", "9", "2026"], "closes_on": ["1", "1", "2026"],
         "languages": []},
        expected_status=400,
    )  # fmt: skip
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Enter a name for the campaign" in summary
    assert "The close date must be on or after the open date" in summary
    assert "Select at least one language" in summary
    db.session.refresh(campaign)
    assert campaign.name == "Autumn feedback"


def test_a_tampered_service_or_language_is_refused_in_words(
    client_request, demo, make_user, sign_in
):
    sign_in(make_user("coordinator"))
    before = campaign_count()
    page = create_campaign(
        client_request,
        details("abc", languages=["en", "xx"]),
        expected_status=400,
    )
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Select one of the services listed" in summary
    assert "Select languages from the list" in summary
    assert campaign_count() == before
