"""The pure plan rules: which accounts need a plan, cadence and due dates, pro-rating, status."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.plans import rules

D = Decimal


@pytest.mark.parametrize(
    "tiers, floor, tier, revenue, marked, expected",
    [
        ({"A"}, None, "A", D("10"), False, True),
        ({"A"}, None, "B", D("999999"), False, False),
        ({"A"}, None, "C", D("0"), True, True),  # a manager's mark wins
        ({"A", "B"}, None, "B", D("0"), False, True),
        ({"A"}, D("50000"), "C", D("50000.00"), False, True),  # the floor is inclusive
        ({"A"}, D("50000"), "C", D("49999.99"), False, False),
        (set(), D("50000"), "A", D("100"), False, False),  # no tiers: the floor alone decides
        ({"A"}, D("50000"), None, None, False, False),  # unknown tier and revenue
    ],
)
def test_needs_plan(tiers, floor, tier, revenue, marked, expected):
    rule = rules.PlanRule(frozenset(tiers), floor)
    assert rules.needs_plan(rule, tier=tier, t12m_revenue=revenue, marked=marked) is expected


@pytest.mark.parametrize(
    "tier, cadence", [("A", "monthly"), ("B", "quarterly"), ("C", "quarterly"), (None, "quarterly")]
)
def test_default_cadence_from_tier(tier, cadence):
    assert rules.default_cadence(tier) == cadence


@pytest.mark.parametrize(
    "anchor, cadence, n, due",
    [
        (date(2026, 1, 15), "monthly", 1, date(2026, 2, 15)),
        (date(2026, 1, 31), "monthly", 1, date(2026, 2, 28)),  # clamped to the month end
        (date(2026, 1, 31), "monthly", 2, date(2026, 3, 31)),  # counted from the anchor: no drift
        (date(2026, 1, 31), "monthly", 3, date(2026, 4, 30)),
        (date(2028, 1, 31), "monthly", 1, date(2028, 2, 29)),  # leap year
        (date(2027, 11, 30), "quarterly", 1, date(2028, 2, 29)),
        (date(2025, 11, 30), "quarterly", 1, date(2026, 2, 28)),
        (date(2026, 8, 31), "quarterly", 2, date(2027, 2, 28)),
        (date(2026, 12, 31), "monthly", 1, date(2027, 1, 31)),  # across the year end
    ],
)
def test_review_due_dates(anchor, cadence, n, due):
    assert rules.review_due_date(anchor, cadence, n) == due


def test_reviews_are_numbered_from_one():
    with pytest.raises(ValueError):
        rules.review_due_date(date(2026, 1, 1), "monthly", 0)


@pytest.mark.parametrize(
    "anchor, cadence, done, due",
    [
        (date(2026, 1, 31), "monthly", 0, date(2026, 2, 28)),
        (date(2026, 1, 31), "monthly", 10, date(2026, 12, 31)),
        (date(2026, 1, 31), "monthly", 11, None),  # January 2027 is after the plan year
        (date(2026, 3, 1), "quarterly", 3, None),
        (date(2026, 3, 1), "quarterly", 2, date(2026, 12, 1)),
    ],
)
def test_next_review_due_stops_at_the_plan_year_end(anchor, cadence, done, due):
    assert rules.next_review_due(anchor, cadence, done, date(2026, 12, 31)) == due


@pytest.mark.parametrize(
    "due, day, overdue, flagged",
    [
        (date(2026, 2, 28), date(2026, 2, 28), 0, False),
        (date(2026, 2, 28), date(2026, 3, 7), 7, False),  # 7 days is not MORE than 7
        (date(2026, 2, 28), date(2026, 3, 8), 8, True),
        (date(2028, 2, 29), date(2028, 3, 8), 8, True),  # leap day due date
        (date(2026, 12, 31), date(2027, 1, 8), 8, True),  # across the year end
        (None, date(2026, 3, 8), 0, False),
    ],
)
def test_overdue_flag(due, day, overdue, flagged):
    assert rules.days_overdue(due, day) == overdue
    assert rules.is_flagged(due, day, 7) is flagged


@pytest.mark.parametrize(
    "target, year, day, expected",
    [
        (D("365000"), 2026, date(2026, 1, 1), D("1000.00")),
        (D("365000"), 2026, date(2026, 12, 31), D("365000.00")),
        (D("366000"), 2028, date(2028, 2, 29), D("60000.00")),  # leap year: 60 days of 366
        (D("365000"), 2026, date(2026, 3, 1), D("60000.00")),  # 31 + 28 + 1 days of 365
        (D("100000"), 2026, date(2025, 12, 31), D("0.00")),  # before the plan year
        (D("100000"), 2026, date(2027, 6, 1), D("100000.00")),  # after it: the whole target
        (D("1000"), 2026, date(2026, 1, 2), D("5.48")),  # 1000 x 2 / 365 = 5.479.. -> 5.48
    ],
)
def test_prorated_target(target, year, day, expected):
    assert rules.prorated_target(target, year, day) == expected


def test_days_in_year_counts_leap_years():
    assert [rules.days_in_year(y) for y in (2024, 2025, 2100, 2000)] == [366, 365, 365, 366]


@pytest.mark.parametrize(
    "ratio, status",
    [
        (D("1.20"), "on_track"),
        (D("0.95"), "on_track"),
        (D("0.9499"), "at_risk"),
        (D("0.80"), "at_risk"),
        (D("0.7999"), "off_track"),
        (D("0"), "off_track"),
        (None, "not_started"),
    ],
)
def test_status_thresholds(ratio, status):
    assert rules.plan_status(ratio) == status


def test_status_thresholds_are_settings():
    assert rules.plan_status(D("0.90"), on_track=D("0.90"), at_risk=D("0.5")) == "on_track"
    assert rules.plan_status(D("0.60"), on_track=D("0.90"), at_risk=D("0.5")) == "at_risk"


def test_attainment_and_completion():
    assert rules.attainment(D("50"), D("100")) == D("0.5000")
    assert rules.attainment(D("50"), D("0")) is None
    assert rules.completion(["done", "open", "done", "missed"]) == D("0.5000")
    assert rules.completion([]) is None


def test_month_ends_and_cumulative_series():
    points = rules.month_ends(2028, date(2028, 3, 10))
    assert points == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 10)]
    actual, targets = rules.cumulative_series({1: D("10"), 3: D("5")}, D("366"), 2028, points)
    assert actual == [D("10"), D("10"), D("15")]
    assert targets == [D("31.00"), D("60.00"), D("70.00")]


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(target=st.decimals(min_value=0, max_value=10**9, places=2), day=days, year=st.integers(1990, 2100))
def test_prorated_target_stays_between_zero_and_target(target, day, year):
    value = rules.prorated_target(target, year, day)
    assert D("0") <= value <= target
    assert rules.prorated_target(target, year, day + timedelta(days=1)) >= value


@given(anchor=days, cadence=st.sampled_from(["monthly", "quarterly"]), n=st.integers(1, 40))
def test_due_dates_increase_and_stay_near_the_anchor_day(anchor, cadence, n):
    due, later = rules.review_due_date(anchor, cadence, n), rules.review_due_date(anchor, cadence, n + 1)
    assert anchor < due < later
    assert due.day == anchor.day or due.day < anchor.day and (due + timedelta(days=1)).day == 1
