"""Hand-worked thresholds of the team advice (pure rules): roles already split, the other
role's work, the activity drop against the rep's own baseline, the load rise, words."""

from decimal import Decimal as D

import pytest

from bookwise.team.advice import (
    LoadRise,
    activity_drop,
    hours_rise,
    long_weeks_words,
    other_role_share,
    percent,
    roles_split,
    whole,
)

BASE = [D(40)] * 12


def test_roles_split_and_the_other_roles_work():
    assert roles_split(["hunter", "account_manager", "account_manager"])
    assert not roles_split(["account_manager", "account_manager"]) and not roles_split(["hunter"])
    assert other_role_share("hunter", D("0.62")) == D("0.62")  # a hunter nurturing 62 %
    assert other_role_share("account_manager", D("0.30")) == D("0.70")  # an AM hunting 70 %
    assert other_role_share("sales_manager", D("0.9")) is None and other_role_share("hunter", None) is None


@pytest.mark.parametrize(
    ("recent", "fired", "why"),
    [
        ([D(32)] * 6, True, "32 is exactly 20 % under 40: fires (at least 20 %)"),
        ([D("32.4")] * 6, False, "19 % under: not enough"),
        ([D(20)] * 3 + [D(41)] * 3, False, "30 h average, 25 % less, but lower in only 3 of 6 weeks"),
        ([D(20)] * 4 + [D(41)] * 2, True, "27 h, 33 % less, lower in 4 of 6 weeks: sustained"),
        ([D(20)] * 3 + [None] * 3, False, "only 3 weeks counted (3 left out): too few"),
        ([D(20)] * 4 + [None] * 2, True, "4 weeks counted, all 50 % under"),
    ],
)
def test_activity_drop_thresholds(recent, fired, why):
    assert activity_drop(recent, BASE).fired is fired, why


def test_the_baseline_needs_six_counted_weeks():
    assert not activity_drop([D(10)] * 6, [D(40)] * 5 + [None] * 7).fired
    assert activity_drop([D(10)] * 6, [D(40)] * 6 + [None] * 6).fired


def test_activity_evidence_in_words():
    drop = activity_drop([D("27.6"), D(28), None, D("28.4"), D(28), D(28)], BASE)
    assert drop.evidence() == (
        "logged 28 hours a week over the last 6 weeks (1 week off left out), against their usual 40 "
        "hours a week over the 12 weeks before: 30 % less, lower in 5 of 5 weeks"
    )


@pytest.mark.parametrize(
    ("recent", "baseline", "fired", "why"),
    [
        ([D("47.9")] * 6, BASE, False, "19.75 % (7.9 h) over 40: just under the 20 % minimum"),
        ([D(48)] * 6, BASE, True, "exactly 20 % (8 h) over 40: fires (at least 20 % and 5 h)"),
        ([D("48.1")] * 6, BASE, True, "20.25 % over: fires"),
        ([D("24.9")] * 6, [D(20)] * 12, False, "24.5 % over a 20-hour week, but 4.9 h: under 5 h"),
        ([D(25)] * 6, [D(20)] * 12, True, "25 % and exactly 5 h more: fires"),
        ([D(60)] * 3 + [D(39)] * 3, BASE, False, "49.5 h, 24 % more, but higher in only 3 of 6 weeks"),
        ([D(60)] * 4 + [D(39)] * 2, BASE, True, "53 h, 33 % more, higher in 4 of 6 weeks: sustained"),
        ([D(60)] * 3 + [None] * 3, BASE, False, "only 3 weeks counted (3 left out): too few"),
        ([D(60)] * 4 + [None] * 2, BASE, True, "4 weeks counted, all 50 % over"),
        ([D(60)] * 6, [D(40)] * 5 + [None] * 7, False, "the baseline has 5 counted weeks: under 6"),
        ([D(60)] * 6, [D(40)] * 6 + [None] * 6, True, "6 counted baseline weeks: enough"),
    ],
)
def test_longer_hours_thresholds(recent, baseline, fired, why):
    assert hours_rise(recent, baseline).fired is fired, why


def test_longer_hours_evidence_in_words():
    rise = hours_rise([D("49.6"), D(50), None, D("50.4"), D(50), D(50)], BASE)
    assert rise.evidence() == (
        "logged 50 hours a week over the last 6 weeks (1 week off left out), against their usual 40 "
        "hours a week over the 12 weeks before: 25 % more (10 hours a week), higher in 5 of 5 weeks"
    )


@pytest.mark.parametrize(
    ("before", "now", "capacity", "fired"),
    [
        ("10", "11", 100, False),  # a one-point rise
        ("10", "19", 100, False),  # 9 points: under 10 % of 100
        ("10", "20", 100, True),  # 10 points = 10 % of 100
        ("10", "14", 20, False),  # 4 points: under the 5-point minimum
        ("10", "15", 20, True),  # 5 points (25 % of 20)
    ],
)
def test_load_rise_thresholds(before, now, capacity, fired):
    assert LoadRise(D(before), D(now), capacity).fired is fired


def test_numbers_in_words_are_rounded():
    assert whole(D("0.41666666666666666666666667") * 100) == "42"
    assert percent(D("0.41666666666666666666666667")) == "42 %"
    assert (
        LoadRise(D("60.25"), D("75.5"), 100).evidence()
        == "load rose from 60 to 76 points (15 points, 15 % of capacity)"
    )
    weeks = [(None, D("52.5")), (None, D(0)), (None, D("51.25"))]
    assert long_weeks_words(weeks, 2, D(50)) == [
        "2 of the last 3 weeks above 50 hours",
        "hours worked, week by week: 53, 0 and 51",
    ]
