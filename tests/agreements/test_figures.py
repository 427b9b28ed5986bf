"""The example of docs/agreements.md through the database: figures, coverage, the pipeline,
who sees what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bookwise.agreements.coverage import contract_coverage, contracted_retention, coverage_by
from bookwise.agreements.selectors import (
    agreement_figures,
    renewal_pipeline,
    renewal_rows,
    visible_agreements,
)
from bookwise.people.selectors import scope_for
from bookwise.retention.services import revenue_rollup_refresh
from tests import factories

from .helpers import DAY, agreement, example

pytestmark = pytest.mark.django_db


def test_released_remaining_and_projection_of_the_example(org):
    world = example(org)
    f = agreement_figures(world["ag"], DAY)
    assert [x.amount for x in f.lines] == [Decimal("5000.00"), Decimal("4000.00"), Decimal("-500.00"),
                                           Decimal("1000.00")]  # fmt: skip
    assert (f.released, f.remaining, f.expected) == (
        Decimal("8500.00"),
        Decimal("28000.00"),
        Decimal("10000.00"),
    )
    assert f.consumption == "on_pace" and f.projected_exhaustion == date(2027, 3, 6)
    assert f.notice_date == date(2026, 10, 2)  # 90 days before 2026-12-31


def test_subsidiaries_count_when_included(org):
    world = example(org)
    sub = factories.account("S1", parent=world["a1"])
    factories.order(sub, date(2026, 3, 1), "700.00", product_line="Pumps")
    assert agreement_figures(world["ag"], DAY).released == Decimal("8500.00")
    world["ag"].include_subsidiaries = True
    world["ag"].save()
    assert agreement_figures(world["ag"], DAY).released == Decimal("9200.00")


def test_contract_coverage_of_an_account_a_rep_and_the_company(org):
    world = example(org)
    revenue_rollup_refresh()
    # T12M to 2026-04-10 of A1: 2000 + 5000 + 4000 + 3000 - 500 = 13,500; under AG-1: 8,500
    one = contract_coverage([world["a1"]], DAY)
    assert (one.revenue, one.contracted) == (Decimal("13500.00"), Decimal("8500.00"))
    rep = contract_coverage(scope_for(org["R1"].user), DAY)  # A1 and A2 (5,000, none contracted)
    assert (rep.revenue, rep.contracted) == (Decimal("18500.00"), Decimal("8500.00"))
    assert contract_coverage(None, DAY).share == Decimal("8500") / Decimal("18500")
    assert contract_coverage(scope_for(org["R3"].user), DAY).share is None  # no revenue: no share
    rows = coverage_by(user=org["M1"].user, day=DAY, by="rep")
    assert [(r.group, r.coverage.contracted) for r in rows] == [("Rep R1", Decimal("8500.00")),
                                                                ("All", Decimal("8500.00"))]  # fmt: skip


def test_no_coverage_from_an_agreement_not_in_force(org):
    world = example(org)
    revenue_rollup_refresh()
    assert contract_coverage([world["a1"]], date(2027, 1, 5)).contracted == 0  # ended 2026-12-31


def test_retention_of_contracted_and_uncontracted_accounts(org):
    world = example(org)
    agreement(world["a2"], "AG-2", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), status="expired")
    factories.order(world["a2"], date(2025, 3, 1), "1000.00")
    lost = factories.account("A3", owner=org["R1"])
    factories.order(lost, date(2025, 3, 1), "1000.00")
    factories.order(world["a1"], date(2024, 6, 1), "800.00")
    revenue_rollup_refresh()
    found = contracted_retention(user=None, day=date(2026, 3, 31))  # P' = 2024-04-01..2025-03-31
    assert (found.contracted.base_accounts, found.contracted.retained_accounts) == (1, 1)  # A2
    assert (found.uncontracted.base_accounts, found.uncontracted.retained_accounts) == (
        2,
        1,
    )  # A1 kept, A3 lost


def test_renewal_pipeline_buckets_and_json(org):
    world = example(org)
    agreement(world["a2"], "AG-2", end_date=date(2026, 5, 1), product_line="", owner=org["R1"])
    rows = renewal_pipeline(user=org["M1"].user, day=DAY)
    assert [(r.agreement.external_id, r.bucket, r.days_left) for r in rows] == [("AG-2", 30, 21)]
    assert renewal_pipeline(user=org["M1"].user, day=date(2026, 7, 10))[0].bucket == 180
    [row] = renewal_rows(user=None, day=DAY, days=30)
    assert row["agreement_id"] == "AG-2" and row["account_id"] == "A2" and row["owner_id"] == "R1"
    assert (row["committed_amount"], row["released"], row["remaining"]) == ("36500.00", "0.00", "36500.00")


def test_a_rep_sees_their_accounts_agreements_a_manager_their_teams(org):
    example(org)
    other = factories.account("B1", owner=org["R3"])
    agreement(other, "AG-9")
    seen = lambda who: sorted(a.external_id for a in visible_agreements(user=org[who].user))  # noqa: E731
    assert seen("R1") == ["AG-1"] and seen("M1") == ["AG-1"] and seen("R2") == []
    assert seen("R3") == ["AG-9"] and seen("M2") == ["AG-9"] and seen("D1") == ["AG-1", "AG-9"]
