"""The read-only API as Power BI or Excel Power Query reads it: signed in by a bearer token
alone, the same contracts, statuses and evidence figures as the pages and
`contracts status`, the same scope and small-number rules, JSON errors, every call audited."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.evidence.tables import format_cell
from app.extensions import db
from app.models import AuditEvent, Contract, ContractMeasure, Provider, Service
from app.models.timeutil import uk_today
from app.monitoring import library, status
from tests.support.api import call, load_demo, token_by_command
from tests.support.evidence import _campaigns, respond
from tests.support.pages import normalize_spaces

NORTHSHIRE_ONLY = "HFS-2025-007"
SOUTHVALE_ONLY = "MCS-2026-003"
SHARED = "CYP-2026-014"


def get_json(client, path, token, expected=200):
    response = call(client, path, token)
    assert response.status_code == expected, (path, response.status_code, response.text[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def every_row(client, path, token) -> list[dict]:
    """All pages of a list, followed by `next` as Power Query would."""
    rows, address = [], path
    while address:
        page = get_json(client, address, token)
        rows.extend(page["data"])
        address = page["next"]
    return rows


@pytest.fixture
def demo_tokens(app, runner):
    load_demo(runner)
    return {
        email: token_by_command(runner, email)
        for email in (
            "admin@example.org",
            "commissioner@example.org",
            "southvale@example.org",
            "provider@example.org",
        )
    }


# --- Signing in ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "Send an API token in the Authorization header"),
        ("Bearer hys_not-a-real-token", "This API token is not recognised."),
        ("Basic dXNlcjpwYXNz", "Send an API token in the Authorization header"),
    ],
)
def test_a_call_without_a_usable_token_is_refused_in_json(client, app, header, message):
    for path in ("/api/v1/contracts", "/api/v1/statuses", "/api/v1/contracts/CYP-1"):
        headers = {"Authorization": header} if header else {}
        response = call(client, path, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["message"].startswith(message)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_not_enough_without_a_token(client_request, make_user, sign_in):
    sign_in(make_user("admin"))
    response = client_request._send("get", "/api/v1/contracts")
    assert response.status_code == 401 and response.mimetype == "application/json"


def test_the_api_only_reads(client, app, runner, make_user):
    token = token_by_command(runner, make_user("admin").email)
    for method in ("post", "put", "patch", "delete", "options"):
        response = call(client, "/api/v1/contracts", token, method=method)
        assert response.status_code == 405, method
        assert response.get_json()["message"] == "This API is read only: use GET."
        assert response.headers["Allow"] == "GET, HEAD"


def test_an_unknown_address_is_a_json_404_and_no_cookie_is_ever_set(client, app, runner, make_user):
    token = token_by_command(runner, make_user("admin").email)
    response = call(client, "/api/v1/no-such-thing", token)
    assert response.status_code == 404 and "message" in response.get_json()
    response = call(client, "/api/v1/contracts", token)
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("page", ["0", "abc", "-1", "9" * 30])
def test_a_bad_page_number_is_refused_naming_the_field(client, app, runner, make_user, page):
    token = token_by_command(runner, make_user("admin").email)
    body = get_json(client, f"/api/v1/statuses?page={page}", token, expected=400)
    assert body["field"] == "page" and "whole number" in body["message"]


# --- Scope ---------------------------------------------------------------------------------


def test_each_token_sees_only_its_owners_contracts(client, demo_tokens):
    def references(email):
        token = demo_tokens[email]
        listed = {c["reference"] for c in every_row(client, "/api/v1/contracts", token)}
        in_table = {r["contract"] for r in every_row(client, "/api/v1/statuses", token)}
        assert in_table == listed
        return listed

    assert references("southvale@example.org") == {SHARED, SOUTHVALE_ONLY}
    assert references("commissioner@example.org") == {SHARED, NORTHSHIRE_ONLY}
    assert references("provider@example.org") == {SHARED}
    assert references("admin@example.org") == {SHARED, NORTHSHIRE_ONLY, SOUTHVALE_ONLY}

    southvale = demo_tokens["southvale@example.org"]
    refused = get_json(client, f"/api/v1/contracts/{NORTHSHIRE_ONLY}", southvale, 404)
    assert NORTHSHIRE_ONLY in refused["message"]
    harbour = db.session.scalar(select(Contract).filter_by(reference=NORTHSHIRE_ONLY))
    for service in harbour.services:
        get_json(client, f"/api/v1/evidence/services/{service.id}", southvale, 404)
    meadow = db.session.scalar(select(Contract).filter_by(reference=SOUTHVALE_ONLY))
    get_json(client, f"/api/v1/evidence/services/{meadow.services[0].id}", southvale)


def test_a_contract_lists_its_provider_bodies_services_dates_and_risk(client, demo_tokens):
    contract = db.session.scalar(select(Contract).filter_by(reference=SOUTHVALE_ONLY))
    body = get_json(
        client, f"/api/v1/contracts/{SOUTHVALE_ONLY}", demo_tokens["southvale@example.org"]
    )
    assert body["title"] == contract.title
    assert body["provider"] == {"id": contract.provider.id, "name": "Meadow Counselling Service"}
    assert [b["name"] for b in body["bodies"]] == ["Southvale Borough Council"]
    assert [s["name"] for s in body["services"]] == [s.name for s in contract.services]
    assert body["starts_on"] == contract.starts_on.isoformat()
    assert body["risk"] == contract.risk
    assert body["last_reviewed_on"] == contract.last_reviewed_on.isoformat()


# --- The same figures as the pages and `contracts status` -----------------------------------


def test_the_statuses_are_the_ones_contracts_status_reports(client, runner, demo_tokens):
    result = runner.invoke(args=["contracts", "status", "--format", "json"])
    command = json.loads(result.output)
    rows = every_row(client, "/api/v1/statuses", demo_tokens["admin@example.org"])
    latest = {(r["contract"], r["measure"]): r for r in rows if r["latest"]}
    compared = 0
    for contract in command:
        for measure in contract["measures"]:
            row = latest.pop((contract["contract"], measure["measure"]))
            period = measure["period"] or {"start": None, "end": None}
            assert (
                row["value"],
                row["target"],
                row["tolerance"],
                row["status"],
                row["reason"],
                row["period_start"],
                row["period_end"],
                row["provider"],
                row["risk"],
            ) == (
                measure["value"],
                measure["target"],
                measure["tolerance"],
                measure["status"],
                measure["reason"],
                period["start"],
                period["end"],
                contract["provider"],
                contract["risk"],
            )
            compared += 1
    assert latest == {} and compared >= 12
    # The demo's contracts meet, miss and lack their targets: all three come through.
    assert {r["status"] for r in rows} >= {"met", "not_met", "no_data"}


def test_a_contract_gives_each_measures_history_as_kept_for_the_pages(client, demo_tokens):
    contract = db.session.scalar(select(Contract).filter_by(reference=NORTHSHIRE_ONLY))
    body = get_json(
        client, f"/api/v1/contracts/{NORTHSHIRE_ONLY}", demo_tokens["commissioner@example.org"]
    )
    periods = status.complete_periods(contract)
    assert [p["start"] for p in body["periods"]] == [p.start.isoformat() for p in periods]
    kept = status.stored([contract])
    measures = {m["key"]: m for m in body["measures"]}
    assert set(measures) == {chosen.measure.key for chosen in contract.measures}
    for chosen in contract.measures:
        entry = measures[chosen.measure.key]
        assert (entry["target"], entry["tolerance"]) == (chosen.target, chosen.tolerance)
        assert entry["unit"] == chosen.measure.unit
        for result, period in zip(entry["results"], periods, strict=True):
            stored = kept[chosen.id, period.start]
            assert (result["status"], result["reason"]) == (stored.status, stored.reason)
    seen = measures["share-of-referrals-seen"]["results"][0]
    assert (seen["status"], seen["status_label"], seen["value_text"]) == (
        "not_met",
        "Not met",
        "49%",
    )
    assert seen["reason"] == "49% against a target of 80%; 31 points below."


def test_the_flat_table_comes_in_pages_that_join_up(client, demo_tokens, monkeypatch):
    from app.api import routes

    token = demo_tokens["admin@example.org"]
    whole = every_row(client, "/api/v1/statuses", token)
    monkeypatch.setattr(routes, "PAGE_SIZE", 7)
    first = get_json(client, "/api/v1/statuses", token)
    assert first["total"] == len(whole) and first["pages"] == -(-len(whole) // 7)
    assert len(first["data"]) == 7 and first["next"].endswith("/api/v1/statuses?page=2")
    assert every_row(client, "/api/v1/statuses", token) == whole
    beyond = get_json(client, f"/api/v1/statuses?page={first['pages'] + 1}", token)
    assert beyond["data"] == [] and beyond["next"] is None


# --- Small numbers ---------------------------------------------------------------------------


def _contract_with_people(app, people: int):
    """A contract on one service whose `people` young people answered WEMWBS (scoring 50) in
    its latest complete period. "Today" is the real today, so the period is worked out from
    it."""
    library.sync_library()
    today = uk_today()
    starts = date(today.year - 2, 4, 1)
    provider = Provider(name="Northside Trust")
    contract = Contract(
        reference="NT-1",
        title="Wellbeing",
        provider=provider,
        starts_on=starts,
        monitoring_interval_months=3,
    )
    service = Service(
        provider=provider,
        contract=contract,
        name="Youth counselling",
        starts_on=starts,
        monitoring_interval_months=3,
    )
    db.session.add_all([provider, contract, service])
    db.session.flush()
    latest = status.latest_complete_period(contract, today)
    campaign = _campaigns(service, ["wemwbs"])["wemwbs"]
    for _ in range(people):
        respond(app, campaign, 50, when=datetime(*latest.start.timetuple()[:3], 12))
    contract.measures.append(
        ContractMeasure(measure=library.measure_by_key("wemwbs-mean"), target=45, tolerance=2)
    )
    db.session.commit()
    return contract, service, latest


def _table(evidence: dict, key: str) -> dict:
    for section in evidence["sections"]:
        for table in section["tables"]:
            if table["key"] == key:
                return table
    raise AssertionError(f"no table {key}")


def test_figures_about_fewer_than_ten_people_come_out_as_suppressed(app, client, runner, make_user):
    _, service, period = _contract_with_people(app, people=9)
    token = token_by_command(runner, make_user("commissioner").email)

    body = get_json(client, "/api/v1/contracts/NT-1", token)
    (measure,) = body["measures"]
    latest = measure["results"][0]
    assert latest["period_start"] == period.start.isoformat()
    assert (latest["value"], latest["suppressed"], latest["status"]) == (
        "suppressed",
        True,
        "no_data",
    )
    assert latest["reason"].startswith("Hidden: based on fewer than 10 people")
    (row,) = [r for r in every_row(client, "/api/v1/statuses", token) if r["latest"]]
    assert (row["value"], row["value_text"], row["status"]) == ("suppressed", "", "no_data")

    evidence = get_json(
        client, f"/api/v1/evidence/services/{service.id}?period={period.start}", token
    )
    assert evidence["period"]["start"] == period.start.isoformat()
    # Nine people scoring 50: the evidence says what it leaves out, and neither number.
    method = dict((m["label"], m["value"]) for m in evidence["method"])
    assert "Warwick-Edinburgh Mental Wellbeing Scale" in method["Not shown"]
    for section in evidence["sections"]:
        for table in section["tables"]:
            for cells in table["rows"]:
                assert 9 not in cells[1:] and 50 not in cells[1:], (table["key"], cells)


def test_evidence_figures_are_the_ones_the_evidence_page_shows(
    app, client, runner, make_user, sign_in
):
    _, service, period = _contract_with_people(app, people=12)
    commissioner = make_user("commissioner")
    token = token_by_command(runner, commissioner.email)
    evidence = get_json(
        client, f"/api/v1/evidence/services/{service.id}?period={period.start}", token
    )
    assert _table(evidence, "responses")["rows"][1] == ["People", 12, "suppressed"]
    page = sign_in(commissioner).get(f"/evidence/services/{service.id}?period={period.start}")
    compared = 0
    for section in evidence["sections"]:
        for table in section["tables"]:
            shown = page.select_one(f"#table-{table['key']}")
            assert shown is not None, table["key"]
            on_page = [
                [normalize_spaces(c.text) for c in tr.select("th, td")]
                for tr in shown.select("tbody tr")
            ]
            kinds = [column["kind"] for column in table["columns"]]
            from_api = [
                [
                    "fewer than 10" if value == "suppressed" else format_cell(value, kind)
                    for value, kind in zip(cells, kinds, strict=True)
                ]
                for cells in table["rows"]
            ]
            assert from_api == on_page, table["key"]
            compared += 1
    assert compared >= 4 and "fewer than 10" in page.text


def test_a_period_that_is_not_a_date_or_has_not_started_is_refused(app, client, runner, make_user):
    _, service, _ = _contract_with_people(app, people=1)
    token = token_by_command(runner, make_user("admin").email)
    path = f"/api/v1/evidence/services/{service.id}"
    for asked in ("last-quarter", "2026-02-30"):
        body = get_json(client, f"{path}?period={asked}", token, expected=400)
        assert body["field"] == "period" and "YYYY-MM-DD" in body["message"]
    future = uk_today() + timedelta(days=200)
    body = get_json(client, f"{path}?period={future}", token, expected=400)
    assert body["message"] == "That period has not started yet."
    get_json(client, f"/api/v1/evidence/services/{service.id + 1000}", token, expected=404)


# --- Audit ---------------------------------------------------------------------------------


def test_every_call_allowed_or_refused_is_audited_with_the_prefix_never_the_token(
    client, app, runner, make_user
):
    owner = make_user("commissioner")
    token = token_by_command(runner, owner.email)
    calls = [
        ("/api/v1/contracts", token, 200),
        ("/api/v1/statuses?page=1", token, 200),
        ("/api/v1/contracts/NOPE", token, 404),
        ("/api/v1/contracts", None, 401),
        ("/api/v1/contracts", "hys_wrong", 401),
        ("/api/v1/openapi.json", None, 200),
    ]
    for path, presented, expected in calls:
        assert call(client, path, presented).status_code == expected
    assert call(client, "/api/v1/contracts", token, method="post").status_code == 405
    db.session.rollback()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api_call").order_by(AuditEvent.id)
    ).all()
    assert [(e.detail["path"], e.detail["status"]) for e in events] == [
        ("/api/v1/contracts", 200),
        ("/api/v1/statuses", 200),
        ("/api/v1/contracts/NOPE", 404),
        ("/api/v1/contracts", 401),
        ("/api/v1/contracts", 401),
        ("/api/v1/openapi.json", 200),
        ("/api/v1/contracts", 405),
    ]
    mine = [e for e in events if e.detail.get("prefix") == token[:12]]
    assert len(mine) == 4 and all(e.actor_user_id == owner.id for e in mine)
    assert events[1].detail["query"] == {"page": "1"}
    assert [e.detail.get("token") for e in events[3:6]] == ["none", "unknown", "none"]
    everything = json.dumps([[e.actor_label, e.detail] for e in events])
    assert token not in everything and "hys_wrong" not in everything


def test_a_nul_character_or_a_failure_on_our_side_still_answers_json_and_is_audited(
    client, app, runner, make_user, monkeypatch
):
    token = token_by_command(runner, make_user("admin").email)
    response = call(client, "/api/v1/statuses?page=1%00", token)
    assert response.status_code == 400
    assert "NUL character" in response.get_json()["message"]
    assert call(client, "/api/v1/contracts%00", token).status_code == 400

    from app.api import contracts

    def broken(user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(contracts, "visible", broken)
    response = call(client, "/api/v1/contracts", token)
    assert response.status_code == 500
    assert response.get_json()["message"] == "Something went wrong on our side. Try again later."
    assert "database went away" not in response.text
    db.session.rollback()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api_call").order_by(AuditEvent.id)
    ).all()
    assert [(e.detail["status"], e.detail.get("prefix")) for e in events] == [
        (400, token[:12]),
        (400, token[:12]),
        (500, token[:12]),
    ]
    assert events[1].detail["path"] == "/api/v1/contracts\N{REPLACEMENT CHARACTER}"
