import datetime as dt

import pytest

from peacekb.dates import FuzzyDate


@pytest.mark.parametrize(
    "text, precision, earliest, latest",
    [
        ("2026-02-18", "day", dt.date(2026, 2, 18), dt.date(2026, 2, 18)),
        ("2025-08", "month", dt.date(2025, 8, 1), dt.date(2025, 8, 31)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025", "year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_precision_follows_the_written_form(text, precision, earliest, latest):
    date = FuzzyDate.parse(text)
    assert date.precision == precision
    assert (date.earliest, date.latest) == (earliest, latest)
    assert str(date) == text


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2025-02-29", "February 2025 has 28 days"),
        ("2025-13", "there is no month 13"),
        ("18/02/2026", "write YYYY-MM-DD, YYYY-MM or YYYY"),
        ("2026-2-18", "write YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_impossible_or_malformed_dates_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        FuzzyDate.parse(text)


def test_values_a_yaml_parser_gives():
    assert FuzzyDate.of(2025) == FuzzyDate(2025)
    assert FuzzyDate.of(dt.date(2026, 2, 18)) == FuzzyDate(2026, 2, 18)
    with pytest.raises(ValueError, match="time of day"):
        FuzzyDate.of(dt.datetime(2026, 2, 18, 10, 0))
    with pytest.raises(ValueError):
        FuzzyDate.of(True)
    with pytest.raises(ValueError):
        FuzzyDate.of([2025])


def test_order_puts_vaguer_dates_before_the_days_they_contain():
    dates = [FuzzyDate.parse(t) for t in ("2026-02-18", "2026-02", "2026-01-23", "2025")]
    assert [str(d) for d in sorted(dates)] == ["2025", "2026-01-23", "2026-02", "2026-02-18"]


# --- an open start: `../END`, known only to have happened by END ---------------------------------


@pytest.mark.parametrize(
    "text, precision, latest",
    [
        ("../2026-02-18", "day", dt.date(2026, 2, 18)),
        ("../2026-02", "month", dt.date(2026, 2, 28)),
        ("../2025", "year", dt.date(2025, 12, 31)),
        ("../2025-11-20~", "day", dt.date(2025, 11, 20)),
    ],
)
def test_an_open_start_is_known_by_its_end_and_reads_back_as_written(text, precision, latest):
    date = FuzzyDate.parse(text)
    assert date.open_start and not date.is_span
    assert str(date) == text and FuzzyDate.parse(str(date)) == date
    assert date.precision == precision
    # its earliest day is unknown: the first there is; it counts from the end on, and sorts there
    assert (date.earliest, date.latest) == (dt.date.min, latest)
    assert date.counts_from == latest
    assert date.sort_key() == (latest, latest)


def test_an_open_start_is_not_the_date_it_ends_by():
    assert FuzzyDate.parse("../2026-02-18") != FuzzyDate.parse("2026-02-18")
    assert FuzzyDate.parse("../2026-02-18~").approximate
    assert FuzzyDate.of("../2026-02-18") == FuzzyDate(2026, 2, 18, open_start=True)


def test_an_open_start_sorts_by_its_end():
    dates = [FuzzyDate.parse(t) for t in ("2026-02-19", "../2026-02-18", "2026-02", "2025-12-01", "2026-02-17")]
    # known by 18 February, it sorts on that day: after the month that contains it, which begins
    # earlier, not first of all as its unknown earliest day would have it
    assert [str(d) for d in sorted(dates)] == ["2025-12-01", "2026-02", "2026-02-17", "../2026-02-18", "2026-02-19"]
    # beside the day itself it ties (callers order ties by id)
    assert FuzzyDate.parse("../2026-02-18").sort_key() == FuzzyDate.parse("2026-02-18").sort_key()


@pytest.mark.parametrize(
    "text, reason",
    [
        ("../", "an open start needs the date it is known by"),
        ("..", "`..` .*stands first"),
        ("../2026-02-18/2026-03-01", "one date after `../`, not a span"),
        ("../../2026-02-18", "one date after `../`, not a span"),
        ("2026-02-18/../2026-03-01", "`..` .*stands first"),
        ("..2026-02-18", "`..` .*stands first"),
        (".../2026-02-18", "`..` .*stands first"),
        ("/2026-02-18", "write `../END`"),
        ("../2026-02-30", "February 2026 has 28 days"),
        ("../18/02/2026", "one date after `../`"),
        ("../2026-2-18", "write YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_malformed_open_starts_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        FuzzyDate.parse(text)


# --- an open end: `START/..`, known only to have happened on or after START ---------------------


@pytest.mark.parametrize(
    "text, precision, earliest",
    [
        ("2016-10-02/..", "day", dt.date(2016, 10, 2)),
        ("2016-10/..", "month", dt.date(2016, 10, 1)),
        ("2016/..", "year", dt.date(2016, 1, 1)),
        ("2016-10-02~/..", "day", dt.date(2016, 10, 2)),
    ],
)
def test_an_open_end_is_known_from_its_start_and_reads_back_as_written(text, precision, earliest):
    date = FuzzyDate.parse(text)
    assert date.open_end and not date.open_start and not date.is_span and date.open
    assert str(date) == text and FuzzyDate.parse(str(date)) == date
    assert date.precision == precision
    # its latest day is unknown: the last there is; like a span it counts from its start
    assert (date.earliest, date.latest) == (earliest, dt.date.max)
    assert date.counts_from == earliest
    assert date.sort_key() == (earliest, dt.date.max)


def test_an_open_end_sorts_after_the_days_it_starts_with():
    dates = [FuzzyDate.parse(t) for t in ("2016-10-03", "2016-10-02/..", "2016-10-02", "2016-10")]
    assert [str(d) for d in sorted(dates)] == ["2016-10", "2016-10-02", "2016-10-02/..", "2016-10-03"]
    assert FuzzyDate.parse("2016-10-02/..") != FuzzyDate.parse("2016-10-02")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("/..", "an open end needs the date it is known to be on or after"),
        ("../..", "an open start `../END` has one date"),
        ("2016-01-01/2016-02-01/..", "one date before `/..`, not a span"),
        ("2016-02-30/..", "February 2016 has 29 days"),
        ("2016-2-1/..", "write YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_malformed_open_ends_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        FuzzyDate.parse(text)


def test_the_schema_pattern_takes_both_open_forms_and_nothing_else():
    import re

    from peacekb.dates import PATTERN

    for good in ("../2016-10-02", "2016-10-02/..", "2016/2017", "2016-10~"):
        assert re.match(PATTERN, good), good
    for bad in ("../..", "/..", "2016/../2017", "../2016/.."):
        assert not re.match(PATTERN, bad), bad
