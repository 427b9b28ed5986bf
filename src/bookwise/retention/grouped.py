"""Retention figures per group straight from the rollup: each calendar quarter against the one
before (the dashboard's trend), the lost accounts of a period, the accounts a period opened.
Every read brings the rollup up to date first (`refresh.ensure_fresh`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet

from bookwise.accounts.models import Account
from bookwise.accounts.selectors import held_on
from bookwise.core.dates import add_months
from bookwise.people.models import Region, Rep, Territory

from .refresh import ensure_fresh
from .rollup import (
    IN_SCOPE,
    LINES,
    QUARTERS,
    PerAccount,
    by_quarter,
    fetch,
    money,
    month_split,
    per_account,
    quarter_index,
    scope_ids,
)

Group = str | None  # a territory, region or rep name, or "overall"; None: accounts without one
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


def scoped(
    scope: QuerySet[Account] | None, statement: str, params: Iterable[Any] = ()
) -> tuple[str, list[Any]]:
    """A statement that reads `scope_ids` (the ids of `scope`), with that CTE when scoped."""
    return PerAccount("", [], *scope_ids(scope)).compose(statement, params)


def grouped_steps(
    ranges: list[tuple[date, date]], by: str, scope: QuerySet[Account] | None = None
) -> dict[Group, list[dict[str, int]]]:
    """For consecutive ranges r0..rn: group -> for each step i (1..n) the figures of r_i against
    r_(i-1) (STEP_FIGURES, money in cents): one statement, every sum in the database. For
    calendar quarters, one grouped read of the quarter rows (each holds the quarter before's
    revenue too); otherwise each account's revenue per range first."""
    quarters = calendar_quarters(ranges)
    if quarters is not None:
        ensure_fresh()
        return _quarter_steps(quarters, by, scope)
    facts = per_account({f"r{i}": r for i, r in enumerate(ranges)}, scope=scope, figures_only=True)
    steps = ", ".join(_step_sql(f"c{i}", f"c{i - 1}") for i in range(1, len(ranges)))
    grp = GROUP_COLUMNS[by]
    sql = f"SELECT {grp} AS grp, {steps} FROM {_grouped(by)} GROUP BY 1"  # noqa: S608 - our own SQL
    width = len(STEP_FIGURES)
    result: dict[Group, list[dict[str, int]]] = {}
    for grp_value, *values in fetch(*facts.compose(sql)):
        result[grp_value] = [
            dict(zip(STEP_FIGURES, values[k * width : (k + 1) * width], strict=True))
            for k in range(len(ranges) - 1)
        ]
    return result


def _quarter_steps(
    quarters: list[int], by: str, scope: QuerySet[Account] | None
) -> dict[Group, list[dict[str, int]]]:
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
    result: dict[Group, list[dict[str, int]]] = {}
    for territory_id, quarter, *values in fetch(*scoped(scope, statement, [quarters[1], quarters[-1]])):
        group = group_of(territory_id)
        steps = result.setdefault(group, [dict.fromkeys(STEP_FIGURES, 0) for _ in quarters[1:]])
        step = steps[quarter - quarters[1]]
        for name, value in zip(STEP_FIGURES, values, strict=True):
            step[name] += value or 0
    return result


def _group_names(by: str) -> Callable[[int | None], Group]:
    """territory pk (rep pk for `rep`) -> the group an account of that territory (owned by
    that rep) is in (GROUP_COLUMNS)."""
    if by == "overall":
        return lambda _: "overall"
    if by == "rep":
        refs = dict(Rep.objects.values_list("id", "external_id"))
        return lambda pk: refs.get(pk) if pk is not None else None
    if by == "territory":
        names = dict(Territory.objects.values_list("id", "name"))
    else:
        names = dict(Territory.objects.values_list("id", "region__name"))
    return lambda pk: names.get(pk) if pk is not None else None


