"""Per-account sums over date ranges: whole months from the monthly rollup (`AccountMonth`,
whole quarters from `AccountQuarter` where only the figures matter), the partial months at
the edges from the order lines. The rollup is brought up to date before it is read
(`refresh.ensure_fresh`); the plain sums over the order lines are the test oracle
(tests/retention/test_fast_paths.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from bookwise.accounts.line_rollups import max_line_id as max_line_id  # re-exported
from bookwise.accounts.models import Account, OrderLine
from bookwise.core.dates import add_months

from .models import AccountMonth, AccountQuarter
from .refresh import ensure_fresh
from .refresh import is_fresh as is_fresh  # re-exported: the rollup's callers ask here
from .refresh import refresh as refresh

ZERO = Decimal("0.00")
Ranges = dict[str, tuple[date, date]]
SqlPart = tuple[str, list[Any]]  # SQL and its parameters (DB-API: values of any type)
Row = tuple[Any, ...]  # a row of raw SQL, as the DB-API hands it back
Bound = Callable[[date], int]


def month_split(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """[start, end] as whole months (first days of the first and last month) plus edges."""
    first = start if start.day == 1 else add_months(start.replace(day=1), 1)
    after = end + timedelta(days=1)
    last_end = end if after.day == 1 else end.replace(day=1) - timedelta(days=1)
    if first > last_end:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if end > last_end:
        edges.append((last_end + timedelta(days=1), end))
    return (first, last_end.replace(day=1)), edges


def money(cents: int | Decimal | None) -> Decimal:
    """Cents from the database (int, or Decimal where PostgreSQL sums bigints) as money."""
    return Decimal(int(cents or 0)).scaleb(-2)


def as_date(value: str | date | None) -> date | None:
    """A date from raw SQL (SQLite hands back text for computed date columns)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def day_number(expression: str) -> str:
    """SQL for a date as a day count (differences of two are days), on either database."""
    if connection.vendor == "sqlite":
        return f"julianday({expression})"
    return f"(CAST({expression} AS DATE) - DATE '2000-01-01')"


LINES = OrderLine._meta.db_table
MONTHS = AccountMonth._meta.db_table
QUARTERS = AccountQuarter._meta.db_table


@dataclass
class PerAccount:
    """SQL of one row per account (`acc`, then one sum in cents per named range, then
    `first`, `last`, `days` of the positive order days in `days` when asked) over the
    accounts with an order line in the ranges: whole months from the rollup, the order lines
    for the partial months at the edges.

    `sql` is meant for a FROM clause; `compose` puts it into a statement (the scope's ids are
    a common table expression, written once however many parts read them)."""

    sql: str
    params: list[Any]
    scope_sql: str = ""
    scope_params: list[Any] = field(default_factory=list)

    def compose(
        self, statement: str, params: Iterable[Any] = (), before: Iterable[Any] = ()
    ) -> tuple[str, list[Any]]:
        """`statement` with `{facts}` replaced by this SQL; `params` are its own %s after the
        facts, `before` those before them."""
        assert statement.count("{facts}") <= 1
        head = f"WITH scope_ids AS ({self.scope_sql}) " if self.scope_sql else ""
        sql = head + statement.replace("{facts}", self.sql)
        return sql, [*self.scope_params, *before, *self.params, *params]


def scope_ids(scope: QuerySet[Account] | None) -> tuple[str, list[Any]]:
    """SELECT of the ids of a queryset of accounts ("" for no scope: the whole book)."""
    if scope is None:
        return "", []
    try:
        sql, params = scope.order_by().values("id").query.sql_with_params()
        return sql, list(params)
    except EmptyResultSet:  # e.g. a user with nobody in scope
        return "SELECT CAST(NULL AS BIGINT) AS id WHERE 1 = 0", []


POSITIVE = "CASE WHEN amount > 0 THEN order_date END"
EDGE_DAYS = [f"MIN({POSITIVE})", f"MAX({POSITIVE})", f"CAST(COUNT(DISTINCT {POSITIVE}) AS BIGINT)"]
NO_DATE = "CAST(NULL AS DATE)"  # typed, or PostgreSQL takes a union of NULLs for text
NO_DAYS = [NO_DATE, NO_DATE, "0"]
IN_SCOPE = " AND account_id IN (SELECT id FROM scope_ids)"
Months = tuple[date, date] | None  # (first month, last month), as first days


