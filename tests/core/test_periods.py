"""Any period: P' (Period.previous), the forms a period is written in, its bounds, the data's
default period and as-of date, and the warnings of a comparison over incomplete data.
Hand-worked examples first, then Hypothesis properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.core.dates import add_months, custom_period, parse_period, period_of, whole_months
from bookwise.core.periods import (
    Coverage,
    check_as_of,
    check_period,
    comparison_warnings,
    default_as_of,
    default_period,
    last_complete_quarter,
    months_of,
    parse_period_text,
    resolve_period,
)
from bookwise.core.validation import InvalidValue

TODAY = date(2026, 12, 5)


def span(p):
    return (p.start, p.end)


# --- P' --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, prev_start, prev_end, label",
    [
        # the example: a custom half-year steps back six calendar months, not 181 days
        (date(2026, 1, 1), date(2026, 6, 30), date(2025, 7, 1), date(2025, 12, 31), "2025-07-01..2025-12-31"),
        (date(2026, 1, 1), date(2026, 3, 31), date(2025, 10, 1), date(2025, 12, 31), "2025-Q4"),
        (date(2026, 1, 1), date(2026, 12, 31), date(2025, 1, 1), date(2025, 12, 31), "2025"),
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        (date(2024, 3, 1), date(2024, 3, 31), date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        # two whole months that are no calendar unit: two months back (61 days, not 59)
        (date(2026, 3, 1), date(2026, 4, 30), date(2026, 1, 1), date(2026, 2, 28), "2026-01-01..2026-02-28"),
        # a quarter-long run of months across a year boundary is not a calendar quarter
        (
            date(2025, 12, 1),
            date(2026, 2, 28),
            date(2025, 9, 1),
            date(2025, 11, 30),
            "2025-09-01..2025-11-30",
        ),
        # not whole months: same number of days (10 days here)
        (
            date(2026, 1, 1),
            date(2026, 1, 10),
            date(2025, 12, 22),
            date(2025, 12, 31),
            "2025-12-22..2025-12-31",
        ),
        # ends mid-month: days (181 days back)
        (
            date(2026, 1, 15),
            date(2026, 7, 14),
            date(2025, 7, 18),
            date(2026, 1, 14),
            "2025-07-18..2026-01-14",
        ),
    ],
)
def test_the_period_before_by_hand(start, end, prev_start, prev_end, label):
    prev = custom_period(start, end).previous()
    assert (prev.start, prev.end, prev.label) == (prev_start, prev_end, label)


def test_calendar_labels_step_back_by_calendar():
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    assert parse_period("2026").previous().label == "2025"
    assert parse_period("2026-01").previous().label == "2025-12"
    assert period_of(date(2026, 4, 1), date(2026, 6, 30)).label == "2026-Q2"
    assert parse_period("2024-02").year_earlier() == parse_period("2023-02")
    assert span(parse_period("2025-02").year_earlier()) == (date(2024, 2, 1), date(2024, 2, 29))


first_days = st.builds(date, st.integers(1950, 2100), st.integers(1, 12), st.just(1))


@given(first_days, st.integers(1, 36))
def test_whole_months_step_back_by_as_many_months(start, n):
    period = custom_period(start, add_months(start, n) - timedelta(days=1))
    prev = period.previous()
    assert whole_months(prev.start, prev.end) == n == period.whole_months
    assert prev.start == add_months(start, -n) and prev.start.day == 1
    assert prev.end == start - timedelta(days=1)


@given(st.dates(date(1950, 1, 1), date(2100, 1, 1)), st.integers(0, 800))
def test_the_period_before_ends_the_day_before_and_matches_its_kind(start, length):
    period = custom_period(start, start + timedelta(days=length))
    prev = period.previous()
    assert prev.end == period.start - timedelta(days=1)
    if period.whole_months:
        assert prev.whole_months == period.whole_months
    else:
        assert prev.days == period.days
    # relabelling is stable: the same dates always give the same P and P'
    assert period_of(period.start, period.end).previous() == prev


@given(st.dates(date(1950, 1, 1), date(2100, 1, 1)))
def test_a_quarter_steps_back_to_the_quarter_before(day):
    q = parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    assert q.previous().label.count("-Q") == 1 and q.previous().end == q.start - timedelta(days=1)


# --- Forms a period is written in ------------------------------------------------------


@pytest.mark.parametrize(
    "text, label, start, end",
    [
        ("2017", "2017", date(2017, 1, 1), date(2017, 12, 31)),
        ("2017-Q2", "2017-Q2", date(2017, 4, 1), date(2017, 6, 30)),
        (" 2017q2 ", "2017-Q2", date(2017, 4, 1), date(2017, 6, 30)),
        ("2017-03", "2017-03", date(2017, 3, 1), date(2017, 3, 31)),
        ("2017-04-01..2017-06-30", "2017-Q2", date(2017, 4, 1), date(2017, 6, 30)),
        ("2017-01-01..2017-06-30", "2017-01-01..2017-06-30", date(2017, 1, 1), date(2017, 6, 30)),
    ],
)
def test_period_forms(text, label, start, end):
    period = parse_period_text(text)
    assert (period.label, period.start, period.end) == (label, start, end)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2017-Q5", "Period: '2017-Q5' is not a period (write 2026, 2026-Q1"),
        ("2017-13", "Period: '2017-13' is not a period: '2017-13': month must be 01 to 12."),
        ("last year", "Period: 'last year' is not a period"),
        ("-", "Period: '-' is not a period"),
        ("2017-06-30..2017-01-01", "its end 2017-01-01 is before its start 2017-06-30"),
        ("2017-02-30..2017-03-31", "'2017-02-30' is not a date"),
    ],
)
def test_bad_periods_name_the_field_and_the_value(text, message):
    with pytest.raises(InvalidValue) as caught:
        parse_period_text(text)
    assert message in caught.value.message and caught.value.extra["field"] == "period"


def test_period_bounds():
    assert check_period(parse_period("2026"), TODAY).label == "2026"  # this year: fine
    assert check_period(parse_period("2026-Q4"), TODAY).label == "2026-Q4"
    with pytest.raises(InvalidValue, match="starts after today"):
        check_period(parse_period("2027-Q1"), TODAY)
    with pytest.raises(InvalidValue, match="more than a year after today"):
        check_period(custom_period(date(2026, 1, 1), date(2099, 12, 31)), TODAY)
    with pytest.raises(InvalidValue, match="starts before 1900-01-01"):
        check_period(parse_period("1899"), TODAY)
    assert check_as_of(TODAY, TODAY) == TODAY
    with pytest.raises(InvalidValue, match="As of: 2099-01-01 is after today"):
        check_as_of(date(2099, 1, 1), TODAY)


def test_resolve_period_takes_one_form_and_defaults():
    default = parse_period("2017-Q4")
    assert resolve_period(None, None, None, today=TODAY, default=default) == default
    assert resolve_period("2017-Q2", None, None, today=TODAY, default=default).label == "2017-Q2"
    got = resolve_period("custom", date(2017, 1, 1), date(2017, 3, 31), today=TODAY, default=default)
    assert got.label == "2017-Q1"
    with pytest.raises(InvalidValue, match="not both"):
        resolve_period("2017-Q2", date(2017, 1, 1), date(2017, 3, 31), today=TODAY, default=default)
    with pytest.raises(InvalidValue, match="both start and end") as caught:
        resolve_period(None, date(2017, 1, 1), None, today=TODAY, default=default)
    assert caught.value.extra["field"] == "end"
    with pytest.raises(InvalidValue, match="End: 2017-01-01 is before the start 2017-03-31"):
        resolve_period(None, date(2017, 3, 31), date(2017, 1, 1), today=TODAY, default=default)
    with pytest.raises(InvalidValue, match="needs a start and an end"):
        resolve_period("custom", None, None, today=TODAY, default=default)


# --- Defaults of the data --------------------------------------------------------------


@pytest.mark.parametrize(
    "last_line, expected",
    [
        (date(2017, 12, 31), "2017-Q4"),  # the Maven sample: its last line closes 2017-Q4
        (date(2017, 12, 1), "2017-Q4"),  # a line in the quarter's last month: the data reaches it
        (date(2017, 11, 30), "2017-Q3"),  # history stops in November: Q4 is incomplete
        (date(2026, 12, 3), "2026-Q3"),  # a current book: the last quarter before today
        (date(2026, 9, 30), "2026-Q3"),
        (date(2027, 3, 1), "2026-Q3"),  # a line dated after today counts as today
        (None, "2026-Q3"),  # no line at all
    ],
)
def test_default_period_is_the_last_complete_quarter_of_the_data(last_line, expected):
    assert default_period(last_line, TODAY).label == expected


def test_default_as_of():
    assert default_as_of(parse_period("2017-Q4"), TODAY) == date(2017, 12, 31)
    assert default_as_of(last_complete_quarter(TODAY), TODAY) == TODAY
    # the quarter that ended yesterday is complete: its day after is today
    assert default_period(date(2026, 12, 31), date(2027, 1, 1)).label == "2026-Q4"


# --- Incomplete comparisons ------------------------------------------------------------

MAVEN = Coverage(date(2017, 3, 1), date(2017, 12, 31))


def test_a_complete_comparison_has_no_warning():
    assert comparison_warnings(parse_period("2017-Q4"), MAVEN, TODAY) == []


def test_a_book_starting_inside_the_base_period_is_said():
    (warning,) = comparison_warnings(parse_period("2017-Q2"), MAVEN, TODAY)
    assert warning == (
        "The book's history starts on 2017-03-01, inside the base period P′ (2017-01-01 – 2017-03-31): "
        "the base is partial, so NRR and GRR may be inflated."
    )
    (before,) = comparison_warnings(parse_period("2017-Q1"), MAVEN, TODAY)
    assert "after the base period P′ (2016-10-01 – 2016-12-31)" in before


def test_empty_months_and_the_end_of_the_history_are_said():
    # the first line on 2016-01-05 is in the base's first month: the base is whole
    coverage = Coverage(date(2016, 1, 5), date(2017, 11, 20), (date(2017, 2, 1), date(2017, 12, 1)))
    warnings = comparison_warnings(parse_period("2017"), coverage, TODAY)
    assert warnings == [
        "The book's history ends on 2017-11-20, inside P (2017-01-01 – 2017-12-31): revenue after it "
        "is missing, so accounts may look lost.",
        "No order line in the whole book in 2017-02: data may be missing there.",
    ]
    running = comparison_warnings(parse_period("2026-Q4"), Coverage(date(2020, 1, 1), TODAY), TODAY)
    assert running == [
        "P (2026-10-01 – 2026-12-31) is not over yet (today is 2026-12-05): its revenue is partial."
    ]
    assert comparison_warnings(parse_period("2026-Q3"), Coverage(None, None), TODAY) == [
        "The book has no order line: there is nothing to compare."
    ]


def test_months_are_the_unit_at_both_ends():
    late_in_month = Coverage(date(2017, 1, 28), date(2017, 12, 3))
    assert comparison_warnings(parse_period("2017-Q2"), late_in_month, TODAY) == []
    assert (
        "starts on 2017-02-01"
        in comparison_warnings(parse_period("2017-Q1"), Coverage(date(2017, 2, 1), TODAY), TODAY)[0]
    )


def test_months_of():
    assert months_of(date(2017, 1, 15), date(2017, 3, 1)) == [
        date(2017, 1, 1),
        date(2017, 2, 1),
        date(2017, 3, 1),
    ]
