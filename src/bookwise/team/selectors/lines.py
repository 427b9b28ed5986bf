"""One pass over the order lines behind every scorecard: per account, window and credited
rep, the revenue, gross profit and number of lines.

Lines with a rep are credited to that rep. Lines without one go to the primary owner on the
line's date: when a single assignment covers a whole window of an account (the usual case)
its lines are credited from the grouped counts; only accounts whose ownership changed inside
the windows are resolved line by line, with a join on the ownership history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Case, Count, F, IntegerField, Q, Sum, Value, When

from bookwise.accounts.models import OrderLine, Ownership
from bookwise.core.dates import Period

from .common import Windows

ZERO = Decimal("0.00")


@dataclass
class AccountSums:
    """Per window (0 cur, 1 prev, 2 prev2): revenue and gross profit in integer cents, added
    up exactly and quickly; figures become Decimal amounts at the end (`money`)."""

    rev: list[int] = field(default_factory=lambda: [0, 0, 0])
    gp: list[int] = field(default_factory=lambda: [0, 0, 0])


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def window_bucket(w: Windows) -> Case:
    """0 for the cur window, 1 for prev, 2 for prev2 (lines are pre-filtered to the three)."""
    return Case(
        When(order_date__gte=w.cur.start, then=Value(0)),
        When(order_date__gte=w.prev.start, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def grouped_lines(w: Windows, account_ids: set[int] | None) -> list[dict[str, Any]]:
    qs = OrderLine.objects.filter(order_date__range=(w.prev2.start, w.day))
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    cents = BigIntegerField()
    grouped: Any = (
        qs.order_by()
        .annotate(bucket=window_bucket(w))
        .values("account_id", "bucket", "rep_id")
        .annotate(
            rev=Sum("amount", output_field=cents), gp=Sum("gross_profit", output_field=cents), n=Count("id")
        )
    )
    return list(grouped)


def sums_from(rows: list[dict]) -> dict[int, AccountSums]:
    sums: dict[int, AccountSums] = {}
    for row in rows:
        entry = sums.get(row["account_id"]) or sums.setdefault(row["account_id"], AccountSums())
        entry.rev[row["bucket"]] += row["rev"] or 0
        entry.gp[row["bucket"]] += row["gp"] or 0
    return sums


Span = tuple[date, date | None, int]  # a primary assignment: start, end (None = open), rep


def primary_spans(start: date, end: date, account_ids: set[int] | None) -> dict[int, list[Span]]:
    """Primary assignments overlapping [start, end], per account (None: every account)."""
    qs = Ownership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), role="primary", start_date__lte=end
    )
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    found: dict[int, list[Span]] = defaultdict(list)
    rows = qs.order_by().values_list("account_id", "start_date", "end_date", "rep_id")
    for account, first, last, rep in rows:
        found[account].append((first, last, rep))
    return found


def _intervals(account_ids: set[int], w: Windows) -> dict[int, list[Span]]:
    """Primary assignments overlapping [prev.start, d], per account."""
    return primary_spans(w.prev.start, w.day, account_ids)


def owner_at(spans: list[Span], day: date) -> int | None:
    for start, end, rep in spans:
        if start <= day and (end is None or end >= day):
            return rep
    return None


def _single_owner(spans: list[tuple[date, date | None, int]], period: Period) -> int | None | bool:
    """The rep owning the account over the whole period; None when nobody owned it at all in
    the period; False when it changed hands (or had gaps) inside the period."""
    inside = [s for s in spans if s[0] <= period.end and (s[1] is None or s[1] >= period.start)]
    if not inside:
        return None
    start, end, rep = inside[0]
    if len(inside) == 1 and start <= period.start and (end is None or end >= period.end):
        return rep
    return False


def owner_join_counts(w: Windows, account_ids: set[int]) -> dict[int, list[int]]:
    """Credited lines without a rep of these accounts, line by line through the history."""
    return join_counts(w, Q(account_id__in=account_ids, order_date__range=(w.prev.start, w.day)))


def join_counts(w: Windows, where: Q) -> dict[int, list[int]]:
    """rep id -> [cur, prev] counts of the lines without a rep matching `where` (inside
    [prev.start, d]), each credited to the primary owner on its date by a join."""
    in_force = (
        Q(rep_id__isnull=True)
        & where
        & Q(account__ownerships__role="primary")
        & Q(account__ownerships__start_date__lte=F("order_date"))
        & (
            Q(account__ownerships__end_date__isnull=True)
            | Q(account__ownerships__end_date__gte=F("order_date"))
        )
    )
    rows = (
        OrderLine.objects.filter(in_force)
        .order_by()
        .annotate(bucket=window_bucket(w))
        .values("account__ownerships__rep_id", "bucket")
        .annotate(n=Count("id"))
    )
    result: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        result[row["account__ownerships__rep_id"]][row["bucket"]] += row["n"]
    return result


ChangedCounts = Callable[[Windows, set[tuple[int, int]], dict[int, list[Span]]], dict[int, list[int]]]
Counts = dict[int, list[int]]  # rep id -> [lines in cur, lines in prev]


def split_counts(rows: list[dict]) -> tuple[Counts, dict[tuple[int, int], int]]:
    """(lines with a rep, per rep and window; lines without one, per (account, window))."""
    direct: Counts = defaultdict(lambda: [0, 0])
    unassigned: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        if row["bucket"] == 2:
            continue
        if row["rep_id"] is not None:
            direct[row["rep_id"]][row["bucket"]] += row["n"]
        else:
            unassigned[(row["account_id"], row["bucket"])] += row["n"]
    return direct, unassigned


def credited_from(rows: list[dict], w: Windows) -> Counts:
    """rep id -> [lines credited in cur, in prev]."""
    return resolve_credits(*split_counts(rows), w)


def _window_owner(spans: list[Span], period: Period) -> int | None | bool:
    if len(spans) == 1:  # the usual case first: one assignment over both windows
        start, end, rep = spans[0]
        if start <= period.start and (end is None or end >= period.end):
            return rep
    return _single_owner(spans, period)


def add_counts(result: Counts, found: Counts) -> None:
    for rep, counts in found.items():
        result[rep][0] += counts[0]
        result[rep][1] += counts[1]


def resolve_credits(
    direct: Counts,
    unassigned: dict[tuple[int, int], int],
    w: Windows,
    spans: dict[int, list[Span]] | None = None,
    changed_counts: ChangedCounts | None = None,
) -> Counts:
    """Lines with a rep go to that rep; lines without one to the account's single primary
    owner over the window. Where the owner changed inside a window: by default every line
    of those accounts is joined (owner_join_counts); else `changed_counts(w, pairs, spans)`
    credits the (account, window) pairs concerned. `spans`: the primary assignments when
    already read."""
    result: Counts = defaultdict(lambda: [0, 0])
    add_counts(result, direct)
    if spans is None:
        spans = _intervals({a for a, _ in unassigned}, w)
    periods = (w.cur, w.prev)
    owners = {(a, b): _window_owner(spans.get(a, []), periods[b]) for a, b in unassigned}
    changed = {pair for pair, owner in owners.items() if owner is False}
    if changed_counts is None:
        accounts = {a for a, _ in changed}
        changed = {pair for pair in owners if pair[0] in accounts}
        if accounts:
            add_counts(result, owner_join_counts(w, accounts))
    elif changed:
        add_counts(result, changed_counts(w, changed, spans))
    for pair, n in unassigned.items():
        owner = owners[pair]
        if pair not in changed and owner:
            result[owner][pair[1]] += n
    return dict(result)
