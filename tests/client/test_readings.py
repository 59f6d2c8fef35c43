"""A key worker records outcomes-wheel readings with a young person and compares them."""

from sqlalchemy import select

from app.extensions import db
from app.models import Participant, Reading
from tests.support.pages import normalize_spaces


def wheel(app):
    return app.extensions["instruments"].get("outcomes-wheel")


def start(client_request, service_id, code=""):
    return client_request.post(
        "/fieldwork/readings/new",
        {"code": code, "service_id": service_id, "instrument": "outcomes-wheel@1"},
    )


def record(client_request, service_id, scores, code="", day="1", month="3", year="2026"):
    """Walk the stepped form: the date, one area per page, then the check page."""
    start(client_request, service_id, code)
    client_request.post("/fieldwork/readings/record", {"taken_on": [day, month, year]})
    for number, (area, score) in enumerate(scores.items(), start=1):
        client_request.post(f"/fieldwork/readings/record/areas/{number}", {area: str(score)})
    return client_request.post("/fieldwork/readings/record/check", {"note": ""})


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


def test_each_area_is_its_own_page_that_needs_a_score(
    app, client_request, make_user, sign_in, demo
):
    sign_in(make_user("key_worker"))
    areas = wheel(app).star.areas
    start(client_request, demo["wemwbs"].service_id)
    response = client_request.post("/fieldwork/readings/record", {"taken_on": ["1", "3", "2026"]})
    assert response.headers["Location"] == "/fieldwork/readings/record/areas/1"
    page = client_request.get("/fieldwork/readings/record/areas/1")
    # Ten radios on the page, for one area, not eighty.
    assert len(page.select("input[type=radio]")) == 10
    assert normalize_spaces(page.select_one(".govuk-caption-l").text) == "Area 1 of 8"
    page = client_request.post(
        "/fieldwork/readings/record/areas/1", {areas[0]: "11"}, expected_status=400
    )
    assert page.select_one("title").text.startswith("Error: ")
    assert len(page.select(".govuk-error-summary a")) == 1
    page = client_request.post("/fieldwork/readings/record/areas/1", {}, expected_status=400)
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{areas[0]}"
    assert db.session.scalars(select(Reading)).all() == []


def test_answers_are_kept_going_back_and_changed_from_the_check_page(
    app, client_request, make_user, sign_in, demo
):
    sign_in(make_user("key_worker"))
    areas = wheel(app).star.areas
    start(client_request, demo["wemwbs"].service_id)
    client_request.post("/fieldwork/readings/record", {"taken_on": ["2", "3", "2026"]})
    for number, area in enumerate(areas, start=1):
        client_request.post(f"/fieldwork/readings/record/areas/{number}", {area: str(number)})
    # Going back to an area shows the score chosen before.
    page = client_request.get("/fieldwork/readings/record/areas/3")
    assert page.find("input", attrs={"name": areas[2], "checked": True})["value"] == "3"
    check = client_request.get("/fieldwork/readings/record/check")
    assert normalize_spaces(check.select_one("h1").text) == "Check the reading before saving it"
    values = [normalize_spaces(v.text) for v in check.select(".govuk-summary-list__value")]
    assert values[0] == "2 March 2026"
    assert values[1].startswith("1: ") and values[8].startswith("8: ")
    change = check.select(".govuk-summary-list__actions a")[2]["href"]
    assert change == "/fieldwork/readings/record/areas/2?from=check"
    response = client_request.post(change, {areas[1]: "9"})
    assert response.headers["Location"] == "/fieldwork/readings/record/check"
    response = client_request.post("/fieldwork/readings/record/check", {"note": "Good session"})
    reading = db.session.scalar(select(Reading))
    assert reading.scores[areas[1]] == 9 and reading.scores[areas[2]] == 3
    assert reading.note == "Good session" and str(reading.taken_on) == "2026-03-02"


def test_the_check_page_sends_back_to_the_first_area_without_a_score(
    app, client_request, make_user, sign_in, demo
):
    sign_in(make_user("key_worker"))
    areas = wheel(app).star.areas
    start(client_request, demo["wemwbs"].service_id)
    client_request.post("/fieldwork/readings/record", {"taken_on": ["1", "3", "2026"]})
    client_request.post("/fieldwork/readings/record/areas/1", {areas[0]: "5"})
    response = client_request.get("/fieldwork/readings/record/check", expected_status=302)
    assert response.headers["Location"] == "/fieldwork/readings/record/areas/2"


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