@dataclass
class _Plan:
    """Where each range's figures come from: whole months of the rollup, and order line
    intervals added (+1) or taken away (-1: the rest of a month read whole from the rollup)."""

    months: list[Months]  # per range
    day_months: Months
    intervals: dict[tuple[date, date], list[int]]  # interval -> per range: +1, -1 or 0
    day_intervals: set[tuple[date, date]]
    quarters: bool = False  # whole quarters may come from AccountQuarter (figures only)


def _plan(ranges: Ranges, days: tuple[date, date] | None, figures_only: bool) -> _Plan:
    split = [month_split(*r) for r in ranges.values()]
    day_months, day_edges = month_split(*days) if days else (None, [])
    months: list[Months] = [m for m, _ in split]
    intervals: dict[tuple[date, date], list[int]] = {e: [0] * len(split) for e in day_edges}
    for i, (_, edges) in enumerate(split):
        for edge in edges:
            rest = _rest_of_month(edge) if figures_only else None
            if rest is not None and _cost(rest[1], intervals) < _cost(edge, intervals):
                month, interval = rest
                first, last = months[i] or (month, month)
                months[i] = (min(first, month), max(last, month))
                intervals.setdefault(interval, [0] * len(split))[i] -= 1
            else:
                intervals.setdefault(edge, [0] * len(split))[i] += 1
    return _Plan(months, day_months, intervals, set(day_edges), quarters=figures_only)


def _rest_of_month(edge: tuple[date, date]) -> tuple[date, tuple[date, date]] | None:
    """For an edge touching one end of its month: (the month, the rest of it), else None."""
    a, b = edge
    month = a.replace(day=1)
    month_end = add_months(month, 1) - timedelta(days=1)
    if b > month_end or (a == month and b == month_end):
        return None
    if a == month:
        return month, (b + timedelta(days=1), month_end)
    if b == month_end:
        return month, (month, a - timedelta(days=1))
    return None


def _cost(interval: tuple[date, date], needed: dict[tuple[date, date], list[int]]) -> int:
    """Days of order lines to read for an interval (none when it is read anyway)."""
    return 0 if interval in needed else (interval[1] - interval[0]).days + 1


def per_account(
    ranges: Ranges,
    *,
    days: tuple[date, date] | None = None,
    scope: QuerySet[Account] | None = None,
    figures_only: bool = False,
) -> PerAccount:
    """The per-account sums of `ranges` (and order days over `days`): see PerAccount.

    With `figures_only`, a partial month may be read as the rollup's month minus the order lines
    of the rest of it, when that reads fewer days of lines (the days after today, typically),
    and whole quarters (outside the order days' window) from AccountQuarter. An account whose
    lines all fall in such a rest, or in the quarter before a quarter read, then shows up with
    zeros: for callers that use the figures, not which accounts come back."""
    ensure_fresh()
    plan = _plan(ranges, days, figures_only)
    scope_sql, scope_params = scope_ids(scope)
    scoped = scope is not None
    parts = _edge_parts(plan, days is not None, scoped) + _month_parts(plan, days is not None, scoped)
    if not parts:  # no range at all
        parts = [(f"SELECT 0 AS acc, {_columns(['0'] * len(ranges), days)} WHERE 1 = 0", [])]
    sql = parts[0][0]
    if len(parts) > 1:  # one row per account out of the parts
        sums = [f"{_total(f'SUM(c{i})', 'SUM')} AS c{i}" for i in range(len(ranges))]
        if days:
            sums += ["MIN(first) AS first", "MAX(last) AS last", f"{_total('SUM(days)', 'SUM')} AS days"]
        union = " UNION ALL ".join(part for part, _ in parts)
        sql = f"SELECT acc, {', '.join(sums)} FROM ({union}) parts GROUP BY acc"
    return PerAccount(sql, [p for _, ps in parts for p in ps], scope_sql, scope_params)


