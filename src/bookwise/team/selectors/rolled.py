"""The scorecards' facts read from the team rollup (`LineMonth`, `FirstLine`): the same rows
and figures as reading every order line of the windows would give (the plain form lives in
tests/team/oracle.py, and a Hypothesis property holds the two equal), much less to read.

A 12-month window [s, e] is the sum of an account and rep's `LineMonth` rows over the 12
months ending with an anchor month A (the rollup is sparse: rows for months with lines) plus
or minus the lines of the few days between the window's ends and A's 12 months (`t12_plan`).
Lines without a rep are credited to the primary owner on their date: from the window's sums
when one assignment covers the window (most accounts), else month by month from the rollup
where one assignment covers the month, and line by line (a join on the ownership history)
only in the months where the owner changed or a window boundary falls."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce

from bookwise.accounts.models import OrderLine
from bookwise.accounts.selectors import Span, owner_at

from ..models import FirstLine, LineMonth
from ..rollup import month_first, month_last, month_no
from .common import Windows
from .credits import AccountSums, Counts, Unassigned

ONE_DAY = timedelta(days=1)
CHUNK = 2000  # accounts per IN list (well below SQLite's limit on parameters)
Ranges = list[tuple[date, date, int]]  # (first day, last day, +1 or -1)
Row = tuple[Any, ...]  # a row of raw SQL, as the DB-API hands it back
M = TypeVar("M", bound=Model)


def t12_plan(start: date, end: date) -> tuple[int, Ranges]:
    """(anchor month A, signed day ranges) with lines[start, end] = T12(A) + the signed
    ranges, where T12(A) = lines[first day of A - 11 months, last day of A]. Of the two
    anchors that fit a 12-month window (the end's month and the one before), the one with
    fewer days to read; an identity for any start and end."""
    best: tuple[int, int, Ranges] | None = None
    for anchor in (month_no(end), month_no(end) - 1):
        t_start, t_end = month_first(anchor - 11), month_last(anchor)
        ranges: Ranges = []
        if start < t_start:
            ranges.append((start, t_start - ONE_DAY, 1))
        elif start > t_start:
            ranges.append((t_start, start - ONE_DAY, -1))
        if end > t_end:
            ranges.append((t_end + ONE_DAY, end, 1))
        elif end < t_end:
            ranges.append((end + ONE_DAY, t_end, -1))
        cost = sum((b - a).days + 1 for a, b, _ in ranges)
        if best is None or cost < best[0]:
            best = (cost, anchor, ranges)
    assert best is not None
    return best[1], best[2]


def pieces(ranges: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Disjoint day ranges covering the union of `ranges`, cut at every range's ends (so
    each range is a union of pieces)."""
    ranges = list(ranges)
    cuts = sorted({a for a, _ in ranges} | {b + ONE_DAY for _, b in ranges})
    found = []
    for a, nxt in zip(cuts, cuts[1:], strict=False):
        b = nxt - ONE_DAY
        if any(s <= a and b <= e for s, e in ranges):
            found.append((a, b))
    return found


def _scoped(qs: QuerySet[M], account_ids: set[int] | None) -> QuerySet[M]:
    return qs if account_ids is None else qs.filter(account_id__in=account_ids)


def _signed_sum(value: Combinable, plus: Q, minus: Q) -> Cast:
    """Sum of `value` over the rows matching `plus`, minus over those matching `minus`, as a
    plain integer (PostgreSQL sums bigint into numeric)."""
    cases = []
    if plus:
        cases.append(When(plus, then=value))
    if minus:
        cases.append(When(minus, then=-value))
    total = Sum(Case(*cases, default=Value(0), output_field=BigIntegerField())) if cases else Value(0)
    return Cast(total, output_field=BigIntegerField())


def _days(ranges: Ranges, sign: int) -> Q:
    q = Q()
    for a, b, s in ranges:
        if s == sign:
            q |= Q(order_date__range=(a, b))
    return q


FIGURES = [f"{x}{b}" for b in range(3) for x in ("r", "g", "n")]  # r0 g0 n0 r1 ... n2, in cents


def _raw(qs: QuerySet[Model, object]) -> list[Row]:
    """The rows of a queryset as the database returns them: money in integer cents, no
    per-value conversion (100k rows)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cast(list[Row], cursor.fetchall())  # the DB-API's rows are untyped


def _edges(plans: list[tuple[int, Ranges]], account_ids: set[int] | None) -> QuerySet[OrderLine, Row] | None:
    """Per account and line rep, the signed sums (FIGURES) of the lines of the days between
    each window's ends and its anchor's 12 months (t12_plan), or None when there are none."""
    ranges = [(a, b) for _, plan in plans for a, b, _ in plan]
    if not ranges:
        return None
    any_day = Q()
    for piece in pieces(ranges):
        any_day |= Q(order_date__range=piece)
    sums: dict[str, Cast] = {}
    for bucket, (_, plan) in enumerate(plans):
        plus, minus = _days(plan, 1), _days(plan, -1)
        sums[f"r{bucket}"] = _signed_sum(F("amount"), plus, minus)
        sums[f"g{bucket}"] = _signed_sum(Coalesce("gross_profit", 0), plus, minus)
        sums[f"n{bucket}"] = _signed_sum(Value(1), plus, minus)
    lines = _scoped(OrderLine.objects.filter(any_day), account_ids)
    return (
        lines.order_by()
        .values("account_id", "rep_id")
        .annotate(**sums)
        .values_list("account_id", "rep_id", *FIGURES)
    )


def rollup_sums(
    w: Windows, account_ids: set[int] | None
) -> tuple[dict[int, AccountSums], Counts, Unassigned]:
    """Per account the revenue and gross profit of each window, and the line counts (per rep
    and window for lines with a rep, per (account, window) for lines without): the 12-month
    rows at the windows' anchor months, plus the signed sums of the lines at the windows'
    edges."""
    if account_ids is not None and not account_ids:
        return {}, {}, {}
    plans = [t12_plan(p.start, p.end) for p in (w.cur, w.prev, w.prev2)]
    # One row per account and rep: each window's 12 months summed side by side (the rollup is
    # sparse: a row per month with lines).
    pivot = {
        f"{x}{b}": _signed_sum(F(column), Q(month__range=(anchor - 11, anchor)), Q())
        for b, (anchor, _) in enumerate(plans)
        for x, column in (("r", "revenue"), ("g", "gross_profit"), ("n", "lines"))
    }
    anchors = [anchor for anchor, _ in plans]
    months = _scoped(LineMonth.objects.filter(month__range=(min(anchors) - 11, max(anchors))), account_ids)
    grouped = months.order_by().values("account_id", "rep_id").annotate(**pivot)
    found: dict[tuple[int, int | None], list[int]] = {
        (account, rep): list(figures)
        for account, rep, *figures in _raw(grouped.values_list("account_id", "rep_id", *FIGURES))
        if figures[2] or figures[5] or figures[8]  # lines in a window
    }
    edges = _edges(plans, account_ids)
    for account, rep, *figures in _raw(edges) if edges is not None else ():
        row = found.get((account, rep))
        if row is None:
            found[(account, rep)] = figures
        else:
            for i, v in enumerate(figures):
                row[i] += v
    return _split(found)


def _split(
    found: dict[tuple[int, int | None], list[int]],
) -> tuple[dict[int, AccountSums], Counts, Unassigned]:
    sums: dict[int, AccountSums] = {}
    direct: Counts = defaultdict(lambda: [0, 0])
    unassigned: Unassigned = {}
    for (account, rep), (r0, g0, n0, r1, g1, n1, r2, g2, n2) in found.items():
        if n0 or n1 or n2:
            rev, gp = [r0, r1, r2], [g0, g1, g2]
            entry = sums.get(account)
            if entry is None:
                sums[account] = AccountSums(rev, gp)
            else:  # lines with different reps
                entry.rev = [a + b for a, b in zip(entry.rev, rev, strict=True)]
                entry.gp = [a + b for a, b in zip(entry.gp, gp, strict=True)]
        if rep is not None:
            direct[rep][0] += n0
            direct[rep][1] += n1
        else:
            if n0:
                unassigned[(account, 0)] = n0
            if n1:
                unassigned[(account, 1)] = n1
    return sums, direct, unassigned


def _split_months(spans: list[Span]) -> set[int]:
    """Months in which the primary owner changes on a day other than the 1st."""
    found = set()
    for start, end, _ in spans:
        for change in (start, None if end is None else end + ONE_DAY):
            if change is not None and change.day != 1:
                found.add(month_no(change))
    return found


def _chunks(items: list[int], size: int = CHUNK) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _tiling(days: tuple[date, date], cut: list[tuple[date, date]]) -> list[int] | None:
    """Indexes of the pieces that exactly tile `days`, or None."""
    found, at = [], days[0]
    for i, (a, b) in enumerate(cut):
        if a == at and b <= days[1]:
            found.append(i)
            at = b + ONE_DAY
    return found if at == days[1] + ONE_DAY else None


# How to count a month's part of a window from the rollup: (take the month's count?, sign,
# piece indexes); None: the rollup cannot tell, read the lines.
Recipe = tuple[bool, int, list[int]] | None


def _recipe(month: int, days: tuple[date, date], cut: list[tuple[date, date]]) -> Recipe:
    if days == (month_first(month), month_last(month)):
        return True, 1, []
    inside = _tiling(days, cut)
    if inside is not None:
        return False, 1, inside
    before, after = (month_first(month), days[0] - ONE_DAY), (days[1] + ONE_DAY, month_last(month))
    outside: list[int] = []
    for rest in (before, after):
        if rest[0] <= rest[1]:
            tiles = _tiling(rest, cut)
            if tiles is None:
                return None
            outside += tiles
    return True, -1, outside


class _Counter:
    """Lines without a rep of a few accounts over the months of the windows, from the rollup:
    each month's count (LineMonth) and the counts of the edge pieces (t12_plan), read with the
    lines; `recipes[window]` says how each month's part of the window is made of them."""

    def __init__(self, w: Windows, accounts: list[int]) -> None:
        cut = pieces((a, b) for p in (w.cur, w.prev, w.prev2) for a, b, _ in t12_plan(p.start, p.end)[1])
        self.recipes: list[list[tuple[int, tuple[date, date], Recipe]]] = []
        for period in (w.cur, w.prev):
            parts = []
            for m in range(month_no(period.start), month_no(period.end) + 1):
                days = (max(month_first(m), period.start), min(month_last(m), period.end))
                parts.append((m, days, _recipe(m, days, cut)))
            self.recipes.append(parts)
        months = LineMonth.objects.filter(
            account_id__in=accounts,
            rep__isnull=True,
            month__gte=month_no(w.prev.start),
            month__lte=month_no(w.day),
            lines__gt=0,
        )
        self.months = {(a, m): n for a, m, n in months.order_by().values_list("account_id", "month", "lines")}
        self.pieces: dict[tuple[int, int], int] = {}
        if cut:
            which = Case(
                *[When(order_date__range=p, then=Value(i)) for i, p in enumerate(cut)],
                output_field=IntegerField(),
            )
            any_piece = Q()
            for p in cut:
                any_piece |= Q(order_date__range=p)
            rows = (
                OrderLine.objects.filter(any_piece, account_id__in=accounts, rep__isnull=True)
                .order_by()
                .annotate(piece=which)
                .values("account_id", "piece")
                .annotate(n=Count("id"))
                .values_list("account_id", "piece", "n")
            )
            self.pieces = {(a, i): n for a, i, n in rows}

    def count(self, account: int, month: int, recipe: Recipe) -> int | None:
        if recipe is None:
            return None
        whole, sign, tiles = recipe
        n = self.months.get((account, month), 0) if whole else 0
        for i in tiles:
            n += sign * self.pieces.get((account, i), 0)
        return n


def rollup_changed_counts(w: Windows, pairs: set[tuple[int, int]], spans: dict[int, list[Span]]) -> Counts:
    """rep id -> [cur, prev] lines without a rep of the (account, window) pairs whose primary
    owner changed inside the window, each line credited to the owner on its date: month by
    month from the rollup where the owner is the same all month (`_Counter`), line by line
    (a join on the ownership history) in the months where the owner changed."""
    result: Counts = defaultdict(lambda: [0, 0])
    by_account: dict[int, list[int]] = defaultdict(list)
    for account, bucket in pairs:
        by_account[account].append(bucket)
    by_line: dict[tuple[date, date], list[int]] = defaultdict(list)
    for chunk in _chunks(sorted(by_account)):
        counter = _Counter(w, chunk)
        for account in chunk:
            _credit_months(w, account, by_account[account], spans.get(account, []), counter, result, by_line)
    # the rest day by day, a bounded number of account ids per query
    where, size = Q(), 0
    for days, ids in by_line.items():
        for part in _chunks(ids):
            where |= Q(account_id__in=part, order_date__range=days)
            size += len(part)
            if size >= CHUNK:
                _credit_days(w, where, spans, result)
                where, size = Q(), 0
    if size:
        _credit_days(w, where, spans, result)
    return result


def _credit_days(w: Windows, where: Q, spans: dict[int, list[Span]], result: Counts) -> None:
    """Lines without a rep matching `where`, counted per account and day and credited to the
    primary owner that day (from `spans`)."""
    days = (
        OrderLine.objects.filter(where, rep__isnull=True)
        .order_by()
        .values("account_id", "order_date")
        .annotate(n=Count("id"))
        .values_list("account_id", "order_date", "n")
    )
    for account, day, n in days:
        owner = owner_at(spans.get(account, []), day)
        if owner is not None:
            result[owner][0 if day >= w.cur.start else 1] += n


def _credit_months(
    w: Windows,
    account: int,
    buckets: list[int],
    spans: list[Span],
    counter: _Counter,
    result: Counts,
    by_line: dict[tuple[date, date], list[int]],
) -> None:
    """Credit one account's windows month by month into `result`; the day ranges the rollup
    cannot split by owner go to `by_line`."""
    split = _split_months(spans)
    for bucket in buckets:
        for m, days, recipe in counter.recipes[bucket]:
            n = None if m in split else counter.count(account, m, recipe)
            if n is None:
                by_line[days].append(account)
            elif n:
                owner = owner_at(spans, days[0])  # the same all month
                if owner is not None:
                    result[owner][bucket] += n


def owners_on(
    days: Iterable[date], spans: dict[int, list[Span]], rep_ids: set[int] | None
) -> dict[date, dict[int, int]]:
    """day -> account -> primary owner (only owners in rep_ids when given), from `spans`."""
    maps: dict[date, dict[int, int]] = {}
    for day in days:
        found: dict[int, int] = {}
        for account, mine in spans.items():
            rep = owner_at(mine, day)
            if rep is not None and (rep_ids is None or rep in rep_ids):
                found[account] = rep
        maps[day] = found
    return maps


def rollup_firsts(
    w: Windows, candidates: set[int] | None, spans: dict[int, list[Span]]
) -> dict[int, tuple[date, int | None]]:
    """Accounts whose first line ever (earliest date, then order id) is in prev or cur, with
    the rep it is credited to (the line's rep, else the primary owner that day)."""
    qs = _scoped(FirstLine.objects.filter(order_date__range=(w.prev.start, w.day)), candidates)
    return {
        account: (day, rep if rep is not None else owner_at(spans.get(account, []), day))
        for account, day, rep in qs.order_by().values_list("account_id", "order_date", "rep_id")
    }
