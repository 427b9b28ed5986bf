import contextlib
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from bookwise.accounts.models import OrderLine, Ownership
from bookwise.accounts.selectors import owner_at, owner_spans, owners_on
from bookwise.accounts.services import Interval, find_overlaps, ownership_assign
from bookwise.core.errors import Conflict
from tests import factories as f
from tests.properties import examples

pytestmark = pytest.mark.django_db


def test_two_open_primary_owners_are_refused_by_the_database():
    a, b = f.rep(), f.rep()
    acc = f.account(owner=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.own(acc, b, date(2021, 1, 1))


def test_one_open_primary_and_one_open_secondary_may_coexist():
    a, b = f.rep(), f.rep()
    acc = f.account(owner=a)
    f.own(acc, b, date(2021, 1, 1), role="secondary")
    assert acc.ownerships.filter(end_date__isnull=True).count() == 2


def test_end_before_start_is_refused_by_the_database():
    acc, r = f.account(), f.rep()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.own(acc, r, date(2021, 1, 10), end=date(2021, 1, 9))


def test_overlapping_closed_intervals_are_refused_by_postgres(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    acc, a, b = f.account(), f.rep(), f.rep()
    f.own(acc, a, date(2021, 1, 1), end=date(2021, 6, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        f.own(acc, b, date(2021, 6, 30), end=date(2021, 12, 31))


def test_assign_ends_the_previous_owner_the_day_before_and_answers_owners_on():
    a, b, c = f.rep(), f.rep(), f.rep()
    acc = f.account(owner=a, since=date(2020, 1, 1))
    other = f.account(owner=c, since=date(2023, 1, 1))
    ownership_assign(account=acc, rep=b, start=date(2024, 3, 1), reason="rebalance")
    old = Ownership.objects.get(account=acc, rep=a)
    assert old.end_date == date(2024, 2, 29)
    assert owners_on(date(2024, 2, 29)) == {acc.pk: a.pk, other.pk: c.pk}
    assert owners_on(date(2024, 3, 1), [acc.pk]) == {acc.pk: b.pk}
    assert owners_on(date(2024, 3, 1), rep_ids=[c.pk], value="rep__external_id") == {other.pk: c.external_id}
    assert owners_on(date(2019, 12, 31)) == {}
    spans = owner_spans(date(2024, 1, 1), date(2024, 12, 31), [acc.pk])
    assert [owner_at(spans[acc.pk], d) for d in (date(2024, 2, 29), date(2024, 3, 1))] == [a.pk, b.pk]
    assert owner_at(spans[acc.pk], date(2019, 12, 31)) is None


def test_assign_refuses_a_start_not_after_the_current_assignment():
    a, b = f.rep(), f.rep()
    acc = f.account(owner=a, since=date(2024, 1, 1))
    with pytest.raises(Conflict):
        ownership_assign(account=acc, rep=b, start=date(2024, 1, 1))
    assert Ownership.objects.get(account=acc).end_date is None


def test_overlap_finder_pairs_same_role_only():
    intervals = [
        Interval("primary", date(2020, 1, 1), date(2020, 12, 31)),
        Interval("secondary", date(2020, 6, 1), None),
        Interval("primary", date(2021, 1, 1), None),
    ]
    assert find_overlaps(intervals) == []
    intervals.append(Interval("primary", date(2020, 12, 31), date(2020, 12, 31)))
    assert len(find_overlaps(intervals)) >= 1


def test_money_sums_exactly_on_every_database():
    acc = f.account()
    for _ in range(10):
        f.order(acc, date(2024, 1, 1), "0.10")
    from django.db.models import Sum

    total = OrderLine.objects.aggregate(total=Sum("amount"))["total"]
    assert total == Decimal("1.00") and isinstance(total, Decimal)


class OwnershipNeverOverlaps(HypothesisTestCase):
    """Property: whatever sequence of assignments succeeds, a role's history never overlaps
    and exactly one primary stays open."""

    @settings(max_examples=examples(25), deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 2), st.integers(1, 400)), min_size=1, max_size=8))
    def test_sequences_of_assignments(self, steps):
        reps = [f.rep() for _ in range(3)]
        acc = f.account(owner=reps[0], since=date(2020, 1, 1))
        for rep_index, offset in steps:
            start = date.fromordinal(date(2020, 1, 1).toordinal() + offset)
            with contextlib.suppress(Conflict):
                ownership_assign(account=acc, rep=reps[rep_index], start=start)
        rows = list(Ownership.objects.filter(account=acc))
        assert find_overlaps(Interval(o.role, o.start_date, o.end_date) for o in rows) == []
        assert sum(1 for o in rows if o.end_date is None) == 1
