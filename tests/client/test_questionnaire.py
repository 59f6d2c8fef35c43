"""The project's own feedback questionnaire: every item kind, answered and stored."""

from sqlalchemy import select

from app.extensions import db
from app.models import Response
from tests.support.journey import a_valid_answer, begin, instrument_of, url
from tests.support.pages import normalize_spaces


def test_every_kind_of_question_is_answered_checked_and_stored(client_request, demo, app):
    campaign = demo["service-feedback"]
    instrument = instrument_of(app, campaign)
    kinds = {item.kind for item in instrument.items}
    assert kinds == {
        "single_choice", "multiple_choice", "rating_scale", "yes_no", "short_text", "long_text"
    }  # fmt: skip
    begin(client_request, campaign)
    expected = {}
    for page in range(1, instrument.page_count + 1):
        data = {item.id: a_valid_answer(item) for item in instrument.page_items(page)}
        client_request.post(url(campaign, f"/questions/{page}"), data)
        expected.update(data)

    check = client_request.get(url(campaign, "/check"))
    values = [normalize_spaces(dd.text) for dd in check.select(".govuk-summary-list__value")]
    assert "Friendly staff" in values
    client_request.post(url(campaign, "/check"), {})

    response = db.session.scalar(select(Response))
    for item in instrument.items:
        value = expected[item.id]
        stored = response.answers[item.id]
        assert stored == (value.strip() if isinstance(value, str) else value), item.id
    assert response.complete is True
    assert response.raw_score is None


def test_free_text_over_its_limit_is_refused_and_kept_on_screen(client_request, demo, app):
    campaign = demo["service-feedback"]
    instrument = instrument_of(app, campaign)
    begin(client_request, campaign)
    long_item = next(item for item in instrument.items if item.kind == "long_text")
    page_number = instrument.page_of(long_item.id)
    data = {item.id: a_valid_answer(item) for item in instrument.page_items(page_number)}
    data[long_item.id] = "a" * (long_item.max_length + 1)
    page = client_request.post(
        url(campaign, f"/questions/{page_number}"), data, expected_status=200
    )
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert f"{long_item.max_length:,}" in summary or str(long_item.max_length) in summary
    assert page.find("textarea", attrs={"name": long_item.id}).text.strip() == data[long_item.id]
