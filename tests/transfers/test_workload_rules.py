from decimal import Decimal

import pytest

from bookwise.transfers.workload import account_points, compute_loads, make_load

TABLE = ({"A": Decimal(5), "B": Decimal(2), "C": Decimal(1)}, Decimal("0.25"))


@pytest.mark.parametrize(
    ("tier", "role", "points"),
    [
        ("A", "primary", Decimal(5)),
        ("B", "primary", Decimal(2)),
        ("C", "primary", Decimal(1)),
        ("A", "secondary", Decimal("1.25")),
        ("B", "secondary", Decimal("0.5")),
        ("C", "secondary", Decimal("0.25")),
    ],
)
def test_account_points_by_tier_and_role(tier, role, points):
    assert account_points(tier, role, TABLE) == points


def test_loads_sum_points_and_missing_tier_counts_as_c():
    holdings = [(1, 10, "primary"), (1, 11, "secondary"), (2, 12, "primary"), (3, 13, "primary")]
    loads = compute_loads(holdings, {10: "A", 11: "A"}, {1: 100, 2: 1}, TABLE)
    assert set(loads) == {1, 2}  # rep 3 not asked for
    assert loads[1].points == Decimal("6.25")
    assert loads[1].utilisation == Decimal("0.0625")
    assert not loads[1].overloaded
    assert loads[2].points == Decimal(1) and loads[2].utilisation == 1 and not loads[2].overloaded


@pytest.mark.parametrize(
    ("points", "capacity", "utilisation", "overloaded"),
    [
        ("0", 100, Decimal(0), False),
        ("100", 100, Decimal(1), False),
        ("101", 100, Decimal("1.01"), True),
        ("0", 0, None, False),
        ("1", 0, None, True),
    ],
)
def test_utilisation_and_overloaded(points, capacity, utilisation, overloaded):
    load = make_load(1, Decimal(points), capacity)
    assert load.utilisation == utilisation
    assert load.overloaded is overloaded
