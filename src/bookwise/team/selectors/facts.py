"""Set-based facts behind the scorecards: a handful of grouped queries for any number of reps.

"Credited to the rep" (METRICS.md Roles) = the line's rep, or else the primary owner on the
line's date (joined through the ownership history, no per-line lookups)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from bookwise.accounts.models import Account, OrderLine, Ownership
from bookwise.accounts.selectors import current_q

from .. import rollup
from ..models import LineMonth
from . import rolled
from .common import Windows, gc_paused
from .lines import AccountSums, credited_from, grouped_lines, primary_spans, resolve_credits, sums_from

ZERO = Decimal("0.00")
# index 0 = cur window, 1 = prev, 2 = prev2
WINDOW_KEYS = ("cur", "prev", "prev2")


@dataclass
class Facts:
    windows: Windows
    owners: dict[date, dict[int, int]]  # day -> account id -> primary owner rep id
    sums: dict[int, AccountSums]
    credited: dict[int, list[int]]  # rep id -> [lines in cur, lines in prev]
    new_accounts: dict[int, tuple[date, int | None]]  # account id -> (first line date, credited rep)

    _books: dict[date, dict[int, list[int]]] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # per-rep partial sums, computed once (scorecards)

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


def _candidates(rep_ids: set[int], use_rollup: bool = False) -> set[int]:
    """Accounts the reps ever owned or were credited a line of (from the rollup's rows with a
    rep when it is fresh: a small partial index, where the planner may scan every line)."""
    owned = Ownership.objects.filter(rep_id__in=rep_ids).values_list("account_id", flat=True)
    lines: Any = LineMonth.objects if use_rollup else OrderLine.objects
    credited = (
        lines.filter(rep_id__in=rep_ids, rep__isnull=False).values_list("account_id", flat=True).distinct()
    )
    return set(owned) | set(credited)


def collect_facts(w: Windows, rep_ids: set[int] | None = None, use_rollup: bool | None = None) -> Facts:
    """Everything the scorecards of `rep_ids` (None = every rep) need: ownership on four days,
    new accounts, and per account, window and line rep the sums and line counts: from the
    team rollup when it is fresh (rolled.py), else from the order lines (lines.py). Same
    figures either way; `use_rollup` forces one (None: the rollup when fresh)."""
    with gc_paused():
        return _collect_facts(w, rep_ids, use_rollup)


def _collect_facts(w: Windows, rep_ids: set[int] | None, use_rollup: bool | None) -> Facts:
    if use_rollup is None:
        use_rollup = rollup.is_fresh()
    days = (w.day, w.prev.end, w.cur.start, w.prev.start)
    candidates = None if rep_ids is None else _candidates(rep_ids, use_rollup)
    if use_rollup:
        spans = primary_spans(w.prev.start, w.day, candidates)
        owners = rolled.owners_on(days, spans, rep_ids)
        firsts = rolled.rollup_firsts(w, candidates, spans)
        sums, direct, unassigned = rolled.rollup_sums(
            w, None if candidates is None else candidates | set(firsts)
        )
        credited = resolve_credits(direct, unassigned, w, spans, rolled.rollup_changed_counts)
    else:
        owners = owner_maps(days, rep_ids)
        firsts = new_account_firsts(w, candidates)
        rows = grouped_lines(w, None if candidates is None else candidates | set(firsts))
        sums, credited = sums_from(rows), credited_from(rows, w)
    if rep_ids is not None:
        credited = {r: c for r, c in credited.items() if r in rep_ids}
    return Facts(windows=w, owners=owners, sums=sums, credited=credited, new_accounts=firsts)