def _edge_parts(plan: _Plan, days: bool, scoped: bool) -> list[SqlPart]:
    """One grouped SELECT over the order lines per interval (a plain BETWEEN, so the
    (order_date, account) index or, within a scope, the (account, order_date) one serves it).
    On SQLite the lines are picked in a subquery it may not merge (LIMIT -1): grouping them
    straight away, it walks the (account, order_date) index account by account instead (one
    seek per account of the book, 2-4 times slower for a week of lines)."""
    signs = {1: _total("SUM(amount)", "SUM"), -1: f"-{_total('SUM(amount)', 'SUM')}", 0: "0"}
    unmerged = " LIMIT -1" if connection.vendor == "sqlite" else ""
    parts = []
    for (a, b), coefficients in plan.intervals.items():
        cols = [signs[c] for c in coefficients]
        if days:
            cols += EDGE_DAYS if (a, b) in plan.day_intervals else NO_DAYS
        lines = (
            f"SELECT account_id, order_date, amount FROM {LINES} "
            f"WHERE order_date BETWEEN %s AND %s{IN_SCOPE if scoped else ''}{unmerged}"
        )
        sql = f"SELECT account_id AS acc, {_columns(cols, days)} FROM ({lines}) lines GROUP BY account_id"
        parts.append((sql, [a, b]))
    return parts


def _month_parts(plan: _Plan, days: bool, scoped: bool) -> list[SqlPart]:
    """Grouped SELECTs over the rollup for the whole months (segments of whole quarters from
    AccountQuarter where the plan allows). SQLite: one per segment (months between two consecutive range
    boundaries) with plain sums, as SQLite evaluates every conditional sum on every row;
    PostgreSQL: one pass per table with a conditional sum per range, as its hash aggregation
    of a union costs more than the conditions."""
    month_pieces: list[tuple[date, date]] = []
    quarter_pieces: list[tuple[date, date]] = []
    for segment in _segments([m for m in [*plan.months, plan.day_months] if m]):
        in_days = plan.day_months is not None and _inside(segment, plan.day_months)
        months, quarters = (
            by_quarter(segment) if plan.quarters and not (days and in_days) else ([segment], [])
        )
        if months:  # a segment of whole quarters only: mixing both tables costs PostgreSQL more
            month_pieces.append(segment)
        else:
            quarter_pieces += quarters
    if connection.vendor == "sqlite":
        groups = [(MONTHS, [p]) for p in month_pieces] + [(QUARTERS, [p]) for p in quarter_pieces]
    else:
        groups = [
            (table, pieces)
            for table, pieces in ((MONTHS, month_pieces), (QUARTERS, quarter_pieces))
            if pieces
        ]
    return [_rollup_part(table, pieces, plan, days, scoped) for table, pieces in groups]


def _rollup_part(
    table: str, pieces: list[tuple[date, date]], plan: _Plan, days: bool, scoped: bool
) -> SqlPart:
    """One grouped SELECT over `table` (AccountMonth or AccountQuarter) for `pieces` (month
    ranges, whole quarters for AccountQuarter), each wholly inside or outside every range."""
    column, bound = ("month", None) if table == MONTHS else ("quarter", quarter_index)
    cols, params = [], []
    for m in plan.months:
        col, col_params = _within(pieces, m, "SUM", "revenue", column, bound)
        cols.append(col)
        params += col_params
    if days:
        for agg, name in (("MIN", "first_order"), ("MAX", "last_order"), ("SUM", "order_days")):
            inside = table == MONTHS  # quarters are read only outside the order days' window
            col, col_params = _within(pieces, plan.day_months if inside else None, agg, name, column, bound)
            cols.append(col)
            params += col_params
    where, where_params = _between(column, _joined(pieces), bound)
    sql = (
        f"SELECT account_id AS acc, {_columns(cols, days)} FROM {table} "
        f"WHERE ({where}){IN_SCOPE if scoped else ''} GROUP BY account_id"
    )
    return sql, params + where_params


