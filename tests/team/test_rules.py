from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.core.numbers import display_percent
from bookwise.team.rules import (
    completed_weeks,
    falling_activity_rising_load,
    long_weeks_signal,
    median,
    nurturing_share,
    recommend_separation,
    role_fit,
)


@pytest.mark.parametrize(
    ("hours", "share"),
    [
        ({"account_nurturing": D(10), "prospecting": D(5), "new_business_meeting": D(5)}, D("0.5")),
        ({"account_nurturing": D(3), "prospecting": D(1)}, D("0.75")),
        ({"prospecting": D(8)}, D(0)),
        ({"admin": D(40), "training": D(4)}, None),  # admin and training do not count
        ({}, None),
    ],
)
def test_nurturing_share(hours, share):
    assert nurturing_share(hours) == share


@pytest.mark.parametrize(
    ("share", "recommend"),
    [(D("0.5"), False), (D("0.5001"), True), (D("0.49"), False), (None, False), (D(1), True)],
)
def test_separation_only_strictly_above_the_threshold(share, recommend):
    assert recommend_separation(share, D("0.50")) is recommend


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([None], None),
        ([3], D(3)),
        ([1, 3], D(2)),
        ([5, 1, 3], D(3)),
        ([1, None, 2, 4, 3], D("2.5")),
    ],
)
def test_median(values, expected):
    assert median(values) == expected


def test_completed_weeks_are_iso_weeks_before_today():
    # 2026-06-30 is a Tuesday: its week is not complete, the last one starts Monday 2026-06-22.
    assert completed_weeks(date(2026, 6, 30), 2) == [date(2026, 6, 15), date(2026, 6, 22)]
    # On a Sunday the week holding it counts.
    assert completed_weeks(date(2026, 6, 28), 1) == [date(2026, 6, 22)]


def test_long_weeks_counts_missing_weeks_as_zero_and_is_strict():
    mondays = completed_weeks(date(2026, 6, 28), 6)
    hours = {mondays[0]: D(51), mondays[2]: D(60), mondays[3]: D("50.5"), mondays[5]: D(50)}
    result = long_weeks_signal(hours, mondays, D(50))
    assert result.long_weeks == 3 and not result.fired  # exactly 50 is not above
    assert [h for _, h in result.weeks] == [D(51), D(0), D(60), D("50.5"), D(0), D(50)]
    hours[mondays[5]] = D("50.01")
    assert long_weeks_signal(hours, mondays, D(50)).fired


@pytest.mark.parametrize(
    ("before", "now", "load_before", "load_now", "fired"),
    [
        (D(100), D(80), D(40), D(50), True),
        (D(100), D(100), D(40), D(50), False),
        (D(100), D(80), D(50), D(50), False),
        (D(100), D(80), None, D(50), False),
    ],
)
def test_activity_falling_while_load_rises(before, now, load_before, load_now, fired):
    assert falling_activity_rising_load(before, now, load_before, load_now) is fired


def test_role_fit_prefers_results_then_time_mix():
    t = D("0.5")
    hunter_good = {"new_accounts": (3, D(1)), "new_account_gp": (D(900), D(100))}
    am_poor = {"gp_growth": (D(-5), D(10), False), "turnover": (D("0.5"), D("0.1"), True)}
    assert role_fit(share=D("0.8"), threshold=t, hunter=hunter_good, manager=am_poor).role == "hunter"
    tie = {"new_accounts": (1, D(1))}
    assert role_fit(share=D("0.8"), threshold=t, hunter=tie, manager={}).role == "account_manager"
    assert role_fit(share=D("0.2"), threshold=t, hunter={}, manager={}).role == "hunter"
    assert role_fit(share=None, threshold=t, hunter={}, manager={}).role == "undetermined"
    fit = role_fit(share=D("0.8"), threshold=t, hunter=hunter_good, manager=am_poor)
    assert "hunter metrics above team median: 2 of 2" in fit.evidence
    # JSON and the commands keep "80%"; the page writes the site's percent (numbers.display_percent)
    assert fit.evidence[-1] == "nurturing share 80% (threshold 50%)"
    assert fit.evidence_in(display_percent, 1)[-1] == "nurturing share 80.0 % (threshold 50 %)"


@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=30))
def test_median_lies_between_min_and_max(values):
    assert min(values) <= median(values) <= max(values)


@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=0, max_value=1000, places=2),
)
def test_nurturing_share_is_a_ratio(nurture, prospect, meet):
    share = nurturing_share(
        {"account_nurturing": nurture, "prospecting": prospect, "new_business_meeting": meet}
    )
    if nurture + prospect + meet == 0:
        assert share is None
    else:
        assert 0 <= share <= 1
