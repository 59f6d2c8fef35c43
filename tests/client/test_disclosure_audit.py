"""Nothing below 10 can be worked out: the disclosure auditor (tests.support.disclosure_audit)
run on every view a role can download about a provider family, on fixed worlds built to
reproduce each way hidden figures were recovered, and on families Hypothesis draws.

Each attack was first reproduced here against the evidence pages, then closed by the
disclosure layer (`app.evidence.disclosure`).
"""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from app.access import EVIDENCE_READERS
from app.extensions import db
from app.models import Participant
from tests.support import disclosure_worlds as worlds
from tests.support.apps import empty_database
from tests.support.disclosure_audit import (
    HIDDEN,
    Cell,
    Harvest,
    Key,
    Share,
    audit,
    harvest_family,
    parse_period,
    report,
    unsafe,
)
from tests.support.evidence import PERIOD, build_world
from tests.support.pages import ClientRequest

# Every role that may read a provider's evidence (the provider's own staff as "provider").
ROLES = tuple(sorted(EVIDENCE_READERS.roles))
QUARTER = (date(2026, 4, 1), date(2026, 6, 30))
WHOLE = frozenset({1, 2, 3})


def _harvest_as(make_user, sign_in, world, role="commissioner"):
    user = make_user(role, provider=world.provider if role == "provider" else None)
    return harvest_family(sign_in(user), world.provider.id, world.seeds, window=world.window)


def _audit(app, make_user, sign_in, world, role="commissioner"):
    harvest = _harvest_as(make_user, sign_in, world, role)
    return harvest, audit(harvest, worlds.truth(app))


# --- The auditor itself, on figures written by hand ----------------------------------------


def _harvest(*cells: tuple[str, frozenset[int], int | None], shares=()) -> Harvest:
    harvest = Harvest(services={1: "A", 2: "B", 3: "C"})
    for measure, services, value in cells:
        harvest.cells.append(Cell(Key(measure, services, QUARTER), value, "by hand"))
    harvest.shares.extend(shares)
    return harvest


def _range(result, services):
    return next((f.low, f.high) for f in result.findings if f.key.services == services)


def test_the_auditor_recovers_a_service_from_its_provider_and_siblings():
    result = audit(
        _harvest(
            ("people", WHOLE, 31),
            ("people", frozenset({1}), 15),
            ("people", frozenset({2}), 12),
            ("people", frozenset({3}), HIDDEN),
        )
    )
    assert _range(result, frozenset({3})) == pytest.approx((4, 4))
    assert [f.key.services for f in unsafe(result)] == [frozenset({3})]
    assert "people [services 3;" in report(result)


def test_the_auditor_passes_hidden_cells_that_can_still_be_anything_below_10():
    result = audit(
        _harvest(
            ("people", WHOLE, 29),
            ("people", frozenset({1}), 20),
            ("people", frozenset({2}), HIDDEN),
            ("people", frozenset({3}), HIDDEN),
        )
    )
    assert _range(result, frozenset({2})) == pytest.approx((0, 9))
    assert unsafe(result) == []


def test_the_auditor_reads_fewer_than_10_literally_unless_the_figures_prove_otherwise():
    # 31 = 10 + two hidden cells: both cannot be below 10, and either may be the larger.
    result = audit(
        _harvest(
            ("people", WHOLE, 31),
            ("people", frozenset({1}), 10),
            ("people", frozenset({2}), HIDDEN),
            ("people", frozenset({3}), HIDDEN),
        )
    )
    assert len(result.not_small) == 2
    assert _range(result, frozenset({3})) == pytest.approx((0, 21))
    assert unsafe(result) == []


def test_a_share_to_full_precision_pins_the_count_behind_it():
    # Completion: the provider 29 of 42 exactly, one service 20 of 30: the other 9 of 12.
    def share(services, value):
        yes = Key("responses", services, QUARTER, (), (("complete", "yes"),))
        return Share(yes, Key("responses", services, QUARTER), value, 1e-9, "by hand")

    two = frozenset({1, 2})
    harvest = _harvest(
        ("responses", two, 42),
        ("responses", frozenset({1}), 12),
        ("responses", frozenset({2}), 30),
        shares=[share(two, 29 / 42), share(frozenset({2}), 20 / 30), share(frozenset({1}), None)],
    )
    harvest.services = {1: "A", 2: "B"}
    result = audit(harvest)
    [finding] = unsafe(result)
    assert finding.derived and (finding.low, finding.high) == pytest.approx((9, 9))