def lost_facts(
    period: tuple[date, date], previous: tuple[date, date], scope: QuerySet[Account] | None = None
) -> PerAccount:
    """SQL of (acc, p, b): the accounts lost in P (rev_P' = b > 0, rev_P = p <= 0, in cents):
    one index range of the quarter rows for a calendar quarter, else per-account sums."""
    quarters = calendar_quarters([previous, period])
    if quarters is not None:
        ensure_fresh()
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
    period: tuple[date, date], previous: tuple[date, date], scope: QuerySet[Account] | None = None
) -> dict[int, tuple[Decimal, Decimal]]:
    """account pk -> (rev_P, rev_P') of the accounts lost in P only (rev_P' > 0, rev_P <= 0),
    filtered in the database."""
    rows = fetch(*lost_facts(period, previous, scope).compose("SELECT acc, p, b FROM ({facts}) l"))
    return {pk: (money(p), money(b)) for pk, p, b in rows}


def _new_sql(start: date, end: date, scoped_to: bool) -> tuple[str, list[Any]]:
    """SELECT account_id of the accounts whose first order line ever is dated in [start, end]:
    those the quarter rows open in the quarters of [start, end] (a few), and, unless [start,
    end] is whole calendar quarters, of those the ones without a line before `start` and with
    one in [start, end] (two index probes of the order lines each)."""
    ensure_fresh()
    in_scope = IN_SCOPE if scoped_to else ""
    statement = f"SELECT account_id FROM {QUARTERS} q WHERE quarter BETWEEN %s AND %s AND opens{in_scope}"
    params: list[Any] = [quarter_index(start), quarter_index(end)]
    months, edges = month_split(start, end)
    if months is None or edges or by_quarter(months)[0]:  # not whole quarters
        line = f"SELECT 1 FROM {LINES} l WHERE l.account_id = q.account_id AND l.order_date"
        statement += f" AND NOT EXISTS ({line} < %s) AND EXISTS ({line} BETWEEN %s AND %s)"
        params += [start, start, end]
    return statement, params


def new_in(start: date, end: date, scope: QuerySet[Account] | None = None) -> set[int]:
    """Accounts whose first order line ever is dated in [start, end] (`_new_sql`)."""
    statement, params = _new_sql(start, end, scope is not None)
    return {pk for (pk,) in fetch(*scoped(scope, statement, params))}


def _owner_sql(day: date) -> tuple[str, list[Any]]:
    """SELECT account_id, rep_id: each account's primary owner on `day` (one row per account)."""
    owners = held_on(day).order_by().values("account_id").annotate(owner=Max("rep_id"))
    sql, params = owners.values("account_id", "owner").query.sql_with_params()
    return sql, list(params)


KEYS = {"territory": "a.territory_id", "region": "a.territory_id", "overall": "NULL", "rep": "o.owner"}
FIGURES = (*STEP_FIGURES, "new")


def period_figures(
    period: tuple[date, date], previous: tuple[date, date], by: str, scope: QuerySet[Account] | None = None
) -> dict[Group, dict[str, int]]:
    """METRICS.md Retention of P against P', summed in the database in cents: group ->
    STEP_FIGURES and `new` (accounts opened in P), for every group (territory, region, rep: the
    primary owner on P.start, overall) with an account in scope, empty or not. Grouped by
    territory or owner id there, folded into the group's name here (every figure adds up).
    When P and P' are whole calendar quarters, one pass over the quarter rows gives each
    account's two sums and whether it opened in P; otherwise `per_account` and `_new_sql`."""
    owners, owner_params = _owner_sql(period[0]) if by == "rep" else ("", [])
    key, quarters = KEYS[by], _quarter_figures(period, previous, scope)
    facts = quarters or per_account({"p": period, "prev": previous}, scope=scope, figures_only=True)
    zeros = ", ".join(["0"] * len(STEP_FIGURES))
    new = "SUM(f.nw)" if quarters else "0"
    every = f"SELECT DISTINCT {key}, {zeros}, 0 {_keyed(owners, None, scope is not None)}"
    parts: list[tuple[str, list[Any]]] = [  # (statement, its parameters after the facts' or scope's)
        (f"SELECT {key}, {_step_sql('f.c0', 'f.c1')}, {new} {_keyed(owners, '({facts})')} GROUP BY 1", []),
        (every, []),
    ]  # noqa: S608 - our own SQL
    if not quarters:
        new_sql, new_params = _new_sql(period[0], period[1], scope is not None)
        opened = f"(SELECT account_id AS acc FROM ({new_sql}) n)"
        parts.append((f"SELECT {key}, {zeros}, COUNT(*) {_keyed(owners, opened)} GROUP BY 1", new_params))
    group_of = _group_names(by)
    result: dict[Group, dict[str, int]] = {}
    for statement, params in parts:
        source = facts if "{facts}" in statement else PerAccount("", [], facts.scope_sql, facts.scope_params)
        for group_key, *values in fetch(*source.compose(statement, [*params, *owner_params])):
            sums = result.setdefault(group_of(group_key), dict.fromkeys(FIGURES, 0))
            for name, value in zip(FIGURES, values, strict=True):
                sums[name] += int(value or 0)
    return result


