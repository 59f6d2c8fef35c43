"""Admins export responses for analysis: pseudonyms, never codes; every download audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import select

from app.admin.response_export import (
    Selection,
    csv_chunks,
    participant_pseudonym,
    pseudonym_key,
    response_pseudonym,
)
from app.extensions import db
from app.models import AuditEvent, Campaign, Participant, Provider, Response, Service
from tests.support.pages import normalize_spaces

URL = "/admin/exports/responses"
HYPERLINK = '=HYPERLINK("http://evil.example","Click")'
FEEDBACK = {
    "how_often": "most_weeks",
    "overall_rating": "8",
    "feel_welcome": "yes",
    "good_things": ["staff", "friends"],
    "in_a_few_words": "Lle croesawgar, staff Gŵyl yn garedig",
    "change_one_thing": HYPERLINK,
}
WEMWBS = {"optimistic": "4", "useful": "2"}


def add_response(campaign, participant, submitted_at, key, answers, **extra):
    response = Response(
        submission_key=key,
        campaign_id=campaign.id,
        participant=participant,
        instrument_id=campaign.instrument_id,
        instrument_version=campaign.instrument_version,
        language=extra.pop("language", "en"),
        text_provenance=extra.pop("text_provenance", "project"),
        answers=answers,
        complete=extra.pop("complete", True),
        answered_count=len(answers),
        submitted_at=submitted_at,
        **extra,
    )
    db.session.add(response)
    db.session.commit()
    return response


@pytest.fixture
def responses(app, demo):
    """Responses round the spring quarter of 2026 (UK dates; BST from 29 March)."""
    first, second = Participant.create(), Participant.create()
    db.session.add_all([first, second])
    db.session.commit()
    feedback, wemwbs = demo["service-feedback"], demo["wemwbs"]
    other_provider = Provider(name="Northside Trust")
    other_service = Service(provider=other_provider, name="Cwnsela Ieuenctid")
    other = Campaign(
        service=other_service,
        name="Spring feedback",
        instrument_id="service-feedback",
        instrument_version=1,
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
    )
    db.session.add_all([other_provider, other_service, other])
    db.session.commit()
    made = {
        # 23:30 UTC on 31 March is 00:30 on 1 April in the UK: inside the range.
        "first_day": add_response(
            feedback, first, datetime(2026, 3, 31, 23, 30), "r1", FEEDBACK, language="cy"
        ),
        "scale": add_response(
            wemwbs,
            first,
            datetime(2026, 5, 10, 12, 0),
            "r2",
            WEMWBS,
            raw_score=47,
            metric_score=47.0,
            band="average",
            text_provenance="validated",
        ),
        "anonymised": add_response(
            feedback, None, datetime(2026, 6, 1, 9, 0), "r3", {"how_often": "monthly"}
        ),
        "elsewhere": add_response(
            other, second, datetime(2026, 6, 2, 9, 0), "r4", {"how_often": "first_time"}
        ),
        # 23:30 UTC on 30 June is 1 July in the UK: outside.
        "after": add_response(
            feedback, second, datetime(2026, 6, 30, 23, 30), "r5", {"how_often": "monthly"}
        ),
        "before": add_response(
            feedback, second, datetime(2026, 3, 1, 12, 0), "r6", {"how_often": "monthly"}
        ),
    }
    return {"people": (first, second), "other_service": other_service, **made}


def form(service=0, start=(1, 4, 2026), end=(30, 6, 2026), file_format="csv"):
    return {
        "service_id": str(service),
        "date_from": [str(part) for part in start],
        "date_to": [str(part) for part in end],
        "file_format": file_format,
    }


def read_csv(download) -> list[dict[str, str]]:
    body = download.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


@pytest.fixture
def admin(make_user, sign_in):
    user = make_user("admin")
    sign_in(user)
    return user


def test_admin_downloads_a_csv_with_pseudonyms_and_never_codes(
    app, client_request, admin, responses
):
    page = client_request.get(URL)
    assert normalize_spaces(page.select_one("h1").text) == "Export responses"
    assert page.select_one("select[name=service_id] option").text == "All services"

    download = client_request.post(URL, form(), expected_status=200)
    assert download.is_streamed
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="responses-all-services-2026-04-01-to-2026-06-30.csv"'
    )
    assert download.headers["Cache-Control"] == "no-store"
    rows = read_csv(download)
    body = download.get_data(as_text=True)
    first, second = responses["people"]
    assert first.code not in body and second.code not in body

    key = pseudonym_key(app.config["SECRET_KEY"])
    assert [row["response"] for row in rows] == [
        response_pseudonym(key, responses[name].id)
        for name in ("first_day", "scale", "anonymised", "elsewhere")
    ]
    welsh, scale, anonymised, other = rows
    assert welsh["participant"] == scale["participant"] == participant_pseudonym(key, first.id)
    assert re.fullmatch(r"P-[0-9a-f]{16}", welsh["participant"])
    assert other["participant"] == participant_pseudonym(key, second.id)
    assert anonymised["participant"] == ""
    assert welsh["submitted_on"] == "2026-04-01"  # the UK date, and no time
    assert welsh["campaign"] == "Tell us about the club"
    assert welsh["service"] == "Riverside Youth Club"
    assert welsh["provider"] == "Riverside Youth Trust"
    assert (welsh["instrument"], welsh["instrument_version"]) == ("service-feedback", "1")
    assert (welsh["language"], welsh["text_provenance"], welsh["mode"]) == ("cy", "project", "self")
    assert welsh["complete"] == "TRUE"
    assert welsh["service-feedback.how_often"] == "most_weeks"
    assert welsh["service-feedback.overall_rating"] == "8"
    assert welsh["service-feedback.good_things"] == "staff; friends"
    assert welsh["service-feedback.in_a_few_words"] == FEEDBACK["in_a_few_words"]
    assert welsh["service-feedback.change_one_thing"] == "'" + HYPERLINK
    assert welsh["wemwbs.optimistic"] == ""
    assert (scale["raw_score"], scale["metric_score"], scale["band"]) == ("47", "47.0", "average")
    assert scale["wemwbs.optimistic"] == "4" and scale["service-feedback.how_often"] == ""
    assert other["service"] == "Cwnsela Ieuenctid" and other["provider"] == "Northside Trust"


def test_pseudonyms_are_the_same_in_every_export(client_request, admin, responses):
    once = read_csv(client_request.post(URL, form(), expected_status=200))
    again = read_csv(
        client_request.post(URL, form(start=(1, 5, 2026), end=(31, 5, 2026)), expected_status=200)
    )
    assert [row["participant"] for row in again] == [once[1]["participant"]]


def test_one_service_can_be_exported_on_its_own(client_request, admin, responses):
    service = responses["other_service"]
    download = client_request.post(URL, form(service=service.id), expected_status=200)
    assert (
        'filename="responses-cwnsela-ieuenctid-2026-04-01-to-2026-06-30.csv"'
        in (download.headers["Content-Disposition"])
    )
    rows = read_csv(download)
    assert [row["service"] for row in rows] == ["Cwnsela Ieuenctid"]
    assert "wemwbs.optimistic" not in rows[0]  # only the instruments in the file


def test_admin_downloads_an_xlsx_with_numbers_dates_and_text(app, client_request, admin, responses):
    download = client_request.post(URL, form(file_format="xlsx"), expected_status=200)
    assert download.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        "responses-all-services-2026-04-01-to-2026-06-30.xlsx"
        in (download.headers["Content-Disposition"])
    )
    book = openpyxl.load_workbook(io.BytesIO(download.get_data()))
    sheet = book["Responses"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["participant", "response", "campaign"]
    rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(2)]
    assert len(rows) == 4
    welsh, scale = rows[0], rows[1]
    first, _ = responses["people"]
    assert first.code not in {str(value) for row in rows for value in row.values()}
    assert welsh["submitted_on"] == datetime(2026, 4, 1)
    assert sheet.cell(row=2, column=header.index("submitted_on") + 1).number_format == (
        "yyyy-mm-dd"
    )
    assert welsh["complete"] is True
    assert welsh["service-feedback.overall_rating"] == 8
    assert welsh["service-feedback.change_one_thing"] == HYPERLINK
    assert (
        sheet.cell(row=2, column=header.index("service-feedback.change_one_thing") + 1).data_type
        == "s"
    )
    assert scale["raw_score"] == 47 and scale["metric_score"] == 47.0


def test_every_export_is_written_to_the_audit_log(client_request, admin, responses):
    client_request.post(URL, form(), expected_status=200).get_data()
    service = responses["other_service"]
    client_request.post(URL, form(service=service.id, file_format="xlsx"), expected_status=200)
    db.session.rollback()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "responses_exported").order_by(AuditEvent.id)
    ).all()
    assert [event.actor_label for event in events] == [admin.email, admin.email]
    everything, one = events
    assert everything.object_type is None
    assert everything.detail == {
        "service": "all services",
        "date_from": "2026-04-01",
        "date_to": "2026-06-30",
        "format": "csv",
        "rows": 4,
    }
    assert (one.object_type, one.object_id) == ("Service", str(service.id))
    assert one.detail["format"] == "xlsx" and one.detail["rows"] == 1
    assert one.detail["service"] == "Cwnsela Ieuenctid (Northside Trust)"
    page = client_request.get("/admin/audit?action=responses_exported")
    assert "responses exported" in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form(start=(31, 2, 2026)), "Enter a real date, like 27 3 2027"),
        (form(start=("", "", "")), "Enter the first day of the date range"),
        (form(end=("", "", "")), "Enter the last day of the date range"),
        (form(end=("x", "6", "2026")), "Enter a real date, like 27 3 2027"),
        (form(start=(1, 7, 2026)), "The last day must be the same as or after the first day"),
        (form(start=(1, 1, 1)), "Enter a date from 2000 to 2100"),
        (form(end=(1, 1, 99999)), "Enter a real date, like 27 3 2027"),
        (form(service="abc"), "Choose a service from the list, or all services"),
        (form(service=9999), "Choose a service from the list, or all services"),
        (form(file_format="pdf"), "Choose CSV or Excel"),
    ],
)
def test_a_wrong_form_gets_a_clear_message_not_a_download(
    client_request, admin, responses, data, message
):
    page = client_request.post(URL, data, expected_status=400)
    assert page.title.text.startswith("Error:")
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert message in summary
    db.session.rollback()
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "responses_exported"))
        is None
    )


@pytest.mark.parametrize("role", ["coordinator", "commissioner", "provider", "key_worker"])
def test_only_admins_may_export_responses(
    client_request, make_user, sign_in, demo, responses, role
):
    sign_in(make_user(role, provider=demo["wemwbs"].service.provider))
    client_request.get(URL, expected_status=403)
    client_request.post(URL, form(), expected_status=403, form_page="/contact-me")
    db.session.rollback()
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "responses_exported"))
        is None
    )


def test_the_csv_is_streamed_in_chunks_from_batches(app, responses):
    key = pseudonym_key("test-secret")
    selection = Selection(date(2026, 1, 1), date(2026, 12, 31))
    chunks = list(csv_chunks(selection, key, app.extensions["instruments"], rows_per_chunk=2))
    assert len(chunks) == 1 + 3  # the header, then six rows two at a time
    assert chunks[0].startswith(b"\xef\xbb\xbfparticipant,response,")
    assert all(chunk.endswith(b"\r\n") for chunk in chunks)


def test_pseudonyms_depend_on_the_secret_and_cannot_be_a_code():
    key = pseudonym_key("one secret")
    assert participant_pseudonym(key, 7) == participant_pseudonym(pseudonym_key("one secret"), 7)
    assert participant_pseudonym(key, 7) != participant_pseudonym(key, 8)
    assert participant_pseudonym(key, 7) != participant_pseudonym(pseudonym_key("another"), 7)
    assert participant_pseudonym(key, 7)[2:] != response_pseudonym(key, 7)[2:]
    assert participant_pseudonym(key, None) == ""