def test_period_labels_read_as_the_pages_write_them():
    assert parse_period("April to June 2026") == QUARTER
    assert parse_period("Share, November 2025 to January 2026") == (
        date(2025, 11, 1),
        date(2026, 1, 31),
    )
    assert parse_period("February 2028 (so far)") == (date(2028, 2, 1), date(2028, 2, 29))


# --- Harvesting what a role can download ---------------------------------------------------


def test_the_harvest_reads_every_view_period_group_and_format(app, make_user, sign_in):
    world = worlds.siblings(app)
    harvest = _harvest_as(make_user, sign_in, world)
    arches, canals = (world.services[name].id for name in ("Arches", "Canals"))
    published = {(c.key, c.value) for c in harvest.cells}
    may = QUARTER
    # 15, 12 and 4 people: hiding 4 and 12 alone would leave 16 in two cells read as
    # "fewer than 10" (each 7 to 9), so every service's own figure is hidden.
    assert (Key("people", frozenset({arches}), may), HIDDEN) in published
    assert (Key("people", frozenset({canals}), may), HIDDEN) in published
    assert any("pack.xlsx" in url for url in harvest.fetched)
    assert any("show=language:en" in url for url in harvest.fetched)
    assert any(f"/evidence/services/{canals}/pack.csv" in url for url in harvest.fetched)


# --- The fixed worlds: the ways hidden figures were recovered ------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_no_service_can_be_worked_out_from_its_siblings(app, make_user, sign_in, role):
    _, result = _audit(app, make_user, sign_in, worlds.siblings(app), role)
    assert not unsafe(result), report(result)


@pytest.mark.parametrize("role", ROLES)
def test_no_group_can_be_worked_out_from_the_other_groups(app, make_user, sign_in, role):
    _, result = _audit(app, make_user, sign_in, worlds.complementary_languages(app), role)
    assert not unsafe(result), report(result)


@pytest.mark.parametrize("role", ROLES)
def test_a_filtered_provider_minus_a_filtered_service_reveals_nothing(
    app, make_user, sign_in, role
):
    _, result = _audit(app, make_user, sign_in, worlds.filtered_provider_and_service(app), role)
    assert not unsafe(result), report(result)


@pytest.mark.parametrize("role", ROLES)
def test_a_quarter_minus_two_months_does_not_give_the_third(app, make_user, sign_in, role):
    _, result = _audit(app, make_user, sign_in, worlds.monthly_inside_quarterly(app), role)
    assert not unsafe(result), report(result)


@pytest.mark.parametrize("role", ROLES)
def test_shares_in_the_spreadsheet_do_not_pin_a_hidden_count(app, make_user, sign_in, role):
    _, result = _audit(app, make_user, sign_in, worlds.exact_fractions(app), role)
    assert not unsafe(result), report(result)


@pytest.mark.parametrize("role", ROLES)
def test_no_figure_of_any_kind_can_be_worked_out_in_the_evidence_world(
    app, make_user, sign_in, role
):
    # Scales with change over time, a questionnaire's answers, outcomes-wheel areas and a
    # visit, at two services of one provider (tests.support.evidence).
    world = build_world(app, make_user)
    user = make_user(role, provider=world["harbour"] if role == "provider" else None)
    harvest = harvest_family(sign_in(user), world["harbour"].id, [PERIOD], window=worlds.WINDOW)
    measures = {cell.key.measure.partition(":")[0] for cell in harvest.cells}
    assert {"scale", "change", "q", "star"} <= measures
    result = audit(harvest, worlds.truth(app))
    assert not unsafe(result), report(result)


