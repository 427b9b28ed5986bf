"""The pure rules of goals, with the hand-worked examples of docs/goals.md and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookwise.goals import rules

D = Decimal


def test_units_and_parsing():
    assert rules.to_units(D("1.05"), rules.RATIO) == 10500
    assert rules.from_units(10500, rules.RATIO) == D("1.05")
    assert rules.parse_target("105%", rules.RATIO) == D("1.05")
    assert rules.parse_target("92.25 %", rules.RATIO) == D("0.9225")
    assert rules.parse_target("150,000.50", rules.MONEY) == D("150000.50")
    with pytest.raises(ValueError, match="more decimals"):
        rules.parse_target("12.5", rules.COUNT)
    with pytest.raises(ValueError, match="not a number"):
        rules.parse_target("-", rules.MONEY)
    with pytest.raises(ValueError, match="per cent"):
        rules.parse_target("5%", rules.MONEY)
    with pytest.raises(ValueError, match="not a number"):
        rules.parse_target("NaN", rules.RATIO)
    for misplaced in ("1,2,3", "12,5", "1,00,000"):  # thousands come in threes
        with pytest.raises(ValueError, match="groups of three"):
            rules.parse_target(misplaced, rules.COUNT)


def test_even_split():
    # 3 new accounts between two parts: 1.5 each, the unit left goes to the first
    assert rules.split_even(3, 2, rules.COUNT) == [2, 1]
    assert rules.split_even(10000, 3, rules.MONEY) == [3334, 3333, 3333]
    assert rules.split_even(9000, 3, rules.RATIO) == [9000, 9000, 9000]


def test_last_year_split_of_an_additive_figure():
    # gp growth 1,100.00 shared by last year's gp 400 : 700
    assert rules.split_last_year(110000, rules.MONEY, [D(400), D(700)]) == [40000, 70000]
    with pytest.raises(rules.SplitRefused, match="no child had any"):
        rules.split_last_year(3, rules.COUNT, [D(0), D(0)])


def test_last_year_split_of_a_ratio_keeps_each_distance_to_the_parent():
    # docs/goals.md: NRR 90 %; East last year 15/13, West 1; bases 1500 and 3000.
    # M = (1500 * 15/13 + 3000 * 1) / 4500 = 1.051282...; East 1.002564 -> 1.0026, West 0.848718 -> 0.8488
    units = rules.split_last_year(9000, rules.RATIO, [D(1500), D(3000)], [D(15) / D(13), D(1)])
    assert units == [10026, 8488]
    mean = rules.weighted_mean(units, [D(1500), D(3000)])
    # (1500 * 10026 + 3000 * 8488) / 4500 = 40,503,000 / 4500 = 9000.67: never below 9000
    assert mean is not None and round(mean, 2) == D("9000.67")
    # a part without last year's value gets the goal itself
    assert rules.split_last_year(9000, rules.RATIO, [D(0), D(10)], [None, D("0.8")]) == [9000, 9000]


def test_consistency():
    assert rules.consistency(110000, [40000, 70000], [D(1), D(1)], rules.MONEY).consistent
    off = rules.consistency(110000, [40000, 60000], [D(1), D(1)], rules.MONEY)
    assert not off.consistent and off.message == "the parts sum to 1000.00, -100.00 against the goal"
    # NRR 90 %: East 95 % (base 1500), West 85 % (base 3000): mean 88.33 % < 90 %
    short = rules.consistency(9000, [9500, 8500], [D(1500), D(3000)], rules.RATIO)
    assert not short.consistent and "1.67 percentage points below" in short.message
    # above the goal is consistent: every part meeting its own means the parent meets its
    assert rules.consistency(9000, [9500, 9000], [D(1500), D(3000)], rules.RATIO).consistent
    # all weights 0: the plain mean
    assert rules.consistency(9000, [8000, 10000], [D(0), D(0)], rules.RATIO).consistent


def test_prorated_target_and_track():
    # 1,100.00 of gp growth in a 365-day year, on day 73: 220.00
    assert rules.prorated(D("1100.00"), rules.MONEY, 73, 365) == D("220.00")
    assert rules.prorated(D("0.90"), rules.RATIO, 73, 365) == D("0.90")
    assert rules.track(D("0.90"), D("0.90")) == rules.ON_TRACK
    assert rules.track(D("0.86"), D("0.90")) == rules.CLOSE  # 0.90 - 5 % of 0.90 = 0.855
    assert rules.track(D("0.8222"), D("0.90")) == rules.OFF_TRACK
    assert rules.track(None, D("0.90")) == rules.NO_DATA
    assert rules.attainment(D("40"), D("1100")) == D("40") / D("1100")
    assert rules.attainment(D("40"), D("0")) is None


weights = st.lists(st.integers(min_value=0, max_value=10**9).map(D), min_size=1, max_size=12)


@given(total=st.integers(min_value=0, max_value=10**12), ws=weights)
def test_an_additive_split_always_sums_back(total, ws):
    if sum(ws) == 0:
        return
    parts = rules.largest_remainder(total, ws)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    assert rules.consistency(total, parts, ws, rules.MONEY).consistent


@given(
    target=st.integers(min_value=0, max_value=30000),
    rows=st.lists(
        st.tuples(st.integers(min_value=0, max_value=10**7).map(D),
                  st.none() | st.integers(min_value=0, max_value=30000).map(lambda u: D(u) / 10000)),
        min_size=1, max_size=10,
    ),
)  # fmt: skip
def test_a_ratio_split_by_last_year_is_always_consistent(target, rows):
    ws, last = [w for w, _ in rows], [v for _, v in rows]
    parts = rules.split_last_year(target, rules.RATIO, ws, last)
    assert rules.consistency(target, parts, ws, rules.RATIO).consistent
    assert rules.consistency(
        target, rules.split_even(target, len(ws), rules.RATIO), ws, rules.RATIO
    ).consistent
