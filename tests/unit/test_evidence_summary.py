"""The evidence summary, rule by rule: what a commissioner reads first, worked out only from
figures the pack already publishes, and never blank."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.evidence import summary
from app.evidence.suppression import Suppressed
from app.evidence.tables import COUNT, NUMBER, SHARE, Column, Pack, Section, Table

NOW, BEFORE = "April to June 2026", "January to March 2026"
HIDDEN = Suppressed(10)


def _pack(*tables: Table, key: str = "figures") -> Pack:
    return Pack(
        title="Evidence: Drop-in",
        scope="Drop-in, Harbour Youth",
        period=NOW,
        previous_period=BEFORE,
        generated_at=datetime(2026, 7, 1, 9),
        method=(),
        sections=(Section(key=key, title="Figures", tables=tables),) if tables else (),
    )


def _three(key, caption, *rows, kind=NUMBER) -> Table:
    return Table(
        key=key,
        caption=caption,
        columns=(Column("Measure"), Column(NOW, kind), Column(BEFORE, kind)),
        rows=rows,
    )


def _lines(pack: Pack, part: str) -> list[str]:
    return [line.text for line in summary.summarise(pack).part(part).lines]


def _anchors(pack: Pack, part: str) -> list[str]:
    return [line.anchor for line in summary.summarise(pack).part(part).lines]


# --- Never blank --------------------------------------------------------------------------


def test_a_pack_with_no_figures_says_so_in_every_part():
    result = summary.summarise(_pack())
    assert [part.heading for part in result.parts] == [
        "What is going well",
        "What is of concern",
        "What changed since the last period",
        "Contract measures",
        "Open improvement actions",
    ]
    texts = {part.key: [line.text for line in part.lines] for part in result.parts}
    assert texts["going-well"] == ["No figures yet for this period."]
    assert texts["concerns"] == ["No figures yet for this period."]
    assert texts["changes"] == ["No figures yet for this period."]
    assert texts["measures"] == ["No contract measures cover this page."]
    assert texts["actions"] == ["No open improvement actions."]


def test_figures_with_nothing_notable_say_so_rather_than_nothing():
    people = _three("responses", "People who answered", ("People", 40, HIDDEN), kind=COUNT)
    assert _lines(_pack(people), "going-well") == [
        "Nothing in the figures shown for this period stands out as going well."
    ]
    assert _lines(_pack(people), "concerns") == [
        "Nothing in the figures shown for this period stands out as a concern."
    ]


# --- People -------------------------------------------------------------------------------


def test_people_who_answered_are_set_beside_the_period_before():
    people = _three("responses", "People", ("People", 49, 30), kind=COUNT)
    assert _lines(_pack(people), "changes") == [
        "49 people answered, up from 30 in January to March 2026."
    ]
    assert _anchors(_pack(people), "changes") == ["table-responses"]
    fewer = _three("responses", "People", ("People", 1200, 1500), kind=COUNT)
    assert _lines(_pack(fewer), "changes") == [
        "1,200 people answered, down from 1,500 in January to March 2026."
    ]


def test_a_hidden_count_of_people_is_never_quoted():
    hidden_now = _three("responses", "People", ("People", HIDDEN, 30), kind=COUNT)
    assert _lines(_pack(hidden_now), "changes") == [
        "No figures from January to March 2026 to compare with."
    ]
    hidden_before = _three("responses", "People", ("People", 49, HIDDEN), kind=COUNT)
    assert _lines(_pack(hidden_before), "changes") == ["49 people answered in April to June 2026."]


# --- Scales -------------------------------------------------------------------------------


def _scale(mean_now, mean_before, paired, mean_change, improved, worse=None):
    scores = _three(
        "wemwbs-scores",
        "WEMWBS: metric scores",
        ("People", 35, 30),
        ("Mean", mean_now, mean_before),
    )
    rows = [
        ("People with an earlier score", paired, HIDDEN),
        ("Mean change", mean_change, None),
        ("Share with meaningful improvement", improved, None),
    ]
    if worse is not None:
        rows.append(("Share with reliable deterioration", worse, None))
    change = _three("wemwbs-change", "WEMWBS: change from first to latest score", *rows)
    return _pack(scores, change)


def test_a_scales_mean_is_compared_with_the_period_before():
    pack = _scale(47.04, 44.1, 30, 2.0, 0.3)
    assert _lines(pack, "changes") == ["WEMWBS: the mean score rose from 44.1 to 47.0."]
    assert _anchors(pack, "changes") == ["table-wemwbs-scores"]
    assert _lines(_scale(41.0, 44.1, 30, 2.0, 0.3), "changes") == [
        "WEMWBS: the mean score fell from 44.1 to 41.0."
    ]
    # Equal as shown (to one place) reads as unchanged, never "rose from 44.1 to 44.1".
    assert _lines(_scale(44.14, 44.06, 30, 2.0, 0.3), "changes") == [
        "WEMWBS: the mean score stayed at 44.1."
    ]


def test_half_or_more_improving_meaningfully_is_going_well():
    pack = _scale(47.0, 44.1, 30, 2.0, 0.5)
    assert _lines(pack, "going-well") == [
        "WEMWBS: 50% of the 30 people with an earlier score improved meaningfully."
    ]
    assert _anchors(pack, "going-well") == ["table-wemwbs-change"]
    # Fewer than half improving meaningfully: the rise on average is said instead.
    assert _lines(_scale(47.0, 44.1, 30, 2.0, 0.49), "going-well") == [
        "WEMWBS: scores rose on average from first to latest (+2.0) for the 30 people with an "
        "earlier score."
    ]
    assert "WEMWBS" not in " ".join(_lines(_scale(47.0, 44.1, 30, 0.04, 0.49), "going-well"))


def test_few_improving_a_falling_mean_and_many_getting_worse_are_concerns():
    pack = _scale(47.0, 44.1, 30, -1.26, 0.2, worse=0.1)
    assert _lines(pack, "concerns") == [
        "WEMWBS: only 20% of the 30 people with an earlier score improved meaningfully.",
        "WEMWBS: scores fell on average from first to latest (\u22121.3).",
        "WEMWBS: 10% got reliably worse.",
    ]
    assert "WEMWBS" not in " ".join(_lines(_scale(47.0, 44.1, 30, 0.5, 0.25, 0.09), "concerns"))


def test_hidden_change_figures_are_never_read():
    pack = _scale(HIDDEN, 44.1, HIDDEN, HIDDEN, HIDDEN, worse=HIDDEN)
    for part in ("going-well", "concerns", "changes"):
        assert all("WEMWBS" not in line for line in _lines(pack, part))
    assert "fewer than" not in " ".join(
        line.text for part in summary.summarise(pack).parts for line in part.lines
    )


# --- Outcomes wheel -----------------------------------------------------------------------


def _wheel(*rows):
    return Table(
        key="outcomes-wheel-distance",
        caption="Outcomes wheel: distance travelled, first to latest reading",
        columns=(
            Column("Area"),
            Column("People", COUNT),
            Column("Mean first", NUMBER),
            Column("Mean latest", NUMBER),
            Column(f"Mean change, {NOW}", NUMBER),
            Column("Moved up at least one stage", SHARE),
            Column(f"Mean change, {BEFORE}", NUMBER),
        ),
        rows=rows,
    )


def test_wheel_areas_moving_up_are_going_well_and_moving_down_a_concern():
    pack = _pack(
        _wheel(
            ("Feeling safe", 12, 3.0, 6.0, 3.0, HIDDEN, None),
            ("Friends", 12, 4.0, 5.0, 1.0, HIDDEN, None),
            ("School", 12, 5.0, 4.5, -0.5, HIDDEN, None),
            ("Health", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, None),
        )
    )
    assert _lines(pack, "going-well") == [
        "Outcomes wheel: people moved up on average in 2 of 4 areas, most in Feeling safe (+3.0)."
    ]
    assert _lines(pack, "concerns") == [
        "Outcomes wheel: people moved down on average in School (\u22120.5)."
    ]


# --- Visits -------------------------------------------------------------------------------


def _checklist(*rows):
    return Table(
        key="mystery-shop-checklist-checklist",
        caption="Mystery shops: checklist across 5 visits",
        columns=(
            Column("Checklist question"),
            Column("Visits where it was done", COUNT),
            Column("Visits where the panel answered", COUNT),
        ),
        rows=rows,
    )


def test_checklist_items_done_every_time_or_mostly_not_are_reported_with_visit_counts():
    pack = _pack(
        _checklist(
            ("Did they check that you were safe right now?", 5, 5),
            ("Did they say how long you might have to wait?", 2, 5),
            ("Did they explain what would happen next?", 3, 5),
            ("Could you find out when the phone line is open?", 0, 0),
        ),
        key="visits",
    )
    assert _lines(pack, "going-well") == [
        "Mystery shops: \u201cDid they check that you were safe right now?\u201d done on 5 of 5 "
        "visits."
    ]
    assert _lines(pack, "concerns") == [
        "Mystery shops: \u201cDid they say how long you might have to wait?\u201d done on 2 of "
        "5 visits."
    ]
    assert _anchors(pack, "concerns") == ["table-mystery-shop-checklist-checklist"]


def test_many_checklist_items_done_every_time_are_said_in_one_line():
    questions = [(f"Question {i}?", 4, 4) for i in range(5)] + [("Last?", 1, 4)]
    pack = _pack(_checklist(*questions), key="visits")
    assert _lines(pack, "going-well") == [
        "Mystery shops: 5 of the 6 checklist questions were done on every visit the panel "
        "answered them for."
    ]
    assert _lines(pack, "concerns") == ["Mystery shops: \u201cLast?\u201d done on 1 of 4 visits."]


def test_ratings_all_at_the_top_or_any_at_the_bottom_are_reported():
    ratings = Table(
        key="mystery-shop-checklist-ratings",
        caption="Mystery shops: moderated ratings across 3 visits (Mystery shop)",
        columns=(
            Column("Quality characteristic"),
            Column("Poor", COUNT),
            Column("OK", COUNT),
            Column("Good", COUNT),
            Column("Excellent", COUNT),
        ),
        rows=(
            ("Friendly and kind", 0, 0, 0, 3),
            ("Easy to understand", 1, 0, 2, 0),
            ("Know what to do", 0, 1, 1, 1),
        ),
    )
    pack = _pack(ratings, key="visits")
    assert _lines(pack, "going-well") == [
        "Mystery shops: \u201cFriendly and kind\u201d rated Excellent on all 3 visits."
    ]
    assert _lines(pack, "concerns") == [
        "Mystery shops: \u201cEasy to understand\u201d rated Poor on 1 visit."
    ]


def test_recommendations_waiting_for_the_provider_are_a_concern():
    columns = tuple(Column(h) for h in ("Visit", "Recommendation", "Reply", "By when", "Status"))
    recommendations = Table(
        key="recommendations",
        caption="Recommendations",
        columns=columns,
        rows=(
            ("20 May 2026", "Opening times", "", "", "Awaiting reply"),
            ("20 May 2026", "Leaflets", "Done", "30 Jun 2026", "Replied"),
            ("20 May 2026", "Call back", "", "", "Due date passed"),
        ),
    )
    assert _lines(_pack(recommendations, key="visits"), "concerns") == [
        "2 recommendations from visits are waiting for the provider, 1 past its date."
    ]


# --- Contract measures and improvement actions -------------------------------------------


def _contract(*rows):
    return Table(
        key="contract-7",
        caption="CYP-1 Youth work: measures and targets",
        columns=tuple(Column(h) for h in ("Measure", "Value", "Target", "Status", "Reason")),
        rows=rows,
    )


def test_each_measure_is_listed_with_its_status_and_those_not_met_are_a_concern():
    pack = _pack(
        _contract(
            ("Referrals received", "52", "40", "Met", "52 against 40."),
            ("Mean wellbeing score", "not enough data", "45.0", "Not enough data", "No one."),
            ("Missed appointments", "14%", "10%", "Not met", "14% against 10%."),
        ),
        key="contract",
    )
    assert _lines(pack, "measures") == [
        "Referrals received: met (52 against a target of 40).",
        "Mean wellbeing score: not enough data (target 45.0).",
        "Missed appointments: not met (14% against a target of 10%).",
    ]
    assert set(_anchors(pack, "measures")) == {"table-contract-7"}
    assert _lines(pack, "concerns") == ["1 of the contract's 3 measures is not met."]
    hidden = _pack(
        _contract(("Mean wellbeing score", "fewer than 10", "45.0", "Not enough data", ""))
    )
    assert _lines(hidden, "measures") == ["Mean wellbeing score: not enough data (target 45.0)."]


def test_under_several_contracts_each_gets_one_line_and_each_measure_not_met_names_its_contract():
    def contract(key, name, *rows):
        return Table(
            key=key,
            caption=f"{name}: measures and targets, July to September 2026",
            columns=tuple(Column(h) for h in ("Measure", "Value", "Target", "Status", "Reason")),
            rows=rows,
        )

    pack = _pack(
        contract(
            "contract-7",
            "CYP-1 Youth work",
            ("Referrals received", "52", "40", "Met", ""),
            ("Missed appointments", "14%", "10%", "Not met", ""),
            ("Mean wellbeing score", "fewer than 10", "45.0", "Not enough data", ""),
            ("Complaints received", "3", "3", "Met", ""),
        ),
        contract(
            "contract-9",
            "CYP-2 Family support",
            ("Referrals received", "61", "40", "Met", ""),
        ),
        key="contract",
    )
    assert _lines(pack, "measures") == [
        "CYP-1 Youth work: 4 measures, 2 met, 1 not met and 1 not enough data.",
        "CYP-2 Family support: 1 measure, 1 met.",
    ]
    assert _anchors(pack, "measures") == ["table-contract-7", "table-contract-9"]
    assert _lines(pack, "concerns") == [
        "CYP-1 Youth work: Missed appointments not met (14% against a target of 10%)."
    ]


def test_open_improvement_cases_list_their_unfinished_and_overdue_actions():
    cases = Table(
        key="improvement-cases",
        caption="Improvement cases",
        columns=(
            Column("Contract"),
            Column("Case"),
            Column("Status"),
            Column("Action plan"),
            Column("Actions overdue", COUNT),
            Column("Latest evaluation"),
        ),
        rows=(
            ("CYP-1", "Waiting times", "Open", "Agreed (version 2)", 1, ""),
            ("CYP-1", "Few answers", "Closed: Improved", "Agreed (version 1)", 0, ""),
        ),
    )
    actions = Table(
        key="improvement-actions",
        caption="Actions by owner and status",
        columns=(
            Column("Contract"),
            Column("Case"),
            Column("Owner"),
            Column("Status"),
            Column("Actions", COUNT),
        ),
        rows=(
            ("CYP-1", "Waiting times", "The provider", "In progress", 2),
            ("CYP-1", "Waiting times", "The commissioner", "Not started", 1),
            ("CYP-1", "Waiting times", "The provider", "Verified by the commissioner", 4),
            ("CYP-1", "Few answers", "The provider", "In progress", 1),
        ),
    )
    pack = _pack(cases, actions, key="improvement")
    assert _lines(pack, "actions") == [
        "Waiting times (CYP-1): action plan agreed (version 2); 3 actions open, 1 overdue."
    ]
    assert _lines(pack, "concerns") == [
        "1 improvement action overdue on \u201cWaiting times\u201d."
    ]
    closed_only = _pack(
        Table(key="improvement-cases", caption="", columns=cases.columns, rows=cases.rows[1:]),
        key="improvement",
    )
    assert _lines(closed_only, "actions") == ["No open improvement actions."]


# --- Themes -------------------------------------------------------------------------------


def test_themes_with_published_counts_are_listed_most_mentioned_first_and_hidden_ones_not():
    themes = Table(
        key="written-themes",
        caption="Themes",
        columns=(Column("Theme"), Column("Written answers", COUNT)),
        rows=(("Staff", 12), ("Waiting times", 31), ("Food", HIDDEN)),
    )
    pack = _pack(themes, key="themes")
    assert _lines(pack, "themes") == [
        "Waiting times: 31 written answers.",
        "Staff: 12 written answers.",
    ]
    assert summary.summarise(pack).parts[-1].heading == "What people wrote about"
    all_hidden = _pack(
        Table(key="written-themes", caption="", columns=themes.columns, rows=(("Food", HIDDEN),))
    )
    assert _lines(all_hidden, "themes") == [
        "Themes have been marked, but each was given to too few answers to count."
    ]
    assert summary.summarise(_pack()).part("themes") is None


@pytest.mark.parametrize("rule", summary.RULES)
def test_no_rule_quotes_a_hidden_figure(rule):
    """Every table a rule reads, with every figure hidden: no rule says anything numeric."""
    hidden_tables = (
        _three("responses", "People", ("People", HIDDEN, HIDDEN), kind=COUNT),
        _wheel(("Feeling safe", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
        _checklist(("Safe?", HIDDEN, HIDDEN)),
    )
    found = rule(_pack(*hidden_tables))
    assert found == []