def _table(page: BeautifulSoup, key: str) -> dict[str, list[str]]:
    table = page.find("table", id=f"table-{key}")
    assert table is not None, f"no table {key}"
    rows = [[c.get_text(" ", strip=True) for c in r.find_all(["th", "td"])] for r in table("tr")]
    return {row[0]: row[1:] for row in rows}


def test_a_question_counts_people_not_answers(app, make_user, sign_in):
    world = worlds.family("Echo Club", {"Echo": 3}, ("service-feedback",))
    feedback = world.campaign("Echo", "service-feedback")
    for choice, n in (("most_weeks", 20), ("monthly", 15), ("now_and_then", 11)):
        worlds.people(app, feedback, n, worlds.MAY, raw=None, answers={"how_often": choice})
    someone = Participant.create()
    for _ in range(12):  # one young person, twelve times
        worlds.answer(
            app, feedback, worlds.MAY, None, person=someone, answers={"how_often": "first_time"}
        )
    db.session.commit()
    client = sign_in(make_user("commissioner"))
    page = client.get(f"/evidence/services/{world.services['Echo'].id}?period={worlds.SEED}")
    how_often = _table(page, "service-feedback-how_often")
    assert how_often["This is my first time"][0] == "fewer than 10"


def test_written_answers_of_a_service_whose_figures_are_hidden_are_not_listed(
    app, make_user, sign_in
):
    world = worlds.family("Quiet Corner", {"Quiet": 3}, ("service-feedback",))
    feedback = world.campaign("Quiet", "service-feedback")
    worlds.people(app, feedback, 3, worlds.MAY, raw=None, answers={"how_often": "most_weeks"})
    worlds.answer(
        app,
        feedback,
        worlds.MAY,
        None,
        language="so",
        answers={"how_often": "first_time", "in_a_few_words": "I walk here after the mosque"},
    )
    db.session.commit()
    client = sign_in(make_user("commissioner"))
    service = world.services["Quiet"].id
    evidence = str(client.get(f"/evidence/services/{service}?period={worlds.SEED}"))
    assert "fewer than 10" in evidence or "Nothing can be shown" in evidence
    page = str(client.get(f"/evidence/services/{service}/written-answers?period={worlds.SEED}"))
    assert "after the mosque" not in page
    assert 'lang="so"' not in page


def test_a_chart_is_served_only_to_those_who_may_see_its_page(app, make_user, sign_in):
    world = worlds.siblings(app)
    other = worlds.family("Elsewhere", {"Yonder": 3})
    db.session.commit()
    client = sign_in(make_user("provider", provider=world.provider))
    page = client.get(f"/evidence/providers/{world.provider.id}?period={worlds.SEED}")
    charts = [img["src"] for img in page.select('img[src^="/evidence/charts/"]')]
    assert charts, "the provider page draws charts"
    stranger = make_user("provider", provider=other.provider)
    outsider = ClientRequest(app.test_client())
    outsider.post("/sign-in", {"email": stranger.email, "password": "correct horse battery"})
    for src in charts:
        status = outsider._send("get", src).status_code
        assert status in (403, 404), f"{src} answered {status} to another provider"


# --- Families Hypothesis draws -------------------------------------------------------------

ANSWERS = st.tuples(
    st.integers(0, 2),  # which service
    st.integers(0, 2),  # April, May or June
    st.sampled_from(["en", "cy", "ar"]),
    st.integers(0, 14),  # people
    st.integers(0, 3),  # of whom answer again the next month
)


