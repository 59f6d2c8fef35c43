"""Evidence pages for commissioners and providers: figures a person can check by hand, small
numbers hidden on the page and in every export, and who may see which service."""

import pytest
from bs4 import BeautifulSoup

from app.evidence import inventory, page_figures
from app.extensions import db
from app.models import AuditEvent, Campaign, Response
from tests.support.evidence import FIRST, LATEST, PERIOD, UNLINKED, build_world, respond


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def _table(page, key) -> list[list[str]]:
    soup = BeautifulSoup(page, "html.parser")
    table = soup.find("table", id=f"table-{key}")
    assert table is not None, f"no table {key}"
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find_all("tr")
    ]


def _row(rows, label):
    return next(row for row in rows if row[0] == label)


def _html(client_request, url) -> str:
    return str(client_request.get(url))


def test_a_commissioner_reads_a_service_beside_the_previous_period(world, sign_in):
    client = sign_in(world["commissioner"])
    html = _html(client, f"/evidence/services/{world['drop_in'].id}?period={PERIOD}")
    assert "Drop-in: April to June 2026" in html
    responses = _table(html, "responses")
    assert responses[0][1:] == ["April to June 2026", "January to March 2026"]
    assert _row(responses, "People")[1:] == ["49", "30"]  # 35 WEMWBS + 14 feedback; 30

    scores = _table(html, "wemwbs-scores")
    now = LATEST + UNLINKED
    assert _row(scores, "People")[1:] == ["35", "30"]
    assert _row(scores, "Mean")[1] == f"{sum(now) / len(now):.1f}"
    assert _row(scores, "Mean")[2] == f"{sum(FIRST) / len(FIRST):.1f}"

    change = _table(html, "wemwbs-change")
    differences = [b - a for a, b in zip(FIRST, LATEST, strict=True)]
    assert _row(change, "People with an earlier score")[1] == "30"
    assert _row(change, "Mean change")[1] == f"{sum(differences) / 30:.1f}"
    test = _table(html, "wemwbs-test")
    assert _row(test, "April to June 2026")[1] == "paired t-test"
    assert _row(test, "January to March 2026")[1] == "too few people to test"

    bands = _table(html, "wemwbs-bands")
    assert bands[0][-1] == "Expected among pupils aged 13 to 16"
    assert any("fewer than 10" in row for row in bands[1:])

    wheel = _table(html, "outcomes-wheel-distance")
    # All 12 moved up: "12 of 12" would tell that nobody did not, so the share is hidden.
    assert wheel[1][1:6] == ["12", "3.0", "6.0", "3.0", "fewer than 10"]

    ratings = _table(html, "young-inspectors-framework-ratings")
    assert len(ratings) > 2
    recommendations = _table(html, "recommendations")
    assert recommendations[1][1:3] == [
        "Put the opening times on the door",
        "Done by the end of the month",
    ]
    assert 'id="method"' in html and "Threshold 10" in html


def test_small_groups_show_fewer_than_10_and_never_their_number(world, sign_in):
    client = sign_in(world["commissioner"])
    html = _html(client, f"/evidence/services/{world['drop_in'].id}?period={PERIOD}")
    how_often = _table(html, "service-feedback-how_often")
    first_time = next(row for row in how_often if row[0] == "This is my first time")
    assert first_time[1] == "fewer than 10"  # 3 people
    # 11 chose "most weeks" of 14: shown, it would give away the 3, so it is hidden too.
    most_weeks = _row(how_often, "Most weeks")
    assert most_weeks[1] == "fewer than 10"
    languages = _table(html, "languages")
    welsh = next(row for row in languages if row[0].startswith("Welsh"))
    assert welsh[1] == "fewer than 10"


