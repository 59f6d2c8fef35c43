"""A peer researcher enters questionnaires they collected from young people on paper or face
to face: the respondent's own checks, stored as collected by a peer researcher, linked to the
young person's code when they have one, and shown as a mode in the evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.evidence.words import MODE_NAMES
from app.extensions import db
from app.models import AuditEvent, Participant, Response
from app.models.codes import display_code
from tests.support.journey import a_valid_answer, instrument_of
from tests.support.pages import normalize_spaces
from tests.support.visits import inspector_who_visited


@pytest.fixture
def inspector(demo, make_user):
    """A young inspector who has been on a visit to the demo service."""
    return inspector_who_visited(make_user, demo["service-feedback"].service_id)


def test_a_peer_researcher_enters_a_paper_questionnaire_with_the_respondents_checks(
    app, client_request, sign_in, demo, inspector
):
    campaign = demo["service-feedback"]
    instrument = instrument_of(app, campaign)
    young_person = Participant.create()
    db.session.add(young_person)
    db.session.commit()
    sign_in(inspector)

    index = client_request.get("/fieldwork/collected/")
    links = [a["href"] for a in index.select("#campaigns a")]
    assert f"/fieldwork/collected/campaigns/{campaign.id}/new" in links
    start = f"/fieldwork/collected/campaigns/{campaign.id}/new"

    # Nothing is started without the language and the young person's agreement.
    page = client_request.post(start, {"language": "", "code": ""}, expected_status=400)
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Select the language the young person answered in" in summary
    assert "Confirm that the young person agreed to take part" in summary
    page = client_request.post(
        start, {"language": "cy", "agreed": "y", "code": "ZZZZ-2345"}, expected_status=400
    )
    assert "No young person has that code" in page.select_one(".govuk-error-summary").text

    response = client_request.post(
        start, {"language": "cy", "agreed": "y", "code": display_code(young_person.code)}
    )
    first_page = response.headers["Location"]
    assert first_page.endswith("/questions/1")

    # The first page refuses what the respondent's own page refuses.
    page = client_request.post(first_page, {"action": "continue"}, expected_status=400)
    assert page.select_one(".govuk-error-summary") is not None
    assert page.title.text.startswith("Error:")

    for number in range(1, instrument.page_count + 1):
        data = {"action": "continue"}
        for item in instrument.page_items(number):
            value = a_valid_answer(item)
            if value:
                data[item.id] = value
        url = first_page.replace("/questions/1", f"/questions/{number}")
        response = client_request.post(url, data)
    check_url = response.headers["Location"]
    assert check_url.endswith("/check")
    check = client_request.get(check_url)
    assert "in Welsh" in normalize_spaces(check.text)
    response = client_request.post(check_url, {})
    assert response.headers["Location"] == "/fieldwork/collected/"

    stored = db.session.scalars(select(Response).order_by(Response.id.desc())).first()
    assert (stored.mode, stored.language, stored.campaign_id) == (
        "peer_researcher",
        "cy",
        campaign.id,
    )
    assert stored.participant_id == young_person.id
    assert stored.complete
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "response_collected")
    ).one()
    assert (event.actor_user_id, event.object_id) == (inspector.id, str(stored.id))
    index = client_request.get("/fieldwork/collected/")
    assert (
        "collected by a peer researcher"
        in index.select_one(".govuk-notification-banner, .govuk-inset-text, main").text
    )
    # Sending the check page again stores nothing twice: the entry is finished.
    client_request.post(check_url, {}, form_page="/fieldwork/collected/", expected_status=404)
    assert MODE_NAMES[stored.mode] == "Collected by a peer researcher"


def test_a_peer_researcher_enters_answers_only_for_the_services_of_their_visits(
    client_request, sign_in, demo, make_user, inspector
):
    outsider = make_user("peer_researcher")
    sign_in(outsider)
    index = client_request.get("/fieldwork/collected/")
    assert index.select("#campaigns a") == []
    campaign = demo["service-feedback"]
    client_request.get(f"/fieldwork/collected/campaigns/{campaign.id}/new", expected_status=404)

    # Another person's unfinished entry cannot be opened or carried on.
    sign_in(inspector)
    response = client_request.post(
        f"/fieldwork/collected/campaigns/{campaign.id}/new", {"language": "en", "agreed": "y"}
    )
    entry = response.headers["Location"]
    sign_in(outsider)
    client_request.get(entry, expected_status=404)

    key_worker = make_user("key_worker")
    sign_in(key_worker)
    client_request.get("/fieldwork/collected/", expected_status=403)