# Derandomised by the "ci" profile (tests/conftest.py); HYPOTHESIS_PROFILE=explore draws
# new families.
@settings(
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a shrink would harvest hundreds of families
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(ROLES),
    services=st.lists(st.sampled_from([1, 3]), min_size=2, max_size=3),
    answers=st.lists(ANSWERS, min_size=3, max_size=7).filter(
        lambda drawn: len({language for _, _, language, n, _ in drawn if n}) >= 2
    ),
)
# Families drawn once that recovered a hidden figure, kept so they are tried every time.
# A service with nobody in the period beside a monthly one all in one language: its English
# view gave the whole service, and the provider's total the other service.
@example(
    role="provider",
    services=[3, 1, 3],
    answers=[
        (1, 1, "en", 3, 0),
        (1, 0, "en", 8, 0),
        (1, 2, "en", 9, 0),
        (2, 1, "en", 0, 3),
        (0, 1, "ar", 4, 0),
    ],
)
# One service's English responses were the provider's: hidden beside the provider's
# published count, that one cell was pinned.
@example(
    role="coordinator",
    services=[3, 3, 1],
    answers=[
        (0, 1, "cy", 0, 1),
        (2, 2, "cy", 5, 0),
        (0, 1, "ar", 4, 2),
        (1, 0, "ar", 1, 2),
        (1, 0, "ar", 11, 1),
        (1, 0, "en", 11, 3),
        (0, 1, "cy", 13, 0),
    ],
)
# A quarter with 5 people listed Welsh (from the quarter before) as "fewer than 10"; the
# next quarter's page, listing only the languages used in it and the one before, said 0.
@example(
    role="admin",
    services=[3, 3],
    answers=[
        (0, 2, "en", 13, 1),
        (1, 2, "en", 12, 3),
        (1, 0, "en", 8, 0),
        (2, 2, "ar", 9, 1),
        (0, 1, "cy", 14, 3),
        (1, 1, "ar", 12, 0),
        (0, 2, "ar", 3, 0),
    ],
)
# The provider's English and Welsh views each hid their "average wellbeing" band, which
# the provider's own bands showed added up to 12: each was 3 to 9.
@example(
    role="coordinator",
    services=[3, 1, 3],
    answers=[
        (1, 1, "cy", 10, 1),
        (0, 0, "en", 0, 1),
        (2, 0, "en", 12, 1),
        (2, 0, "cy", 4, 3),
        (0, 1, "cy", 0, 0),
    ],
)
# One service's 13 Welsh people, its breakdown left out but its total shown, and the
# provider's Welsh 22: the other service's 9 was pinned, and its 4 Arabic and 4 English
# narrowed to 0 to 8. A withheld row's cells now count as known in the family's columns.
@example(
    role="admin",
    services=[1, 3, 3],
    answers=[
        (1, 2, "ar", 1, 2),
        (2, 1, "ar", 4, 0),
        (0, 1, "cy", 10, 3),
        (1, 2, "ar", 13, 2),
        (2, 0, "en", 2, 3),
        (2, 1, "cy", 9, 0),
    ],
)
# Services by languages by bands: each two-way table was safe, but with the provider's
# bands withheld, the languages' hidden "average wellbeing" (at most 9 each) bounded the
# provider's and so narrowed one service's to 9 values. A group's bands are now shown only
# where its whole shows every band.
@example(
    role="coordinator",
    services=[3, 3],
    answers=[
        (1, 0, "cy", 5, 0),
        (2, 0, "cy", 8, 0),
        (2, 0, "ar", 7, 2),
        (2, 0, "cy", 8, 0),
        (1, 0, "ar", 7, 1),
    ],
)
# Two monthly services: one left out of June's page for May's sake (its 19 beside the
# other's 2), while June's table showed the other's 14 and the provider's 31: the left-out
# 17 was pinned. A service left out for one period's sake is now hidden in every period's
# table its page shows.
@example(
    role="provider",
    services=[1, 1],
    answers=[
        (0, 0, "en", 10, 2),
        (1, 2, "cy", 14, 3),
        (1, 0, "cy", 8, 2),
        (0, 0, "en", 4, 3),
        (0, 2, "en", 11, 3),
        (2, 2, "ar", 6, 3),
        (2, 1, "ar", 14, 0),
    ],
)
# Welsh: 11 responses from 9 people. The Welsh view of the next quarter showed them by
# mode, judged by responses, and pinned the provider's hidden Welsh and English. A
# filtered view's breakdowns are now judged by the people behind them.
@example(
    role="provider",
    services=[3, 1],
    answers=[
        (2, 0, "ar", 14, 3),
        (0, 1, "ar", 9, 0),
        (0, 0, "ar", 8, 1),
        (2, 0, "ar", 13, 1),
        (0, 0, "cy", 9, 2),
        (2, 0, "en", 7, 2),
        (2, 1, "en", 8, 3),
    ],
)
# Two services' people with change, both hidden as "fewer than 10" beside the provider's
# 12: read literally, each was 3 to 9. A column that cannot be made safe is now left out.
@example(
    role="admin",
    services=[3, 3],
    answers=[
        (0, 0, "en", 8, 3),
        (2, 1, "ar", 8, 0),
        (0, 1, "cy", 1, 3),
        (1, 0, "cy", 6, 2),
        (1, 2, "ar", 11, 3),
        (2, 1, "cy", 10, 3),
        (2, 0, "ar", 8, 3),
    ],
)
# The same with 4 to 9 each, drawn with another seed.
@example(
    role="admin",
    services=[3, 3],
    answers=[
        (2, 1, "ar", 4, 2),
        (1, 1, "cy", 10, 0),
        (2, 0, "cy", 11, 1),
        (1, 0, "ar", 9, 2),
        (2, 1, "ar", 12, 2),
        (1, 1, "cy", 6, 3),
        (0, 0, "ar", 4, 3),
    ],
)
# The provider's languages table hid Welsh (9 people) and, to protect it, Arabic (22);
# the Arabic view, still offered, published Arabic's 22, and the total gave Welsh. A
# language is now offered as a filter only where the page's own languages table shows it.
@example(
    role="admin",
    services=[3, 1, 1],
    answers=[
        (2, 0, "en", 10, 2),
        (1, 0, "cy", 6, 0),
        (2, 0, "ar", 10, 1),
        (2, 1, "cy", 1, 1),
        (1, 1, "en", 10, 0),
        (1, 2, "ar", 11, 1),
        (0, 2, "cy", 2, 0),
    ],
)
def test_no_hidden_figure_of_a_drawn_family_can_be_worked_out(
    app, make_user, sign_in, role, services, answers
):
    _audit_drawn(app, make_user, sign_in, role, services, answers)


