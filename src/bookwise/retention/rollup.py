"""Per-account sums over date ranges, from the monthly rollup for whole months (when it is
fresh) plus the order lines for the partial months at the edges; from the order lines
alone when the rollup is stale. Same figures either way, just faster with the rollup."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Case, Count, F, Max, Min, Q, Sum, Value, When
from django.db.models.functions import TruncMonth

from bookwise.accounts.models import OrderLine
from bookwise.core.dates import add_months

from .models import AccountMonth, RollupState

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


def _cents_sum(field: str, condition: Q) -> Sum:
    """Sum of a money column in integer cents (no per-value converter: fast on 50k rows)."""
    return Sum(
        Case(When(condition, then=F(field)), default=Value(0), output_field=BigIntegerField()),
        output_field=BigIntegerField(),
    )


def _scoped(qs, scope: Any):
    return qs if scope is None else qs.filter(account_id__in=scope.values("id"))


def _any(ranges: list[tuple[date, date]]) -> Q:
    q = Q()
    for a, b in ranges:
        q |= Q(order_date__gte=a, order_date__lte=b)
    return q


def account_sums(ranges: Ranges, scope: Any = None) -> dict[int, dict[str, Decimal]]:
    """account pk -> {range name: revenue} for accounts with order lines in any range."""
    use_rollup = is_fresh()
    edges: dict[str, list[tuple[date, date]]] = {}
    whole: dict[str, tuple[date, date]] = {}
    for name, (start, end) in ranges.items():
        months, edges[name] = month_split(start, end) if use_rollup else (None, [(start, end)])
        if months:
            whole[name] = months
    result: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(ranges, ZERO))
    with_edges = {n: e for n, e in edges.items() if e}
    if with_edges:
        lines = _scoped(OrderLine.objects.filter(_any([r for e in with_edges.values() for r in e])), scope)
        sums = {n: _cents_sum("amount", _any(e)) for n, e in with_edges.items()}
        _merge(
            result,
            list(sums),
            lines.order_by().values("account_id").annotate(**sums).values_list("account_id", *sums),
        )
    if whole:
        first, last = min(m[0] for m in whole.values()), max(m[1] for m in whole.values())
        months = _scoped(AccountMonth.objects.filter(month__gte=first, month__lte=last), scope)
        sums = {n: _cents_sum("revenue", Q(month__gte=m[0], month__lte=m[1])) for n, m in whole.items()}
        _merge(
            result,
            list(sums),
            months.order_by().values("account_id").annotate(**sums).values_list("account_id", *sums),
        )
    return dict(result)


def _merge(result: dict[int, dict[str, Decimal]], names: list[str], rows: Any) -> None:
    for pk, *values in rows:
        sums = result[pk]
        for name, cents in zip(names, values, strict=True):
            if cents:
                sums[name] += Decimal(cents).scaleb(-2)


@dataclass(frozen=True)
class OrderDays:
    first: date | None
    last: date | None
    days: int  # distinct days with a positive order line


def order_days(start: date, end: date, scope: Any = None) -> dict[int, OrderDays]:
    """account pk -> first and last day with a positive order line in [start, end] and the
    number of distinct such days (months do not share days, so monthly counts add up)."""
    months, edges = month_split(start, end) if is_fresh() else (None, [(start, end)])
    parts: list[Any] = []
    for a, b in edges:
        lines = _scoped(OrderLine.objects.filter(order_date__gte=a, order_date__lte=b, amount__gt=0), scope)
        parts.append(
            lines.order_by()
            .values("account_id")
            .annotate(
                first=Min("order_date"), last=Max("order_date"), days=Count("order_date", distinct=True)
            )
            .values_list("account_id", "first", "last", "days")
        )
    if months:
        rollup = _scoped(AccountMonth.objects.filter(month__gte=months[0], month__lte=months[1]), scope)
        parts.append(
            rollup.filter(order_days__gt=0)
            .order_by()
            .values("account_id")
            .annotate(first=Min("first_order"), last=Max("last_order"), days=Sum("order_days"))
            .values_list("account_id", "first", "last", "days")
        )
    found: dict[int, OrderDays] = {}
    for rows in parts:
        for pk, first, last, days in rows:
            old = found.get(pk)
            if old is not None:
                first, last, days = min(first, old.first), max(last, old.last), days + old.days
            found[pk] = OrderDays(first, last, int(days))
    return found


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
    RollupState.objects.update_or_create(pk=1, defaults={"max_line_id": top})
    return written


GROUP_FIELDS = {"territory": "account__territory__name", "region": "account__territory__region__name"}
STEP_FIGURES = ("base", "retained", "base_rev", "gross", "retained_rev", "period_rev", "lost_rev")


def _grouped_parts(ranges: list[tuple[date, date]], by: str, scope: Any) -> list[tuple[str, list[Any]]]:
    """Compiled SELECTs of (acc, grp, q0..qn) in cents, from the rollup and/or the lines."""
    use_rollup = is_fresh()
    split = [month_split(s, e) if use_rollup else (None, [(s, e)]) for s, e in ranges]
    grp = F(GROUP_FIELDS[by]) if by in GROUP_FIELDS else Value("overall")
    parts = []
    if any(edges for _, edges in split):
        lines = _scoped(OrderLine.objects.filter(_any([r for _, edges in split for r in edges])), scope)
        sums = {f"q{i}": _cents_sum("amount", _any(edges)) for i, (_, edges) in enumerate(split)}
        parts.append(
            lines.order_by().annotate(acc=F("account_id"), grp=grp).values("acc", "grp").annotate(**sums)
        )
    whole = [(i, m) for i, (m, _) in enumerate(split) if m]
    if whole:
        months = AccountMonth.objects.filter(
            month__gte=min(m[0] for _, m in whole), month__lte=max(m[1] for _, m in whole)
        )
        sums = {f"q{i}": Value(0, output_field=BigIntegerField()) for i in range(len(ranges))}
        sums |= {f"q{i}": _cents_sum("revenue", Q(month__gte=m[0], month__lte=m[1])) for i, m in whole}
        parts.append(
            _scoped(months, scope)
            .order_by()
            .annotate(acc=F("account_id"), grp=grp)
            .values("acc", "grp")
            .annotate(**sums)
        )
    return [
        qs.values_list("acc", "grp", *[f"q{i}" for i in range(len(ranges))]).query.sql_with_params()
        for qs in parts
    ]


def _step_sql(i: int) -> str:
    """Per-group sums of quarter i against quarter i - 1 (in cents), METRICS.md Retention."""
    p, b = f"q{i}", f"q{i - 1}"
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


def grouped_steps(
    ranges: list[tuple[date, date]], by: str, scope: Any = None
) -> dict[Any, list[dict[str, Any]]]:
    """For consecutive ranges r0..rn: group -> for each step i (1..n) the figures of r_i against
    r_(i-1) (STEP_FIGURES, money in cents), all aggregated in the database."""
    parts = _grouped_parts(ranges, by, scope)
    cols = [f"q{i}" for i in range(len(ranges))]
    union = " UNION ALL ".join(f"SELECT * FROM ({sql}) p{n}" for n, (sql, _) in enumerate(parts))
    per_account = (
        f"SELECT acc, grp, {', '.join(f'SUM({c}) AS {c}' for c in cols)} FROM ({union}) u GROUP BY acc, grp"
    )
    steps = ", ".join(_step_sql(i) for i in range(1, len(ranges)))
    sql = f"SELECT grp, {steps} FROM ({per_account}) a GROUP BY grp"  # noqa: S608 - our own SQL
    params = [p for _, ps in parts for p in ps]
    width = len(STEP_FIGURES)
    result: dict[Any, list[dict[str, Any]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grp, *values in cursor.fetchall():
            result[grp] = [
                dict(zip(STEP_FIGURES, values[k * width : (k + 1) * width], strict=True))
                for k in range(len(ranges) - 1)
            ]
    return result


def lost_revenues(
    period: tuple[date, date], previous: tuple[date, date], scope: Any = None
) -> dict[int, tuple]:
    """account pk -> (rev_P, rev_P') of the accounts lost in P only (rev_P' > 0, rev_P <= 0),
    filtered in the database."""
    parts = _grouped_parts([previous, period], "overall", scope)
    union = " UNION ALL ".join(f"SELECT * FROM ({sql}) p{n}" for n, (sql, _) in enumerate(parts))
    sql = f"SELECT acc, SUM(q1), SUM(q0) FROM ({union}) u GROUP BY acc HAVING SUM(q0) > 0 AND SUM(q1) <= 0"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _, ps in parts for p in ps])
        return {pk: (Decimal(p).scaleb(-2), Decimal(b).scaleb(-2)) for pk, p, b in cursor.fetchall()}
