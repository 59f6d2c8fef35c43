"""A coordinator checks a visit before scheduling it, and changes its date, scenario and panel
afterwards; each change is in the audit log, and no one who has rated leaves the panel."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, PanelRating, Visit
from tests.support.pages import normalize_spaces
from tests.support.visits import FRAMEWORK, schedule

NEW = "/fieldwork/visits/new"


def answers(demo, members, **changes):
    data = {
        "service_id": str(demo["wemwbs"].service_id),
        "kind": "known",
        "channel": "visit",
        "framework": FRAMEWORK,
        "visit_on": ["14", "3", "2027"],
        "scenario": "Ask about drop-in times.",
        "panel": [str(m.id) for m in members],
    }
    data.update(changes)
    return data


def test_a_visit_is_checked_before_it_is_scheduled_and_change_keeps_every_answer(
    client_request,
    sign_in,
    people,
    demo,
):
    sign_in(people["coordinator"])
    check = client_request.post(NEW, answers(demo, [people["ash"], people["bo"]]), 200)
    assert normalize_spaces(check.h1.text) == "Check the visit before you schedule it"
    rows = {
        normalize_spaces(row.dt.text): normalize_spaces(row.select_one("dd").text)
        for row in check.select("#check-answers .govuk-summary-list__row")
    }
    assert rows["Date of the visit"] == "14 March 2027"
    assert rows["Panel"] == "Ash, Bo"
    assert rows["Scenario"] == "Ask about drop-in times."
    assert db.session.scalars(select(Visit)).all() == []

    form = client_request.post(
        NEW, answers(demo, [people["ash"], people["bo"]], change="panel"), 200
    )
    assert normalize_spaces(form.h1.text) == "Schedule a visit"
    assert form.select_one("#scenario").text.strip() == "Ask about drop-in times."
    ticked = {box["value"] for box in form.select("input[name=panel][checked]")}
    assert ticked == {str(people["ash"].id), str(people["bo"].id)}
    assert not form.select(".govuk-error-summary")
    assert db.session.scalars(select(Visit)).all() == []


def test_date_scenario_and_panel_change_afterwards_and_are_audited(
    client_request,
    sign_in,
    people,
    demo,
):
    sign_in(people["coordinator"])
    visit = schedule(client_request, demo["wemwbs"].service_id, [people["ash"], people["bo"]])
    assert db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "Visit", AuditEvent.object_id == str(visit.id)
        )
    ).all() == ["visit_scheduled"]
    page = client_request.get(f"/fieldwork/visits/{visit.id}")
    edit = page.select_one("#change-visit")["href"]
    client_request.post(
        edit,
        {"visit_on": ["21", "3", "2027"], "scenario": "Ask about late opening.",
         "panel": [str(people["ash"].id), str(people["cal"].id)]},
    )  # fmt: skip
    db.session.refresh(visit)
    assert visit.visit_on.day == 21 and visit.scenario == "Ask about late opening."
    assert sorted(m.user.name for m in visit.panel) == ["Ash", "Cal"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "visit_changed")).one()
    assert event.detail == {
        "date": "14 March 2027 → 21 March 2027",
        "scenario": "changed",
        "panel": "Ash, Bo → Ash, Cal",
    }


def test_someone_who_has_started_rating_stays_on_the_panel(
    client_request,
    sign_in,
    people,
    demo,
):
    sign_in(people["coordinator"])
    visit = schedule(client_request, demo["wemwbs"].service_id, [people["ash"], people["bo"]])
    db.session.add(PanelRating(visit=visit, user=people["bo"], ratings={}, notes={}))
    db.session.commit()
    edit = f"/fieldwork/visits/{visit.id}/edit"
    page = client_request.post(
        edit,
        {"visit_on": ["14", "3", "2027"], "panel": [str(people["ash"].id)]},
        expected_status=400,
    )
    assert page.title.text.startswith("Error:")
    assert "Bo has started rating, so cannot be taken off the panel" in normalize_spaces(
        page.select_one(".govuk-error-summary").text
    )
    db.session.refresh(visit)
    assert sorted(m.user.name for m in visit.panel) == ["Ash", "Bo"]
    sign_in(people["ash"])
    client_request.get(edit, expected_status=403)
