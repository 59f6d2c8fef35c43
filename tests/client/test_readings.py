"""A key worker records outcomes-wheel readings with a young person and compares them."""

from sqlalchemy import select

from app.extensions import db
from app.models import Participant, Reading
from tests.support.pages import normalize_spaces


def wheel(app):
    return app.extensions["instruments"].get("outcomes-wheel")


def record(client_request, service_id, scores, code="", day="1", month="3", year="2026"):
    client_request.post(
        "/fieldwork/readings/new",
        {"code": code, "service_id": service_id, "instrument": "outcomes-wheel@1"},
    )
    data = {"taken_on": [day, month, year], "note": ""}
    data.update({area: str(score) for area, score in scores.items()})
    return client_request.post("/fieldwork/readings/record", data)


def test_a_key_worker_records_two_readings_and_sees_the_change(
    app, client_request, make_user, sign_in, demo
):
    sign_in(make_user("key_worker"))
    areas = wheel(app).star.areas
    service_id = demo["wemwbs"].service_id
    first = {area: 3 for area in areas}
    response = record(client_request, service_id, first)
    participant = db.session.scalar(select(Participant))
    # The young person's page is reached by a reference of this session, never by the code.
    location = response.headers["Location"]
    assert location.startswith("/fieldwork/participants/") and participant.code not in location
    page = client_request.get(location)
    assert "A chart of change appears after the second reading" in page.text

    latest = dict(first, **{areas[0]: 7, areas[1]: 5})
    # The second reading is recorded with the young person's code for key workers.
    response = record(client_request, service_id, latest, code=participant.worker_code, month="6")

    page = client_request.get(response.headers["Location"])
    chart = page.select_one("img.app-chart")
    assert chart["alt"].startswith("Wheel chart comparing the first and latest readings")
    assert "up 4 points" in chart.find_parent("figure").figcaption.text
    rows = page.select("table")[0].select("tbody tr")
    first_row = [normalize_spaces(cell.text) for cell in rows[0].select("th, td")]
    assert first_row[1:] == ["3", "7", "+4"]
    svg = client_request.get(chart["src"])
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert len(db.session.scalars(select(Reading)).all()) == 2


def test_every_area_needs_a_score_and_the_answers_given_stay(
    app, client_request, make_user, sign_in, demo
):
    sign_in(make_user("key_worker"))
    areas = wheel(app).star.areas
    client_request.post(
        "/fieldwork/readings/new",
        {"code": "", "service_id": demo["wemwbs"].service_id, "instrument": "outcomes-wheel@1"},
    )
    data = {"taken_on": ["1", "3", "2026"], areas[0]: "4", areas[1]: "11"}
    page = client_request.post("/fieldwork/readings/record", data, expected_status=400)
    summary = page.select(".govuk-error-summary a")
    assert len(summary) == len(areas) - 1
    assert page.find("input", attrs={"name": areas[0], "checked": True})["value"] == "4"
    assert db.session.scalars(select(Reading)).all() == []


def test_an_unknown_code_is_refused(client_request, make_user, sign_in, demo):
    sign_in(make_user("key_worker"))
    page = client_request.post(
        "/fieldwork/readings/new",
        {"code": "ABCD-2345", "service_id": demo["wemwbs"].service_id,
         "instrument": "outcomes-wheel@1"},
        expected_status=400,
    )  # fmt: skip
    assert "No young person has that code" in page.text
    client_request.get("/fieldwork/participants/ABCD2345", expected_status=404)


def test_providers_and_peer_researchers_cannot_see_readings(
    client_request, make_user, sign_in, demo
):
    provider = demo["wemwbs"].service.provider
    sign_in(make_user("provider", provider=provider))
    client_request.get("/fieldwork/readings/new", expected_status=403)
    client_request.get("/fieldwork/participants/ABCD2345", expected_status=403)


def test_key_workers_see_only_their_own_providers_young_people_and_never_by_code_in_an_address(
    app, client_request, make_user, sign_in, demo
):
    from app.models import Provider, Service

    areas = wheel(app).star.areas
    home = demo["wemwbs"].service
    other_provider = Provider(name="Another Trust")
    db.session.add(other_provider)
    db.session.flush()
    other_service = Service(provider_id=other_provider.id, name="Other club")
    db.session.add(other_service)
    db.session.commit()
    ours = make_user("key_worker", provider=home.provider, email="ours@example.org")
    theirs = make_user("key_worker", provider=other_provider, email="theirs@example.org")

    sign_in(ours)
    response = record(client_request, home.id, {area: 3 for area in areas})
    participant = db.session.scalar(select(Participant))
    ours_page = response.headers["Location"]
    assert participant.code not in ours_page
    page = client_request.get("/fieldwork/readings/new")
    offered = [o["value"] for o in page.select("select[name=service_id] option")]
    assert str(other_service.id) not in offered and str(home.id) in offered
    client_request.post("/sign-out", {}, form_page="/staff")

    sign_in(theirs)
    # Another provider's key worker: the page of a young person they do not work with is
    # not found, by reference or by searching with the code.
    client_request.get(ours_page, expected_status=404)
    page = client_request.post(
        "/fieldwork/participants", {"code": participant.worker_code}, expected_status=200
    )
    assert "No young person has that code" in page.text
    # Recording a first reading with the code links it; they then see only their own.
    response = record(
        client_request, other_service.id, {area: 5 for area in areas}, code=participant.worker_code
    )
    page = client_request.get(response.headers["Location"])
    assert "A chart of change appears after the second reading" in page.text
    assert len(page.select("table")[0].select("thead th")) == 2  # one reading, not two


def test_knowing_a_young_persons_codes_as_a_worker_never_opens_their_answers(
    app, client_request, make_user, sign_in, demo
):
    """Staff record readings with a code for key workers; the young person's own code alone
    opens their answers, and a key worker's code is refused there."""
    person = Participant.create()
    db.session.add(person)
    db.session.commit()
    assert person.worker_code != person.code

    sign_in(make_user("key_worker", provider=demo["wemwbs"].service.provider))
    start = {"service_id": demo["wemwbs"].service_id, "instrument": "outcomes-wheel@1"}
    refused = client_request.post(
        "/fieldwork/readings/new", {"code": person.code, **start}, expected_status=400
    )
    assert "No young person has that code" in refused.text
    client_request.post("/fieldwork/readings/new", {"code": person.worker_code, **start})

    phone = app.test_client()
    from tests.support.pages import ClientRequest

    young_person = ClientRequest(phone)
    page = young_person.post("/my-answers", {"code": person.worker_code}, expected_status=400)
    assert "We could not find that code" in page.text
    young_person.post("/my-answers", {"code": person.code})
    page = young_person.get("/my-answers/answers")
    assert normalize_spaces(page.select_one("#worker-code").text) == (
        f"{person.worker_code[:4]}-{person.worker_code[4:]}"
    )
