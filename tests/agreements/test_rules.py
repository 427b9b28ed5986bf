"""The figures of docs/agreements.md, worked by hand (pure rules, no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bookwise.agreements import rules
from bookwise.agreements.rules import Line, Terms

START, END, DAY = date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 10)
COMMITTED = Decimal("36500.00")
TERMS = Terms(1, frozenset({10}), START, END, "Pumps")
LINES = [
    Line(1, date(2025, 12, 20), Decimal("2000.00"), 10, "Pumps", "repeat"),
    Line(2, date(2026, 1, 15), Decimal("5000.00"), 10, "Pumps", "contract_release"),
    Line(3, date(2026, 2, 20), Decimal("4000.00"), 10, "Pumps", "repeat"),
    Line(4, date(2026, 3, 5), Decimal("3000.00"), 10, "Valves", "repeat"),
    Line(5, date(2026, 3, 30), Decimal("-500.00"), 10, "Pumps", "contract_release"),
    Line(6, date(2026, 4, 20), Decimal("1000.00"), 10, "Pumps", "repeat"),
    Line(7, date(2026, 2, 1), Decimal("9000.00"), 11, "Pumps", "contract_release"),
]


def releases() -> list[Line]:
    return rules.allocate([TERMS], LINES)[1]


def test_releases_are_the_lines_of_the_account_period_and_product_line():
    assert [x.key for x in releases()] == [2, 3, 5, 6]


def test_released_remaining_and_the_straight_line():
    assert rules.released(releases(), DAY) == Decimal("8500.00")
    assert rules.remaining(COMMITTED, Decimal("8500.00")) == Decimal("28000.00")
    assert rules.elapsed_days(START, END, DAY) == 100
    assert rules.expected_to_date(COMMITTED, START, END, DAY) == Decimal("10000.00")
    assert rules.consumption(COMMITTED, Decimal("8500.00"), START, END, DAY) == rules.ON_PACE


def test_projected_exhaustion_at_the_current_pace():
    # pace 85.00 a day; 28,000 / 85 = 329.4 -> 330 days after 2026-04-10
    assert rules.projected_exhaustion(COMMITTED, Decimal("8500.00"), START, END, DAY) == date(2027, 3, 6)
    assert rules.projected_exhaustion(COMMITTED, Decimal("0"), START, END, DAY) is None


def test_over_and_under_consumption_and_an_exceeded_commitment():
    assert rules.consumption(COMMITTED, Decimal("12000.01"), START, END, DAY) == rules.OVER
    assert rules.consumption(COMMITTED, Decimal("7999.99"), START, END, DAY) == rules.UNDER
    assert rules.consumption(COMMITTED, Decimal("8000.00"), START, END, DAY) == rules.ON_PACE
    assert rules.consumption(Decimal("10000"), Decimal("12000"), START, END, DAY) == rules.EXCEEDED
    assert rules.remaining(Decimal("10000"), Decimal("12000")) == 0
    assert rules.over_commitment(Decimal("10000"), Decimal("12000")) == Decimal("2000")
    assert rules.consumption(COMMITTED, Decimal("0"), START, END, date(2026, 1, 20)) == rules.EARLY
    assert rules.consumption(COMMITTED, Decimal("0"), START, END, date(2025, 12, 1)) == rules.NOT_STARTED


def test_exhausted_on_is_the_day_the_running_total_reached_the_commitment():
    assert rules.exhausted_on(Decimal("9000.00"), releases()) == date(2026, 2, 20)
    assert rules.exhausted_on(Decimal("9000.01"), [x for x in releases() if x.day <= DAY]) is None


def test_an_agreement_without_product_line_takes_only_contract_releases():
    terms = Terms(1, frozenset({10}), START, END, "")
    assert [x.key for x in rules.allocate([terms], LINES)[1]] == [2, 5]


def test_a_line_counts_once_for_the_agreement_that_started_first():
    later = Terms(2, frozenset({10}), date(2026, 2, 1), END, "Pumps")
    shared = rules.allocate([later, TERMS], LINES)
    assert [x.key for x in shared[1]] == [2, 3, 5, 6] and shared[2] == []


def test_burn_down_goes_from_committed_to_what_is_left():
    burn = rules.burn_down(COMMITTED, START, END, releases(), DAY)
    assert burn.days[0] == START and burn.days[-2] == DAY and burn.days[-1] == END
    assert burn.remaining[0] == COMMITTED and burn.remaining[-2] == Decimal("28000.00")
    assert burn.remaining[-1] is None and burn.straight[-1] == 0
    assert burn.straight[burn.days.index(DAY)] == Decimal("26500.00")


def test_coverage_share():
    assert rules.share(Decimal("8500"), Decimal("20000")) == Decimal("0.425")
    assert rules.share(Decimal("8500"), Decimal("25000")) == Decimal("0.34")
    assert rules.share(Decimal("0"), Decimal("0")) is None


@given(
    st.decimals(min_value=1, max_value=10**9, places=2),
    st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_remaining_and_over_commitment_add_up(committed, released):
    left, over = rules.remaining(committed, released), rules.over_commitment(committed, released)
    assert left >= 0 and over >= 0 and committed - left + over == released


@given(st.dates(min_value=START, max_value=END), st.decimals(min_value="0.01", max_value=36499, places=2))
def test_the_projection_runs_out_after_the_day(day, released):
    projected = rules.projected_exhaustion(COMMITTED, released, START, END, day)
    assert projected is None or day < projected <= day + timedelta(days=rules.PROJECTION_DAYS)
