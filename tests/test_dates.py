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
