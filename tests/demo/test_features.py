"""The demo gives the other features something to find, through their own interfaces."""

from __future__ import annotations

from collections import Counter

from bookwise.people.models import Rep
from bookwise.retention.selectors import account_gaps, account_tiers
from bookwise.transfers.workload import rep_loads

from .conftest import TODAY


def test_tiers_follow_the_pareto_book(demo):
    tiers = Counter(info.tier for info in account_tiers(day=TODAY).values())
    assert set(tiers) == {"A", "B", "C"}
    assert tiers["A"] < tiers["B"] + tiers["C"]  # a minority of accounts holds 80 % of revenue


def test_gaps_and_whitespace_to_find(demo):
    gaps = account_gaps(day=TODAY).values()
    assert sum(1 for g in gaps if g.whitespace) >= 10
    assert sum(1 for g in gaps if g.gap and g.gap > 0) >= 50


def test_some_reps_are_overloaded_and_none_without_capacity(demo):
    sellers = Rep.objects.filter(role__in=["hunter", "account_manager"]).exclude(end_date__lt=TODAY)
    loads = rep_loads(day=TODAY, rep_ids=sellers.values_list("pk", flat=True))
    assert any(load.overloaded for load in loads.values())
    assert sum(1 for load in loads.values() if not load.overloaded) > len(loads) / 2
    assert all(load.capacity > 0 for load in loads.values())
