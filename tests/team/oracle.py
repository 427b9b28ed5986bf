"""The scorecards' facts worked out the plain way, from the order lines (the test oracle).

Production reads the team rollup (`team.selectors.facts.collect_facts`, `rolled.py`); this is
the same contract (METRICS.md Roles) stated directly on the order lines: one grouped pass over
the lines of the three windows, ownership read on each day, each line without a rep credited
to the primary owner on the line's date by a join on the ownership history. The tests hold
the two equal on hand-worked and generated books."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from bookwise.accounts.models import Account, OrderLine, Ownership
from bookwise.accounts.selectors import owners_on
from bookwise.team.selectors.common import Windows
from bookwise.team.selectors.credits import AccountSums, Counts
from bookwise.team.selectors.facts import Facts


def window_bucket(w: Windows) -> Case:
    """0 for the cur window, 1 for prev, 2 for prev2 (lines are pre-filtered to the three)."""
    return Case(
        When(order_date__gte=w.cur.start, then=Value(0)),
        When(order_date__gte=w.prev.start, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def grouped_lines(w: Windows, account_ids: set[int] | None) -> list[dict[str, Any]]:
    """Per account, window and line rep: revenue, gross profit (cents) and number of lines."""
    qs = OrderLine.objects.filter(order_date__range=(w.prev2.start, w.day))
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    cents = BigIntegerField()
    return list(
        qs.order_by()
        .annotate(bucket=window_bucket(w))
        .values("account_id", "bucket", "rep_id")
        .annotate(
            rev=Sum("amount", output_field=cents), gp=Sum("gross_profit", output_field=cents), n=Count("id")
        )
    )


def sums_from(rows: list[dict]) -> dict[int, AccountSums]:
    sums: dict[int, AccountSums] = {}
    for row in rows:
        entry = sums.setdefault(row["account_id"], AccountSums())
        entry.rev[row["bucket"]] += row["rev"] or 0
        entry.gp[row["bucket"]] += row["gp"] or 0
    return sums


def credited_from(rows: list[dict], w: Windows) -> Counts:
    """rep id -> [lines credited in cur, in prev]: lines with a rep to that rep, the others to
    the primary owner on the line's date (a join on the ownership history)."""
    result: Counts = defaultdict(lambda: [0, 0])
    for row in rows:
        if row["bucket"] != 2 and row["rep_id"] is not None:
            result[row["rep_id"]][row["bucket"]] += row["n"]
    accounts = {row["account_id"] for row in rows if row["rep_id"] is None}
    in_force = (
        Q(rep_id__isnull=True, account_id__in=accounts, order_date__range=(w.prev.start, w.day))
        & Q(account__ownerships__role="primary", account__ownerships__start_date__lte=F("order_date"))
        & (
            Q(account__ownerships__end_date__isnull=True)
            | Q(account__ownerships__end_date__gte=F("order_date"))
        )
    )
    joined = (
        OrderLine.objects.filter(in_force)
        .order_by()
        .annotate(bucket=window_bucket(w))
        .values("account__ownerships__rep_id", "bucket")
        .annotate(n=Count("id"))
    )
    for row in joined:
        result[row["account__ownerships__rep_id"]][row["bucket"]] += row["n"]
    return dict(result)


def owner_maps(days: Iterable[date], rep_ids: set[int] | None) -> dict[date, dict[int, int]]:
    return {day: owners_on(day, rep_ids=rep_ids) for day in days}


def new_account_firsts(w: Windows, candidates: set[int] | None) -> dict[int, tuple[date, int | None]]:
    """Accounts whose first order line ever (earliest date, then order id) is in prev or cur,
    with the rep it is credited to."""
    first_line = OrderLine.objects.filter(account=OuterRef("pk")).order_by("order_date", "external_id")
    owner = Ownership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("first_date")),
        account=OuterRef("pk"),
        role="primary",
        start_date__lte=OuterRef("first_date"),
    )
    lines = OrderLine.objects.filter(account=OuterRef("pk"))
    qs = Account.objects.filter(
        ~Exists(lines.filter(order_date__lt=w.prev.start)),
        Exists(lines.filter(order_date__range=(w.prev.start, w.day))),
    )
    if candidates is not None:
        qs = qs.filter(id__in=candidates)
    qs = qs.annotate(first_date=Subquery(first_line.values("order_date")[:1]))
    qs = qs.annotate(
        hunter_id=Coalesce(Subquery(first_line.values("rep_id")[:1]), Subquery(owner.values("rep_id")[:1]))
    )
    return {a: (d, h) for a, d, h in qs.values_list("id", "first_date", "hunter_id")}


def facts_from_lines(w: Windows, rep_ids: set[int] | None = None) -> Facts:
    """What `collect_facts(w, rep_ids)` returns, from the order lines alone."""
    days = (w.day, w.prev.end, w.cur.start, w.prev.start)
    candidates = None
    if rep_ids is not None:
        owned = Ownership.objects.filter(rep_id__in=rep_ids).values_list("account_id", flat=True)
        credited = OrderLine.objects.filter(rep_id__in=rep_ids).values_list("account_id", flat=True)
        candidates = set(owned) | set(credited)
    firsts = new_account_firsts(w, candidates)
    rows = grouped_lines(w, None if candidates is None else candidates | set(firsts))
    credited_counts = credited_from(rows, w)
    if rep_ids is not None:
        credited_counts = {r: c for r, c in credited_counts.items() if r in rep_ids}
    return Facts(
        windows=w,
        owners=owner_maps(days, rep_ids),
        sums=sums_from(rows),
        credited=credited_counts,
        new_accounts=firsts,
    )
