"""The small-numbers rule, and attempts to get round it."""

import itertools
import random

import pytest

from app.evidence.suppression import (
    DIFFERENCING,
    SmallNumbers,
    Suppressed,
    display,
    is_suppressed,
)

RULE = SmallNumbers()


def shown(row):
    return {k: v for k, v in row.cells.items() if not is_suppressed(v)}


def feasible_values(row, key, ceiling):
    """Every value the hidden cell `key` could take, given the published row, when hidden
    cells are whole numbers from 0 to `ceiling` (a reader's model of them)."""
    hidden = sorted(row.hidden())
    remainder = row.total - sum(shown(row).values())
    values = set()
    for combo in itertools.product(range(ceiling + 1), repeat=len(hidden)):
        if sum(combo) == remainder:
            values.add(combo[hidden.index(key)])
    return values


def test_a_hidden_figure_reads_fewer_than_10_wherever_it_is_shown():
    assert str(RULE.count(3)) == "fewer than 10"
    assert display(RULE.count(3)) == "fewer than 10"
    assert display(RULE.statistic(48.2, 9)) == "fewer than 10"
    assert display(51.234, 1) == "51.2"


def test_the_threshold_is_a_setting():
    rule = SmallNumbers.from_settings({"SMALL_NUMBERS_THRESHOLD": 5})
    assert rule.count(7) == 7
    assert str(rule.count(4)) == "fewer than 5"
    assert SmallNumbers.from_settings({}).threshold == 10


def test_primary_suppression_hides_counts_and_means_about_fewer_than_10_people():
    assert RULE.count(10) == 10
    assert is_suppressed(RULE.count(9))
    assert is_suppressed(RULE.count(0))
    assert is_suppressed(RULE.count(25, people=9))
    assert RULE.statistic(49.4, 10) == 49.4
    assert is_suppressed(RULE.statistic(49.4, 9))


def test_a_share_hides_when_either_side_is_small():
    assert RULE.share(20, 40) == 0.5
    assert is_suppressed(RULE.share(3, 40))  # 3 improved
    assert is_suppressed(RULE.share(38, 40))  # so 2 did not
    assert is_suppressed(RULE.share(5, 9))


def test_attack_recovering_one_hidden_cell_from_the_total_and_its_siblings():
    row = RULE.row({"probable": 3, "possible": 12, "average": 40, "high": 25}, 80)
    # Without secondary suppression, 80 - 12 - 40 - 25 = 3 would reveal the hidden cell; with
    # only "possible" hidden beside it, 15 in two cells of "fewer than 10" gives each 6..9.
    assert row.hidden() == {"probable", "possible", "high"}
    assert row.total == 80
    for key in row.hidden():
        assert len(feasible_values(row, key, ceiling=80)) > 1


def test_two_small_cells_that_add_up_to_a_small_number_are_not_enough():
    row = RULE.row({"a": 2, "b": 3, "c": 30, "d": 45})
    # 2 + 3 = 5 would be published as "the hidden cells hold 5 people".
    assert row.hidden() == {"a", "b", "c"}


def test_hidden_nines_are_not_exact_for_a_reader_who_takes_fewer_than_10_literally():
    row = RULE.row({"a": 9, "b": 9, "c": 30, "d": 45})
    assert row.hidden() == {"a", "b", "c"}
    for key in ("a", "b"):
        assert len(feasible_values(row, key, ceiling=9)) != 1


def test_a_row_about_fewer_than_10_people_is_hidden_whole():
    row = RULE.row({"en": 5, "cy": 3})
    assert is_suppressed(row.total)
    assert row.hidden() == {"en", "cy"}


@pytest.mark.parametrize("seed", range(200))
def test_attack_no_random_row_gives_away_a_hidden_cell(seed):
    generator = random.Random(seed)
    cells = {f"c{i}": generator.choice([0, 1, 4, 9, 10, 12, 20, 35]) for i in range(4)}
    row = RULE.row(cells)
    if is_suppressed(row.total) or not row.hidden():
        return
    assert len(row.hidden()) >= 2
    for key in row.hidden():
        assert len(feasible_values(row, key, ceiling=sum(cells.values()))) > 1


def test_multiple_choice_cells_are_shares_of_the_total_on_their_own():
    row = RULE.row({"staff": 30, "friends": 5, "activities": 35}, 40, partition=False)
    assert row.hidden() == {"friends", "activities"}  # 35 of 40 tells that 5 did not
    assert row.cells["staff"] == 30


def test_attack_subtracting_a_language_view_from_the_unfiltered_view():
    languages = {"en": 40, "cy": 12, "ar": 3}
    available = RULE.available_subsets(languages)
    # Showing both en and cy would give ar = 55 - 40 - 12 = 3; showing en alone leaves
    # 15 in two groups of "fewer than 10": each 6..9.
    assert available == set()
    assert 55 - sum(languages[k] for k in available) >= 10


def test_attack_a_small_cell_of_the_rest_appears_in_differences_of_cells():
    parent = {"probable": 15, "possible": 10, "average": 30, "high": 20}
    english = {"probable": 12, "possible": 10, "average": 18, "high": 20}
    row = RULE.subset_row(parent, 75, english, 60)
    # probable: 15 - 12 = 3 people in the rest; possible and high: 0 in the rest.
    for key in ("probable", "possible", "high"):
        assert is_suppressed(row.cells[key])
    published = shown(row)
    for key, value in published.items():
        assert parent[key] - value >= 10
    assert row.cells["probable"].reason in (DIFFERENCING, "secondary")


def test_a_filtered_view_whose_rest_is_small_is_withheld():
    row = RULE.subset_row({"a": 30, "b": 25}, 55, {"a": 28, "b": 21}, 49)
    assert is_suppressed(row.total)
    assert all(is_suppressed(v) for v in row.cells.values())


def test_a_view_that_is_the_whole_of_its_parent_is_shown():
    row = RULE.subset_row({"a": 30, "b": 25}, 55, {"a": 30, "b": 25}, 55)
    assert row.cells == {"a": 30, "b": 25}


def test_attack_subtracting_a_quarter_from_a_half_year_view():
    # Someone compares April to September with April to June to learn about July to
    # September, which had 4 responses.
    half_year = {"self": 30, "with_worker": 14}
    first_quarter = {"self": 27, "with_worker": 13}
    row = RULE.subset_row(half_year, 44, first_quarter, 40)
    assert is_suppressed(row.total)
    assert not shown(row)


def test_suppressed_markers_compare_equal_whatever_hid_them():
    # A page must not be able to tell primary from secondary cells.
    assert Suppressed(10, "primary") == Suppressed(10, "secondary")
    assert str(Suppressed(10, "secondary")) == "fewer than 10"
