"""Each staff member's home page: what is waiting for them, counted only over what they may
see, with a link to where it is done; roles in words; the menu every role gets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    Campaign,
    PanelMember,
    PanelRating,
    ProviderReturn,
    Recommendation,
    SafeguardingAlert,
    Visit,
)
from app.models.improvement import CaseAction, ImprovementCase
from app.models.timeutil import uk_today, utcnow
from app.monitoring.returns_due import overdue_returns
from tests.support.commissioning import add_provider, two_councils
from tests.support.pages import normalize_spaces

FRAMEWORK = "young-inspectors-framework"


def to_do(page) -> dict[str, tuple[str, str]]:
    """{key: (text of the link, where it goes)} of the home page's to-do list."""
    return {
        item["id"].removeprefix("to-do-"): (normalize_spaces(item.a.text), item.a["href"])
        for item in page.select("#to-do li")
    }


def visit(service, creator, *, final=False, members=(), **fields) -> Visit:
    made = Visit(
        service=service,
        kind="known",
        channel="visit",
        visit_on=uk_today() - timedelta(days=3),
        framework_id=FRAMEWORK,
        framework_version=1,
        created_by=creator,
        finalised_at=utcnow() if final else None,
        **fields,
    )
    made.panel = [PanelMember(user=member) for member in members]
    db.session.add(made)
    db.session.commit()
    return made


def test_a_young_inspector_sees_the_visits_they_still_have_to_rate(
    client_request, sign_in, make_user
):
    provider = add_provider("Youth Provider", "Drop-in")
    service = provider.services[0]
    coordinator = make_user("coordinator")
    me, other = make_user("peer_researcher"), make_user("peer_researcher")
    waiting = visit(service, coordinator, members=[me, other])
    started = visit(service, coordinator, members=[me])
    db.session.add(PanelRating(visit=started, user=me, ratings={"a": "3"}))  # saved, not sent
    sent = visit(service, coordinator, members=[me])
    db.session.add(PanelRating(visit=sent, user=me, ratings={}, submitted_at=utcnow()))
    visit(service, coordinator, members=[me], final=True)  # finished: nothing to rate
    visit(service, coordinator, members=[other])  # not my panel
    db.session.commit()
    assert waiting.id

    page = sign_in(me).get("/staff")
    assert to_do(page) == {"visits": ("2 visits to rate", "/fieldwork/visits")}
    assert normalize_spaces(page.select_one("#your-roles").text) == "Your role: Young inspector."
    assert "peer_researcher" not in page.text


def test_a_provider_counts_only_its_own_recommendations_awaiting_a_reply(
    client_request, sign_in, make_user
):
    ours = add_provider("Our Provider", "Our Club")
    theirs = add_provider("Their Provider", "Their Club")
    coordinator = make_user("coordinator")
    me = make_user("provider", provider=ours)
    report = visit(ours.services[0], coordinator, final=True)
    report.recommendations = [
        Recommendation(text="Open later"),
        Recommendation(text="Say hello"),
        Recommendation(text="Already answered", reply="We will", reply_due_on=uk_today()),
    ]
    draft = visit(ours.services[0], coordinator)  # not final: not a report yet
    draft.recommendations = [Recommendation(text="Not published")]
    other = visit(theirs.services[0], coordinator, final=True)
    other.recommendations = [Recommendation(text="Not ours")]
    db.session.commit()

    tasks = to_do(sign_in(me).get("/staff"))
    assert tasks["recommendations"] == ("2 recommendations awaiting your reply", "/reports/")
    assert "visits" not in tasks and "alerts" not in tasks


def test_a_coordinator_sees_recent_replies_and_campaigns_closing_soon(
    client_request, sign_in, make_user, demo
):
    coordinator = make_user("coordinator")
    service = demo["wemwbs"].service
    report = visit(service, coordinator, final=True)
    report.recommendations = [
        Recommendation(text="A", reply="Done", reply_due_on=uk_today(), replied_at=utcnow()),
        Recommendation(
            text="B",
            reply="Done long ago",
            reply_due_on=uk_today(),
            replied_at=utcnow() - timedelta(days=40),
        ),
        Recommendation(text="C"),
    ]
    closing = Campaign(
        service=service,
        name="Closing soon",
        instrument_id="wemwbs",
        instrument_version=1,
        opens_on=uk_today() - timedelta(days=30),
        closes_on=uk_today() + timedelta(days=5),
        status="open",
    )
    db.session.add(closing)
    db.session.commit()

    page = sign_in(coordinator).get("/staff")
    tasks = to_do(page)
    assert tasks["replies"] == ("1 reply from a provider to read", "/reports/")
    assert tasks["campaigns"] == ("1 campaign closing soon", "/admin/campaigns")
    # The coordinator's own pages: fieldwork, visits and reports among them.
    links = {normalize_spaces(a.text): a["href"] for a in page.select("#your-pages a")}
    assert links["Fieldwork"] == "/fieldwork/"
    assert links["Visits"] == "/fieldwork/visits"
    assert links["Reports"] == "/reports/"


