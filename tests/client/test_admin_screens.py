"""An admin sets up a provider, a service and a campaign through the screens."""

from sqlalchemy import select

from app.extensions import db
from app.models import Campaign, Contract, Provider, Service
from tests.support.campaigns import create_campaign
from tests.support.pages import normalize_spaces


def test_an_admin_sets_up_a_provider_service_and_licensed_campaign(
    client_request, make_user, sign_in
):
    sign_in(make_user("admin"))
    client_request.post("/admin/providers/new", {"name": "Northside Family Support"})
    provider = db.session.scalar(select(Provider))
    page = client_request.get("/admin/providers")
    assert "Northside Family Support" in page.text

    contract = Contract(reference="PS-9", title="Parenting support", provider=provider)
    db.session.add(contract)
    db.session.commit()
    client_request.post(
        "/admin/services/new",
        {"provider_id": provider.id, "name": "Parenting support", "contract_id": contract.id,
         "starts_on": ["1", "4", "2026"],
         "monitoring_interval_months": "3"},
    )  # fmt: skip
    service = db.session.scalar(select(Service))
    assert (service.contract_reference, service.monitoring_interval_months) == ("PS-9", 3)

    response = create_campaign(
        client_request,
        {"name": "Spring wellbeing", "service_id": service.id, "instrument": "wemwbs@1",
         "opens_on": ["1", "1", "2026"],
         "closes_on": ["31", "12", "2030"],
         "languages": ["en"], "links_over_time": "y"},
    )  # fmt: skip
    campaign = db.session.scalar(select(Campaign))
    assert response.headers["Location"] == f"/admin/campaigns/{campaign.id}"
    detail = f"/admin/campaigns/{campaign.id}"

    page = client_request.post(f"{detail}/open", {}, form_page=detail, expected_status=400)
    assert "Record the WEMWBS licence reference before opening" in page.text
    assert normalize_spaces(page.select_one("#campaign-status").text) == "Draft"

    client_request.post(f"{detail}/licence", {"licence_reference": "WEMWBS-77"})
    client_request.post(f"{detail}/open", {}, form_page=detail)
    page = client_request.get(detail)
    assert normalize_spaces(page.select_one("#campaign-status").text) == "Open"
    assert normalize_spaces(page.select_one("#licence-reference").text) == "WEMWBS-77"

    qr = client_request.get(f"{detail}/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    assert "attachment" in qr.headers["Content-Disposition"]
    respondent_page = client_request.get(f"/s/{campaign.token}")
    assert respondent_page.h1 is not None


def test_campaign_form_errors_are_listed_and_nothing_is_created(
    client_request, make_user, sign_in, demo
):
    sign_in(make_user("coordinator"))
    page = create_campaign(
        client_request,
        {"name": "", "service_id": demo["wemwbs"].service_id, "instrument": "wemwbs@1",
         "opens_on": ["1", "6", "2027"],
         "closes_on": ["1", "1", "2027"],
         "languages": ["en"]},
        expected_status=400,
    )  # fmt: skip
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Enter a name for the campaign" in summary
    assert "The close date must be on or after the open date" in summary
    assert len(db.session.scalars(select(Campaign)).all()) == 3


def test_a_coordinator_runs_campaigns_but_cannot_manage_users(client_request, make_user, sign_in):
    sign_in(make_user("coordinator"))
    client_request.get("/admin/campaigns")
    client_request.get("/admin/instruments", follow_redirects=True)
    client_request.get("/admin/users", expected_status=403)


def test_a_provider_account_must_name_its_provider(client_request, make_user, sign_in):
    sign_in(make_user("admin"))
    page = client_request.post(
        "/admin/users/new",
        {"name": "Pat", "email": "pat@example.org", "roles": ["provider"], "provider_id": "0"},
        expected_status=200,
    )
    assert "Choose the provider this account belongs to" in page.text
