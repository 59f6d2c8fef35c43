"""Every respondent page in the respondent's language: how it is chosen, what it changes, and
whole journeys in Welsh, Arabic and Somali."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from sqlalchemy import select

from app.extensions import db
from app.languages import LANGUAGE_CODES, TRANSLATED_CODES, language
from app.languages.catalogues import catalogue_path, read_catalogue
from app.models import Campaign, Draft, Response, SafeguardingAlert
from tests.support.journey import instrument_of, url
from tests.support.pages import ClientRequest, normalize_spaces


@pytest.fixture(scope="module")
def catalogues():
    return {code: read_catalogue(catalogue_path(code), code) for code in TRANSLATED_CODES}


def speaking(client, code: str | None) -> ClientRequest:
    """A phone whose browser asks for `code` (Accept-Language), or for nothing at all."""
    if code:
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{code};q=1.0"
    return ClientRequest(client)


def english_left_on(page, code: str, catalogues, instrument=None) -> list[str]:
    """English words on a page that should be all in `code`: any message of the catalogue, or
    any instrument text, whose translation differs from the English."""
    text = normalize_spaces(page.get_text(" "))
    left = []
    for message in catalogues[code]:
        if not message.id or isinstance(message.id, tuple):
            continue
        english = message.id
        if "%" in english or english == message.string or len(english) < 5:
            continue
        if english in text:
            left.append(english)
    if instrument is not None:
        english_texts = instrument.texts["en"]
        own = instrument.texts[code]
        for item_id, words in english_texts.items.items():
            if words != own.items[item_id] and words in text:
                left.append(words)
    return left


def html_language(page) -> tuple[str, str]:
    return page.html["lang"], page.html["dir"]


# --- How the language is chosen ------------------------------------------------------------


def test_the_browser_language_chooses_the_page_language(client, demo, app):
    campaign = demo["service-feedback"]
    page = speaking(client, "cy").get(url(campaign))
    assert html_language(page) == ("cy", "ltr")
    assert normalize_spaces(page.h1.text) == campaign.name
    assert instrument_of(app, campaign).title("cy") in page.select_one("#instrument-name").text
    assert normalize_spaces(page.select_one("a.govuk-button--start").text) == "Dechrau nawr"


def test_a_browser_language_we_do_not_have_gets_english(client, demo):
    phone = speaking(client, "de")
    page = phone.get(url(demo["service-feedback"]))
    assert html_language(page) == ("en", "ltr")
    assert normalize_spaces(page.select_one("a.govuk-button--start").text) == "Start now"
    # A shared cache must not hand this page to a browser that asks for Welsh.
    assert "Accept-Language" in phone.last.headers["Vary"]


def test_a_choice_from_the_switcher_beats_the_browser_and_lasts_the_visit(client, demo):
    campaign = demo["service-feedback"]
    phone = speaking(client, "cy")
    response = phone.get(url(campaign, "/help?lang=pl"), expected_status=303)
    # The address is cleaned of the parameter, so reloading or sharing it does not carry it.
    assert response.headers["Location"] == url(campaign, "/help")
    assert html_language(phone.get(url(campaign, "/help"))) == ("pl", "ltr")
    assert html_language(phone.get(url(campaign))) == ("pl", "ltr")
    assert html_language(phone.get("/contact-me")) == ("pl", "ltr")


def test_the_switcher_keeps_the_rest_of_the_address(client, demo):
    campaign = demo["service-feedback"]
    phone = speaking(client, None)
    phone.post(url(campaign, "/consent"), {"consent": "yes"})
    phone.post(url(campaign, "/code"), {"has_code": "no"})
    page = phone.get(url(campaign, "/questions/1?return=check"))
    welsh = page.select_one('.app-language-switcher a[hreflang="cy"]')
    assert welsh["href"] == url(campaign, "/questions/1?return=check&lang=cy")
    response = phone.get(welsh["href"], expected_status=303)
    assert response.headers["Location"] == url(campaign, "/questions/1?return=check")


def test_the_switcher_names_each_language_in_itself_and_marks_the_current_one(client, demo):
    page = speaking(client, "ar").get(url(demo["service-feedback"]))
    switcher = page.select_one("nav.app-language-switcher")
    assert switcher["aria-label"] == "اختر اللغة"
    links = switcher.select("a")
    assert [link["lang"] for link in links] == list(LANGUAGE_CODES)
    assert [link["hreflang"] for link in links] == list(LANGUAGE_CODES)
    assert [normalize_spaces(link.text) for link in links] == [
        language(code).name for code in LANGUAGE_CODES
    ]
    assert [link["dir"] for link in links] == [language(c).direction for c in LANGUAGE_CODES]
    assert [link["lang"] for link in links if link.get("aria-current")] == ["ar"]
    # It comes before the page's own content, straight after the header.
    assert switcher.find_next("main") is not None


def test_a_campaign_offers_only_its_own_languages(client, demo):
    campaign = demo["service-feedback"]
    campaign.languages = "cy,pl"
    db.session.commit()
    phone = speaking(client, None)
    page = phone.get(url(campaign))
    # The browser asks for no language and English is not offered: the campaign's first.
    assert html_language(page) == ("cy", "ltr")
    assert [a["lang"] for a in page.select(".app-language-switcher a")] == ["cy", "pl"]
    phone.get(url(campaign, "?lang=ar"), expected_status=303)
    assert html_language(phone.get(url(campaign))) == ("cy", "ltr")
    # Help outside a campaign still offers every language.
    help_page = phone.get("/help")
    assert len(help_page.select(".app-language-switcher a")) == len(LANGUAGE_CODES)


def test_a_browser_asking_for_a_language_the_campaign_lacks_is_told_so_in_it(client, demo):
    campaign = demo["service-feedback"]  # the questionnaire has Arabic; the campaign does not
    campaign.languages = "cy,pl"
    db.session.commit()
    phone = speaking(client, "ar")
    page = phone.get(url(campaign))
    assert html_language(page) == ("ar", "rtl")
    assert normalize_spaces(page.h1.text) == "هذه الأسئلة غير متوفرة باللغة العربية"
    links = page.select("#available-languages a")
    assert [(a["lang"], normalize_spaces(a.text)) for a in links] == [
        ("cy", "Cymraeg"),
        ("pl", "Polski"),
    ]
    assert page.select("fieldset") == []
    # Asking again for Arabic changes nothing; choosing Welsh opens the campaign in Welsh.
    phone.get(url(campaign, "?lang=ar"), expected_status=303)
    assert html_language(phone.get(url(campaign, "/consent")))[0] == "ar"
    phone.get(links[0]["href"], expected_status=303)
    start = phone.get(url(campaign))
    assert html_language(start) == ("cy", "ltr")
    assert start.select_one("a.govuk-button--start") is not None
    # Help in the campaign is still in the visitor's own language.
    assert html_language(speaking(client, "ar").get(url(campaign, "/help")))[0] in ("cy", "ar")


def test_an_english_only_campaign_opened_by_an_arabic_browser_says_so_in_arabic(client, demo):
    campaign = demo["swemwbs"]  # offered in English only
    page = speaking(client, "ar").get(url(campaign))
    assert html_language(page) == ("ar", "rtl")
    assert normalize_spaces(page.h1.text) == "هذه الأسئلة غير متوفرة باللغة العربية"
    assert [a["lang"] for a in page.select("#available-languages a")] == ["en"]


def test_a_change_to_a_campaigns_languages_shows_in_its_switcher_at_once(client, demo):
    # The switcher is kept per address once rendered (app.fragments): the campaign's
    # languages are part of what it is kept by.
    campaign = demo["service-feedback"]
    campaign.languages = "en,cy"
    db.session.commit()
    phone = speaking(client, "en")
    switcher = phone.get(url(campaign)).select(".app-language-switcher a")
    assert [a["lang"] for a in switcher] == ["en", "cy"]
    campaign.languages = "en,cy,pl"
    db.session.commit()
    switcher = phone.get(url(campaign)).select(".app-language-switcher a")
    assert [a["lang"] for a in switcher] == ["en", "cy", "pl"]


def test_a_campaign_in_one_language_has_no_switcher(client, demo):
    page = speaking(client, "en").get(url(demo["swemwbs"]))
    assert html_language(page) == ("en", "ltr")
    assert page.select_one(".app-language-switcher") is None


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_language_has_the_right_lang_and_direction_and_no_english_left(
    client, demo, app, catalogues, code
):
    campaign = demo["service-feedback"]
    phone = speaking(client, code)
    instrument = instrument_of(app, campaign)
    for path in ("", "/consent", "/help", "/contact-me", "/resume"):
        page = phone.get(url(campaign, path))
        expected_direction = "rtl" if code in ("ar", "ur") else "ltr"
        assert html_language(page) == (code, expected_direction), path
        if code != "en":
            assert english_left_on(page, code, catalogues, instrument) == [], path


# --- Whole journeys ------------------------------------------------------------------------


def a_valid_answer(item):
    if item.kind == "multiple_choice":
        return list(item.values[:2])
    if item.kind == "rating_scale":
        return str(item.max)
    if item.kind in ("single_choice", "yes_no"):
        return item.values[0]
    if item.kind == "short_text":
        return "Hwyl"
    return ""


@pytest.mark.parametrize("code", ["cy", "ar", "so"])
def test_a_young_person_completes_the_feedback_questionnaire_in_their_language(
    client, demo, app, catalogues, code
):
    campaign = demo["service-feedback"]
    instrument = instrument_of(app, campaign)
    texts = instrument.texts[code]
    phone = speaking(client, code)
    translations = {m.id: m.string for m in catalogues[code] if isinstance(m.id, str)}

    start = phone.get(url(campaign))
    assert normalize_spaces(start.h1.text) == campaign.name
    assert start.h1.bdi["lang"] == "en"
    assert texts.title in normalize_spaces(start.select_one("#instrument-name").text)
    consent = phone.get(url(campaign, "/consent"))
    assert normalize_spaces(consent.h1.text) == translations["Taking part"]
    refused = phone.post(url(campaign, "/consent"), {}, expected_status=200)
    assert refused.title.text.startswith(translations["Error:"])
    assert translations["Select yes if you are happy to take part"] in refused.text
    phone.post(url(campaign, "/consent"), {"consent": "yes"})
    assert db.session.scalar(select(Draft)).language == code
    phone.post(url(campaign, "/code"), {"has_code": "no"})

    for number in range(1, instrument.page_count + 1):
        page = phone.get(url(campaign, f"/questions/{number}"))
        assert html_language(page)[0] == code
        legends = [normalize_spaces(legend.text) for legend in page.select("legend")]
        labels = [normalize_spaces(label.text) for label in page.select("label.govuk-label--s")]
        for item in instrument.page_items(number):
            assert texts.items[item.id] in legends + labels, item.id
        assert english_left_on(page, code, catalogues, instrument) == []
        if number == 1:
            # An unanswered page: the messages name each question in the same language.
            errors = phone.post(url(campaign, "/questions/1"), {}, expected_status=200)
            summary = normalize_spaces(errors.select_one(".govuk-error-summary").text)
            assert translations["There is a problem"] in summary
            for item in instrument.page_items(1):
                assert texts.items[item.id] in summary
            hidden = errors.select_one(".govuk-error-message .govuk-visually-hidden")
            assert normalize_spaces(hidden.text).startswith(translations["Error"])
        answers = {item.id: a_valid_answer(item) for item in instrument.page_items(number)}
        phone.post(url(campaign, f"/questions/{number}"), answers)

    check = phone.get(url(campaign, "/check"))
    assert normalize_spaces(check.h1.text) == translations["Check your answers"]
    shown = [normalize_spaces(dd.text) for dd in check.select(".govuk-summary-list__value")]
    first = instrument.items[0]
    assert instrument.answer_label(first.id, first.values[0], code) in shown
    assert english_left_on(check, code, catalogues, instrument) == []
    phone.post(url(campaign, "/check"), {})

    confirmation = phone.get(url(campaign, "/confirmation"))
    assert normalize_spaces(confirmation.h1.text) == translations["Your answers have been sent"]
    [response] = db.session.scalars(select(Response)).all()
    assert (response.language, response.text_provenance) == (code, "project")


def test_switching_language_part_way_keeps_the_answers_and_moves_the_draft(client, demo, app):
    campaign = demo["service-feedback"]
    instrument = instrument_of(app, campaign)
    phone = speaking(client, "en")
    phone.post(url(campaign, "/consent"), {"consent": "yes"})
    phone.post(url(campaign, "/code"), {"has_code": "no"})
    page_one = {item.id: a_valid_answer(item) for item in instrument.page_items(1)}
    phone.post(url(campaign, "/questions/1"), page_one)
    assert db.session.scalar(select(Draft)).language == "en"

    phone.get(url(campaign, "/questions/2?lang=ro"), expected_status=303)
    page = phone.get(url(campaign, "/questions/1"))
    assert db.session.scalar(select(Draft)).language == "ro"
    how_often = instrument.page_items(1)[0]
    checked = page.find("input", attrs={"name": how_often.id, "checked": True})
    assert checked["value"] == page_one[how_often.id]
    label = page.find("label", attrs={"for": checked["id"]})
    assert normalize_spaces(label.text) == instrument.answer_label(
        how_often.id, page_one[how_often.id], "ro"
    )

    for number in (2, 3):
        answers = {item.id: a_valid_answer(item) for item in instrument.page_items(number)}
        phone.post(url(campaign, f"/questions/{number}"), answers)
    phone.post(url(campaign, "/check"), {})
    [response] = db.session.scalars(select(Response)).all()
    assert response.language == "ro"
    assert response.answers[how_often.id] == page_one[how_often.id]


def test_saved_answers_carry_on_in_their_language_on_another_phone(client, demo, app):
    campaign = demo["service-feedback"]
    instrument = instrument_of(app, campaign)
    phone = speaking(client, "so")
    phone.post(url(campaign, "/consent"), {"consent": "yes"})
    phone.post(url(campaign, "/code"), {"has_code": "no"})
    answers = {item.id: a_valid_answer(item) for item in instrument.page_items(1)}
    phone.post(url(campaign, "/questions/1"), dict(answers, action="save"))
    code = normalize_spaces(phone.get(url(campaign, "/saved")).select_one("#resume-code").text)

    other_phone = ClientRequest(app.test_client())
    other_phone.post(url(campaign, "/resume"), {"resume_code": code})
    page = other_phone.get(url(campaign, "/questions/2"))
    assert html_language(page)[0] == "so"


def test_a_request_for_contact_records_the_language_it_was_made_in(client, demo):
    phone = speaking(client, "bn")
    page = phone.post(
        "/contact-me",
        {"contact_method": "worker", "safe_to_message": "yes"},
        expected_status=200,
        follow_redirects=True,
    )
    assert html_language(page)[0] == "bn"
    assert db.session.scalar(select(SafeguardingAlert)).language == "bn"


# --- Instruments without the language ------------------------------------------------------


def test_a_scale_without_the_language_says_so_in_that_language_and_offers_its_own(
    client, demo, catalogues
):
    campaign = demo["wemwbs"]  # offered in every language; WEMWBS ships in English only
    phone = speaking(client, "ar")
    page = phone.get(url(campaign))
    assert html_language(page) == ("ar", "rtl")
    assert normalize_spaces(page.h1.text) == "هذه الأسئلة غير متوفرة باللغة العربية"
    [english] = page.select("#available-languages a")
    assert (english["lang"], english["hreflang"], normalize_spaces(english.text)) == (
        "en",
        "en",
        "English",
    )
    # Nothing of the scale itself, in English or otherwise, is on the page.
    assert "Warwick-Edinburgh" not in page.h1.text
    assert page.select("fieldset") == []

    phone.get(english["href"], expected_status=303)
    start = phone.get(url(campaign))
    assert html_language(start)[0] == "en"
    assert normalize_spaces(start.h1.text) == campaign.name
    assert "Warwick-Edinburgh Mental Wellbeing Scale" in start.select_one("#instrument-name").text


def test_the_questions_never_show_in_a_language_the_scale_lacks(client, demo):
    campaign = demo["wemwbs"]
    phone = speaking(client, "en")
    phone.post(url(campaign, "/consent"), {"consent": "yes"})
    phone.post(url(campaign, "/code"), {"has_code": "no"})
    phone.get(url(campaign, "/questions/1?lang=pl"), expected_status=303)
    for path in ("/questions/1", "/check", "/consent"):
        page = phone.get(url(campaign, path))
        assert normalize_spaces(page.h1.text) == "Te pytania nie są dostępne po polsku", path
        assert page.select("fieldset") == []
    # Help is still there in Polish.
    assert html_language(phone.get(url(campaign, "/help")))[0] == "pl"
    assert db.session.scalar(select(Draft)).language == "en"


def test_a_validated_translation_from_an_instrument_pack_is_used_and_recorded(
    tmp_path, database_url, demo
):
    import yaml

    from tests.support.apps import make_app

    pack = tmp_path / "welsh-wemwbs"
    pack.mkdir()
    # Placeholder words standing in for a licensed translation, which is never shipped.
    items = [
        "optimistic", "useful", "relaxed", "interested_in_people", "energy_to_spare",
        "dealing_with_problems", "thinking_clearly", "good_about_myself", "close_to_people",
        "confident", "own_mind", "loved", "interested_in_new_things", "cheerful",
    ]  # fmt: skip
    texts = {
        "provenance": "validated",
        "source": "Test stand-in for a licensed Welsh translation.",
        "title": "Graddfa brawf",
        "items": {item: f"Datganiad prawf {n}" for n, item in enumerate(items, 1)},
        "options": {"frequency5": {str(n): f"Dewis {n}" for n in range(1, 6)}},
        "bands": {
            "probable_depression": "Band 1",
            "possible_depression": "Band 2",
            "average": "Band 3",
            "high": "Band 4",
        },
    }
    (pack / "wemwbs-1-cy.yaml").write_text(
        yaml.safe_dump({"id": "wemwbs", "version": 1, "texts": {"cy": texts}}, allow_unicode=True)
    )
    from app.config import REPO_ROOT

    app = make_app(database_url, INSTRUMENT_DIRS=[str(REPO_ROOT / "surveys"), str(pack)])
    campaign = demo["wemwbs"]
    with app.app_context():
        phone = speaking(app.test_client(), "cy")
        start = phone.get(url(campaign))
        assert "Graddfa brawf" in start.select_one("#instrument-name").text
        phone.post(url(campaign, "/consent"), {"consent": "yes"})
        phone.post(url(campaign, "/code"), {"has_code": "no"})
        page = phone.get(url(campaign, "/questions/1"))
        assert "Datganiad prawf 1" in page.text
        # The licence notice stays the holder's English, marked as English.
        notice = page.select_one("#instrument-notice")
        assert (notice["lang"], notice["dir"]) == ("en", "ltr")
        for number in (1, 2):
            instrument = app.extensions["instruments"].get("wemwbs")
            phone.post(
                url(campaign, f"/questions/{number}"),
                {item.id: "3" for item in instrument.page_items(number)},
            )
        phone.post(url(campaign, "/check"), {})
        response = db.session.scalar(select(Response))
        assert (response.language, response.text_provenance) == ("cy", "validated")


# --- Dates, numbers, errors ----------------------------------------------------------------


@pytest.mark.parametrize("code", ["cy", "pl", "ar", "bn"])
def test_dates_are_written_as_each_language_writes_them(client, demo, code):
    campaign = demo["service-feedback"]
    campaign.closes_on = date.today() - timedelta(days=1)
    db.session.commit()
    page = speaking(client, code).get(url(campaign), expected_status=410)
    assert format_date(campaign.closes_on, "long", locale=code) in normalize_spaces(page.text)


@pytest.mark.parametrize("code", ["cy", "es", "ur"])
def test_the_length_limit_is_written_as_each_language_writes_numbers(client, demo, app, code):
    campaign = demo["service-feedback"]
    instrument = instrument_of(app, campaign)
    phone = speaking(client, code)
    phone.post(url(campaign, "/consent"), {"consent": "yes"})
    phone.post(url(campaign, "/code"), {"has_code": "no"})
    long_item = next(item for item in instrument.items if item.kind == "long_text")
    number = instrument.page_of(long_item.id)
    answers = {item.id: a_valid_answer(item) for item in instrument.page_items(number)}
    answers[long_item.id] = "a" * (long_item.max_length + 1)
    page = phone.post(url(campaign, f"/questions/{number}"), answers, expected_status=200)
    written = format_decimal(long_item.max_length, locale=code)
    assert written in normalize_spaces(page.select_one(".govuk-error-summary").text)
    counter = page.select_one(".govuk-character-count")
    # Without JavaScript the hint gives the limit; the script gets a message per plural form.
    assert written in normalize_spaces(counter.select_one(".govuk-character-count__message").text)
    under = {k: v for k, v in counter.attrs.items() if k.startswith("data-i18n.characters-under")}
    assert under and all("%{count}" in message for message in under.values())


def test_welsh_counts_characters_with_each_of_its_plural_forms(client, demo, app):
    campaign = demo["service-feedback"]
    phone = speaking(client, "cy")
    phone.post(url(campaign, "/consent"), {"consent": "yes"})
    phone.post(url(campaign, "/code"), {"has_code": "no"})
    page = phone.get(url(campaign, "/questions/3"))
    counter = page.select_one(".govuk-character-count")
    categories = {
        key.rsplit(".", 1)[1]
        for key in counter.attrs
        if key.startswith("data-i18n.characters-under-limit.")
    }
    assert categories == {"zero", "one", "two", "few", "many", "other"}


def test_error_pages_speak_the_respondents_language(client, demo):
    phone = speaking(client, "ro")
    page = phone.get("/s/no-such-campaign", expected_status=404)
    assert (html_language(page)[0], normalize_spaces(page.h1.text)) == (
        "ro",
        "Pagina nu a fost găsită",
    )
    expired = client.post(url(demo["service-feedback"], "/consent"), data={"consent": "yes"})
    assert expired.status_code == 400
    assert "Pagina ta a expirat" in expired.get_data(as_text=True)


def test_an_unknown_link_can_still_be_read_in_another_language(client, demo):
    page = speaking(client, "en").get("/s/no-such-campaign?lang=ur", expected_status=404)
    assert html_language(page) == ("ur", "rtl")


# --- Operators ------------------------------------------------------------------------------


@pytest.fixture
def service(runner):
    runner.invoke(args=["providers", "create", "Northside Family Support"])
    runner.invoke(args=["services", "create", "--provider", "1", "--name", "Parenting"])


def create_campaign(runner, instrument: str, *extra: str):
    return runner.invoke(
        args=[
            "campaigns",
            "create",
            "--service",
            "1",
            "--name",
            "Spring check",
            "--instrument",
            instrument,
            "--opens",
            "2026-01-01",
            "--closes",
            "2030-12-31",
            *extra,
        ]  # fmt: skip
    )


def test_a_new_campaign_offers_its_instruments_languages_unless_told_otherwise(runner, service):
    assert create_campaign(runner, "service-feedback").exit_code == 0
    assert create_campaign(runner, "wemwbs").exit_code == 0
    assert create_campaign(runner, "wemwbs", "--languages", "en, cy").exit_code == 0
    languages = [c.languages for c in db.session.scalars(select(Campaign).order_by(Campaign.id))]
    assert languages == [",".join(LANGUAGE_CODES), "en", "en,cy"]


def test_a_campaign_language_must_be_one_the_platform_has(runner, service):
    result = create_campaign(runner, "service-feedback", "--languages", "cy,fr")
    assert result.exit_code != 0
    assert "Unknown language fr" in result.output
    assert db.session.scalar(select(Campaign)) is None


def test_a_campaign_cannot_open_offering_none_of_its_instruments_languages(runner, service):
    create_campaign(runner, "wemwbs", "--languages", "cy,pl", "--licence-reference", "REG-1")
    result = runner.invoke(args=["campaigns", "open", "1"])
    assert result.exit_code != 0
    assert "wemwbs@1 has texts in en, and this campaign offers none of them" in result.output


@pytest.mark.parametrize("code", ["en", "cy", "ar", "pl"])
def test_page_words_match_the_catalogue_in_every_form(app, code):
    """Templates translate through functions bound to the page's catalogue: singular,
    plural and escaping come out as Flask-Babel's own gettext gives them."""
    from flask import render_template_string
    from flask_babel import gettext, ngettext

    singular = "It takes about %(count)s minute."
    plural = "It takes about %(count)s minutes."
    template = (
        "{{ _('Continue') }}|{{ ngettext(singular, plural, n, count=n) }}"
        "|{{ _('<b>%(name)s</b>', name=name) }}|{% trans %}Continue{% endtrans %}"
    )
    with app.test_request_context(f"/help?lang={code}"):
        for n in (1, 2, 3, 11):
            page = render_template_string(
                template, singular=singular, plural=plural, n=n, name="<script>"
            )
            words, counted, escaped, block = page.split("|")
            assert words == block == gettext("Continue")
            assert counted == ngettext(singular, plural, n, count=n)
            # Values put into the words are escaped; the words themselves are markup.
            assert escaped == "<b>&lt;script&gt;</b>"
        if code != "en":
            assert words != "Continue"
