"""The planned company (no database): determinism and invariants, also at full scale."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bookwise.accounts.services import Interval, find_overlaps
from bookwise.core.dates import add_months
from bookwise.demo.builder import plan_book
from bookwise.demo.builder.accounts import pareto_sizes
from bookwise.demo.builder.people import leaving_date
from tests.properties import examples

from .conftest import SCALE, TODAY


def check_ownership(book) -> None:
    for account in book.accounts:
        intervals = [Interval(o.role, o.start, o.end) for o in account.ownerships]
        assert find_overlaps(intervals) == [], account.external_id
        open_primaries = [o for o in account.ownerships if o.role == "primary" and o.end is None]
        assert len(open_primaries) == 1, account.external_id
        assert all(o.end is None or o.end >= o.start for o in account.ownerships)
        assert all(o.start <= book.today for o in account.ownerships)


def check_people(book) -> None:
    roles = Counter(r.role for r in book.reps)
    assert roles["director"] == 1 and roles["sales_manager"] == 5
    next_month = add_months(book.today.replace(day=1), 1)
    leaving = [
        r
        for r in book.reps
        if r.end_date and (r.end_date.year, r.end_date.month) == (next_month.year, next_month.month)
    ]
    assert len(leaving) == 1


def test_same_day_same_plan():
    first, second = plan_book(today=TODAY, scale=SCALE), plan_book(today=TODAY, scale=SCALE)
    assert first.orders == second.orders
    assert first.accounts == second.accounts
    assert first.activities == second.activities


def test_another_day_moves_the_dates():
    later = plan_book(today=TODAY + timedelta(days=1), scale=SCALE)
    assert max(o.day for o in later.orders) <= TODAY + timedelta(days=1)
    assert later.orders != plan_book(today=TODAY, scale=SCALE).orders


def test_full_scale_plan_keeps_every_invariant():
    book = plan_book(today=date(2026, 11, 22), scale=1.0)
    assert len(book.accounts) == 2000
    assert 40 <= len([r for r in book.reps if r.role in ("hunter", "account_manager")]) <= 44
    check_people(book)
    check_ownership(book)
    reasons = Counter(o.reason for a in book.accounts for o in a.ownerships)
    assert {"departure", "promotion", "rebalance", "hunter_to_am", "manager_offload"} <= set(reasons)
    lost = Counter(a.lost_reason for a in book.accounts if a.status == "lost")
    assert len(lost) == 9  # every lost reason appears


def test_pareto_sizes_hold_the_80_20_shape():
    import random

    sizes = sorted(pareto_sizes(random.Random(1), 2000), reverse=True)
    share = sum(sizes[:400]) / sum(sizes)
    assert 0.78 <= share <= 0.85


@settings(max_examples=examples(12), deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)))
def test_any_day_gives_a_valid_company(today):
    book = plan_book(today=today, scale=0.03)
    check_people(book)
    check_ownership(book)
    assert leaving_date(today) > today
    assert all(book.history_start <= o.day <= today for o in book.orders if o.kind != "new")
    assert all(o.day <= today for o in book.orders)
    assert all(a.lost_date is None or a.lost_date <= today for a in book.accounts)
