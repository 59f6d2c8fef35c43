"""A respondent's steps through a campaign over the test client: addresses, agreeing,
starting, answering a page, and a valid answer to any kind of question."""

from __future__ import annotations

from app.models import Campaign


def url(campaign: Campaign, path: str = "") -> str:
    return f"/s/{campaign.token}{path}"


def answer_page(client_request, campaign, page, values, expected_status=302, extra=None):
    data = dict(values)
    data.update(extra or {})
    return client_request.post(
        url(campaign, f"/questions/{page}"), data, expected_status=expected_status
    )


def agree(client_request, campaign, age_band="16_17"):
    """Take part: choose an age band first where the campaign asks one (16 to 17 by default,
    old enough to agree for oneself), then agree."""
    if campaign.asks_age_band:
        client_request.post(url(campaign, "/age"), {"age_band": age_band})
    client_request.post(url(campaign, "/consent"), {"consent": "yes"})


def begin(client_request, campaign, code=None):
    agree(client_request, campaign)
    if campaign.links_over_time:
        data = {"has_code": "yes", "code": code} if code else {"has_code": "no"}
        client_request.post(url(campaign, "/code"), data)


def instrument_of(app, campaign):
    return app.extensions["instruments"].get(campaign.instrument_id, campaign.instrument_version)


def a_valid_answer(item):
    if item.kind == "multiple_choice":
        return list(item.values[:2])
    if item.kind == "rating_scale":
        return str(item.max)
    if item.kind in ("single_choice", "yes_no"):
        return item.values[0]
    if item.kind == "short_text":
        return "  Friendly staff  "
    return "More trips, please.\nAnd longer opening hours."


def answer_and_send(client_request, campaign, app, expected_status=302):
    """From after consent: no code from last time, answer every page, send."""
    instrument = instrument_of(app, campaign)
    if campaign.links_over_time:
        client_request.post(url(campaign, "/code"), {"has_code": "no"})
    for page in range(1, instrument.page_count + 1):
        answer_page(
            client_request, campaign, page, {item.id: "3" for item in instrument.page_items(page)}
        )
    return client_request.post(url(campaign, "/check"), {}, expected_status=expected_status)
