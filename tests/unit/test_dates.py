"""Dates and times on every page, pack and email: UK style, UK time, each language's format.

Expected values are written out by hand from what a reader in each language expects (CLDR's
long date and medium date-time), not produced by the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.dates import format_clock, format_day, format_moment, uk_day, uk_day_start


def test_a_day_is_written_the_british_way():
    assert format_day(date(2026, 12, 7)) == "7 December 2026"
    assert format_day(date(2026, 12, 7), "medium") == "7 Dec 2026"
    assert format_day(date(2027, 3, 1)) == "1 March 2027"


def test_a_winter_time_is_shown_in_gmt():
    # Stored times are naive UTC; in December the UK is on GMT, the same clock.
    assert format_moment(datetime(2026, 12, 7, 16, 30)) == "7 Dec 2026, 16:30"


def test_a_summer_time_is_shown_in_bst_an_hour_ahead():
    assert format_moment(datetime(2026, 7, 7, 15, 30)) == "7 Jul 2026, 16:30"
    assert format_clock(datetime(2026, 7, 7, 15, 30)) == "16:30"


@pytest.mark.parametrize(
    ("stored", "day", "moment"),
    [
        # 23:30 UTC on 7 June is 00:30 on 8 June in the UK.
        (datetime(2026, 6, 7, 23, 30), "8 June 2026", "8 Jun 2026, 00:30"),
        # 23:30 UTC on 7 December is still 7 December: GMT.
        (datetime(2026, 12, 7, 23, 30), "7 December 2026", "7 Dec 2026, 23:30"),
        # Midnight UTC in summer is 01:00 BST, the same day.
        (datetime(2026, 6, 8, 0, 0), "8 June 2026", "8 Jun 2026, 01:00"),
        # New Year's Eve in GMT stays in the old year until midnight.
        (datetime(2026, 12, 31, 23, 59), "31 December 2026", "31 Dec 2026, 23:59"),
    ],
)
def test_the_day_is_the_one_people_in_the_uk_lived_around_midnight(stored, day, moment):
    assert format_day(stored) == day
    assert format_moment(stored) == moment


def test_the_clocks_changing_is_followed_to_the_minute():
    # 2026: BST starts 01:00 UTC on 29 March and ends 01:00 UTC on 25 October.
    assert format_clock(datetime(2026, 3, 29, 0, 59)) == "00:59"
    assert format_clock(datetime(2026, 3, 29, 1, 0)) == "02:00"
    assert format_clock(datetime(2026, 10, 25, 0, 59)) == "01:59"
    assert format_clock(datetime(2026, 10, 25, 1, 0)) == "01:00"


def test_a_time_that_knows_its_zone_is_moved_to_uk_time():
    new_york = timezone(timedelta(hours=-5))
    assert format_moment(datetime(2026, 12, 7, 11, 30, tzinfo=new_york)) == "7 Dec 2026, 16:30"
    assert format_moment(datetime(2026, 7, 7, 15, 30, tzinfo=UTC)) == "7 Jul 2026, 16:30"
    assert uk_day(datetime(2026, 6, 7, 23, 30, tzinfo=UTC)) == date(2026, 6, 8)


def test_nothing_to_show_is_an_empty_string():
    assert format_day(None) == ""
    assert format_moment(None) == ""
    assert format_clock(None) == ""


def test_a_date_without_a_time_is_shown_as_its_day():
    assert format_moment(date(2026, 12, 7)) == "7 Dec 2026"


def test_an_unknown_style_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="style"):
        format_day(date(2026, 12, 7), "fancy")


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "7 December 2026", "7 Dec 2026, 16:30"),
        ("cy", "7 Rhagfyr 2026", "7 Rhag 2026 16:30"),
        ("pl", "7 grudnia 2026", "7 gru 2026, 16:30"),
        ("ro", "7 decembrie 2026", "7 dec. 2026, 16:30"),
        ("pt", "7 de dezembro de 2026", "7 de dez. de 2026 16:30"),
        ("es", "7 de diciembre de 2026", "7 dic 2026, 16:30"),
        ("ar", "7 ديسمبر 2026", "07\u200f/12\u200f/2026، 4:30 م"),
        ("ur", "7 دسمبر، 2026", "7 دسمبر، 2026 4:30 PM"),
        ("bn", "7 ডিসেম্বর, 2026", "7 ডিসে, 2026 4:30 PM"),
        ("so", "Diseembar 7, 2026", "07-Dis-2026 4:30\u202fGD"),
    ],
)
def test_each_language_writes_dates_its_own_way(language, day, moment):
    assert format_day(date(2026, 12, 7), "long", language) == day
    assert format_moment(datetime(2026, 12, 7, 16, 30), language) == moment


def test_a_language_we_do_not_know_falls_back_to_british_english():
    assert format_day(date(2026, 12, 7), "long", "xx-not-a-language") == "7 December 2026"


def test_dates_kept_as_iso_text_in_a_snapshot_are_shown_like_any_other():
    assert format_day("2026-12-07") == "7 December 2026"
    assert format_moment("2026-07-07T15:30:00") == "7 Jul 2026, 16:30"
    assert format_day("") == "" and format_moment("") == ""


def test_a_uk_day_begins_at_uk_midnight_as_a_stored_time():
    assert uk_day_start(date(2026, 6, 8)) == datetime(2026, 6, 7, 23, 0)
    assert uk_day_start(date(2026, 12, 8)) == datetime(2026, 12, 8, 0, 0)
