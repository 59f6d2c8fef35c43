"""Results for young people ("you said, we did"): a coordinator previews and publishes a
service's page, which then stays as published; its figures follow the small-number rules;
only the actions and replies a provider made public appear, in its own words; the page is in
the reader's language, linked from the confirmation page, and printed as a tagged poster."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Provider, Recommendation, Response, ResultsLink, ResultsPage, User, Visit
from app.models.improvement import CaseAction, ImprovementCase
from app.models.timeutil import uk_today, utcnow
from app.publishing import pages
from tests.support.journey import agree, answer_and_send, url
from tests.support.pages import ClientRequest, normalize_spaces

FEEDBACK = {
    "how_often": "most_weeks",
    "overall_rating": "8",
    "feel_welcome": "yes",
    "good_things": ["staff", "friends"],
    "listened_to": "always",
    "recommend": "yes",
}


def add_answers(campaign, people: int, period=None, key="a", **answers) -> None:
    """`people` anonymous feedback responses in `period` (the last finished one)."""
    period = period or pages.default_period(campaign.service, uk_today())
    begin, _ = period.utc_bounds()
    for number in range(people):
        db.session.add(
            Response(
                submission_key=f"results-{key}-{number}",
                campaign_id=campaign.id,
                instrument_id=campaign.instrument_id,
                instrument_version=campaign.instrument_version,
                language="en",
                text_provenance="project",
                mode="self",
                answers={**FEEDBACK, **answers},
                complete=True,
                answered_count=len(FEEDBACK),
                submitted_at=begin + timedelta(days=2, hours=number),
            )
        )
    db.session.commit()


def text(page, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, selector
    return normalize_spaces(found.text)


@pytest.fixture
def feedback(demo):
    return demo["service-feedback"]


@pytest.fixture
def coordinator(app, make_user):
    user = make_user("coordinator")
    client = ClientRequest(app.test_client())
    client.post("/sign-in", {"email": user.email, "password": "correct horse battery"})
    return client


def publish(client, service, languages=("en",)):
    address = f"/results-pages/services/{service.id}"
    period = pages.default_period(service, uk_today())
    return client.post(
        address, {"period": period.start.isoformat(), "poster_languages": list(languages)}
    )


def public_address(service) -> str:
    db.session.rollback()
    code = db.session.scalar(select(ResultsLink.code).where(ResultsLink.service_id == service.id))
    return f"/r/{code}"


def test_a_coordinator_previews_then_publishes_and_the_page_stays_until_the_next(
    app, feedback, coordinator, client_request
):
    service = feedback.service
    add_answers(feedback, 12)
    preview = coordinator.get(f"/results-pages/services/{service.id}")
    assert "Nothing is published yet" in text(preview, "#live-page")
    assert "12 young people answered our questions." in text(preview, ".app-results-preview")
    # Nothing is public before a coordinator publishes.
    page = client_request.get(public_address(service), expected_status=404)
    assert text(page, "h1") == "No results yet"

    response = publish(coordinator, service)
    assert response.headers["Location"] == f"/results-pages/services/{service.id}"
    page = client_request.get(public_address(service))
    assert text(page, "h1") == "You said, we did"
    assert "12 young people answered our questions." in text(page, "main")
    assert "This is our first results page." in text(page, "main")

    # New answers change the preview, not the published page.
    add_answers(feedback, 5, key="later")
    page = client_request.get(public_address(service))
    assert "12 young people answered our questions." in text(page, "main")
    preview = coordinator.get(f"/results-pages/services/{service.id}")
    assert "17 young people answered our questions." in text(preview, ".app-results-preview")
    publish(coordinator, service)
    page = client_request.get(public_address(service))
    assert "17 young people answered our questions." in text(page, "main")
    assert "More young people answered than last time." in text(page, "main")
    assert db.session.scalar(select(db.func.count(ResultsPage.id))) == 2


def test_fewer_than_ten_young_people_are_never_counted(app, feedback, coordinator, client_request):
    service = feedback.service
    add_answers(feedback, 9)
    publish(coordinator, service)
    main = text(client_request.get(public_address(service)), "main")
    assert "We cannot share numbers this time." in main
    assert "9" not in main.replace(public_address(service), "")
    assert "%" not in main


def test_a_finding_repeats_only_a_published_share(app, feedback, coordinator, client_request):
    # Everyone said yes: "no" (nobody) is hidden, so "yes" is too (it would give "no" away).
    add_answers(feedback, 10)
    publish(coordinator, feedback.service)
    main = text(client_request.get(public_address(feedback.service)), "main")
    assert "10 young people answered our questions." in main
    assert "Do you feel welcome here?" not in main and "%" not in main
    # 12 yes and 10 no: both published, so the page can say it.
    add_answers(feedback, 2, key="yes")
    add_answers(feedback, 10, key="no", feel_welcome="no")
    publish(coordinator, feedback.service)
    main = text(client_request.get(public_address(feedback.service)), "main")
    assert "We asked: Do you feel welcome here? 55% of young people said: Yes" in main


def _case_with_actions(service, *descriptions):
    case = ImprovementCase(contract_id=service.contract_id, title="More to do", plan_state="agreed")
    db.session.add(case)
    db.session.flush()
    actions = [CaseAction(case_id=case.id, description=d) for d in descriptions]
    db.session.add_all(actions)
    db.session.commit()
    return actions


def test_only_what_the_provider_made_public_appears_in_its_own_words(
    app, feedback, coordinator, make_user, client_request
):
    service = feedback.service
    public, private = _case_with_actions(service, "Weekend opening (staff note)", "Staff rota")
    provider_user = make_user("provider", provider=service.provider)
    provider = ClientRequest(app.test_client())
    provider.post("/sign-in", {"email": provider_user.email, "password": "correct horse battery"})
    wording = f"/results-pages/services/{service.id}/actions/{public.id}"

    # Marking it public needs words to show.
    page = provider.post(wording, {"wording": "  ", "public": "y"}, expected_status=200)
    assert page.select_one("title").text.startswith("Error: ")
    summary = text(page, ".govuk-error-summary")
    assert "Write the public wording before marking it public" in summary
    assert page.select_one(".govuk-error-summary a")["href"] == "#public"

    provider.post(wording, {"wording": "We now open on Saturdays.", "public": "y"})
    provider.post(
        f"/results-pages/services/{service.id}/actions/{private.id}",
        {"wording": "A new staff rota."},
    )
    listing = provider.get(f"/results-pages/services/{service.id}/wording")
    cards = {
        text(card, "h3"): [normalize_spaces(dd.text) for dd in card.select("dd")]
        for card in listing.select(".govuk-summary-card")
    }
    assert cards["Action: Weekend opening (staff note)"] == ["We now open on Saturdays.", "Public"]
    assert cards["Action: Staff rota"] == ["A new staff rota.", "Not public"]
    # A provider cannot publish; another provider cannot see this service's actions.
    provider.get(f"/results-pages/services/{service.id}", expected_status=403)
    other = make_user("provider", provider=Provider(name="Another provider"))
    stranger = ClientRequest(app.test_client())
    stranger.post("/sign-in", {"email": other.email, "password": "correct horse battery"})
    stranger.get(wording, expected_status=403)

    publish(coordinator, service)
    main = text(client_request.get(public_address(service)), "main")
    assert "Planned We now open on Saturdays." in main
    assert "staff rota" not in main.lower() and "staff note" not in main

    # Done since last time: the next page says so.
    public.status = "done"
    db.session.commit()
    publish(coordinator, service)
    main = text(client_request.get(public_address(service)), "main")
    assert "Done We now open on Saturdays." in main
    assert "Done since last time: We now open on Saturdays." in main


def test_a_reply_to_young_inspectors_appears_once_public(
    app, feedback, coordinator, make_user, client_request
):
    service = feedback.service
    coordinator_user = db.session.scalar(select(User).where(User.email.like("coordinator%")))
    visit = Visit(
        service_id=service.id,
        kind="mystery",
        channel="phone",
        visit_on=uk_today() - timedelta(days=20),
        framework_id="mystery-shop",
        framework_version=1,
        created_by_id=coordinator_user.id,
        finalised_at=utcnow(),
    )
    visit.recommendations.append(
        Recommendation(text="Answer the phone after 4pm", reply="A second line from 4pm")
    )
    db.session.add(visit)
    db.session.commit()
    recommendation = visit.recommendations[0]
    coordinator.post(
        f"/results-pages/services/{service.id}/replies/{recommendation.id}",
        {"wording": "Young inspectors found nobody answered after 4pm. Now someone does.",
         "public": "y"},
    )  # fmt: skip
    publish(coordinator, service)
    main = text(client_request.get(public_address(service)), "main")
    assert (
        "Our answer to the young inspectors Young inspectors found nobody answered after 4pm."
        in main
    )


def test_the_page_is_in_the_readers_language_right_to_left_for_arabic(
    app, feedback, coordinator, client
):
    add_answers(feedback, 11)
    publish(coordinator, feedback.service)
    address = public_address(feedback.service)
    reader = ClientRequest(client)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    page = reader.get(address)
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    assert text(page, "h1") == "قلتم، وفعلنا"
    assert "أجاب 11 شابًا عن أسئلتنا." in text(page, "main")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cy"
    assert text(reader.get(address), "h1") == "Dywedoch chi, gwnaethon ni"


def test_the_confirmation_page_links_to_the_published_page(app, demo, coordinator, client_request):
    campaign = demo["wemwbs"]
    agree(client_request, campaign)
    answer_and_send(client_request, campaign, app)
    page = client_request.get(url(campaign, "/confirmation"))
    assert page.find("a", string="You said, we did: see what changed") is None

    publish(coordinator, campaign.service)
    page = client_request.get(url(campaign, "/confirmation"))
    link = page.find("a", string="You said, we did: see what changed")
    assert link is not None and link["href"] == public_address(campaign.service)


def test_the_poster_is_a_tagged_pdf_in_each_chosen_language(
    app, feedback, coordinator, client_request
):
    add_answers(feedback, 10)
    publish(coordinator, feedback.service, languages=("en", "ar"))
    address = public_address(feedback.service)
    for code, title in (("en", "You said, we did"), ("ar", "قلتم، وفعلنا")):
        response = client_request.get(f"{address}/poster-{code}.pdf")
        assert response.mimetype == "application/pdf"
        pdf = PdfReader(io.BytesIO(response.data))
        root = pdf.trailer["/Root"]
        assert root["/Lang"] == code and "/StructTreeRoot" in root
        assert pdf.metadata.title == f"{title}: {feedback.service.name}"
        assert len(pdf.pages) == 1
    # Only the languages the service chose.
    client_request.get(f"{address}/poster-pl.pdf", expected_status=404)


def test_demo_load_publishes_a_results_page_and_prints_its_address(app, runner, client_request):
    result = runner.invoke(args=["demo", "load"], catch_exceptions=False)
    line = next(
        line for line in result.output.splitlines() if line.startswith("Results for young people: ")
    )
    address = line.removeprefix("Results for young people: ")
    path = "/r/" + address.rsplit("/r/", 1)[1]
    main = text(client_request.get(path), "main")
    # The demo's answers for the club this period, more than the period before.
    assert re.search(
        r"\b\d{2,} young people answered our questions\. That is more than last time\.", main
    )
    assert "Done since last time:" in main