def _inside(piece: tuple[date, date], months: tuple[date, date]) -> bool:
    return months[0] <= piece[0] and piece[1] <= months[1]


def by_quarter(segment: tuple[date, date]) -> tuple[list[tuple[date, date]], list[tuple[date, date]]]:
    """A month range as (the months before and after its whole calendar quarters, the quarters
    as one month range), or ([segment], []) when it holds no whole quarter."""
    a, b = segment
    first = a if (a.month - 1) % 3 == 0 else add_months(a, 3 - (a.month - 1) % 3)
    last = b if b.month % 3 == 0 else add_months(b, -(b.month % 3))  # last month of a quarter
    if add_months(first, 2) > last:
        return [segment], []
    months = ([(a, add_months(first, -1))] if a < first else []) + (
        [(add_months(last, 1), b)] if last < b else []
    )
    return months, [(first, last)]


def _between(column: str, spans: list[tuple[date, date]], bound: Bound | None) -> SqlPart:
    sql = " OR ".join(f"{column} BETWEEN %s AND %s" for _ in spans)
    return sql, [bound(d) if bound else d for span in spans for d in span]


def _joined(segments: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sorted month ranges with the touching ones joined (one index range read each)."""
    spans: list[tuple[date, date]] = []
    for a, b in segments:
        if spans and a == add_months(spans[-1][1], 1):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _within(
    pieces: list[tuple[date, date]], months: Months, agg: str, name: str, column: str, bound: Bound | None
) -> SqlPart:
    """`agg` of `name` over the rows of `pieces` that fall in `months` (a piece is wholly in or
    out): plain when all are, conditional on `column` when some are."""
    empty = NO_DATE if agg in ("MIN", "MAX") else "0"
    inside = [p for p in pieces if months is not None and _inside(p, months)]
    if not inside:
        return empty, []
    if len(inside) == len(pieces):
        return _total(f"{agg}({name})", agg), []
    condition, params = _between(column, _joined(inside), bound)
    otherwise = "" if empty == NO_DATE else " ELSE 0"
    return _total(f"{agg}(CASE WHEN {condition} THEN {name}{otherwise} END)", agg), params


def _total(sql: str, agg: str) -> str:
    """Sums as 64-bit integers (PostgreSQL sums bigints into numeric, slow to add up again)."""
    return f"CAST({sql} AS BIGINT)" if agg == "SUM" else sql


def _segments(ranges: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """The month ranges cut at every range's boundaries: disjoint (first, last month) pieces
    that each lie wholly inside or wholly outside every range, covering their union."""
    cuts = sorted({d for a, b in ranges for d in (a, add_months(b, 1))})
    pieces = [(a, add_months(b, -1)) for a, b in zip(cuts, cuts[1:], strict=False)]
    return [(a, b) for a, b in pieces if any(s <= a and b <= e for s, e in ranges)]


def _columns(cols: list[str], days: tuple[date, date] | bool | None) -> str:
    """c0..cn (one per range), then first, last, days when order days are asked."""
    n = len(cols) - (3 if days else 0)
    names = [f"c{i}" for i in range(n)] + (["first", "last", "days"] if days else [])
    return ", ".join(f"{c} AS {name}" for c, name in zip(cols, names, strict=True))


def fetch(statement: str, params: list[Any]) -> list[Row]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows: list[Row] = cursor.fetchall()
        return rows


def account_sums(
    ranges: Ranges, scope: QuerySet[Account] | None = None, *, figures_only: bool = False
) -> dict[int, dict[str, Decimal]]:
    """account pk -> {range name: revenue} for accounts with order lines in any range (with
    `figures_only`, maybe others too, with zeros: see per_account)."""
    names = list(ranges)
    facts = per_account(ranges, scope=scope, figures_only=figures_only)
    rows = fetch(*facts.compose("SELECT * FROM ({facts}) f"))
    return {pk: {n: money(c) for n, c in zip(names, sums, strict=True)} for pk, *sums in rows}


def quarter_index(day: date) -> int:
    """AccountQuarter.quarter of the calendar quarter holding `day`."""
    return day.year * 4 + (day.month - 1) // 3
