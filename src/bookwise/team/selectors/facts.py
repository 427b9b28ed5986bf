"""Set-based facts behind the scorecards: a handful of grouped queries for any number of reps.

"Credited to the rep" (METRICS.md Roles) = the line's rep, or else the primary owner on the
line's date (joined through the ownership history, no per-line lookups)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from bookwise.accounts.models import Account, OrderLine, Ownership
from bookwise.accounts.selectors import current_q
from bookwise.core.money import MoneyField

from .common import Windows

ZERO = Decimal("0.00")
# index 0 = cur window, 1 = prev, 2 = prev2
WINDOW_KEYS = ("cur", "prev", "prev2")


@dataclass
class AccountSums:
    rev: list[Decimal] = field(default_factory=lambda: [ZERO, ZERO, ZERO])
    gp: list[Decimal] = field(default_factory=lambda: [ZERO, ZERO, ZERO])


@dataclass
class Facts:
    windows: Windows
    owners: dict[date, dict[int, int]]  # day -> account id -> primary owner rep id
    sums: dict[int, AccountSums]
    credited: dict[int, list[int]]  # rep id -> [lines in cur, lines in prev]
    new_accounts: dict[int, tuple[date, int | None]]  # account id -> (first line date, credited rep)

    _books: dict[date, dict[int, list[int]]] = field(default_factory=dict)

    def book(self, day: date, rep_ids: set[int]) -> list[int]:
        """Accounts the reps held as primary owner on `day` (an inverted index, built once)."""
        by_rep = self._books.get(day)
        if by_rep is None:
            by_rep = defaultdict(list)
            for account, rep in self.owners[day].items():
                by_rep[rep].append(account)
            self._books[day] = by_rep
        return [a for r in rep_ids for a in by_rep.get(r, ())]

    def account(self, account_id: int) -> AccountSums:
        return self.sums.get(account_id) or AccountSums()


def owner_maps(days: Iterable[date], rep_ids: set[int] | None) -> dict[date, dict[int, int]]:
    maps: dict[date, dict[int, int]] = {}
    for day in days:
        qs = Ownership.objects.filter(current_q(day), role="primary")
        if rep_ids is not None:
            qs = qs.filter(rep_id__in=rep_ids)
        maps[day] = dict(qs.values_list("account_id", "rep_id"))
    return maps


def window_bucket(w: Windows) -> Case:
    """0 for the cur window, 1 for prev, 2 for prev2 (lines are pre-filtered to the three)."""
    return Case(
        When(order_date__gte=w.cur.start, then=Value(0)),
        When(order_date__gte=w.prev.start, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def account_sums(w: Windows, account_ids: set[int] | None) -> dict[int, AccountSums]:
    """Revenue and gross profit per account in the three windows: one pass over the lines,
    grouped by account and window (cheaper than one conditional sum per window)."""
    qs = OrderLine.objects.filter(order_date__range=(w.prev2.start, w.day))
    if account_ids is not None:
        qs = qs.filter(account_id__in=account_ids)
    rows = (
        qs.order_by()
        .annotate(bucket=window_bucket(w))
        .values("account_id", "bucket")
        .annotate(
            rev=Sum("amount", output_field=MoneyField()), gp=Sum("gross_profit", output_field=MoneyField())
        )
    )
    sums: dict[int, AccountSums] = {}
    for row in rows:
        entry = sums.get(row["account_id"]) or sums.setdefault(row["account_id"], AccountSums())
        entry.rev[row["bucket"]] = row["rev"] or ZERO
        entry.gp[row["bucket"]] = row["gp"] or ZERO
    return sums


def _count_case(period) -> Count:
    return Count(
        Case(When(order_date__range=(period.start, period.end), then=1), output_field=IntegerField())
    )


def credited_counts(w: Windows, rep_ids: set[int] | None) -> dict[int, list[int]]:
    """Order lines credited to each rep in the cur and prev windows (two grouped queries)."""
    span = Q(order_date__range=(w.prev.start, w.day))
    counts = {"c0": _count_case(w.cur), "c1": _count_case(w.prev)}
    in_force = (
        Q(rep_id__isnull=True)
        & Q(account__ownerships__role="primary")
        & Q(account__ownerships__start_date__lte=F("order_date"))
        & (
            Q(account__ownerships__end_date__isnull=True)
            | Q(account__ownerships__end_date__gte=F("order_date"))
        )
    )
    direct = OrderLine.objects.filter(span, rep_id__isnull=False)
    if rep_ids is not None:
        direct = direct.filter(rep_id__in=rep_ids)
        # one filter() call, so the rep condition applies to the same (in-force) ownership row
        in_force &= Q(account__ownerships__rep_id__in=rep_ids)
    owned = OrderLine.objects.filter(span, in_force)
    result: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for key, qs in (("rep_id", direct), ("account__ownerships__rep_id", owned)):
        for row in qs.order_by().values(key).annotate(**counts):
            result[row[key]][0] += row["c0"]
            result[row[key]][1] += row["c1"]
    return dict(result)


def new_account_firsts(w: Windows, candidates: set[int] | None) -> dict[int, tuple[date, int | None]]:
    """Accounts whose first order line ever is in prev or cur, with the rep it is credited to.
    The first line is the earliest by date, then by order id."""
    first_line = OrderLine.objects.filter(account=OuterRef("pk")).order_by("order_date", "external_id")
    owner = Ownership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("first_date")),
        account=OuterRef("pk"),
        role="primary",
        start_date__lte=OuterRef("first_date"),
    )
    lines = OrderLine.objects.filter(account=OuterRef("pk"))
    # first line in [prev.start, d] <=> no line before prev.start and some line up to d
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


def _candidates(rep_ids: set[int]) -> set[int]:
    owned = Ownership.objects.filter(rep_id__in=rep_ids).values_list("account_id", flat=True)
    credited = OrderLine.objects.filter(rep_id__in=rep_ids).values_list("account_id", flat=True).distinct()
    return set(owned) | set(credited)


def collect_facts(w: Windows, rep_ids: set[int] | None = None) -> Facts:
    """Everything the scorecards of `rep_ids` (None = every rep) need, in about eight queries."""
    days = (w.day, w.prev.end, w.cur.start, w.prev.start)
    owners = owner_maps(days, rep_ids)
    candidates = None if rep_ids is None else _candidates(rep_ids)
    firsts = new_account_firsts(w, candidates)
    accounts = None
    if rep_ids is not None:
        accounts = {a for m in owners.values() for a in m} | set(firsts)
    return Facts(
        windows=w,
        owners=owners,
        sums=account_sums(w, accounts),
        credited=credited_counts(w, rep_ids),
        new_accounts=firsts,
    )
