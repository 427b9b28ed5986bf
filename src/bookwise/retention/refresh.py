"""Keeping the retention rollup (`AccountMonth`, `AccountQuarter`) in step with the order lines.

The rollup is the only way the reports read revenue over months and quarters. Every orders
import refreshes the accounts it touched (`services.revenue_rollup_refresh`); readers call
`ensure_fresh()` first, which refreshes the accounts holding order lines added since (lines
inserted without an import), so the figures are always those of the order lines. Code that
edits or deletes existing lines must refresh itself: such changes do not move the highest id
(a deletion of the highest lines does, and rebuilds everything)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from bookwise.accounts import line_rollups
from bookwise.accounts.models import OrderLine

from .models import AccountMonth, AccountQuarter, RollupState

MONTHS = AccountMonth._meta.db_table
LINES = OrderLine._meta.db_table


def is_fresh() -> bool:
    return line_rollups.is_fresh(RollupState)


def ensure_fresh(*, bulk: bool = False) -> None:
    """Bring the rollup up to date when order lines were added since its last refresh, or
    rebuild it when it was outdated (accounts.line_rollups.ensure_fresh; `bulk`: the queued
    rebuild, which drops the indexes while it writes every row)."""
    line_rollups.ensure_fresh(RollupState, refresh, bulk=bulk)


def refresh(account_ids: list[int] | None = None, since: date | None = None) -> int:
    """Rebuild the rollup rows of `account_ids` (default: all) from the order lines in one
    INSERT ... SELECT (the month of a line in SQL, not in Python); returns the rows written.
    With `since` (the earliest day whose lines changed), only those accounts' months from
    the month of `since` on are rebuilt (their quarters all: a few rows each)."""
    top, account_ids = line_rollups.refresh_scope(RollupState, account_ids)
    targets = AccountMonth.objects.all()
    scope, params = "", list[Any]([top])
    if account_ids is not None:
        targets = targets.filter(account_id__in=account_ids)
        scope = f" AND account_id IN ({', '.join(['%s'] * len(account_ids))})"
        params += list(account_ids)
        if since is not None:
            first = since.replace(day=1)
            targets = targets.filter(month__gte=first)
            scope += " AND order_date >= %s"
            params.append(line_rollups.date_param(first))
    targets.delete()
    month = _month_of("d")
    # per account and day first (hash aggregation), then per month: no COUNT(DISTINCT) sort
    sql = f"""
        INSERT INTO {MONTHS} (account_id, month, revenue, order_days, first_order, last_order)
        SELECT account_id, {month}, SUM(revenue), SUM(positive),
               MIN(CASE WHEN positive = 1 THEN d END), MAX(CASE WHEN positive = 1 THEN d END)
        FROM (SELECT account_id, order_date AS d, SUM(amount) AS revenue,
                     MAX(CASE WHEN amount > 0 THEN 1 ELSE 0 END) AS positive
              FROM {LINES} WHERE id <= %s{scope} GROUP BY account_id, order_date) days
        GROUP BY account_id, {month}"""  # noqa: S608 - our own SQL
    with line_rollups.indexes_rebuilt(MONTHS, whole=account_ids is None), connection.cursor() as cursor:
        cursor.execute(sql, params)
        written: int = cursor.rowcount
    with line_rollups.indexes_rebuilt(AccountQuarter._meta.db_table, whole=account_ids is None):
        _refresh_quarters(account_ids, since if account_ids is not None else None)
    RollupState.objects.update_or_create(pk=1, defaults={"max_line_id": top})
    return written


def _month_of(column: str) -> str:
    """SQL: the first day of the month of a date column."""
    if connection.vendor == "sqlite":  # dates are ISO text
        return f"(substr({column}, 1, 8) || '01')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def _quarter_of_month() -> str:
    """SQL: AccountQuarter.quarter of AccountMonth.month."""
    if connection.vendor == "sqlite":  # dates are ISO text
        year, month = "substr(month, 1, 4)", "substr(month, 6, 2)"
    else:
        year, month = "EXTRACT(YEAR FROM month)", "EXTRACT(MONTH FROM month)"
    return f"(CAST({year} AS INTEGER) * 4 + (CAST({month} AS INTEGER) - 1) / 3)"


# an account's month row before the window of a partial quarter refresh (in _refresh_quarters)
EARLIER_MONTH = f"SELECT 1 FROM {MONTHS} m WHERE m.account_id = around.account_id AND m.month < %s"  # noqa: S608


def _quarter_window(since: date) -> tuple[int, date]:
    """(the AccountQuarter.quarter of `since`, the first day of the quarter before it)."""
    low = since.year * 4 + (since.month - 1) // 3
    year, index = divmod(low - 1, 4)
    return low, date(year, index * 3 + 1, 1)


def _refresh_quarters(account_ids: list[int] | None, since: date | None = None) -> None:
    """Rebuild the AccountQuarter rows of `account_ids` (default: all) from their month rows:
    quarter sums in account order, each next to the quarter before's (0 when that one had no
    line), an account's first quarter marked as opening it, and a row with revenue 0 after
    every quarter whose next one had no line. With `since`, only the quarters from that of
    `since` on, read from the month rows from the quarter before it on (an earlier month row
    means the account was opened before)."""
    targets = AccountQuarter.objects.all()
    where, params, opens, keep = "", list[Any](), "before IS NULL", ("", "")
    if account_ids is not None:
        targets = targets.filter(account_id__in=account_ids)
        where, params = f" WHERE account_id IN ({', '.join(['%s'] * len(account_ids))})", list(account_ids)
        if since is not None:
            low, start = _quarter_window(since)
            targets = targets.filter(quarter__gte=low)
            where += " AND month >= %s"
            opens += f" AND NOT EXISTS ({EARLIER_MONTH})"
            keep = (" WHERE quarter >= %s", " AND quarter + 1 >= %s")
            params += [line_rollups.date_param(start), line_rollups.date_param(start), low, low]
    targets.delete()
    with connection.cursor() as cursor:
        cursor.execute(_quarters_sql(where, opens, keep), params)


def _quarters_sql(where: str, opens: str, keep: tuple[str, str]) -> str:
    """The INSERT ... SELECT of _refresh_quarters: `where` picks the month rows, `opens` is
    the SQL of the opens flag, `keep` the conditions on the two kinds of rows written."""
    quarter = _quarter_of_month()
    table = AccountQuarter._meta.db_table
    order = "OVER (PARTITION BY account_id ORDER BY quarter)"
    return f"""
        WITH quarters AS (
            SELECT account_id, {quarter} AS quarter, SUM(revenue) AS revenue
            FROM {MONTHS}{where} GROUP BY account_id, {quarter}
        ), around AS (
            SELECT account_id, quarter, revenue, LAG(quarter) {order} AS before,
                LAG(revenue) {order} AS before_revenue, LEAD(quarter) {order} AS after
            FROM quarters
        )
        INSERT INTO {table} (account_id, quarter, revenue, prev_revenue, opens)
        SELECT account_id, quarter, revenue,
            CASE WHEN before = quarter - 1 THEN before_revenue ELSE 0 END, {opens}
        FROM around{keep[0]}
        UNION ALL
        SELECT account_id, quarter + 1, 0, revenue, FALSE FROM around
        WHERE (after IS NULL OR after > quarter + 1){keep[1]}"""  # noqa: S608 - our own SQL
