from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from bookwise.retention import metrics
from bookwise.retention.book import at_risk, gap_rows, gap_totals
from bookwise.retention.selectors import account_gaps
from tests import factories as f

DAY = date(2026, 6, 30)
IN = date(2026, 1, 15)


@pytest.mark.parametrize(
    "active, buyers, expected",
    [(10, {"X": 3}, {"X"}), (10, {"X": 2}, set()), (0, {"X": 1}, set()), (4, {"X": 2, "Y": 1, "": 4}, {"X"})],
)
def test_common_lines_threshold_is_at_least_30_percent(active, buyers, expected):
    assert metrics.common_lines(active, buyers) == expected


@pytest.mark.parametrize(
    "potential, t12m, gap, share",
    [
        ("1000", "300", "700", "0.3"),
        ("100", "150", "0", "1.5"),
        (None, "50", None, None),
        ("0", "0", "0", None),
        ("100", "-20", "120", "-0.2"),
    ],
)
def test_gap_and_wallet_share_table(potential, t12m, gap, share):
    pot = D(potential) if potential is not None else None
    assert metrics.gap(pot, D(t12m)) == (D(gap) if gap else None)
    assert metrics.wallet_share(pot, D(t12m)) == (D(share) if share else None)


def _retail(org):
    north = f.territory("North", "East")
    g = {}
    for name, potential, status in [
        ("G1", "1000", "active"),
        ("G2", None, "active"),
        ("G3", "100", "active"),
        ("G4", None, "lost"),
        ("G5", "0", "active"),
    ]:
        g[name] = f.account(
            name,
            owner=org["R1"],
            territory=north,
            industry="Retail",
            potential=potential,
            status=status,
            lost_date=date(2026, 1, 1) if status == "lost" else None,
        )
    for name, line, amount in [
        ("G1", "X", "200"),
        ("G1", "Y", "100"),
        ("G2", "X", "50"),
        ("G3", "Z", "150"),
        ("G4", "X", "10"),
    ]:
        f.order(g[name], IN, amount, product_line=line)
    f.order(g["G2"], date(2025, 6, 30), "999", product_line="Y")  # outside T12M
    return g


@pytest.mark.django_db
def test_account_gaps_whitespace_among_active_industry_peers(org):
    g = _retail(org)
    gaps = account_gaps(day=DAY)
    assert gaps[g["G1"].pk].gap == D("700.00") and gaps[g["G1"].pk].wallet_share == D("0.3")
    assert gaps[g["G2"].pk].gap is None and gaps[g["G2"].pk].wallet_share is None
    assert (gaps[g["G3"].pk].gap, gaps[g["G3"].pk].wallet_share) == (D("0"), D("1.5"))
    assert [gaps[g[n].pk].whitespace for n in ("G1", "G2", "G3", "G4", "G5")] == [[], [], ["X"], [], ["X"]]
    only = account_gaps(day=DAY, account_ids=[g["G3"].pk])
    assert list(only) == [g["G3"].pk] and only[g["G3"].pk].whitespace == ["X"]


@pytest.mark.django_db
def test_gap_ranking_and_totals(org):
    _retail(org)
    rows = gap_rows(day=DAY)
    assert [r.account.external_id for r in rows] == ["G1", "G3", "G5", "G2", "G4"]
    (north,) = gap_totals(rows, "territory")
    assert (north.accounts, north.potential_revenue, north.t12m_revenue, north.gap) == (
        3,
        D("1100.00"),
        D("450.00"),
        D("700.00"),
    )
    (r1,) = gap_totals(rows, "rep")
    assert r1.group == "R1" and r1.gap == D("700.00")


def _every(a, start, end, days, amount="100"):
    day = start
    while day <= end:
        f.order(a, day, amount)
        day += timedelta(days=days)


@pytest.mark.django_db
def test_at_risk_decline_and_silence(org):
    r1 = org["R1"]
    k = {n: f.account(n, owner=r1) for n in ("K1", "K2", "K3", "K5")}
    k["K4"] = f.account("K4", owner=r1, status="lost", lost_date=date(2026, 5, 1))
    f.order(k["K1"], date(2024, 8, 1), "1000")
    f.order(k["K1"], date(2026, 6, 1), "690")  # down 31 %
    f.order(k["K2"], date(2024, 8, 1), "1000")
    f.order(k["K2"], date(2026, 6, 1), "700")  # down exactly 30 %: not more than
    _every(k["K3"], date(2025, 1, 1), date(2026, 4, 1), 30)  # last 2026-03-27, 95 days > 2 x 30
    _every(k["K4"], date(2025, 1, 1), date(2026, 4, 1), 30)
    f.order(k["K5"], date(2025, 8, 1), "100")  # one order: no usual interval
    rows = {r.account.external_id: r for r in at_risk(day=DAY)}
    assert set(rows) == {"K1", "K3"}
    assert rows["K1"].flag.decline == D("0.31") and "down 31.0 %" in rows["K1"].flag.reasons[0]
    assert rows["K3"].flag.days_silent == 95 and rows["K3"].flag.usual_interval == 30
    assert "no order for 95 days" in rows["K3"].flag.reasons[0]
    assert at_risk(day=DAY, user=org["R3"].user) == []
    assert {r.account.external_id for r in at_risk(day=DAY, user=org["M1"].user)} == {"K1", "K3"}


@pytest.mark.parametrize(
    "first, last, n, expected",
    [
        (date(2026, 1, 1), date(2026, 1, 31), 2, D(30)),
        (date(2026, 1, 1), date(2026, 1, 1), 1, None),
        (None, None, 0, None),
    ],
)
def test_usual_interval(first, last, n, expected):
    assert metrics.usual_interval(first, last, n) == expected


@pytest.mark.parametrize(
    "t12m, prev, last, days, flagged",
    [
        ("69", "100", date(2026, 6, 1), 2, True),  # down 31 %
        ("70", "100", date(2026, 6, 1), 2, False),  # down exactly 30 %
        ("0", "0", date(2026, 6, 1), 1, False),  # nothing to compare
        ("100", "100", date(2026, 4, 30), 2, True),  # 61 days silent > 2 x 30
        ("100", "100", date(2026, 5, 1), 2, False),  # 60 days = exactly twice: not more
    ],
)
def test_risk_flag_table(t12m, prev, last, days, flagged):
    first = last - timedelta(days=30 * (days - 1))
    row = metrics.RiskInput(1, D(t12m), D(prev), first, last, days)
    assert (metrics.risk_flag(row, DAY) is not None) is flagged
