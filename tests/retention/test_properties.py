from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from bookwise.retention import metrics
from tests.properties import examples

cents = st.integers(min_value=-50_000, max_value=500_000).map(lambda c: D(c) / 100)
rows = st.lists(
    st.tuples(st.sampled_from(["N", "S", "E", None]), cents, cents, st.booleans()), min_size=0, max_size=40
)


@settings(max_examples=examples(300), deadline=None)
@given(rows)
def test_retention_invariants(data):
    accounts = [metrics.AccountPeriods(i, g, p, prev, new) for i, (g, p, prev, new) in enumerate(data)]
    groups = metrics.retention_by_group(accounts)
    overall = metrics.retention_by_group(
        [metrics.AccountPeriods(a.key, "all", a.rev_p, a.rev_prev, a.new) for a in accounts]
    )
    for g in groups.values():
        if g.base_accounts == 0:
            assert (g.grr, g.nrr, g.logo_retention) == (None, None, None)
            continue
        assert 0 <= g.grr <= 1
        assert g.grr <= g.nrr
        assert 0 <= g.logo_retention <= 1
        assert g.retained_accounts + g.lost_accounts == g.base_accounts
    combined = metrics.combine(groups.values(), "all")
    if overall:
        assert vars(combined) | {"lost_keys": []} == vars(overall["all"]) | {"lost_keys": []}
    total_base = sum((g.base_revenue for g in groups.values()), D(0))
    total_period = sum((g.period_revenue for g in groups.values()), D(0))
    if overall:
        assert total_base == overall["all"].base_revenue
        assert total_period == overall["all"].period_revenue
    else:
        assert total_base == 0


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(st.integers(min_value=-50_000, max_value=5_000_000), max_size=30),
    st.sampled_from([(D("0.80"), D("0.95")), (D("0.5"), D("0.9")), (D("0.333"), D("0.667"))]),
)
def test_tiers_from_cents_are_the_tiers_of_the_amounts(cents, shares):
    """Ranking whole cents (the book's tiers) gives the tiers METRICS.md defines on amounts."""
    ids = [f"A{i:03d}" for i in range(len(cents))]
    ordered = sorted(range(len(cents)), key=lambda i: (-cents[i], ids[i]))
    total = sum((D(c) / 100 for c in cents), D(0))
    expected, before = {}, D(0)
    for i in ordered:
        expected[i] = metrics.tier_for_share(before, total, *shares)
        before += D(cents[i]) / 100
    assert metrics.assign_tiers([(i, ids[i], c) for i, c in enumerate(cents)], *shares) == expected
