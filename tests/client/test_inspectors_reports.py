"""Young inspectors read the final report of every visit they took part in, the provider's
replies and the actions that came of their recommendations, and hear when one changes."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.improvement.cases import set_action_status
from app.improvement.notify import PROVIDER
from app.improvement.recommendations import action_for_recommendation
from app.models import SafeguardingEmail
from app.models.improvement import Notification
from app.models.timeutil import uk_today
from tests.support.pages import normalize_spaces
from tests.support.visits import final_report


def news_for(user) -> list[Notification]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_a_young_inspector_reads_the_report_of_their_visit_and_hears_what_came_of_it(
    app,
    client_request,
    sign_in,
    people,
    demo,
):
    visit = final_report(app, client_request, sign_in, people, demo, ("Open later",))
    [recommendation] = visit.recommendations
    ash, outsider = people["ash"], people["outsider"]

    # The report going final is news for each panel member, and for nobody else.
    [final] = news_for(ash)
    assert final.kind == "panel_report_final"
    assert final.link == f"/reports/{visit.id}"
    assert news_for(outsider) == []
    emails = db.session.scalars(
        select(SafeguardingEmail).where(SafeguardingEmail.kind == "panel_report_final")
    ).all()
    assert sorted(e.recipient for e in emails) == sorted([ash.email, people["bo"].email])

    sign_in(ash)
    listing = client_request.get("/reports/")
    assert [a["href"] for a in listing.select("#report-list a")] == [f"/reports/{visit.id}"]
    assert "you took part in" in normalize_spaces(listing.select_one("main p").text)
    page = client_request.get(f"/reports/{visit.id}")
    assert "Open later" in page.select_one(f"#recommendation-{recommendation.id}").text
    # The staff navigation takes a young inspector to their reports.
    assert page.select_one("nav a[href='/reports/']") is not None

    # The provider replies: the panel hears of it and reads the reply.
    sign_in(people["provider"])
    next_year = str(uk_today().year + 1)
    client_request.post(
        f"/reports/{visit.id}/recommendations/{recommendation.id}/reply",
        {"reply": "Open till 8 on Fridays", "due_on": ["1", "9", next_year]},
    )
    assert [n.kind for n in news_for(ash)] == ["panel_report_final", "panel_reply"]
    assert news_for(ash)[-1].link == f"/reports/{visit.id}#recommendation-{recommendation.id}"
    sign_in(ash)
    card = client_request.get(f"/reports/{visit.id}").select_one(
        f"#recommendation-{recommendation.id}"
    )
    assert "Open till 8 on Fridays" in card.text

    # The action that came from the recommendation moves on: the panel hears of it, and
    # reads its status on the report, with no link into the case, which is not theirs.
    db.session.refresh(recommendation)
    action = action_for_recommendation(recommendation)
    assert action is not None  # the demo service has a contract, so a case
    set_action_status(action, people["provider"], PROVIDER, "done")
    db.session.commit()
    assert news_for(ash)[-1].kind == "panel_action"
    assert "done" in news_for(ash)[-1].body
    card = client_request.get(f"/reports/{visit.id}").select_one(
        f"#recommendation-{recommendation.id}"
    )
    assert "Improvement action" in card.text
    assert card.select("a[href^='/cases/']") == []
    # Their notifications page lists it all.
    page = client_request.get("/cases/notifications")
    assert len(page.select("#notifications li")) == len(news_for(ash))
