"""Commissioners set contracts up, choose measures and set targets, for their own bodies only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contract, ContractMeasure, Measure, MeasureResult, Service
from tests.support.commissioning import add_body, add_provider, two_councils
from tests.support.pages import normalize_spaces


def contract_data(**changes):
    data = {
        "reference": "CYP-2026-014",
        "title": "Early help for young people",
        "provider_id": "",
        "services": [],
        "bodies": [],
        "starts_on": ["1", "4", "2026"],
        "ends_on": ["31", "3", "2029"],
        "value_pounds": "£450,000",
        "monitoring_interval_months": "3",
        "risk": "high",
        "last_reviewed_on": ["14", "1", "2026"],
    }
    data.update(changes)
    return data


def errors_of(page) -> list[str]:
    return [normalize_spaces(a.text) for a in page.select(".govuk-error-summary__list a")]


def test_a_commissioner_adds_a_contract_and_its_services_take_its_dates(
    client_request, make_user, sign_in
):
    commissioner = make_user("commissioner")
    body = add_body("Northshire County Council", commissioner)
    provider = add_provider("Riverside Youth Trust", "Drop-in", "Counselling", "Not this one")
    drop_in, counselling = sorted(provider.services, key=lambda s: s.name)[:2]
    sign_in(commissioner)
    form = client_request.get("/contracts/new")
    assert "Northshire County Council" in form.text
    response = client_request.post(
        "/contracts/new",
        contract_data(
            provider_id=str(provider.id),
            services=[str(drop_in.id), str(counselling.id)],
            bodies=[str(body.id)],
        ),
    )
    contract = db.session.scalar(select(Contract))
    assert response.headers["Location"].startswith(f"/contracts/{contract.id}")
    assert (contract.reference, contract.title, contract.provider_id) == (
        "CYP-2026-014",
        "Early help for young people",
        provider.id,
    )
    assert [b.name for b in contract.bodies] == ["Northshire County Council"]
    assert (contract.value_pounds, contract.risk, contract.last_reviewed_on) == (
        450000,
        "high",
        date(2026, 1, 14),
    )
    for service in (drop_in, counselling):
        db.session.refresh(service)
        assert service.contract_id == contract.id
        assert (service.starts_on, service.ends_on, service.monitoring_interval_months) == (
            date(2026, 4, 1),
            date(2029, 3, 31),
            3,
        )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract_created"))
    assert event.detail["reference"] == "CYP-2026-014"

    # Changing the period moves the services' period grid with it, and a service let go
    # leaves the contract.
    client_request.post(
        f"/contracts/{contract.id}/edit",
        contract_data(
            provider_id=str(provider.id),
            services=[str(drop_in.id)],
            bodies=[str(body.id)],
            monitoring_interval_months="6",
            value_pounds="",
        ),
    )
    db.session.refresh(drop_in)
    db.session.refresh(counselling)
    assert drop_in.monitoring_interval_months == 6
    assert counselling.contract_id is None
    db.session.refresh(contract)
    assert contract.value_pounds is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract_saved"))


def test_each_problem_with_a_contract_is_named_on_its_field_and_nothing_is_saved(
    client_request, make_user, sign_in
):
    commissioner = make_user("commissioner")
    body = add_body("Northshire County Council", commissioner)
    ours = add_provider("Riverside Youth Trust", "Drop-in")
    theirs = add_provider("Harbour Family Support", "Family work")
    existing = Contract(reference="CYP-2026-014", title="Taken", provider=ours)
    existing.bodies = [body]
    db.session.add(existing)
    db.session.commit()
    sign_in(commissioner)
    page = client_request.post(
        "/contracts/new",
        contract_data(
            reference="cyp-2026-014",
            provider_id=str(ours.id),
            services=[str(theirs.services[0].id)],
            starts_on=["1", "4", "2026"],
            ends_on=["1", "3", "2026"],
            monitoring_interval_months="13",
            value_pounds="lots",
            risk="extreme",
            last_reviewed_on=["1", "1", "2099"],
        ),
        expected_status=400,
    )
    assert page.title.text.startswith("Error:")
    assert sorted(errors_of(page)) == sorted(
        [
            "Choose the commissioning body or bodies for this contract",
            "Family work is a service of Harbour Family Support, not of Riverside Youth Trust: "
            "choose only the provider's own services",
            "There is already a contract with this reference",
            "The end date must be after the start date",
            "Enter the value in whole pounds, like 450000",
            "The monitoring period must be between 1 and 12 months",
            "Choose the contract's risk: low, medium or high",
            "The last review date must be today or in the past",
        ]
    )
    # What was typed is shown again.
    assert page.select_one("#title")["value"] == "Early help for young people"
    assert db.session.scalar(select(Contract.id).where(Contract.title != "Taken")) is None
    assert theirs.services[0].contract_id is None

    page = client_request.post(
        "/contracts/new",
        {"reference": "", "title": "", "provider_id": "0", "monitoring_interval_months": ""},
        expected_status=400,
    )
    assert {
        "Enter the contract reference",
        "Enter the contract's title",
        "Choose the provider the contract is with",
        "Enter the date the contract starts",
        "Enter the date the contract ends",
        "Enter how many months each monitoring period lasts, from 1 to 12",
    } <= set(errors_of(page))


def test_a_commissioner_is_offered_only_their_own_bodies_and_free_services(
    client_request, make_user, sign_in
):
    north, south = two_councils(make_user)
    spare = Service(name="Spare Room", provider=north.service.provider)
    db.session.add(spare)
    db.session.commit()
    sign_in(north.commissioner)
    page = client_request.get("/contracts/new")
    text = page.text
    assert "Northshire County Council" in text and "Southvale" not in text
    # A service under another contract is not offered; a free one is.
    assert "South Drop-in" not in text and "Spare Room" in text
    page = client_request.post(
        "/contracts/new",
        contract_data(
            reference="NEW-1",
            provider_id=str(spare.provider_id),
            bodies=[str(south.body.id)],
            services=[str(south.service.id)],
        ),
        expected_status=400,
    )
    assert "Choose only your own commissioning bodies" in errors_of(page)
    assert "South Drop-in is already under contract SOUTH-1" in errors_of(page)


def test_nobody_sets_up_or_sees_the_setup_of_another_bodys_contract(
    client_request, make_user, sign_in
):
    north, south = two_councils(make_user)
    for person in (north.admin, north.commissioner):
        sign_in(person)
        for path in (
            f"/contracts/{south.contract.id}/edit",
            f"/contracts/{south.contract.id}/measures",
            f"/contracts/{south.contract.id}/measures/local",
        ):
            client_request.get(path, expected_status=404)
        client_request.post(
            f"/contracts/{south.contract.id}/edit",
            contract_data(provider_id=str(south.contract.provider_id)),
            form_page="/contracts/new",
            expected_status=404,
        )
        client_request.get(f"/contracts/{north.contract.id}/edit")
    db.session.refresh(south.contract)
    assert south.contract.title == "Contract SOUTH-1"
    # A coordinator reads evidence but does not set contracts up.
    sign_in(north.coordinator)
    client_request.get(f"/contracts/{north.contract.id}/edit", expected_status=403)


def test_someone_in_no_body_is_told_to_ask_for_one(client_request, make_user, sign_in):
    two_councils(make_user)
    loner = make_user("commissioner", email="loner@example.org")
    sign_in(loner)
    page = client_request.get("/contracts/new", expected_status=403)
    assert normalize_spaces(page.h1.text) == "You do not belong to a commissioning body"


def test_a_commissioner_chooses_library_measures_and_sets_targets(
    client_request, make_user, sign_in
):
    north, _ = two_councils(make_user)
    sign_in(north.commissioner)
    base = f"/contracts/{north.contract.id}/measures"
    page = client_request.get(base)
    headings = [normalize_spaces(h.text) for h in page.select("h3")]
    assert headings[:4] == [
        "Outcome measures",
        "Experience measures",
        "Output measures",
        "Process measures",
    ]
    row = next(
        tr
        for tr in page.select("tr")
        if "Share with a meaningful improvement in wellbeing (WEMWBS)" in tr.text
    )
    assert [normalize_spaces(td.text) for td in row.select("td")[1:4]] == [
        "National",
        "per cent",
        "Higher",
    ]
    measure = db.session.scalar(select(Measure).filter_by(key="wemwbs-meaningful-improvement"))
    add = f"{base}/add/{measure.id}"
    page = client_request.post(add, {"target": "120", "tolerance": "-5"}, expected_status=400)
    assert errors_of(page) == [
        "The target must be a percentage from 0 to 100",
        "The tolerance must be 0 or more",
    ]
    page = client_request.post(add, {"target": "sixty", "tolerance": ""}, expected_status=400)
    assert errors_of(page) == [
        "Enter the target as a number, like 60",
        "Enter the tolerance, as a number (0 for none)",
    ]
    assert db.session.scalar(select(ContractMeasure)) is None
    response = client_request.post(add, {"target": "60", "tolerance": "5"})
    assert response.headers["Location"] == base
    chosen = db.session.scalar(select(ContractMeasure))
    assert (chosen.measure_id, chosen.target, chosen.tolerance) == (measure.id, 60.0, 5.0)
    page = client_request.get(base)
    row = page.select_one("table tbody tr")
    assert [normalize_spaces(c.text) for c in row.select("th, td")][:4] == [
        "Share with a meaningful improvement in wellbeing (WEMWBS)",
        "Outcome, national; higher is better",
        "60%",
        "5 points",
    ]

    # A kept result is dropped when the target changes, so it is worked out again.
    db.session.add(
        MeasureResult(
            contract_measure_id=chosen.id,
            period_start=date(2026, 4, 1),
            period_end=date(2026, 6, 30),
            value=50.0,
            status="not_met",
            reason="50% against a target of 60%; 10 points below.",
        )
    )
    db.session.commit()
    edit = f"{base}/{chosen.id}"
    assert client_request.get(edit).select_one("#target")["value"] == "60"
    client_request.post(edit, {"target": "45", "tolerance": "0"})
    db.session.refresh(chosen)
    assert (chosen.target, chosen.tolerance) == (45.0, 0.0)
    assert db.session.scalar(select(MeasureResult)) is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"contract_measure_added", "contract_measure_changed"} <= actions

    client_request.post(f"{edit}/remove", {}, form_page=base)
    assert db.session.scalar(select(ContractMeasure)) is None
    assert "contract_measure_removed" in set(db.session.scalars(select(AuditEvent.action)))


def test_a_count_target_cannot_be_negative(client_request, make_user, sign_in):
    north, _ = two_councils(make_user)
    sign_in(north.commissioner)
    client_request.get(f"/contracts/{north.contract.id}/measures")
    measure = db.session.scalar(select(Measure).filter_by(key="median-wait"))
    page = client_request.post(
        f"/contracts/{north.contract.id}/measures/add/{measure.id}",
        {"target": "-3", "tolerance": "2"},
        expected_status=400,
    )
    assert errors_of(page) == ["The target must be 0 or more"]
    client_request.post(
        f"/contracts/{north.contract.id}/measures/add/{measure.id}",
        {"target": "28", "tolerance": "7"},
    )
    assert db.session.scalar(select(ContractMeasure.target)) == 28.0


def test_a_body_adds_its_own_local_measure_from_lists(client_request, make_user, sign_in):
    north, south = two_councils(make_user)
    sign_in(north.commissioner)
    local = f"/contracts/{north.contract.id}/measures/local"
    page = client_request.post(
        local,
        {"name": "", "kind": "output", "direction": "higher", "source": "return_ratio",
         "numerator": "people_seen", "denominator": "people_seen"},
        expected_status=400,
    )  # fmt: skip
    assert errors_of(page) == [
        "Enter a name for the measure",
        "Choose the commissioning body the measure belongs to",
        "Choose a different figure from the one above",
    ]
    response = client_request.post(
        local,
        {"name": "Share of appointments kept", "kind": "process", "direction": "higher",
         "source": "return_ratio", "body_id": str(north.body.id),
         "numerator": "missed_appointments", "denominator": "appointments_offered"},
    )  # fmt: skip
    measure = db.session.scalar(select(Measure).filter_by(name="Share of appointments kept"))
    assert (measure.body_id, measure.tag, measure.unit, measure.source) == (
        north.body.id,
        "local",
        "percent",
        "return_ratio",
    )
    assert measure.params == {
        "numerator": "missed_appointments",
        "denominator": "appointments_offered",
    }
    assert response.headers["Location"] == (
        f"/contracts/{north.contract.id}/measures/add/{measure.id}"
    )
    assert (
        "Share of appointments kept"
        in client_request.get(f"/contracts/{north.contract.id}/measures").text
    )

    # A questionnaire question: its answers are offered once the question is chosen.
    data = {"name": "Feel safe coming here", "kind": "experience", "direction": "higher",
            "source": "question_positive", "body_id": str(north.body.id),
            "question": "service-feedback:recommend"}  # fmt: skip
    page = client_request.post(local, data, expected_status=400)
    assert errors_of(page) == ["Choose the answers that count as positive"]
    offered = [box["value"] for box in page.select("input[name=positive]")]
    assert "yes" in offered
    client_request.post(local, {**data, "positive": ["yes"]})
    measure = db.session.scalar(select(Measure).filter_by(name="Feel safe coming here"))
    assert measure.params == {
        "instrument": "service-feedback",
        "item": "recommend",
        "positive": ["yes"],
    }
    assert "local_measure_added" in set(db.session.scalars(select(AuditEvent.action)))

    # Another council does not see or choose Northshire's local measure.
    sign_in(south.commissioner)
    assert (
        "Feel safe coming here"
        not in client_request.get(f"/contracts/{south.contract.id}/measures").text
    )
    client_request.get(
        f"/contracts/{south.contract.id}/measures/add/{measure.id}", expected_status=404
    )


def test_the_overview_and_contract_page_lead_to_setting_a_contract_up(app, runner, sign_in):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Contract, User

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    people = {u.email: u for u in db.session.scalars(select(User))}
    for person in people.values():
        person.set_password("correct horse battery")
    db.session.commit()
    riverside = db.session.scalar(select(Contract).filter_by(reference="CYP-2026-014"))
    client = sign_in(people["commissioner@example.org"])
    assert "Add a contract" in client.get("/contracts/").text
    page = client.get(f"/contracts/{riverside.id}")
    assert page.select_one(f'a[href="/contracts/{riverside.id}/edit"]') is not None
    assert page.select_one(f'a[href="/contracts/{riverside.id}/measures"]') is not None
    client.post("/sign-out", {}, form_page="/contracts/")
    provider = sign_in(people["provider@example.org"])
    assert "Add a contract" not in provider.get("/contracts/").text
    page = provider.get(f"/contracts/{riverside.id}")
    assert page.select_one(f'a[href="/contracts/{riverside.id}/edit"]') is None
