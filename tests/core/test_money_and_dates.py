from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.core.dates import add_months, completed_months, parse_iso_date, parse_period
from bookwise.core.money import MoneyError, parse_money, round_cents


@pytest.mark.parametrize(
    "text, expected",
    [("1234.56", "1234.56"), ("-12.5", "-12.50"), ("0", "0.00"), (" 7 ", "7.00")],
)
def test_parse_money_accepts_plain_decimals(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["1,234.56", "12,5", "abc", "", "1.234", "NaN", "1e3x", "1E100", "1e3", "Infinity", "- 5", "1" * 16],
)
def test_parse_money_rejects_other_forms(text):
    with pytest.raises(MoneyError):
        parse_money(text)


def test_round_half_up_is_away_from_zero():
    assert round_cents(Decimal("0.125")) == Decimal("0.13")
    assert round_cents(Decimal("-0.125")) == Decimal("-0.13")
    assert round_cents(Decimal("0.124")) == Decimal("0.12")


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_completed_months_counts_whole_months_only():
    assert completed_months(date(2026, 1, 31), date(2026, 2, 27)) == 0
    assert completed_months(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert completed_months(date(2026, 1, 15), date(2026, 7, 14)) == 5
    assert completed_months(date(2026, 1, 15), date(2026, 7, 15)) == 6


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 40))
def test_completed_months_inverts_add_months(start, n):
    assert completed_months(start, add_months(start, n)) == n


def test_periods_and_their_predecessors():
    q1 = parse_period("2026-Q1")
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert q1.previous().label == "2025-Q4"
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("2026").previous() == parse_period("2025")
    assert parse_period("2026-Q1").year_earlier().label == "2025-Q1"
    with pytest.raises(ValueError):
        parse_period("2026-Q5")


def test_iso_dates_are_strict():
    assert parse_iso_date("2026-02-28") == date(2026, 2, 28)
    for bad in ["20260228", "2026-02-30", "28/02/2026", ""]:
        with pytest.raises(ValueError):
            parse_iso_date(bad)


def test_money_and_percent_filters_show_a_dash_when_undefined():
    from bookwise.core.templatetags.bookwise import money, percent

    assert money(Decimal("1234567.5")) == "1,234,567.50"
    assert percent(Decimal("0.9312")) == "93.1 %"
    assert money(None) == money("") == percent(None) == percent("") == "—"


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (Decimal("38931.75"), "38,932 hours"),
        (Decimal("100.5"), "101 hours"),
        (Decimal("99.94"), "99.9 hours"),
        (Decimal("7.25"), "7.3 hours"),
        (Decimal("1.00"), "1 hour"),
        (Decimal("0"), "0 hours"),
        (None, "—"),
    ],
)
def test_hours_are_shown_rounded_with_separators_and_their_unit(hours, expected):
    from bookwise.core.numbers import display_hours

    assert display_hours(hours) == expected
    assert display_hours(hours, unit=False) == expected.removesuffix(" hours").removesuffix(" hour")
