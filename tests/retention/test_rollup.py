from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Sum

from bookwise.accounts.models import OrderLine
from bookwise.core.dates import custom_period, parse_period
from bookwise.retention import rollup
from bookwise.retention.book import at_risk, gap_rows, tier_rows
from bookwise.retention.models import AccountMonth
from bookwise.retention.reports import retention_report
from bookwise.retention.services import revenue_rollup_refresh
from bookwise.retention.trend import retention_trend
from tests import factories as f

from .helpers import book


@pytest.mark.parametrize(
    "start, end, months, edges",
    [
        (date(2026, 1, 1), date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 1)), []),
        (
            date(2026, 1, 15),
            date(2026, 3, 31),
            (date(2026, 2, 1), date(2026, 3, 1)),
            [(date(2026, 1, 15), date(2026, 1, 31))],
        ),
        (
            date(2025, 11, 23),
            date(2026, 11, 22),
            (date(2025, 12, 1), date(2026, 10, 1)),
            [(date(2025, 11, 23), date(2025, 11, 30)), (date(2026, 11, 1), date(2026, 11, 22))],
        ),
        (date(2026, 1, 5), date(2026, 1, 20), None, [(date(2026, 1, 5), date(2026, 1, 20))]),
        (date(2026, 2, 1), date(2026, 2, 27), None, [(date(2026, 2, 1), date(2026, 2, 27))]),
    ],
)
def test_month_split(start, end, months, edges):
    assert rollup.month_split(start, end) == (months, edges)


def _figures():
    periods = [
        parse_period("2026-Q1"),
        parse_period("2026-02"),
        custom_period(date(2025, 11, 20), date(2026, 2, 14)),
    ]
    result = [
        [vars(g) for g in retention_report(period=p, by=by)] for p in periods for by in ("territory", "rep")
    ]
    trend = retention_trend(last=parse_period("2026-Q1"), quarters=3)
    result.append([[vars(f) for f in s] for s in trend.by_group.values()])
    for day in (date(2026, 3, 31), date(2026, 2, 14)):
        result.append([(r.account.pk, r.info) for r in tier_rows(day=day)])
        result.append([(r.account.pk, r.info) for r in gap_rows(day=day)])
        result.append([(r.account.pk, r.flag) for r in at_risk(day=day)])
    return result


@pytest.mark.django_db
def test_a_stale_rollup_is_refreshed_by_the_first_read_and_gives_the_same_reports(org):
    acc = book(org)
    for day in (date(2025, 3, 3), date(2025, 6, 9), date(2025, 9, 1), date(2025, 12, 30)):
        f.order(acc["A1"], day, "25", product_line="X")  # a regular buyer
    assert not rollup.is_fresh()
    first = _figures()  # brings the rollup up to date before reading it
    assert rollup.is_fresh()
    assert revenue_rollup_refresh() > 0
    assert _figures() == first
    others = {m.pk for m in AccountMonth.objects.exclude(account=acc["A2"])}
    f.order(acc["A2"], date(2026, 2, 1), "1")  # a new line makes the rollup stale again
    assert not rollup.is_fresh()
    retention_report(period=parse_period("2026-Q1"), by="territory")
    assert rollup.is_fresh()
    assert AccountMonth.objects.get(account=acc["A2"], month=date(2026, 2, 1)).revenue == 51
    assert {m.pk for m in AccountMonth.objects.exclude(account=acc["A2"])} == others  # only A2 rebuilt


@pytest.mark.django_db
def test_rollup_command(org, capsys):
    book(org)
    call_command("rollup_refresh")
    assert "rollup refreshed" in capsys.readouterr().out
    call_command("rollup_refresh", "A1")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such account: NOPE"):
        call_command("rollup_refresh", "NOPE")


def _comparable(g):
    return {k: v for k, v in vars(g).items() if k not in ("lost_keys", "new_accounts")}


@pytest.mark.django_db
@pytest.mark.parametrize("fresh", [False, True])
@pytest.mark.parametrize("by", ["territory", "region", "overall"])
def test_trend_matches_the_retention_report_quarter_by_quarter(org, fresh, by):
    book(org)
    if fresh:
        revenue_rollup_refresh()
    trend = retention_trend(last=parse_period("2026-Q1"), quarters=4, by=by)  # A5 is new in Q1
    for i, quarter in enumerate(trend.quarters):
        report = {g.group: g for g in retention_report(period=quarter, by=by)}
        assert {g: _comparable(s[i]) for g, s in trend.by_group.items()} == {
            g: _comparable(r) for g, r in report.items()
        }
        if i == len(trend.quarters) - 1:
            assert {g: s[i].new_accounts for g, s in trend.by_group.items()} == {
                g: r.new_accounts for g, r in report.items()
            }


@pytest.mark.django_db
def test_a_partial_refresh_of_a_stale_rollup_rebuilds_it_whole(org):
    acc = book(org)
    revenue_rollup_refresh()
    f.order(acc["A1"], date(2026, 2, 3), "7")  # A1 goes stale, nobody refreshes it
    f.order(acc["A2"], date(2026, 2, 1), "1")
    revenue_rollup_refresh(account_ids=[acc["A2"].pk])  # e.g. an import that touched A2 only
    assert rollup.is_fresh()
    february = OrderLine.objects.filter(account=acc["A1"], order_date__year=2026, order_date__month=2)
    expected = february.aggregate(total=Sum("amount"))["total"]
    assert AccountMonth.objects.get(account=acc["A1"], month=date(2026, 2, 1)).revenue == expected


@pytest.mark.django_db
def test_an_orders_import_refreshes_the_rollup_of_the_accounts_it_touched(org, tmp_path):
    from bookwise.imports.services import import_file

    acc = book(org)
    revenue_rollup_refresh()
    path = tmp_path / "orders.csv"
    path.write_text(f"order_id,account_id,order_date,amount\nX-1,{acc['A2'].external_id},2026-02-01,1.00\n")
    assert import_file(kind="orders", path=path).ok
    assert rollup.is_fresh()
    assert AccountMonth.objects.get(account=acc["A2"], month=date(2026, 2, 1)).revenue == 51