def test_a_service_that_would_reveal_its_sibling_is_not_shown_on_its_own(world, sign_in, app):
    # Mentoring drops to 4 people in the period: Drop-in alone would then reveal it from
    # the provider's total, so neither service's WEMWBS figures are shown on their own.
    db.session.query(Response).filter(
        Response.campaign_id.in_(
            db.session.query(Campaign.id).filter(Campaign.service_id == world["mentoring"].id)
        ),
        Response.raw_score >= 49,
    ).delete(synchronize_session=False)
    db.session.commit()
    client = sign_in(world["commissioner"])
    html = _html(client, f"/evidence/services/{world['drop_in'].id}?period={PERIOD}")
    assert 'id="table-wemwbs-scores"' not in html
    assert "Not published for this service and period" in html
    provider = _html(client, f"/evidence/providers/{world['harbour'].id}?period={PERIOD}")
    scores = _table(provider, "wemwbs-scores")
    assert _row(scores, "People")[1] == "39"  # 35 + 4 together
    services = _table(provider, "services")
    assert _row(services, "Mentoring")[1] == "fewer than 10"
    assert _row(services, "Drop-in")[1] == "fewer than 10"


def test_providers_see_their_own_services_only(world, sign_in, client_request):
    client = sign_in(world["other_user"])
    client.get(f"/evidence/services/{world['drop_in'].id}?period={PERIOD}", expected_status=404)
    client.get(f"/evidence/providers/{world['harbour'].id}", expected_status=404)
    client.get(
        f"/evidence/services/{world['drop_in'].id}/pack.csv?period={PERIOD}", expected_status=404
    )
    index = _html(client, "/evidence/")
    assert "Riverside Trust" in index and "Harbour Youth" not in index
    client.get(f"/evidence/services/{world['counselling'].id}/written-answers", expected_status=403)


def test_bad_periods_get_a_clear_message(world, sign_in):
    client = sign_in(world["commissioner"])
    html = _html(client, f"/evidence/services/{world['drop_in'].id}?period=last-tuesday")
    assert "Enter a period as a date" in html
    html = _html(client, f"/evidence/services/{world['drop_in'].id}?period=2099-01-01")
    assert "has not started yet" in html


def test_written_answers_are_for_allowed_roles_and_each_view_is_audited(world, sign_in):
    client = sign_in(world["commissioner"])
    html = _html(
        client, f"/evidence/services/{world['drop_in'].id}/written-answers?period={PERIOD}"
    )
    assert "Staff listen to me" in html
    event = db.session.query(AuditEvent).filter_by(action="written_answers_viewed").one()
    assert event.object_id == str(world["drop_in"].id) and event.detail["answers_shown"] == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_every_export_is_audited_and_hides_the_same_figures(world, sign_in, fmt):
    client = sign_in(world["commissioner"])
    response = client.get(f"/evidence/services/{world['drop_in'].id}/pack.{fmt}?period={PERIOD}")
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"evidence-drop-in-2026-04.{fmt}" in response.headers["Content-Disposition"]
    body = response.get_data()
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        assert "fewer than 10" in text and "Drop-in" in text
    event = db.session.query(AuditEvent).filter_by(action="evidence_pack_exported").one()
    assert event.detail["format"] == fmt and event.detail["period"] == "April to June 2026"


def _wemwbs_campaign(service):
    return db.session.query(Campaign).filter_by(service_id=service.id, instrument_id="wemwbs").one()


def _options(html) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {o["value"]: o.get_text(strip=True) for o in soup.select("select#show option")}


def test_a_language_group_is_offered_only_when_it_and_the_rest_are_big_enough(world, sign_in, app):
    # Drop-in in May: 35 in English, then 12 in Welsh and 3 in Arabic. Arabic is too small;
    # Welsh alone would let Arabic be worked out from everyone minus English minus Welsh.
    # English alone would leave 15 people in two groups a reader takes as "fewer than 10"
    # each, so each would be 6 to 9: no language view is offered.
    campaign = _wemwbs_campaign(world["drop_in"])
    for _ in range(12):
        respond(app, campaign, 50, language="cy")
    for _ in range(3):
        respond(app, campaign, 50, language="ar")
    db.session.commit()
    client = sign_in(world["commissioner"])
    url = f"/evidence/services/{world['drop_in'].id}?period={PERIOD}"
    options = _options(_html(client, url))
    assert "language:en" not in options
    assert "language:cy" not in options and "language:ar" not in options

    html = _html(client, url + "&show=language:ar")
    assert "That group is too small to show on its own" in html
    assert _row(_table(html, "wemwbs-scores"), "People")[1] == "50"  # everyone instead

    html = _html(client, url + "&show=language:en")
    assert "That group is too small to show on its own" in html
    assert _row(_table(html, "wemwbs-scores"), "People")[1] == "50"


