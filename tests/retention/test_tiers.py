from datetime import date
from decimal import Decimal as D

import pytest

from bookwise.retention import metrics
from bookwise.retention.models import TierPin
from bookwise.retention.selectors import account_tiers
from tests import factories as f


def _tiers(*revenues, ids=None):
    ids = ids or [f"A{i}" for i in range(len(revenues))]
    rows = [metrics.TierInput(i, ids[i], D(r)) for i, r in enumerate(revenues)]
    tiers = metrics.assign_tiers(rows)
    return "".join(tiers[i] for i in range(len(revenues)))


@pytest.mark.parametrize(
    "revenues, expected",
    [
        # cumulative share before: 0 -> A, 0.5 -> A, 0.8 -> B (not below 0.80), 0.95 -> C
        (("50", "30", "15", "5"), "AABC"),
        (("79", "16", "5"), "AAC"),  # before: 0, .79, .95 (not below .95) -> C
        (("100",), "A"),
        (("100", "0", "-10"), "ACC"),  # no revenue -> C
        (("0", "0"), "CC"),  # empty book: all C
        (("-5", "3"), "CC"),  # total <= 0: all C
    ],
)
def test_assign_tiers_table(revenues, expected):
    assert _tiers(*revenues) == expected


def test_ties_are_broken_by_account_id():
    rows = [
        metrics.TierInput(1, "A2", D("10")),
        metrics.TierInput(2, "A1", D("10")),
        metrics.TierInput(3, "A0", D("75")),
        metrics.TierInput(4, "A3", D("5")),
    ]
    # order: A0 (75, before 0 -> A), A1 (10, before .75 -> A), A2 (10, before .85 -> B), A3 (.95 -> C)
    assert metrics.assign_tiers(rows) == {3: "A", 2: "A", 1: "B", 4: "C"}


@pytest.mark.django_db
def test_account_tiers_uses_t12m_boundaries_and_pins():
    day = date(2026, 3, 31)  # T12M = 2025-04-01 .. 2026-03-31
    a = f.account("A1")
    b = f.account("A2")
    c = f.account("A3")
    f.order(a, date(2025, 4, 1), "100.00")  # first day inside
    f.order(a, date(2025, 3, 31), "1000.00")  # the day before: outside
    f.order(b, date(2026, 3, 31), "60.00")  # last day inside
    f.order(b, date(2026, 4, 1), "5000.00")  # after d: outside
    f.order(b, date(2026, 1, 1), "-20.00")  # credit note counts
    tiers = account_tiers(day=day)
    assert tiers[a.pk].t12m_revenue == D("100.00")
    assert tiers[b.pk].t12m_revenue == D("40.00")
    assert (tiers[a.pk].tier, tiers[b.pk].tier, tiers[c.pk].tier) == ("A", "A", "C")  # 100/140 before b
    TierPin.objects.create(account=c, tier="A")
    only = account_tiers(day=day, account_ids=[c.pk])
    assert list(only) == [c.pk]
    assert only[c.pk].tier == "A" and only[c.pk].pinned and only[c.pk].computed_tier == "C"
