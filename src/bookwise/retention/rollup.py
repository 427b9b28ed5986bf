"""Per-account sums over date ranges, from the monthly rollup for whole months (when it is
fresh) plus the order lines for the partial months at the edges; from the order lines
alone when the rollup is stale. Same figures either way, just faster with the rollup."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, F, Max, Min, Sum, Value, When
from django.db.models.functions import TruncMonth

from bookwise.accounts.models import Account, OrderLine
from bookwise.core.dates import add_months
from bookwise.people.models import Region, Territory

from .models import AccountMonth, AccountQuarter, RollupState

ZERO = Decimal("0.00")
Ranges = dict[str, tuple[date, date]]


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


def max_line_id() -> int:
    return OrderLine.objects.aggregate(m=Max("id"))["m"] or 0


def is_fresh() -> bool:
    state = RollupState.objects.filter(pk=1).first()
    return state is not None and state.max_line_id == max_line_id()


def money(cents: Any) -> Decimal:
    """Cents from the database (int, or Decimal where PostgreSQL sums bigints) as money."""
    return Decimal(int(cents or 0)).scaleb(-2)


def as_date(value: Any) -> date | None:
    """A date from raw SQL (SQLite hands back text for computed date columns)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def day_number(expression: str) -> str:
    """SQL for a date as a day count (differences of two are days), on either database."""
    if connection.vendor == "sqlite":
        return f"julianday({expression})"
    return f"(CAST({expression} AS DATE) - DATE '2000-01-01')"


LINES = OrderLine._meta.db_table
MONTHS = AccountMonth._meta.db_table