def test_an_age_band_view_cannot_be_subtracted_to_reveal_a_small_band(world, sign_in, app):
    campaign = _wemwbs_campaign(world["mentoring"])
    for band, people in (("13_15", 20), ("16_17", 11), ("18_24", 4)):
        for _ in range(people):
            respond(app, campaign, 47, age_band=band)
    db.session.commit()
    client = sign_in(world["commissioner"])
    url = f"/evidence/services/{world['mentoring'].id}?period={PERIOD}"
    options = _options(_html(client, url))
    # 18 to 24 has 4 people. Offering 16 to 17 as well would let everyone minus 13 to 15,
    # minus 16 to 17, minus those with no band give the 4: the row rule hides the next
    # smallest group (16 to 17) so the hidden groups together are 10 or more.
    offered = {key for key in options if key.startswith("age_band:")}
    assert offered == {"age_band:13_15"}
    hidden = {"13_15": 20, "16_17": 11, "18_24": 4}
    for key in offered:
        html = _html(client, url + f"&show={key}")
        people = _row(_table(html, "wemwbs-scores"), "People")[1]
        assert people == str(hidden[key.split(":")[1]])


def test_figures_kept_between_requests_follow_new_deleted_and_anonymised_answers(
    world, sign_in, app
):
    from datetime import datetime

    from app.models import Participant
    from app.privacy import delete_participant, run_retention

    client = sign_in(world["commissioner"])
    url = f"/evidence/services/{world['drop_in'].id}?period={PERIOD}"

    def people_and_linked():
        html = _html(client, url)
        scores = _row(_table(html, "wemwbs-scores"), "People")[1]
        linked = _row(_table(html, "wemwbs-change"), "People with an earlier score")[1]
        return scores, linked

    kept = app.extensions["evidence_figures"]
    assert people_and_linked() == ("35", "30")
    built = kept.misses
    assert people_and_linked() == ("35", "30")  # asked again: the kept figures
    # Answers arriving after the period cannot change its figures, so they are kept.
    respond(app, _wemwbs_campaign(world["drop_in"]), 60, when=datetime(2026, 8, 3, 10))
    db.session.commit()
    assert people_and_linked() == ("35", "30")
    assert kept.misses == built
    respond(app, _wemwbs_campaign(world["drop_in"]), 60)
    db.session.commit()
    assert people_and_linked() == ("36", "30")

    someone = db.session.query(Participant).order_by(Participant.id).first()
    delete_participant(someone)
    assert people_and_linked() == ("35", "29")

    run_retention(now=datetime(2100, 1, 1))  # every response past its retention period
    scores, linked = people_and_linked()
    assert scores == "35"
    assert linked in ("0", "fewer than 10")


def test_a_page_reads_its_data_version_once(world, sign_in, monkeypatch):
    """The groups on offer and the figures are kept under the same data: a page reads what
    version of it there is once, not once for each."""
    reads = []
    read = inventory.data_version
    monkeypatch.setattr(
        page_figures, "data_version", lambda *args: reads.append(args) or read(*args)
    )
    client = sign_in(world["commissioner"])
    service = world["drop_in"]
    for url in (
        f"/evidence/services/{service.id}?period={PERIOD}",
        f"/evidence/providers/{service.provider_id}?period={PERIOD}",
    ):
        reads.clear()
        _html(client, url)
        assert len(reads) == 1, url
