"""Contract measures: each period's value, status and reason, as a commissioner reads them
from `contracts status`, and who may see which contract."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app import scope
from app.extensions import db
from app.models import Contract, ContractMeasure, Provider, Service, User
from app.monitoring import library, status
from app.monitoring.returns_due import overdue_returns
from tests.support.evidence import _campaigns, respond


def invoke(runner, *args):
    return runner.invoke(args=list(args), catch_exceptions=False)


def _demo(runner):
    result = invoke(runner, "demo", "load")
    assert result.exit_code == 0, result.output
    return {c.reference: c for c in db.session.scalars(select(Contract))}


def test_the_demo_has_a_contract_meeting_its_targets_one_not_and_one_with_a_late_return(
    runner, app
):
    contracts = _demo(runner)
    result = invoke(runner, "contracts", "status", "--format", "json")
    rows = {row["contract"]: row for row in json.loads(result.output)}
    assert set(rows) == {"CYP-2026-014", "HFS-2025-007", "MCS-2026-003"}

    riverside = {m["measure"]: m for m in rows["CYP-2026-014"]["measures"]}
    assert riverside["median-wait"]["status"] == "met"
    assert riverside["median-wait"]["reason"].startswith("12 days against a target of 21 days")
    assert not [m for m in riverside.values() if m["status"] in ("not_met", "close")]

    harbour = {m["measure"]: m for m in rows["HFS-2025-007"]["measures"]}
    assert harbour["share-of-referrals-seen"]["status"] == "not_met"
    assert harbour["share-of-referrals-seen"]["reason"] == (
        "49% against a target of 80%; 31 points below."
    )
    assert harbour["median-wait"]["value"] == 49

    assert overdue_returns(contracts["MCS-2026-003"])
    assert not overdue_returns(contracts["CYP-2026-014"])
    # No young person answered the demo's other providers: their scale has no figure.
    assert harbour["wemwbs-mean"]["status"] == "no_data"
    assert harbour["wemwbs-mean"]["value"] is None


def test_a_commissioner_of_one_council_sees_only_that_councils_contracts(runner, app):
    _demo(runner)
    people = {u.email: u for u in db.session.scalars(select(User))}

    def seen(email):
        return {c.reference for c in scope.visible_contracts(people[email])}

    assert seen("commissioner@example.org") == {"CYP-2026-014", "HFS-2025-007"}
    assert seen("southvale@example.org") == {"CYP-2026-014", "MCS-2026-003"}
    assert seen("provider@example.org") == {"CYP-2026-014"}
    assert seen("harbour@example.org") == {"HFS-2025-007"}
    assert seen("admin@example.org") == {"CYP-2026-014", "HFS-2025-007", "MCS-2026-003"}
    meadow = db.session.scalar(select(Service).filter_by(name="Young people's counselling"))
    assert not scope.can_see_service(people["commissioner@example.org"], meadow.id)
    assert scope.can_see_service(people["southvale@example.org"], meadow.id)


def test_another_councils_service_is_not_found_on_the_evidence_pages(runner, app, sign_in):
    _demo(runner)
    meadow = db.session.scalar(select(Service).filter_by(name="Young people's counselling"))
    harbour = db.session.scalar(select(Provider).filter_by(name="Harbour Family Support"))
    commissioner = db.session.scalar(select(User).filter_by(email="southvale@example.org"))
    commissioner.set_password("correct horse battery")
    db.session.commit()
    client = sign_in(commissioner)
    assert client._send("get", f"/evidence/services/{meadow.id}").status_code == 200
    index = client.get("/evidence/")
    assert "Young people's counselling" in index.text
    assert "Harbour Family Support" not in index.text
    for path in (
        f"/evidence/providers/{harbour.id}",
        f"/evidence/services/{harbour.services[0].id}",
    ):
        assert client._send("get", path).status_code == 404, path


def _contract_with(app, measure_key, target, tolerance, people, score=50):
    library.sync_library()
    provider = Provider(name="Northside Trust")
    contract = Contract(
        reference="NT-1",
        title="Wellbeing",
        provider=provider,
        starts_on=date(2026, 4, 1),
        monitoring_interval_months=3,
    )
    service = Service(
        provider=provider,
        contract=contract,
        name="Youth counselling",
        starts_on=date(2026, 4, 1),
        monitoring_interval_months=3,
    )
    db.session.add_all([provider, contract, service])
    db.session.flush()
    campaign = _campaigns(service, ["wemwbs"])["wemwbs"]
    for _ in range(people):
        respond(app, campaign, score)
    contract.measures.append(
        ContractMeasure(
            measure=library.measure_by_key(measure_key), target=target, tolerance=tolerance
        )
    )
    db.session.commit()
    return contract


APRIL_TO_JUNE = date(2026, 7, 15)  # "today": April to June 2026 is the latest complete period


@pytest.mark.parametrize(
    ("target", "tolerance", "expected", "reason"),
    [
        (48, 1, "met", "50.0 against a target of 48.0; 2.0 above."),
        (51, 2, "close", "50.0 against a target of 51.0; 1.0 below, within the tolerance of 2.0."),
        (55, 2, "not_met", "50.0 against a target of 55.0; 5.0 below."),
    ],
)
def test_a_scale_mean_is_judged_against_its_target_in_words(
    app, target, tolerance, expected, reason
):
    contract = _contract_with(app, "wemwbs-mean", target, tolerance, people=12)
    results = status.refresh(contract, APRIL_TO_JUNE)
    (result,) = [r for (_, p), r in results.items() if p.start == date(2026, 4, 1)]
    assert (result.status, result.reason) == (expected, reason)


def test_a_scale_mean_about_fewer_than_ten_people_has_no_status(app):
    contract = _contract_with(app, "wemwbs-mean", 45, 2, people=9)
    results = status.refresh(contract, APRIL_TO_JUNE)
    (result,) = [r for (_, p), r in results.items() if p.start == date(2026, 4, 1)]
    assert result.status == "no_data"
    assert result.suppressed and result.value is None
    assert result.reason.startswith("Hidden: based on fewer than 10 people")


def test_lower_is_better_measures_read_the_right_way_round(app):
    library.sync_library()
    wait = library.measure_by_key("median-wait")
    assert status.judge(wait, 21, 7, status.Value(12.0)) == (
        "met",
        "12 days against a target of 21 days; 9 days below.",
    )
    assert status.judge(wait, 21, 7, status.Value(25.0))[0] == "close"
    assert status.judge(wait, 21, 7, status.Value(29.0)) == (
        "not_met",
        "29 days against a target of 21 days; 8 days above.",
    )
    assert status.judge(wait, 21, 7, status.Value(None, missing="No return yet."))[0] == ("no_data")