@dataclass
class PerAccount:
    """SQL of one row per account (`acc`, then one sum in cents per named range, then
    `first`, `last`, `days` of the positive order days in `days` when asked) over the
    accounts with an order line in the ranges: whole months from the rollup when it is fresh,
    the order lines for the partial months at the edges (or for everything when stale).

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


def scope_ids(scope: Any) -> tuple[str, list[Any]]:
    """SELECT of the ids of a queryset of accounts ("" for no scope: the whole book)."""
    if scope is None:
        return "", []
    try:
        return scope.order_by().values("id").query.sql_with_params()
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


def _plan(ranges: Ranges, days: tuple[date, date] | None, rollup: bool, figures_only: bool) -> _Plan:
    split = [month_split(*r) if rollup else (None, [r]) for r in ranges.values()]
    day_months, day_edges = (month_split(*days) if rollup else (None, [days])) if days else (None, [])
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


def _cost(interval: tuple[date, date], needed: dict) -> int:
    """Days of order lines to read for an interval (none when it is read anyway)."""
    return 0 if interval in needed else (interval[1] - interval[0]).days + 1


def per_account(
    ranges: Ranges,
    *,
    days: tuple[date, date] | None = None,
    scope: Any = None,
    use_rollup: bool | None = None,
    figures_only: bool = False,
) -> PerAccount:
    """The per-account sums of `ranges` (and order days over `days`): see PerAccount.

    With `figures_only`, a partial month may be read as the rollup's month minus the order lines
    of the rest of it, when that reads fewer days of lines (the days after today, typically),
    and whole quarters (outside the order days' window) from AccountQuarter. An account whose
    lines all fall in such a rest, or in the quarter before a quarter read, then shows up with
    zeros: for callers that use the figures, not which accounts come back."""
    rollup = is_fresh() if use_rollup is None else use_rollup
    plan = _plan(ranges, days, rollup, figures_only and rollup)
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


def _edge_parts(plan: _Plan, days: bool, scoped: bool) -> list[tuple[str, list]]:
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


def _month_parts(plan: _Plan, days: bool, scoped: bool) -> list[tuple[str, list]]:
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
            _by_quarter(segment) if plan.quarters and not (days and in_days) else ([segment], [])
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


def _rollup_part(table: str, pieces: list[tuple[date, date]], plan: _Plan, days: bool, scoped: bool):
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


def _by_quarter(segment: tuple[date, date]) -> tuple[list[tuple[date, date]], list[tuple[date, date]]]:
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


def _between(column: str, spans: list[tuple[date, date]], bound: Callable | None) -> tuple[str, list]:
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


def _within(pieces: list[tuple[date, date]], months: Months, agg: str, name: str, column: str, bound: Any):
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


def _columns(cols: list[str], days: Any) -> str:
    """c0..cn (one per range), then first, last, days when order days are asked."""
    n = len(cols) - (3 if days else 0)
    names = [f"c{i}" for i in range(n)] + (["first", "last", "days"] if days else [])
    return ", ".join(f"{c} AS {name}" for c, name in zip(cols, names, strict=True))


def fetch(statement: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def account_sums(
    ranges: Ranges, scope: Any = None, *, figures_only: bool = False
) -> dict[int, dict[str, Decimal]]:
    """account pk -> {range name: revenue} for accounts with order lines in any range (with
    `figures_only`, maybe others too, with zeros: see per_account)."""
    names = list(ranges)
    facts = per_account(ranges, scope=scope, figures_only=figures_only)
    rows = fetch(*facts.compose("SELECT * FROM ({facts}) f"))
    return {pk: {n: money(c) for n, c in zip(names, sums, strict=True)} for pk, *sums in rows}


def _fresh_elsewhere(account_ids: list[int]) -> bool:
    """Whether the rollup already covers every line outside `account_ids`, so refreshing
    only those accounts leaves the whole rollup fresh."""
    state = RollupState.objects.filter(pk=1).first()
    if state is None:
        return False
    others = OrderLine.objects.exclude(account_id__in=account_ids).aggregate(m=Max("id"))["m"] or 0
    return others <= state.max_line_id


def refresh(account_ids: list[int] | None = None) -> int:
    """Rebuild the rollup rows of `account_ids` (default: all) from the order lines in one
    INSERT ... SELECT; returns the number of rows written."""
    top = max_line_id()
    if account_ids is not None and not _fresh_elsewhere(account_ids):
        account_ids = None  # the rest of the rollup is stale too: rebuild it whole
    targets = AccountMonth.objects.all()
    lines = OrderLine.objects.filter(id__lte=top)
    if account_ids is not None:
        targets = targets.filter(account_id__in=account_ids)
        lines = lines.filter(account_id__in=account_ids)
    targets.delete()
    positive = Case(When(amount__gt=0, then=F("order_date")), default=Value(None))
    select = (
        lines.order_by()
        .annotate(m=TruncMonth("order_date"))
        .values("account_id", "m")
        .annotate(
            revenue=Sum("amount"),
            days=Count(positive, distinct=True),
            first=Min(positive),
            last=Max(positive),
        )
        .values_list("account_id", "m", "revenue", "days", "first", "last")
    )
    sql, params = select.query.sql_with_params()
    table = AccountMonth._meta.db_table
    columns = "account_id, month, revenue, order_days, first_order, last_order"
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)  # noqa: S608 - our own SQL
        written = cursor.rowcount
    _refresh_quarters(account_ids)
    RollupState.objects.update_or_create(pk=1, defaults={"max_line_id": top})
    return written


def quarter_index(day: date) -> int:
    """AccountQuarter.quarter of the calendar quarter holding `day`."""
    return day.year * 4 + (day.month - 1) // 3


def _quarter_of_month() -> str:
    """SQL: AccountQuarter.quarter of AccountMonth.month."""
    if connection.vendor == "sqlite":  # dates are ISO text
        year, month = "substr(month, 1, 4)", "substr(month, 6, 2)"
    else:
        year, month = "EXTRACT(YEAR FROM month)", "EXTRACT(MONTH FROM month)"
    return f"(CAST({year} AS INTEGER) * 4 + (CAST({month} AS INTEGER) - 1) / 3)"


def _refresh_quarters(account_ids: list[int] | None) -> None:
    """Rebuild the AccountQuarter rows of `account_ids` (default: all) from their month rows:
    quarter sums in account order, each next to the quarter before's (0 when that one had no
    line), an account's first quarter marked as opening it, and a row with revenue 0 after
    every quarter whose next one had no line."""
    targets = AccountQuarter.objects.all()
    where, params = "", []
    if account_ids is not None:
        targets = targets.filter(account_id__in=account_ids)
        where, params = f" WHERE account_id IN ({', '.join(['%s'] * len(account_ids))})", list(account_ids)
    targets.delete()
    quarter = _quarter_of_month()
    table = AccountQuarter._meta.db_table
    order = "OVER (PARTITION BY account_id ORDER BY quarter)"
    sql = f"""
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
            CASE WHEN before = quarter - 1 THEN before_revenue ELSE 0 END, before IS NULL
        FROM around
        UNION ALL
        SELECT account_id, quarter + 1, 0, revenue, FALSE FROM around
        WHERE after IS NULL OR after > quarter + 1"""  # noqa: S608 - our own SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


GROUP_COLUMNS = {"territory": "t.name", "region": "g.name", "overall": "'overall'"}
STEP_FIGURES = ("base", "retained", "base_rev", "gross", "retained_rev", "period_rev", "lost_rev")


def _grouped(by: str, source: str = "({facts}) f", account: str = "f.acc") -> str:
    """FROM clause: `source` (rows with an account id column `account`) with each account's
    group (`grp`, GROUP_COLUMNS)."""
    joins = f"JOIN {Account._meta.db_table} a ON a.id = {account}"
    if by in ("territory", "region"):
        joins += f" LEFT JOIN {Territory._meta.db_table} t ON t.id = a.territory_id"
    if by == "region":
        joins += f" LEFT JOIN {Region._meta.db_table} g ON g.id = t.region_id"
    return f"{source} {joins}"


def _step_sql(p: str, b: str) -> str:
    """Per-group sums of revenue `p` in a period against `b` in the period before (in cents),
    METRICS.md Retention: STEP_FIGURES."""
    kept = f"{b} > 0 AND {p} > 0"
    return ", ".join(
        [
            f"SUM(CASE WHEN {b} > 0 THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {kept} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {b} > 0 THEN {b} ELSE 0 END)",
            f"SUM(CASE WHEN {kept} THEN (CASE WHEN {p} < {b} THEN {p} ELSE {b} END) ELSE 0 END)",
            f"SUM(CASE WHEN {kept} THEN {p} ELSE 0 END)",
            f"SUM({p})",
            f"SUM(CASE WHEN {b} > 0 AND {p} <= 0 THEN {b} ELSE 0 END)",
        ]
    )


QUARTERS = AccountQuarter._meta.db_table


def calendar_quarters(ranges: list[tuple[date, date]]) -> list[int] | None:
    """AccountQuarter.quarter of each range when they are consecutive calendar quarters."""
    found = []
    for start, end in ranges:
        if start.day != 1 or (start.month - 1) % 3 or end != add_months(start, 3) - timedelta(days=1):
            return None
        found.append(quarter_index(start))
    if any(b != a + 1 for a, b in zip(found, found[1:], strict=False)):
        return None
    return found


def scoped(scope: Any, statement: str, params: Iterable[Any] = ()) -> tuple[str, list[Any]]:
    """A statement that reads `scope_ids` (the ids of `scope`), with that CTE when scoped."""
    return PerAccount("", [], *scope_ids(scope)).compose(statement, params)


def grouped_steps(
    ranges: list[tuple[date, date]], by: str, scope: Any = None
) -> dict[Any, list[dict[str, Any]]]:
    """For consecutive ranges r0..rn: group -> for each step i (1..n) the figures of r_i against
    r_(i-1) (STEP_FIGURES, money in cents): one statement, every sum in the database. For
    calendar quarters with a fresh rollup, one grouped read of the quarter rows (each holds
    the quarter before's revenue too); otherwise each account's revenue per range first."""
    quarters = calendar_quarters(ranges)
    if quarters is not None and is_fresh():
        return _quarter_steps(quarters, by, scope)
    facts = per_account({f"r{i}": r for i, r in enumerate(ranges)}, scope=scope, figures_only=True)
    steps = ", ".join(_step_sql(f"c{i}", f"c{i - 1}") for i in range(1, len(ranges)))
    grp = GROUP_COLUMNS[by]
    sql = f"SELECT {grp} AS grp, {steps} FROM {_grouped(by)} GROUP BY 1"  # noqa: S608 - our own SQL
    width = len(STEP_FIGURES)
    result: dict[Any, list[dict[str, Any]]] = {}
    for grp_value, *values in fetch(*facts.compose(sql)):
        result[grp_value] = [
            dict(zip(STEP_FIGURES, values[k * width : (k + 1) * width], strict=True))
            for k in range(len(ranges) - 1)
        ]
    return result


def _quarter_steps(quarters: list[int], by: str, scope: Any) -> dict[Any, list[dict[str, Any]]]:
    """Figures per territory (the account's; every figure adds up) and quarter in the database,
    folded into `by` groups here."""
    in_scope = " AND q.account_id IN (SELECT id FROM scope_ids)" if scope is not None else ""
    if by == "overall":  # no need for the accounts
        territory, source = "NULL", f"{QUARTERS} q"
    else:
        territory, source = (
            "a.territory_id",
            f"{QUARTERS} q JOIN {Account._meta.db_table} a ON a.id = q.account_id",
        )
    statement = (
        f"SELECT {territory}, q.quarter, {_step_sql('q.revenue', 'q.prev_revenue')} FROM {source} "
        f"WHERE q.quarter BETWEEN %s AND %s{in_scope} GROUP BY 1, 2"
    )  # noqa: S608 - our own SQL
    group_of = _group_names(by)
    result: dict[Any, list[dict[str, Any]]] = {}
    for territory_id, quarter, *values in fetch(*scoped(scope, statement, [quarters[1], quarters[-1]])):
        group = group_of(territory_id)
        steps = result.setdefault(group, [dict.fromkeys(STEP_FIGURES, 0) for _ in quarters[1:]])
        step = steps[quarter - quarters[1]]
        for name, value in zip(STEP_FIGURES, values, strict=True):
            step[name] += value or 0
    return result


def _group_names(by: str) -> Callable[[int | None], Any]:
    """territory pk -> the group an account of that territory is in (GROUP_COLUMNS)."""
    if by == "overall":
        return lambda _: "overall"
    if by == "territory":
        names = dict(Territory.objects.values_list("id", "name"))
    else:
        names = dict(Territory.objects.values_list("id", "region__name"))
    return lambda pk: names.get(pk) if pk is not None else None


def lost_facts(period: tuple[date, date], previous: tuple[date, date], scope: Any = None) -> PerAccount:
    """SQL of (acc, p, b): the accounts lost in P (rev_P' = b > 0, rev_P = p <= 0, in cents):
    one index range of the quarter rows for a calendar quarter, else per-account sums."""
    quarters = calendar_quarters([previous, period])
    if quarters is not None and is_fresh():
        in_scope = IN_SCOPE if scope is not None else ""
        sql = (
            f"SELECT account_id AS acc, revenue AS p, prev_revenue AS b FROM {QUARTERS} "
            f"WHERE quarter = %s AND prev_revenue > 0 AND revenue <= 0{in_scope}"
        )
        return PerAccount(sql, [quarters[1]], *scope_ids(scope))
    facts = per_account({"p": period, "prev": previous}, scope=scope, figures_only=True)
    sql = f"SELECT acc, c0 AS p, c1 AS b FROM ({facts.sql}) f WHERE c1 > 0 AND c0 <= 0"
    return PerAccount(sql, facts.params, facts.scope_sql, facts.scope_params)


def lost_revenues(
    period: tuple[date, date], previous: tuple[date, date], scope: Any = None
) -> dict[int, tuple]:
    """account pk -> (rev_P, rev_P') of the accounts lost in P only (rev_P' > 0, rev_P <= 0),
    filtered in the database."""
    rows = fetch(*lost_facts(period, previous, scope).compose("SELECT acc, p, b FROM ({facts}) l"))
    return {pk: (money(p), money(b)) for pk, p, b in rows}


def new_in(start: date, end: date, scope: Any = None) -> set[int] | None:
    """Accounts whose first order line ever is dated in [start, end], from the rollup when it
    is fresh and the range is whole calendar quarters (the quarter rows that open an account)
    or whole months (a month row and none before); None otherwise (the caller reads the lines)."""
    months, edges = month_split(start, end)
    if months is None or edges or not is_fresh():
        return None
    in_scope = IN_SCOPE if scope is not None else ""
    rest, quarters = _by_quarter(months)
    if quarters and not rest:
        statement = f"SELECT account_id FROM {QUARTERS} WHERE quarter BETWEEN %s AND %s AND opens{in_scope}"
        return {pk for (pk,) in fetch(*scoped(scope, statement, [quarter_index(d) for d in quarters[0]]))}
    active = f"SELECT DISTINCT account_id AS acc FROM {MONTHS} WHERE month BETWEEN %s AND %s{in_scope}"
    earlier = f"SELECT 1 FROM {MONTHS} e WHERE e.account_id = m.acc AND e.month < %s"
    statement = f"SELECT acc FROM ({active}) m WHERE NOT EXISTS ({earlier})"  # noqa: S608 - our own SQL
    return {pk for (pk,) in fetch(*scoped(scope, statement, [*months, months[0]]))}


def new_by_group(start: date, end: date, by: str, scope: Any = None) -> dict[Any, int] | None:
    """group -> number of accounts opened (first order line ever) in the calendar quarter
    [start, end], from the quarter rows; None when they cannot say (not a calendar quarter,
    or a stale rollup)."""
    quarters = calendar_quarters([(start, end)])
    if quarters is None or by not in GROUP_COLUMNS or not is_fresh():
        return None
    grp = GROUP_COLUMNS[by]
    in_scope = " AND q.account_id IN (SELECT id FROM scope_ids)" if scope is not None else ""
    statement = (
        f"SELECT {grp} AS grp, COUNT(*) FROM {_grouped(by, f'{QUARTERS} q', 'q.account_id')} "
        f"WHERE q.quarter = %s AND q.opens{in_scope} GROUP BY 1"
    )  # noqa: S608 - our own SQL
    return {group: int(n) for group, n in fetch(*scoped(scope, statement, quarters))}
