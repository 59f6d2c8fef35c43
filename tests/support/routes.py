"""An address for any route, with sample values for its arguments: for walking every route
(the access policy test, the hostile input test)."""

from __future__ import annotations

SAMPLE_ARGUMENTS = {
    "page": 1,
    "kind": "svg",
    "filename": "dist/application.css",
    "code": "ABCD2345",
    "key": "outcomes-wheel@1",
    # Visits and reports: no such visit, so an allowed role gets 404 and a refused one 403.
    "visit_id": 1,
    "recommendation_id": 1,
    "fmt": "csv",
}


def sample_url(app, rule, demo, people):
    values = dict(SAMPLE_ARGUMENTS)
    campaign = demo["wemwbs"]
    values.update(
        token=campaign.token,
        campaign_id=campaign.id,
        service_id=campaign.service_id,
        provider_id=campaign.service.provider_id,
        user_id=people["admin"].id,
    )
    if rule.endpoint == "auth.set_password":
        values["token"] = "not-a-real-token"
    with app.test_request_context():
        from flask import url_for

        # Any other id names the first object of its kind (or none: the policy runs first).
        return url_for(rule.endpoint, **{k: values.get(k, 1) for k in rule.arguments})