def test_a_safeguarding_lead_sees_alerts_nobody_has_acknowledged(
    client_request, sign_in, make_user
):
    lead = make_user("safeguarding_lead")
    for status in ("new", "new", "acknowledged", "closed"):
        db.session.add(SafeguardingAlert(source="staff", status=status))
    db.session.commit()
    tasks = to_do(sign_in(lead).get("/staff"))
    assert tasks == {"alerts": ("2 alerts to acknowledge", "/safeguarding/")}


def test_returns_and_actions_are_counted_per_council_and_per_provider(
    client_request, sign_in, make_user
):
    north, south = two_councils(make_user)
    provider_person = make_user("provider", provider=north.contract.provider)
    today = uk_today()
    late = overdue_returns(north.contract, today)
    assert late, "the contracts started in April, so earlier quarters' returns are overdue"
    # One of north's overdue returns comes in.
    db.session.add(
        ProviderReturn(
            contract_id=north.contract.id,
            period_start=late[0].start,
            period_end=late[0].end,
            status="submitted",
            submitted_at=utcnow(),
        )
    )
    case = ImprovementCase(contract=north.contract, title="Waiting times", opened_at=utcnow())
    case.actions = [
        CaseAction(description="Body: soon", owner="body", due_on=today + timedelta(days=3)),
        CaseAction(description="Body: later", owner="body", due_on=today + timedelta(days=60)),
        CaseAction(description="Body: done", owner="body", due_on=today, status="verified"),
        CaseAction(
            description="Provider: overdue", owner="provider", due_on=today - timedelta(days=1)
        ),
    ]
    db.session.add(case)
    db.session.commit()

    north_tasks = to_do(sign_in(north.commissioner).get("/staff"))
    assert north_tasks["returns_overdue"] == (
        f"{len(late) - 1} return{'s' if len(late) - 1 != 1 else ''} overdue",
        f"/contracts/{north.contract.id}/returns",
    )
    assert north_tasks["body_actions"] == ("1 action due", "/cases/")
    south_tasks = to_do(sign_in(south.commissioner).get("/staff"))
    south_late = len(overdue_returns(south.contract, today))
    assert south_tasks["returns_overdue"][0].startswith(f"{south_late} return")
    assert south_tasks["body_actions"][0] == "0 actions due"

    provider_tasks = to_do(sign_in(provider_person).get("/staff"))
    # Both contracts are the provider's: every unsubmitted return of each is waiting.
    assert provider_tasks["returns"][0].startswith(f"{len(late) - 1 + south_late} return")
    assert provider_tasks["returns"][1] == "/contracts/"
    assert provider_tasks["provider_actions"] == ("1 action due", "/cases/")


def test_the_users_list_and_form_show_roles_in_words(client_request, sign_in, make_user):
    admin = make_user("admin")
    both = make_user("peer_researcher", "key_worker", email="jo@example.org")
    both.name = "Jo"
    db.session.commit()
    page = sign_in(admin).get("/admin/users")
    text = normalize_spaces(page.select_one("main").text)
    assert "Young inspector, Key worker" in text
    assert "peer_researcher" not in text and "key_worker" not in text
    form = sign_in(admin).get("/admin/users/new")
    labels = {normalize_spaces(label.text) for label in form.select("label")}
    assert "Young inspector" in labels


@pytest.mark.parametrize(
    "role",
    ["admin", "coordinator", "commissioner", "provider", "key_worker", "peer_researcher",
     "safeguarding_lead"],
)  # fmt: skip
def test_every_role_can_raise_a_concern_and_sign_out_from_the_header(
    client_request, sign_in, make_user, role, demo
):
    person = make_user(
        role, provider=demo["wemwbs"].service.provider if role == "provider" else None
    )
    page = sign_in(person).get("/staff")
    header = page.select_one("header")
    links = {normalize_spaces(a.text): a["href"] for a in header.select("nav a")}
    assert links["Raise a concern"] == "/safeguarding/raise"
    sign_out = header.find("button", string="Sign out").find_parent("form")
    assert sign_out["action"] == "/sign-out" and sign_out["method"] == "post"
    client_request.get("/safeguarding/raise")
