"""The team app's rollup of the order lines (`LineMonth`, `FirstLine`), kept in step with
the retention app's revenue rollup: every `revenue_rollup_refresh` (orders import, demo
builder, `bookwise rollup_refresh`) sends `revenue_rollup_refreshed`, and the receiver in
`team.services` (connected in `TeamConfig.ready`) refreshes the same accounts here, in the
same transaction.

The rollup is the only way the scorecards read the order lines. Readers call `ensure_fresh()`
first: when order lines were added since the last refresh (the highest order line id moved:
code that inserts lines without an import, say), the accounts holding them are refreshed
before reading, so the figures are always those of the order lines. Code that edits or
deletes existing lines must refresh the rollup itself (the highest id does not move)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.db import connection

from bookwise.accounts import line_rollups
from bookwise.accounts.models import OrderLine

from .models import FirstLine, LineMonth, LineRollupState


def month_no(day: date) -> int:
    """The month number stored in `LineMonth.month`."""
    return day.year * 12 + day.month - 1


def month_first(number: int) -> date:
    year, month = divmod(number, 12)
    return date(year, month + 1, 1)


def month_last(number: int) -> date:
    year, month = divmod(number, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def is_fresh() -> bool:
    return line_rollups.is_fresh(LineRollupState)


def ensure_fresh(*, bulk: bool = False) -> None:
    """Bring the rollup up to date when order lines were added since its last refresh, or
    rebuild it when it was outdated (accounts.line_rollups.ensure_fresh; `bulk`: the queued
    rebuild, which drops the indexes while it writes every row)."""
    line_rollups.ensure_fresh(LineRollupState, refresh, bulk=bulk)


def _month_sql(column: str) -> str:
    """SQL for month_no(column): plain arithmetic, no per-row Python function on SQLite
    (dates are stored there as 'YYYY-MM-DD' text)."""
    if connection.vendor == "postgresql":
        return f"CAST(date_part('year', {column}) * 12 + date_part('month', {column}) - 1 AS integer)"
    return f"(CAST(substr({column}, 1, 4) AS integer) * 12 + CAST(substr({column}, 6, 2) AS integer) - 1)"


LINE_MONTHS = """
INSERT INTO {table} (account_id, rep_id, month, revenue, gross_profit, lines)
SELECT account_id, rep_id, {month}, SUM(amount), COALESCE(SUM(gross_profit), 0), COUNT(*)
FROM {lines}{scan} WHERE id <= %s{scope}{since}
GROUP BY account_id, rep_id, {month}
"""


def _insert_sql(scope: str, since: str = "") -> tuple[str, str]:
    """INSERT ... SELECT statements for LineMonth and FirstLine; `scope` is an extra
    condition on the order lines (an account filter, or empty), `since` one more for
    LineMonth only (from a day on, or empty).

    LineMonth: the monthly sums per account and line rep (NULL: none), one row per month
    with lines (sparse: the 12-month sums are taken when read)."""
    lines = OrderLine._meta.db_table
    month = _month_sql("order_date")
    # SQLite, whole rebuild: a plain scan of the table beats its (account, date) index, which
    # would fetch every row out of order for the rep and the gross profit.
    scan = " NOT INDEXED" if connection.vendor == "sqlite" and not scope else ""
    line_months = LINE_MONTHS.format(
        table=LineMonth._meta.db_table, lines=lines, scan=scan, scope=scope, since=since, month=month
    )
    first_lines = (
        f"INSERT INTO {FirstLine._meta.db_table} (account_id, order_date, rep_id) "
        "SELECT f.account_id, f.d, "
        f"(SELECT l.rep_id FROM {lines} l WHERE l.account_id = f.account_id AND l.order_date = f.d "
        "AND l.id <= %s ORDER BY l.external_id LIMIT 1) "
        f"FROM (SELECT account_id, MIN(order_date) AS d FROM {lines} WHERE id <= %s{scope} "
        "GROUP BY account_id) f"
    )
    return line_months, first_lines


def refresh(account_ids: list[int] | None = None, since: date | None = None) -> int:
    """Rebuild the rollup rows of `account_ids` (default: all) from the order lines, in two
    INSERT ... SELECT statements; returns the number of LineMonth rows written. With `since`
    (the earliest day whose lines changed), only those accounts' months from the month of
    `since` on are rebuilt (and their first lines)."""
    top, account_ids = line_rollups.refresh_scope(LineRollupState, account_ids)
    months, firsts = LineMonth.objects.all(), FirstLine.objects.all()
    scope, ids = "", []
    if account_ids is not None:
        if not account_ids:
            LineRollupState.objects.update_or_create(pk=1, defaults={"max_line_id": top})
            return 0
        months, firsts = months.filter(account_id__in=account_ids), firsts.filter(account_id__in=account_ids)
        scope, ids = f" AND account_id IN ({', '.join(['%s'] * len(account_ids))})", list(account_ids)
    since_sql, month_ids = "", list[Any](ids)
    if since is not None and account_ids is not None:
        months = months.filter(month__gte=month_no(since))
        since_sql = " AND order_date >= %s"
        month_ids.append(line_rollups.date_param(since.replace(day=1)))
    line_months, first_lines = _insert_sql(scope, since_sql)
    months.delete()
    firsts.delete()
    whole = account_ids is None
    with line_rollups.indexes_rebuilt(LineMonth._meta.db_table, whole=whole), connection.cursor() as cursor:
        cursor.execute(line_months, [top, *month_ids])
        written: int = cursor.rowcount
    with line_rollups.indexes_rebuilt(FirstLine._meta.db_table, whole=whole), connection.cursor() as cursor:
        cursor.execute(first_lines, [top, top, *ids])
    LineRollupState.objects.update_or_create(pk=1, defaults={"max_line_id": top})
    return written
