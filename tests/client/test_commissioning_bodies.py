"""Admins manage their own commissioning bodies and people; two councils on one deployment
never see each other's services in campaigns, visits or readings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Campaign, CommissioningBody, Contract, User, Visit
from tests.support.campaigns import create_campaign
from tests.support.commissioning import add_body, add_provider, two_councils
from tests.support.pages import normalize_spaces


def errors_of(page) -> list[str]:
    return [normalize_spaces(a.text) for a in page.select(".govuk-error-summary__list a")]


def test_the_first_body_is_added_by_any_admin_and_takes_on_existing_contracts(
    client_request, make_user, sign_in
):
    admin = make_user("admin")
    provider = add_provider("Riverside Youth Trust", "Drop-in")
    db.session.add(Contract(reference="OLD-1", title="Before bodies", provider=provider))
    db.session.commit()
    sign_in(admin)
    page = client_request.get("/admin/bodies")
    assert "There is no commissioning body yet" in page.text
    page = client_request.post("/admin/bodies/new", {"name": "", "kind": "county"}, 400)
    assert errors_of(page) == [
        "Enter the body's name",
        "Choose a council, a health partner or a partnership",
    ]
    response = client_request.post(
        "/admin/bodies/new", {"name": "Northshire County Council", "kind": "council"}
    )
    body = db.session.scalar(select(CommissioningBody))
    assert response.headers["Location"] == f"/admin/bodies/{body.id}"
    assert [m.email for m in body.members] == [admin.email]
    assert [c.reference for c in body.contracts] == ["OLD-1"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "body_created"))
    assert event.detail["contracts_taken_on"] == ["OLD-1"]

    # A second body, a partnership, by an admin who already belongs to one.
    client_request.post("/admin/bodies/new", {"name": "Coast Partnership", "kind": "partnership"})
    page = client_request.get("/admin/bodies")
    assert [normalize_spaces(a.text) for a in page.select("tbody a")] == [
        "Coast Partnership",
        "Northshire County Council",
    ]
    page = client_request.post(
        "/admin/bodies/new", {"name": "northshire county council", "kind": "council"}, 400
    )
    assert errors_of(page) == ["There is already a body with this name"]


def test_an_admin_in_no_body_cannot_add_one_once_bodies_exist(client_request, make_user, sign_in):
    two_councils(make_user)
    outsider = make_user("admin", email="outsider@example.org")
    sign_in(outsider)
    page = client_request.get("/admin/bodies")
    assert "You do not belong to a commissioning body" in page.text
    assert not page.select("tbody tr")
    client_request.get("/admin/bodies/new", expected_status=403)
    client_request.post(
        "/admin/bodies/new",
        {"name": "Sneaky Council", "kind": "council"},
        form_page="/admin/bodies",
        expected_status=403,
    )
    assert db.session.scalar(select(CommissioningBody).filter_by(name="Sneaky Council")) is None


def test_an_admin_manages_only_their_own_bodies(client_request, make_user, sign_in):
    north, south = two_councils(make_user)
    sign_in(north.admin)
    page = client_request.get("/admin/bodies")
    assert "Southvale" not in page.text
    client_request.get(f"/admin/bodies/{south.body.id}", expected_status=404)
    for path, data in (
        (f"/admin/bodies/{south.body.id}", {"name": "Taken over", "kind": "council"}),
        (f"/admin/bodies/{south.body.id}/members", {"member-user_id": str(north.admin.id)}),
        (f"/admin/bodies/{south.body.id}/members/{south.admin.id}/remove", {}),
    ):
        client_request.post(path, data, form_page="/admin/bodies", expected_status=404)
    db.session.refresh(south.body)
    assert south.body.name == "Southvale Borough Council"
    assert north.admin not in south.body.members
    assert south.admin in south.body.members

    client_request.post(
        f"/admin/bodies/{north.body.id}", {"name": "Northshire Council", "kind": "council"}
    )
    db.session.refresh(north.body)
    assert north.body.name == "Northshire Council"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "body_saved"))


def test_members_are_added_and_removed_and_a_body_keeps_an_admin(
    client_request, make_user, sign_in
):
    admin = make_user("admin", email="admin@example.org")
    body = add_body("Northshire County Council", admin)
    commissioner = make_user("commissioner", email="new@example.org")
    provider = add_provider("Riverside Youth Trust")
    provider_person = make_user("provider", provider=provider, email="pat@example.org")
    sign_in(admin)
    edit = f"/admin/bodies/{body.id}"
    page = client_request.get(edit)
    offered = [o.text for o in page.select("#member-user_id option")]
    assert any("new@example.org" in text for text in offered)
    assert not any(provider_person.email in text for text in offered)
    page = client_request.post(
        f"{edit}/members", {"member-user_id": str(provider_person.id)}, 400, form_page=edit
    )
    assert errors_of(page) == ["Choose a commissioner, coordinator or admin from the list"]
    client_request.post(f"{edit}/members", {"member-user_id": str(commissioner.id)}, form_page=edit)
    db.session.refresh(body)
    assert {m.email for m in body.members} == {"admin@example.org", "new@example.org"}
    client_request.post(f"{edit}/members/{admin.id}/remove", {}, form_page=edit)
    page = client_request.get(edit)
    assert "is the only admin of Northshire County Council" in page.text
    client_request.post(f"{edit}/members/{commissioner.id}/remove", {}, form_page=edit)
    db.session.refresh(body)
    assert [m.email for m in body.members] == ["admin@example.org"]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"body_member_added", "body_member_removed"} <= actions


def test_the_user_form_offers_the_admins_own_bodies(client_request, make_user, sign_in):
    north, south = two_councils(make_user)
    sign_in(north.admin)
    page = client_request.get("/admin/users/new")
    labels = [normalize_spaces(label.text) for label in page.select("label")]
    assert "Northshire County Council" in labels and "Southvale Borough Council" not in labels
    user = {"name": "Nia New", "email": "nia@example.org", "roles": ["commissioner"],
            "provider_id": "0", "active": "y"}  # fmt: skip
    page = client_request.post("/admin/users/new", user, 200)
    assert errors_of(page) == ["Choose the commissioning body this person works for"]
    page = client_request.post("/admin/users/new", {**user, "bodies": [str(south.body.id)]}, 200)
    assert errors_of(page) == ["Choose only commissioning bodies you belong to"]
    page = client_request.post(
        "/admin/users/new",
        {**user, "roles": ["key_worker"], "bodies": [str(north.body.id)]},
        200,
    )
    assert errors_of(page) == [
        "Only commissioners, coordinators and admins belong to a commissioning body"
    ]
    client_request.post("/admin/users/new", {**user, "bodies": [str(north.body.id)]}, 200)
    nia = db.session.scalar(select(User).filter_by(email="nia@example.org"))
    assert [b.name for b in nia.bodies] == ["Northshire County Council"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_bodies_changed"))


def test_an_admin_cannot_change_or_take_over_another_councils_people(
    client_request, make_user, sign_in
):
    north, south = two_councils(make_user)
    sign_in(north.admin)
    page = client_request.get("/admin/users")
    assert "south-commissioner@example.org" not in page.text
    assert "north-commissioner@example.org" in page.text
    client_request.get(f"/admin/users/{south.commissioner.id}", expected_status=404)
    for path in ("password-link", "sign-out-everywhere"):
        client_request.post(
            f"/admin/users/{south.commissioner.id}/{path}",
            {},
            form_page="/admin/users/new",
            expected_status=404,
        )
    # Nor make an API token in their name, which would read that council's evidence.
    client_request.get(f"/admin/users/{south.commissioner.id}/api-tokens", expected_status=404)
    client_request.post(
        f"/admin/users/{south.commissioner.id}/api-tokens/new",
        {"name": "Power BI"},
        form_page="/admin/users/new",
        expected_status=404,
    )
    client_request.get(f"/admin/users/{north.commissioner.id}")
    client_request.get(f"/admin/users/{north.commissioner.id}/api-tokens")


def test_users_create_puts_a_commissioner_in_a_body(app, runner, make_user):
    add_body("Northshire County Council")
    result = runner.invoke(
        args=["users", "create", "--email", "cc@example.org", "--name", "Chris",
              "--role", "commissioner", "--body", "Northshire County Council"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Commissioning bodies: Northshire County Council" in result.output
    user = db.session.scalar(select(User).filter_by(email="cc@example.org"))
    assert [b.name for b in user.bodies] == ["Northshire County Council"]
    result = runner.invoke(
        args=["users", "create", "--email", "x@example.org", "--name", "X",
              "--role", "commissioner", "--body", "Nowhere"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "No commissioning body called 'Nowhere'" in result.output
    result = runner.invoke(
        args=["users", "create", "--email", "k@example.org", "--name", "K",
              "--role", "key_worker", "--body", "Northshire County Council"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "Only commissioners, coordinators and admins" in result.output


def _campaign(service, name):
    campaign = Campaign(
        name=name,
        service=service,
        instrument_id="wemwbs",
        instrument_version=1,
        opens_on=date(2026, 4, 1),
        closes_on=date(2027, 3, 31),
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign


def test_campaigns_and_their_forms_show_only_the_councils_own_services(
    client_request, make_user, sign_in
):
    north, south = two_councils(make_user)
    _campaign(north.service, "North wellbeing")
    theirs = _campaign(south.service, "South wellbeing")
    for person in (north.coordinator, north.admin):
        sign_in(person)
        page = client_request.get("/admin/campaigns")
        assert "North wellbeing" in page.text and "South wellbeing" not in page.text
        page = client_request.post(
            "/admin/campaigns/new/details",
            {"instrument": "wemwbs@1"},
            expected_status=200,
            form_page="/admin/campaigns/new",
        )
        options = [o.text for o in page.select("#service_id option")]
        assert any("North Drop-in" in text for text in options)
        assert not any("South Drop-in" in text for text in options)
        client_request.get(f"/admin/campaigns/{theirs.id}", expected_status=404)
        client_request.get(f"/admin/campaigns/{theirs.id}/consent", expected_status=404)
    page = create_campaign(
        client_request,
        {"name": "Sneaky", "service_id": str(south.service.id), "instrument": "wemwbs@1",
         "opens_on": ["1", "1", "2026"], "closes_on": ["31", "12", "2026"],
         "languages": ["en"]},
        expected_status=400,
    )  # fmt: skip
    assert db.session.scalar(select(Campaign).filter_by(name="Sneaky")) is None
    # An admin's service list holds their bodies' services and those under no contract.
    page = client_request.get("/admin/services")
    assert "North Drop-in" in page.text and "South Drop-in" not in page.text
    client_request.get(f"/admin/services/{south.service.id}", expected_status=404)


def test_visits_and_reading_services_show_only_the_councils_own_services(
    client_request, make_user, sign_in
):
    north, south = two_councils(make_user)
    visits = []
    for council in (north, south):
        visit = Visit(
            service=council.service,
            kind="known",
            channel="visit",
            visit_on=date(2027, 3, 14),
            framework_id="young-inspectors-framework",
            framework_version=1,
            created_by=council.coordinator,
        )
        db.session.add(visit)
        visits.append(visit)
    db.session.commit()
    sign_in(north.coordinator)
    page = client_request.get("/fieldwork/visits")
    assert "North Drop-in" in page.text and "South Drop-in" not in page.text
    client_request.get(f"/fieldwork/visits/{visits[0].id}")
    client_request.get(f"/fieldwork/visits/{visits[1].id}", expected_status=404)
    page = client_request.get("/fieldwork/visits/new")
    assert "North Drop-in" in page.text and "South Drop-in" not in page.text
    for person in (north.coordinator, north.admin):
        sign_in(person)
        page = client_request.get("/fieldwork/readings/new")
        options = [o.text for o in page.select("#service_id option")]
        assert any("North Drop-in" in text for text in options)
        assert not any("South Drop-in" in text for text in options)


def test_a_coordinator_whose_bodies_cover_no_service_is_told_why_before_a_campaign(
    client_request, make_user, sign_in
):
    two_councils(make_user)
    coordinator = make_user("coordinator", email="new-coordinator@example.org")
    add_body("Eastmoor District Council", coordinator)
    sign_in(coordinator)
    response = client_request.get("/admin/campaigns/new", expected_status=302)
    assert response.headers["Location"] == "/admin/campaigns"
    page = client_request.get("/admin/campaigns")
    assert "None of your commissioning bodies' contracts covers a service yet" in page.text
    assert "North Drop-in" not in page.text