def _keyed(owners: str, source: str | None, scoped_to: bool = False) -> str:
    """FROM clause: `source` rows (with `acc`; None: every account, of the scope if
    `scoped_to`) as `f` with their account `a` and, when `owners` (SQL of each account's
    owner on a day) is given, that owner as `o.owner`."""
    table = Account._meta.db_table
    sql = f"FROM {source} f JOIN {table} a ON a.id = f.acc" if source else f"FROM {table} a"
    if owners:
        sql += f" LEFT JOIN ({owners}) o ON o.account_id = a.id"
    if scoped_to:
        sql += " WHERE a.id IN (SELECT id FROM scope_ids)"
    return sql


def _quarter_figures(
    period: tuple[date, date], previous: tuple[date, date], scope: QuerySet[Account] | None
) -> PerAccount | None:
    """SQL of (acc, c0 = rev_P, c1 = rev_P', nw = 1 when the account opened in P) in one
    grouped pass over the quarter rows, when P' and P are whole calendar quarters (None
    otherwise)."""
    bounds = [_whole_quarters(*previous), _whole_quarters(*period)]
    if None in bounds:
        return None
    (first, _), (split, last) = bounds  # type: ignore[misc]
    ensure_fresh()
    in_scope = IN_SCOPE if scope is not None else ""
    in_p = "CAST(SUM(CASE WHEN quarter >= %s THEN revenue ELSE 0 END) AS BIGINT)"
    before_p = "CAST(SUM(CASE WHEN quarter < %s THEN revenue ELSE 0 END) AS BIGINT)"
    sql = (
        f"SELECT account_id AS acc, {in_p} AS c0, {before_p} AS c1, "
        f"MAX(CASE WHEN quarter >= %s AND opens THEN 1 ELSE 0 END) AS nw FROM {QUARTERS} "
        f"WHERE quarter BETWEEN %s AND %s{in_scope} GROUP BY account_id"
    )  # noqa: S608 - our own SQL
    return PerAccount(sql, [split, split, split, first, last], *scope_ids(scope))


def _whole_quarters(start: date, end: date) -> tuple[int, int] | None:
    """(first, last) AccountQuarter.quarter when [start, end] is whole calendar quarters."""
    months, edges = month_split(start, end)
    if months is None or edges or by_quarter(months)[0]:
        return None
    return quarter_index(start), quarter_index(end)


def new_by_group(
    start: date, end: date, by: str, scope: QuerySet[Account] | None = None
) -> dict[Group, int] | None:
    """group -> number of accounts opened (first order line ever) in the calendar quarter
    [start, end], from the quarter rows; None when [start, end] is not a calendar quarter
    (the caller groups `new_in`)."""
    quarters = calendar_quarters([(start, end)])
    if quarters is None or by not in GROUP_COLUMNS:
        return None
    ensure_fresh()
    grp = GROUP_COLUMNS[by]
    in_scope = " AND q.account_id IN (SELECT id FROM scope_ids)" if scope is not None else ""
    statement = (
        f"SELECT {grp} AS grp, COUNT(*) FROM {_grouped(by, f'{QUARTERS} q', 'q.account_id')} "
        f"WHERE q.quarter = %s AND q.opens{in_scope} GROUP BY 1"
    )  # noqa: S608 - our own SQL
    return {group: int(n) for group, n in fetch(*scoped(scope, statement, quarters))}