def _audit_drawn(app, make_user, sign_in, role, services, answers):
    empty_database()
    app.extensions["evidence_figures"].clear()
    world = worlds.generated(app, services, answers)
    world.window = (date(2026, 4, 1), date(2026, 7, 31))
    _, result = _audit(app, make_user, sign_in, world, role)
    assert not unsafe(result), report(result)


# Found by a random draw and not yet closed: three services with 10 responses (from 9
# people), 0 and 9, beside the provider's published 19. Each service's page hides its count
# of responses as "fewer than 10" (too few people), and read literally the three are each 1
# to 9. Services' counts of responses are not yet protected together under the provider's
# total, as their counts of people are. Before this session the first service's languages
# table also gave its 10 as the breakdown's total; that total is now hidden with the count.
@pytest.mark.xfail(
    strict=True, reason="responses of services hidden for few people are not yet a linked line"
)
def test_services_hidden_counts_of_responses_are_safe_together_beside_the_providers(
    app, make_user, sign_in
):
    _audit_drawn(
        app,
        make_user,
        sign_in,
        "provider",
        [1, 1, 3],
        [(2, 1, "en", 1, 0), (2, 0, "ar", 5, 3), (0, 0, "cy", 9, 1)],
    )


# Found by a random draw and not yet closed: in April only Welsh was used (10 people); May
# had English and Arabic too. May's page lists English and Arabic for April as 0, and the
# English view then hides an April count that is already known, while the Welsh view gives
# Welsh's 10 as the whole. A category with nobody in one of a page's two periods is not yet
# hidden and protected like any other small cell.
@pytest.mark.xfail(strict=True, reason="a category absent in one period is printed as 0")
def test_a_category_absent_in_one_period_is_not_printed_as_a_zero(app, make_user, sign_in):
    _audit_drawn(
        app,
        make_user,
        sign_in,
        "coordinator",
        [1, 1],
        [
            (0, 1, "en", 13, 2),
            (0, 2, "ar", 11, 1),
            (1, 2, "en", 0, 1),
            (0, 0, "cy", 10, 3),
            (1, 1, "ar", 8, 2),
            (2, 1, "cy", 9, 0),
            (2, 1, "ar", 1, 0),
        ],
    )
