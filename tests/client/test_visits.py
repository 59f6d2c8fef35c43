"""Young inspectors' visits and mystery shops: a coordinator schedules, each panel member rates
blind on their own, the coordinator moderates and finalises, the provider replies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    ModeratedRating,
    PanelRating,
    Recommendation,
    Service,
    Visit,
)
from app.models.timeutil import uk_today
from tests.support.pages import normalize_spaces
from tests.support.visits import (
    FRAMEWORK,
    HUGE,
    MYSTERY_SHOP,
    add_recommendation,
    every,
    final_report,
    instrument,
    moderate_all,
    page_answers,
    rate_everything,
    schedule,
)

# --- Scheduling ---------------------------------------------------------------------------


def test_a_coordinator_schedules_a_mystery_shop_and_only_its_panel_sees_it(
    app, client_request, sign_in, people, demo
):
    sign_in(people["coordinator"])
    page = client_request.get("/fieldwork/visits/new")
    assert normalize_spaces(page.h1.text) == "Schedule a visit"
    visit = schedule(
        client_request,
        demo["wemwbs"].service_id,
        [people["ash"], people["bo"]],
        framework=MYSTERY_SHOP,
        kind="mystery",
        channel="phone",
        scenario="Say you are 15 and called Sam.",
    )
    assert (visit.kind, visit.channel, visit.framework_id, visit.framework_version) == (
        "mystery", "phone", "mystery-shop-checklist", 1,
    )  # fmt: skip
    assert visit.member_ids() == {people["ash"].id, people["bo"].id}
    assert visit.created_by_id == people["coordinator"].id
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    assert normalize_spaces(page.h1.text) == "Riverside Youth Club"
    assert "Mystery shop, phone" in normalize_spaces(page.select_one(".govuk-caption-l").text)
    assert "Say you are 15 and called Sam." in page.text
    progress = normalize_spaces(page.select_one("#panel-progress").text)
    assert progress == "Ash: not started Bo: not started"
    listing = client_request.get("/fieldwork/visits")
    assert normalize_spaces(listing.select_one("#visit-list li").text) == (
        "Riverside Youth Club, 14 March 2027 Mystery shop, phone. 0 of 2 ratings submitted."
    )

    sign_in(people["ash"])
    listing = client_request.get("/fieldwork/visits")
    assert normalize_spaces(listing.select_one("#visit-list li").text).endswith(
        "Your ratings: not started."
    )
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    assert "phoning as a 15-year-old" in page.text  # the scenario's own brief and steps
    assert page.select_one("a.govuk-button").text.strip() == "Start rating"

    sign_in(people["outsider"])
    listing = client_request.get("/fieldwork/visits")
    assert listing.select_one("#visit-list") is None
    client_request.get(f"/fieldwork/visits/{visit.id}", expected_status=404)


def test_sending_the_schedule_form_twice_makes_one_visit(client_request, sign_in, people, demo):
    sign_in(people["coordinator"])
    first = schedule(client_request, demo["wemwbs"].service_id, [people["ash"]])
    again = schedule(client_request, demo["wemwbs"].service_id, [people["ash"]])
    assert first.id == again.id
    assert len(db.session.scalars(select(Visit)).all()) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"service_id": "", "panel": []}, "Select the service to visit"),
        ({"panel": []}, "Select at least one panel member"),
        ({"kind": "surprise"}, "Select a known visit or a mystery shop"),
        ({"channel": "pigeon"}, "Select how the panel will reach the service"),
        ({"service_id": "99999"}, "Select one of the services listed"),
        ({"service_id": "not-a-number"}, "Select one of the services listed"),
        ({"framework": "wemwbs@1"}, "Select one of the frameworks listed"),
        ({"panel": ["99999"]}, "Select panel members from the list"),
        ({"visit_on": ["31", "2", "2027"]}, "Enter a real date"),
        ({"visit_on": ["1", "1", "99999"]}, "Enter a real date"),
        ({"visit_on": ["", "", ""]}, "Enter the date of the visit"),
        ({"scenario": "x" * 2001}, "The scenario must be 2,000 characters or fewer"),
        (
            {"framework": MYSTERY_SHOP, "kind": "mystery", "channel": "visit"},
            "This mystery-shop scenario is carried out by phone",
        ),
        (
            {"framework": MYSTERY_SHOP, "kind": "known", "channel": "phone"},
            "A mystery-shop scenario is only for mystery shops",
        ),
    ],
)
def test_the_schedule_form_explains_every_problem_and_makes_nothing(
    client_request, sign_in, people, demo, changes, message
):
    sign_in(people["coordinator"])
    data = {
        "service_id": str(demo["wemwbs"].service_id),
        "kind": "known",
        "channel": "visit",
        "framework": FRAMEWORK,
        "visit_on": ["14", "3", "2027"],
        "panel": [str(people["ash"].id)],
    }
    data.update(changes)
    page = client_request.post("/fieldwork/visits/new", data, expected_status=400)
    assert page.title.text.startswith("Error:")
    assert message in normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert db.session.scalars(select(Visit)).all() == []


# --- Rating -------------------------------------------------------------------------------


def test_a_panel_member_rates_page_by_page_saves_and_comes_back_then_submits(
    app, client_request, sign_in, people, demo
):
    framework = instrument(app, MYSTERY_SHOP)
    sign_in(people["coordinator"])
    visit = schedule(
        client_request,
        demo["wemwbs"].service_id,
        [people["ash"]],
        framework=MYSTERY_SHOP,
        kind="mystery",
        channel="phone",
    )
    sign_in(people["ash"])
    page = client_request.get(f"/fieldwork/visits/{visit.id}/rate/1")
    assert "Step 1 of 5" in page.select_one(".govuk-inset-text").text
    answers = page_answers(framework, 1, {}, checklist="no")
    client_request.post(f"/fieldwork/visits/{visit.id}/rate/1", answers)
    last = framework.page_count
    ratings = every(framework, "2")
    notes = {"friendly_and_kind": "They said their name and were patient."}
    data = page_answers(framework, 6, ratings, notes) | {"action": "save"}
    response = client_request.post(f"/fieldwork/visits/{visit.id}/rate/6", data)
    assert response.headers["Location"] == f"/fieldwork/visits/{visit.id}"

    # Later, on another day: the answers are there and the button says continue.
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    assert "Your ratings are saved" in page.select_one(".govuk-notification-banner").text
    carry_on = page.select_one("a.govuk-button")
    assert carry_on.text.strip() == "Continue rating"
    assert carry_on["href"] == f"/fieldwork/visits/{visit.id}/rate/2"  # first unanswered page
    page = client_request.get(f"/fieldwork/visits/{visit.id}/rate/6")
    assert page.find("input", attrs={"name": "friendly_and_kind", "checked": True})["value"] == "2"
    assert "patient" in page.select_one("textarea").text
    page = client_request.get(f"/fieldwork/visits/{visit.id}/rate/1")
    assert page.find("input", attrs={"name": "number_easy_to_find", "checked": True})["value"] == (
        "no"
    )

    # Submitting with pages unanswered lists each one, linked to its page.
    page = client_request.post(f"/fieldwork/visits/{visit.id}/rate/check", {}, expected_status=400)
    links = page.select(".govuk-error-summary a")
    assert links and all("/rate/" in link["href"] for link in links)
    assert db.session.scalar(select(PanelRating)).submitted_at is None

    for number in range(2, last + 1):
        client_request.post(
            f"/fieldwork/visits/{visit.id}/rate/{number}",
            page_answers(framework, number, ratings, notes),
        )
    page = client_request.get(f"/fieldwork/visits/{visit.id}/rate/check")
    assert "They said their name and were patient." in page.text
    assert "Getting there (2)" in page.text
    response = client_request.post(f"/fieldwork/visits/{visit.id}/rate/check", {})
    assert response.headers["Location"] == f"/fieldwork/visits/{visit.id}"
    rating = db.session.scalar(select(PanelRating))
    assert rating.submitted_at is not None
    assert rating.ratings["friendly_and_kind"] == "2"
    assert rating.ratings["number_easy_to_find"] == "no"
    assert rating.notes == {"friendly_and_kind": "They said their name and were patient."}

    # A second tap on submit changes nothing; the rating pages are closed now.
    submitted_at = rating.submitted_at
    client_request.post(f"/fieldwork/visits/{visit.id}/rate/check", {}, form_page="/staff")
    db.session.refresh(rating)
    assert rating.submitted_at == submitted_at
    page = client_request.get(f"/fieldwork/visits/{visit.id}/rate/2", expected_status=409)
    assert normalize_spaces(page.h1.text) == "Your ratings are submitted"
    client_request.post(
        f"/fieldwork/visits/{visit.id}/rate/2",
        page_answers(framework, 2, ratings),
        form_page="/staff",
        expected_status=409,
    )
    assert db.session.scalar(select(PanelRating)).ratings["answered_or_called_back"] == "yes"


def test_tampered_ratings_and_oversize_notes_get_a_message_not_a_crash(
    app, client_request, sign_in, people, demo
):
    framework = instrument(app)
    sign_in(people["coordinator"])
    visit = schedule(client_request, demo["wemwbs"].service_id, [people["ash"]])
    sign_in(people["ash"])
    url = f"/fieldwork/visits/{visit.id}/rate/1"
    page = client_request.post(
        url, {"listen_to_me": "7", "listen_to_me_evidence": "x" * 1001}, expected_status=400
    )
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Select one of the options shown" in summary
    assert "1,000 characters or fewer" in summary
    page = client_request.post(url, {}, expected_status=400)
    assert "Select an answer for: Staff listen to me" in page.text
    # Saving for later keeps what is valid and drops only what is not.
    client_request.post(
        url, {"listen_to_me": "3", "listen_to_me_evidence": "x" * 1001, "action": "save"}
    )
    rating = db.session.scalar(select(PanelRating))
    assert rating.ratings == {"listen_to_me": "3"} and rating.notes == {}
    client_request.get(f"/fieldwork/visits/{visit.id}/rate/0", expected_status=404)
    client_request.get(f"/fieldwork/visits/{visit.id}/rate/99", expected_status=404)
    client_request.get("/fieldwork/visits/99999/rate/1", expected_status=404)
    client_request.get(f"/fieldwork/visits/{visit.id}/rate/check")
    assert framework.page_count == 7


def test_rating_is_blind_until_a_member_submits(app, client_request, sign_in, people, demo):
    framework = instrument(app)
    sign_in(people["coordinator"])
    visit = schedule(client_request, demo["wemwbs"].service_id, [people["ash"], people["bo"]])

    sign_in(people["bo"])
    rate_everything(client_request, visit, framework, every(framework, "1"), submit=False)
    sign_in(people["ash"])
    rate_everything(
        client_request, visit, framework, every(framework, "4"), notes={"safe_here": "Calm."}
    )

    sign_in(people["bo"])  # has a draft but has not submitted: sees nobody else's ratings
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    assert page.select_one("#panel-ratings") is None
    assert "Excellent" not in page.text and "Calm." not in page.text
    assert "once you have submitted yours" in page.text

    sign_in(people["ash"])  # has submitted: sees the submitted ratings, never Bo's draft
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    headers = [normalize_spaces(th.text) for th in page.select("#panel-ratings thead th")]
    assert headers == ["Characteristic", "Ash", "Agreement"]
    assert "Not yet" not in page.select_one("#panel-ratings").text

    sign_in(people["coordinator"])  # sees every submitted rating, and who is still going
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    assert normalize_spaces(page.select_one("#panel-progress").text) == (
        "Ash: submitted Bo: in progress"
    )
    headers = [normalize_spaces(th.text) for th in page.select("#panel-ratings thead th")]
    assert headers == ["Characteristic", "Ash", "Agreement"]


def test_the_coordinator_sees_ratings_side_by_side_with_agreement(
    app, client_request, sign_in, people, demo
):
    framework = instrument(app)
    sign_in(people["coordinator"])
    members = [people["ash"], people["bo"], people["cal"]]
    visit = schedule(client_request, demo["wemwbs"].service_id, members)
    given = {
        "ash": every(framework, "3") | {"feel_welcome": "1", "safe_here": "not_observed"},
        "bo": every(framework, "3") | {"feel_welcome": "4", "explained_clearly": "4"},
        "cal": every(framework, "3") | {"feel_welcome": "2"},
    }
    for name, ratings in given.items():
        sign_in(people[name])
        rate_everything(client_request, visit, framework, ratings, {"listen_to_me": f"{name}!"})
    sign_in(people["coordinator"])
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    headers = [normalize_spaces(th.text) for th in page.select("#panel-ratings thead th")]
    assert headers == ["Characteristic", "Ash", "Bo", "Cal", "Agreement"]

    def row(characteristic):
        cells = page.select_one(f"#agreement-{characteristic}").select("th, td")
        return [normalize_spaces(cell.text) for cell in cells]

    assert row("listen_to_me") == [
        "Staff listen to me and take me seriously", "Good (3)", "Good (3)", "Good (3)",
        "Full agreement (3 ratings). Most common: Good (3)",
    ]  # fmt: skip
    assert row("feel_welcome")[-1] == "Split: two or more points apart (3 ratings)"
    assert row("explained_clearly")[-1].startswith("Close: within one point (3 ratings)")
    assert row("safe_here")[1] == "We didn't see this"
    assert row("safe_here")[-1].startswith("Full agreement (2 ratings); 1 did not see this")
    assert "ash!" in page.text and "cal!" in page.text


# --- Moderation, finalising, superseding --------------------------------------------------


def test_the_coordinator_moderates_writes_recommendations_and_finalises(
    app, client_request, sign_in, people, demo
):
    framework = instrument(app)
    sign_in(people["coordinator"])
    visit = schedule(client_request, demo["wemwbs"].service_id, [people["ash"]])
    moderate_url = f"/fieldwork/visits/{visit.id}/moderate"

    page = client_request.post(f"/fieldwork/visits/{visit.id}/finalise", {}, expected_status=400)
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "No panel member has submitted their ratings yet" in summary
    assert "Record a moderated rating for" in summary

    sign_in(people["ash"])
    rate_everything(client_request, visit, framework, every(framework, "3"))
    sign_in(people["coordinator"])
    page = client_request.get(moderate_url)
    assert "Panel: Good (3). Too few ratings to compare." in page.text

    # Part of the moderation can be saved and finished later.
    client_request.post(
        moderate_url, {"rating_listen_to_me": "4", "note_listen_to_me": "Ash was sure."}
    )
    assert [(m.characteristic, m.rating, m.note) for m in db.session.scalars(
        select(ModeratedRating))] == [("listen_to_me", "4", "Ash was sure.")]  # fmt: skip
    page = client_request.get(moderate_url)
    assert page.find("input", attrs={"name": "rating_listen_to_me", "checked": True})["value"] == (
        "4"
    )
    page = client_request.post(
        moderate_url,
        {"rating_safe_here": "9", "note_have_a_say": "n" * 1001},
        expected_status=400,
    )
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Select one of the ratings for: I feel safe here" in summary
    assert "must be 1,000 characters or fewer" in summary

    moderate_all(client_request, visit, framework, value="3", summary="Friendly, hard to reach.")
    for text in ("Answer the phone after 4pm", "Put opening times on the website"):
        add_recommendation(
            client_request, visit, framework, text, summary="Friendly, hard to reach."
        )
    # An empty recommendation is refused with everything else typed still on the page.
    data = {f"rating_{c}": "2" for c in framework.framework.characteristics}
    data.update(summary="Changed my mind", recommendation="", add_recommendation="Add")
    page = client_request.post(moderate_url, data, expected_status=400)
    assert "Enter the recommendation" in page.select_one(".govuk-error-summary").text
    assert page.select_one("textarea[name=summary]").text.strip() == "Changed my mind"
    assert {i["value"] for i in page.select("input[type=radio][checked]")} == {"2"}
    first = db.session.scalars(select(Recommendation).order_by(Recommendation.id)).first()
    data = {f"rating_{c}": "3" for c in framework.framework.characteristics}
    data.update(summary="Friendly, hard to reach.", remove_recommendation=str(first.id))
    client_request.post(moderate_url, data)
    assert [r.text for r in db.session.scalars(select(Recommendation))] == [
        "Put opening times on the website"
    ]

    page = client_request.get(f"/fieldwork/visits/{visit.id}/finalise")
    assert "cannot be edited" in page.text
    response = client_request.post(f"/fieldwork/visits/{visit.id}/finalise", {})
    assert response.headers["Location"] == f"/reports/{visit.id}"
    db.session.refresh(visit)
    assert visit.is_final and visit.finalised_by_id == people["coordinator"].id
    page = client_request.get(f"/reports/{visit.id}")
    assert normalize_spaces(page.select_one("#report-status").text).startswith("Final since")
    assert "Friendly, hard to reach." in page.select_one("#report-summary").text


def test_a_final_report_cannot_be_edited(app, client_request, sign_in, people, demo):
    visit = final_report(app, client_request, sign_in, people, demo)
    framework = instrument(app)
    recommendation = visit.recommendations[0]
    before = (
        visit.summary,
        [(m.characteristic, m.rating) for m in visit.moderated],
        [r.text for r in visit.recommendations],
    )
    base = f"/fieldwork/visits/{visit.id}"
    attempts = [
        (f"{base}/moderate", {"rating_listen_to_me": "1", "summary": "Changed"}),
        (f"{base}/moderate", {"recommendation": "Sneaked in", "add_recommendation": "Add"}),
        (f"{base}/moderate", {"remove_recommendation": str(recommendation.id)}),
        (f"{base}/finalise", {}),
    ]
    for url, data in attempts:
        page = client_request.post(url, data, form_page="/staff", expected_status=409)
        assert normalize_spaces(page.h1.text) == "This report is final"
        assert "supersede it" in page.text
    client_request.get(f"{base}/moderate", expected_status=409)

    # A member who never submitted cannot rate a final report either.
    sign_in(people["coordinator"])
    db.session.add_all([])
    visit.panel.append(type(visit.panel[0])(user_id=people["cal"].id))
    db.session.commit()
    sign_in(people["cal"])
    client_request.post(
        f"{base}/rate/1", page_answers(framework, 1, every(framework, "1")),
        form_page="/staff", expected_status=409,
    )  # fmt: skip
    client_request.post(f"{base}/rate/check", {}, form_page="/staff", expected_status=409)

    db.session.expire_all()
    visit = db.session.get(Visit, visit.id)
    after = (
        visit.summary,
        [(m.characteristic, m.rating) for m in visit.moderated],
        [r.text for r in visit.recommendations],
    )
    assert after == before
    assert len(visit.ratings) == 2


def test_a_final_report_is_superseded_only_with_a_reason(
    app, client_request, sign_in, people, demo
):
    visit = final_report(app, client_request, sign_in, people, demo)
    sign_in(people["provider"])
    client_request.post(
        f"/reports/{visit.id}/recommendations/{visit.recommendations[0].id}/reply",
        {"reply": "We will.", "due_on": ["1", "1", str(uk_today().year + 1)]},
    )
    sign_in(people["coordinator"])
    url = f"/fieldwork/visits/{visit.id}/supersede"
    page = client_request.post(url, {"reason": "  "}, expected_status=400)
    assert "Enter the reason for superseding this report" in page.text
    page = client_request.post(url, {"reason": "r" * 2001}, expected_status=400)
    assert "The reason must be 2,000 characters or fewer" in page.text

    response = client_request.post(url, {"reason": "The wrong date was recorded."})
    db.session.expire_all()
    old = db.session.get(Visit, visit.id)
    new = db.session.get(Visit, old.superseded_by_id)
    assert response.headers["Location"] == f"/fieldwork/visits/{new.id}"
    assert old.supersede_reason == "The wrong date was recorded." and old.is_final
    assert not new.is_final and new.member_ids() == old.member_ids()
    assert [r.text for r in new.recommendations] == [r.text for r in old.recommendations]
    assert new.recommendations[0].reply is None and old.recommendations[0].reply == "We will."
    assert {m.characteristic: m.rating for m in new.moderated} == {
        m.characteristic: m.rating for m in old.moderated
    }
    assert len([r for r in new.ratings if r.submitted_at]) == 2

    page = client_request.get(f"/reports/{old.id}")
    banner = normalize_spaces(page.select_one(".govuk-warning-text").text)
    assert "superseded" in banner and "The wrong date was recorded." in banner
    assert "A corrected version is being prepared" in banner
    client_request.get(f"/reports/{new.id}", expected_status=404)  # a draft is no report yet
    page = client_request.post(url, {"reason": "Again"}, expected_status=409)
    assert "already been superseded" in page.text
    page = client_request.post(
        f"/fieldwork/visits/{new.id}/supersede", {"reason": "Too soon"}, expected_status=409
    )
    assert "Only a finalised report can be superseded" in page.text

    # The new version is edited and finalised; both are readable and linked.
    client_request.post(f"/fieldwork/visits/{new.id}/moderate", {"summary": "Corrected."})
    moderate_all(client_request, new, instrument(app), summary="Corrected.")
    client_request.post(f"/fieldwork/visits/{new.id}/finalise", {})
    page = client_request.get(f"/reports/{old.id}")
    link = page.select_one(".govuk-warning-text a")
    assert link["href"] == f"/reports/{new.id}"
    page = client_request.get(f"/reports/{new.id}")
    assert "The wrong date was recorded." in page.text  # listed under earlier versions
    sign_in(people["provider"])
    page = client_request.get(f"/reports/{old.id}")
    assert page.select("a[href*='/reply']") == []  # a superseded report takes no replies
    client_request.get(
        f"/reports/{old.id}/recommendations/{old.recommendations[0].id}/reply", expected_status=409
    )


# --- Reports and providers' replies -------------------------------------------------------


def test_the_provider_reads_its_report_and_replies_to_each_recommendation(
    app, client_request, sign_in, people, demo
):
    visit = final_report(
        app, client_request, sign_in, people, demo, ("Open later", "Explain referrals")
    )
    first, second = visit.recommendations
    sign_in(people["provider"])
    listing = client_request.get("/reports/")
    assert "2 recommendations awaiting a reply" in listing.select_one("#report-list").text
    page = client_request.get(f"/reports/{visit.id}")
    card = page.select_one("#rating-listen_to_me")
    assert normalize_spaces(card.h3.text) == "Staff listen to me and take me seriously"
    assert [normalize_spaces(dd.text) for dd in card.select("dd")] == [
        "Good (3)", "Close: within one point (2 ratings)",
    ]  # fmt: skip
    assert "Ash" not in page.text and "Bo" not in page.text  # young inspectors stay unnamed
    assert "Awaiting reply" in page.select_one(f"#recommendation-{first.id}").text

    url = f"/reports/{visit.id}/recommendations/{first.id}/reply"
    next_year = str(uk_today().year + 1)
    page = client_request.post(url, {"reply": "", "due_on": ["", "", ""]}, expected_status=400)
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Enter what you will do" in summary and "Enter the date you will do it by" in summary
    yesterday = uk_today() - timedelta(days=1)
    page = client_request.post(
        url,
        {"reply": "Open till 8", "due_on": [str(yesterday.day), str(yesterday.month),
                                             str(yesterday.year)]},
        expected_status=400,
    )  # fmt: skip
    assert "The date must be today or in the future" in page.text
    page = client_request.post(
        url, {"reply": "r" * 2001, "due_on": ["1", "13", next_year]}, expected_status=400
    )
    assert "Your reply must be 2,000 characters or fewer" in page.text
    assert "Enter a real date" in page.text

    response = client_request.post(url, {"reply": "Open till 8", "due_on": ["1", "9", next_year]})
    assert response.headers["Location"] == f"/reports/{visit.id}#recommendation-{first.id}"
    page = client_request.get(url)  # the reply can still be changed
    assert page.select_one("textarea").text.strip() == "Open till 8"
    client_request.post(url, {"reply": "Open till 9", "due_on": ["1", "10", next_year]})
    db.session.refresh(first)
    assert (first.reply, first.reply_due_on.month, first.status) == ("Open till 9", 10, "replied")
    assert first.replied_by_id == people["provider"].id

    page = client_request.get(f"/reports/{visit.id}")
    card = normalize_spaces(page.select_one(f"#recommendation-{first.id}").text)
    assert "Replied" in card and "Open till 9" in card and f"1 October {next_year}" in card
    sign_in(people["commissioner"])
    page = client_request.get(f"/reports/{visit.id}")
    assert "Open till 9" in page.text
    assert page.select("a[href*='/reply']") == []

    # Once the date in the reply has passed, nothing is locked: the reply is brought up to date.
    first.reply_due_on = yesterday
    db.session.commit()
    sign_in(people["provider"])
    page = client_request.get(f"/reports/{visit.id}")
    assert "Due date passed" in page.select_one(f"#recommendation-{first.id}").text
    client_request.post(url, {"reply": "Open till 10", "due_on": ["1", "11", next_year]})
    db.session.refresh(first)
    assert (first.reply, first.reply_due_on.month) == ("Open till 10", 11)
    assert second.reply is None


# --- Who may do what ----------------------------------------------------------------------


def test_each_role_sees_only_what_it_should(app, client_request, sign_in, people, demo):
    visit = final_report(app, client_request, sign_in, people, demo)
    recommendation = visit.recommendations[0]
    reply = f"/reports/{visit.id}/recommendations/{recommendation.id}/reply"
    base = f"/fieldwork/visits/{visit.id}"

    sign_in(people["coordinator"])
    draft = schedule(client_request, demo["wemwbs"].service_id, [people["ash"]])

    sign_in(people["other_provider"])  # a provider of another provider: no trace of it
    assert client_request.get("/reports/").select_one("#report-list") is None
    client_request.get(f"/reports/{visit.id}", expected_status=404)
    client_request.get(reply, expected_status=404)
    client_request.post(reply, {"reply": "x", "due_on": ["1", "1", "2030"]}, form_page="/staff",
                        expected_status=404)  # fmt: skip
    client_request.get("/fieldwork/visits", expected_status=403)
    client_request.get(base, expected_status=403)

    sign_in(people["provider"])  # its own provider: final reports only, never the panel's work
    client_request.get(f"/reports/{draft.id}", expected_status=404)
    client_request.get(f"/reports/{visit.id}/recommendations/{HUGE}/reply", expected_status=404)
    client_request.get(base, expected_status=403)
    client_request.get(f"{base}/moderate", expected_status=403)

    sign_in(people["outsider"])  # a peer researcher not on the panel
    client_request.get(base, expected_status=404)
    client_request.get(f"/fieldwork/visits/{draft.id}/rate/1", expected_status=404)
    client_request.get(f"/fieldwork/visits/{draft.id}/rate/check", expected_status=404)
    client_request.post(f"/fieldwork/visits/{draft.id}/rate/check", {}, form_page="/staff",
                        expected_status=404)  # fmt: skip
    # Reports: only those of the visits they were on, so none here.
    assert client_request.get("/reports/").select_one("#report-list") is None
    client_request.get(f"/reports/{visit.id}", expected_status=404)

    sign_in(people["ash"])  # on the panel: rates and reads its final report, never moderates
    client_request.get(f"/fieldwork/visits/{draft.id}/rate/1")
    client_request.get(f"/fieldwork/visits/{draft.id}/rate/{HUGE}", expected_status=404)
    for path in ("moderate", "finalise", "supersede"):
        client_request.get(f"/fieldwork/visits/{draft.id}/{path}", expected_status=403)
    client_request.get("/fieldwork/visits/new", expected_status=403)
    client_request.get(f"/reports/{visit.id}")
    client_request.get(f"/reports/{draft.id}", expected_status=404)  # not final: no report
    client_request.get(reply, expected_status=403)

    sign_in(people["commissioner"])  # reads every final report, replies to none
    client_request.get(f"/reports/{visit.id}")
    client_request.get(reply, expected_status=403)
    client_request.get("/fieldwork/visits", expected_status=403)

    sign_in(people["key_worker"])
    client_request.get("/fieldwork/visits", expected_status=403)
    client_request.get("/reports/", expected_status=403)

    sign_in(people["coordinator"])  # runs visits, but does not rate or reply as a provider
    client_request.get(f"/fieldwork/visits/{draft.id}/rate/1", expected_status=403)
    client_request.get(reply, expected_status=403)
    client_request.get(f"/reports/{draft.id}", expected_status=404)  # not final: no report
    for url in (
        "/fieldwork/visits/99999",
        "/reports/99999",
        f"/fieldwork/visits/{HUGE}",
        f"/reports/{HUGE}",
    ):
        client_request.get(url, expected_status=404)
    other = Recommendation(visit_id=draft.id, text="Elsewhere")
    db.session.add(other)
    db.session.commit()
    client_request.post(f"{base}/recommendations/{other.id}/remove", {}, form_page="/staff",
                        expected_status=404)  # fmt: skip

    sign_in(people["admin"])  # admins can do what coordinators do
    client_request.get(f"/fieldwork/visits/{draft.id}/moderate")
    client_request.get(f"/reports/{visit.id}")

    client_request.post("/sign-out", {}, form_page="/staff")
    response = client_request.get(base, expected_status=302)
    assert response.headers["Location"].startswith("/sign-in")


def test_a_provider_without_a_provider_cannot_reply(app, client_request, sign_in, people, demo):
    visit = final_report(app, client_request, sign_in, people, demo)
    user = people["provider"]
    user.provider_id = None
    db.session.commit()
    sign_in(user)
    client_request.get(f"/reports/{visit.id}", expected_status=404)
    assert client_request.get("/reports/").select_one("#report-list") is None


def test_the_demo_has_a_mystery_shop_for_the_demo_inspector(app, demo):
    from app.accounts.cli import load_demo_users
    from app.inspections.demo import load_demo_fieldwork

    service = db.session.get(Service, demo["wemwbs"].service_id)
    with pytest.raises(RuntimeError, match="load the demo users first"):
        load_demo_fieldwork(service)
    load_demo_users(service.provider)
    visit = load_demo_fieldwork(service)
    assert (visit.kind, visit.channel, visit.framework_id) == (
        "mystery", "phone", "mystery-shop-checklist",
    )  # fmt: skip
    assert [m.user.email for m in visit.panel] == ["inspector@example.org"]
    assert visit.created_by.email == "coordinator@example.org"


def test_a_change_that_races_a_finalise_is_refused(app, client_request, sign_in, people, demo):
    from sqlalchemy import update

    from app.inspections.errors import ReportIsFinal
    from app.inspections.moderation import save_moderation
    from app.models.timeutil import utcnow

    sign_in(people["coordinator"])
    visit = schedule(client_request, demo["wemwbs"].service_id, [people["ash"]])
    db.session.rollback()
    stale = db.session.get(Visit, visit.id)
    assert not stale.is_final
    # Another coordinator finalises it after this page was loaded.
    with db.engine.begin() as connection:
        connection.execute(update(Visit).where(Visit.id == visit.id).values(finalised_at=utcnow()))
    with pytest.raises(ReportIsFinal):
        save_moderation(stale, instrument(app), {}, None, new_recommendation="Too late")
    with pytest.raises(ReportIsFinal):
        save_moderation(stale, instrument(app), {}, "Too late")
    db.session.expire_all()
    assert db.session.scalars(select(Recommendation)).all() == []
    assert db.session.get(Visit, visit.id).summary is None
