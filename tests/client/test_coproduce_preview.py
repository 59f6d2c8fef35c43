"""Previews of instruments: every page, in every language it has text in, as a respondent or
a panel member sees it, with nothing kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.instrument_store import StoreRefused, file_registry, save, start_from
from app.languages import language
from app.models import Draft, PanelRating, Response, StoredInstrument
from tests.support.pages import normalize_spaces

STARTERS = [
    "service-feedback@1",
    "young-inspectors-framework@1",
    "mystery-shop-checklist@1",
    "wemwbs@1",
    "swemwbs@1",
    "outcomes-wheel@1",
]


@pytest.fixture
def coordinator(make_user, sign_in):
    return sign_in(make_user("coordinator"))


def address(instrument_id, version, locale, page, query=""):
    return f"/instruments/{instrument_id}/{version}/preview/{locale}/{page}{query}"


def kept_rows() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Draft, Response, PanelRating, StoredInstrument)
    }


def words(element) -> str:
    return normalize_spaces(element.get_text(" "))


@pytest.mark.parametrize("key", STARTERS)
def test_every_page_previews_in_every_language_it_has(app, coordinator, key):
    instrument_id, version = key.split("@")
    instrument = file_registry().get(instrument_id, int(version))
    before = kept_rows()
    for locale in instrument.locales:
        direction = language(locale).direction
        for page in range(1, instrument.page_count + 1):
            url = address(instrument_id, version, locale, page)
            shown = coordinator.get(url)
            part = shown.find(id="preview")
            assert part is not None, url
            assert (part["lang"], part["dir"]) == (locale, direction), url
            # The staff frame around it stays English, and says nothing is kept.
            assert shown.find("html")["lang"] == "en"
            assert "Preview: nothing you enter is kept" in words(shown.find(id="preview-banner"))
            assert shown.find("h1").get_text(strip=True) == instrument.title(locale), url
            text = words(part)
            for item in instrument.page_items(page):
                field = part.find(id=item.id)
                assert field is not None, f"{url}: no field for {item.id}"
                assert normalize_spaces(instrument.item_text(item.id, locale)) in text, (
                    f"{url}: {item.id} not in {locale}"
                )
                for _value, label in instrument.option_choices(item.id, locale):
                    assert normalize_spaces(label) in text, f"{url}: option {label!r}"
            # The bare page a phone shows is wholly in the language, with its direction.
            bare = coordinator.get(url + "?frame=1")
            assert (bare.find("html")["lang"], bare.find("html")["dir"]) == (locale, direction)
            assert bare.find("h1").get_text(strip=True) == instrument.title(locale)
    assert kept_rows() == before


def test_the_pages_words_follow_the_language(app, coordinator):
    english = coordinator.get(address("service-feedback", 1, "en", 1))
    welsh = coordinator.get(address("service-feedback", 1, "cy", 1))
    arabic = coordinator.get(address("service-feedback", 1, "ar", 1))
    assert "Page 1 of 3" in words(english.find(id="preview"))
    assert "Page 1 of 3" not in words(welsh.find(id="preview"))
    assert words(welsh.find(id="preview-continue")) != "Continue"
    assert arabic.find(id="preview")["dir"] == "rtl"
    # The switcher offers each language the instrument has, named in itself.
    switcher = welsh.find("nav", class_="app-language-switcher")
    links = {a["lang"]: a for a in switcher.find_all("a")}
    assert len(links) == 10
    assert links["cy"].get("aria-current") == "true"
    assert links["ar"]["href"] == address("service-feedback", 1, "ar", 1)
    assert links["ar"]["dir"] == "rtl"


def test_previous_and_next_lead_through_the_pages(app, coordinator):
    first = coordinator.get(address("service-feedback", 1, "cy", 1))
    assert first.find(id="preview-continue")["href"] == address("service-feedback", 1, "cy", 2)
    pages = first.find("nav", class_="govuk-pagination")
    assert [a["href"] for a in pages.find_all("a", href=True)].count(
        address("service-feedback", 1, "cy", 2)
    ) >= 1
    last = coordinator.get(address("service-feedback", 1, "cy", 3))
    # The last page's Continue would send the answers: in a preview it does nothing.
    assert last.find(id="preview-continue").name == "button"
    assert last.find(id="preview-continue").has_attr("disabled")
    assert "This is the last page" in words(last.find(id="preview-buttons-note"))


def test_answering_a_preview_keeps_nothing(app, coordinator):
    before = kept_rows()
    page = coordinator.get(address("service-feedback", 1, "en", 1))
    form = page.find(id="preview").find("form")
    # The form goes nowhere but back to the preview, without a CSRF token to spend.
    assert form["method"] == "get"
    assert form["action"] == address("service-feedback", 1, "en", 1)
    for button in form.find_all("button"):
        assert button.has_attr("disabled")
    item = file_registry().get("service-feedback", 1).page_items(1)[0]
    value = item.values[0]
    again = coordinator.get(address("service-feedback", 1, "en", 1, f"?{item.id}={value}"))
    # Shown afresh: the answer is not remembered.
    assert not again.find(id="preview").find("input", attrs={"value": value, "checked": True})
    response = coordinator.client.post(address("service-feedback", 1, "en", 1), data={})
    assert response.status_code == 405
    rating = address("young-inspectors-framework", 1, "en", 1, "?listen_to_me=4")
    coordinator.get(rating)
    assert kept_rows() == before


def test_a_mystery_shop_shows_the_scenario_and_its_steps_in_the_language(app, coordinator):
    shop = file_registry().get("mystery-shop-checklist", 1)
    texts = shop.fieldwork_texts("cy")
    page = coordinator.get(address("mystery-shop-checklist", 1, "cy", 1))
    part = page.find(id="preview")
    assert normalize_spaces(texts.scenario) in words(part.find(id="scenario"))
    steps = [words(li) for li in part.find(id="scenario-steps").find_all("li")]
    assert steps == [normalize_spaces(texts.steps[s.id]) for s in shop.mystery_shop.steps]
    # Each checklist page says which step of the call it is about.
    second = coordinator.get(address("mystery-shop-checklist", 1, "cy", 2))
    assert normalize_spaces(texts.steps["make_the_call"]) in words(second.find(id="preview"))
    assert second.find(id="scenario") is None


def test_a_framework_page_shows_what_good_looks_like_in_the_language(app, coordinator):
    framework = file_registry().get("young-inspectors-framework", 1)
    texts = framework.fieldwork_texts("ar")
    page = coordinator.get(address("young-inspectors-framework", 1, "ar", 1))
    part = page.find(id="preview")
    details = part.find("details")
    assert words(details.find("summary")) == "What good looks like"
    assert details.find("summary").find(lang="en") is not None
    for point in texts.characteristics["listen_to_me"].good_looks_like:
        assert normalize_spaces(point) in words(details)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (address("service-feedback", 1, "fr", 1), "has no text in “fr”"),
        (address("service-feedback", 1, "cy", 4), "has 3 pages: there is no page 4"),
        (address("service-feedback", 1, "cy", 0), "there is no page 0"),
        (address("wemwbs", 1, "cy", 1), "It has text in English."),
        (address("service-feedback", 9, "en", 1), "no instrument service-feedback, version 9"),
        (address("no-such-thing", 1, "en", 1), "no instrument no-such-thing"),
    ],
)
def test_a_page_or_language_it_does_not_have_is_not_found(app, coordinator, url, message):
    page = coordinator.get(url, expected_status=404)
    assert message in words(page.find("main"))


def test_only_campaign_managers_preview(app, make_user, sign_in, client_request):
    url = address("service-feedback", 1, "en", 1)
    response = client_request.client.get(url)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    sign_in(make_user("commissioner")).get(url, expected_status=403)


def test_an_instrument_written_on_screen_previews_like_a_file(app, coordinator):
    document = start_from("young-inspectors-framework", 1, new_id="riverside-framework")
    document["version"] = 1
    document["texts"]["cy"]["title"] = "Fframwaith Glan yr Afon"
    save(document)
    db.session.commit()
    page = coordinator.get(address("riverside-framework", 1, "cy", 7))
    assert page.find("h1").get_text(strip=True) == "Fframwaith Glan yr Afon"
    assert page.find(id="preview")["lang"] == "cy"


def test_phone_width_holds_the_bare_page_in_a_titled_frame(app, coordinator):
    url = address("service-feedback", 1, "ar", 2)
    full = coordinator.get(url)
    link = full.find(id="preview-width")
    assert "phone width" in link.get_text()
    phone = coordinator.get(link["href"])
    frame = phone.find("iframe")
    assert frame["width"] == "320"
    assert "320 pixels wide" in frame["title"] and "Arabic" in frame["title"]
    assert frame["src"] == url + "?frame=1"
    assert phone.find(id="preview") is None
    # The page in the frame may be framed by the platform's own pages, and no others.
    bare = coordinator.client.get(frame["src"])
    assert "frame-ancestors 'self'" in bare.headers["Content-Security-Policy"]
    assert bare.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert (
        "frame-ancestors 'none'" in coordinator.client.get(url).headers["Content-Security-Policy"]
    )
    # Links inside the frame stay in the frame's bare pages.
    inside = coordinator.get(frame["src"])
    assert inside.find(id="preview-continue")["href"] == address(
        "service-feedback", 1, "ar", 3, "?frame=1"
    )
    assert "Preview: nothing you enter is kept" in words(inside.find(id="preview-note"))


def routed_questionnaire() -> dict:
    """The starter questionnaire with its last page asked only of those who feel welcome."""
    document = start_from("service-feedback", 1, new_id="routed-feedback")
    document["version"] = 1
    document["pages"][2] = {
        "items": document["pages"][2],
        "skip_if": {"item": "feel_welcome", "answer": "no"},
    }
    return document


def test_a_routed_page_says_when_it_is_skipped(app, coordinator):
    document = routed_questionnaire()
    try:
        save(document)
    except StoreRefused:
        pytest.skip("routing (skip_if) is not in this build's instrument format yet")
    db.session.commit()
    page = coordinator.get(address("routed-feedback", 1, "cy", 3))
    assert words(page.find(id="skip-note")) == (
        "Skipped when the answer to “Do you feel welcome here?” was “No”."
    )
    assert coordinator.get(address("routed-feedback", 1, "cy", 2)).find(id="skip-note") is None
