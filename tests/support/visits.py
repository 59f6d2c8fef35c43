"""People, visits and reports for the tests of young inspectors' visits and mystery shops:
a coordinator, a panel of three, an inspector on no panel, the other roles, and the steps of
a visit from scheduling to a final report."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PanelMember, Provider, Visit

FRAMEWORK = "young-inspectors-framework@1"
MYSTERY_SHOP = "mystery-shop-checklist@1"
HUGE = "9" * 20  # an id bigger than any database integer


@pytest.fixture
def people(demo, make_user):
    """A coordinator, three panel members, an inspector on no panel, and the other roles."""
    own = demo["wemwbs"].service.provider
    other = Provider(name="Elsewhere Care Ltd")
    db.session.add(other)
    db.session.commit()
    found = {
        "coordinator": make_user("coordinator"),
        "admin": make_user("admin"),
        "commissioner": make_user("commissioner"),
        "key_worker": make_user("key_worker"),
        "provider": make_user("provider", provider=own),
        "other_provider": make_user("provider", provider=other),
    }
    for name in ("Ash", "Bo", "Cal", "Outsider"):
        user = make_user("peer_researcher")
        user.name = name
        found[name.lower()] = user
    db.session.commit()
    return found


def instrument(app, key=FRAMEWORK):
    instrument_id, _, version = key.partition("@")
    return app.extensions["instruments"].get(instrument_id, int(version))


def schedule(client_request, service_id, members, framework=FRAMEWORK, **changes):
    data = {
        "service_id": str(service_id),
        "kind": "known",
        "channel": "visit",
        "framework": framework,
        "visit_on": ["14", "3", "2027"],
        "scenario": "Ask about drop-in times.",
        "panel": [str(m.id) for m in members],
    }
    data.update(changes)
    response = client_request.post(
        "/fieldwork/visits/new/schedule", data, form_page="/fieldwork/visits/new"
    )
    visit = db.session.scalars(select(Visit).order_by(Visit.id.desc())).first()
    assert response.headers["Location"] == f"/fieldwork/visits/{visit.id}"
    return visit


def page_answers(framework, page_number, ratings, notes=None, checklist="yes"):
    """The form data for one rating page: `ratings` maps characteristic -> value."""
    data = {"action": "continue"}
    for item in framework.page_items(page_number):
        if item.id in framework.framework.characteristics:
            data[item.id] = ratings[item.id]
        elif item.id.endswith("_evidence"):
            characteristic = item.id.removesuffix("_evidence")
            data[item.id] = (notes or {}).get(characteristic, "")
        else:
            data[item.id] = checklist
    return data


def rate_everything(client_request, visit, framework, ratings, notes=None, submit=True):
    for number in range(1, framework.page_count + 1):
        client_request.post(
            f"/fieldwork/visits/{visit.id}/rate/{number}",
            page_answers(framework, number, ratings, notes),
        )
    if submit:
        response = client_request.post(f"/fieldwork/visits/{visit.id}/rate/check", {})
        assert response.headers["Location"] == f"/fieldwork/visits/{visit.id}"


def every(framework, value):
    return {c: value for c in framework.framework.characteristics}


def moderate_all(client_request, visit, framework, value="3", summary="A warm welcome."):
    data = {f"rating_{c}": value for c in framework.framework.characteristics}
    data.update({f"note_{c}": "" for c in framework.framework.characteristics})
    data["summary"] = summary
    client_request.post(f"/fieldwork/visits/{visit.id}/moderate", data)


def add_recommendation(client_request, visit, framework, text, value="3", summary=""):
    """Press "Add recommendation" on the moderation page, with its ratings as they stand."""
    data = {f"rating_{c}": value for c in framework.framework.characteristics}
    data.update(summary=summary or visit.summary or "", recommendation=text)
    data["add_recommendation"] = "Add recommendation"
    return client_request.post(f"/fieldwork/visits/{visit.id}/moderate", data)


def final_report(app, client_request, sign_in, people, demo, recommendations=("Open later",)):
    """A visit rated by Ash and Bo, moderated and finalised, with recommendations."""
    framework = instrument(app)
    sign_in(people["coordinator"])
    visit = schedule(client_request, demo["wemwbs"].service_id, [people["ash"], people["bo"]])
    for member, value in ((people["ash"], "3"), (people["bo"], "4")):
        sign_in(member)
        rate_everything(client_request, visit, framework, every(framework, value))
    sign_in(people["coordinator"])
    moderate_all(client_request, visit, framework)
    for text in recommendations:
        add_recommendation(client_request, visit, framework, text)
    client_request.post(f"/fieldwork/visits/{visit.id}/finalise", {})
    db.session.refresh(visit)
    assert visit.is_final
    return visit


def inspector_who_visited(make_user, service_id: int):
    """A young inspector who has been on a (known) visit to the service: who may enter the
    questionnaires its young people filled in on paper."""
    user = make_user("peer_researcher")
    visit = Visit(
        service_id=service_id,
        kind="known",
        channel="visit",
        visit_on=date(2026, 11, 2),
        framework_id="young-inspectors-framework",
        framework_version=1,
        created_by_id=user.id,
    )
    db.session.add(visit)
    db.session.flush()
    db.session.add(PanelMember(visit_id=visit.id, user_id=user.id))
    db.session.commit()
    return user
