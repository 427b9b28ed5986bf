"""Reads of the book of business, scoped to what the acting user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from bookwise.core.errors import NotFound
from bookwise.people.models import Rep
from bookwise.people.selectors import scope_for

from .models import Account, OrderLine, Ownership


def today() -> date:
    return timezone.localdate()


def current_q(day: date, prefix: str = "") -> Q:
    """Assignments in force on `day`."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def visible_accounts(*, user: Any, day: date | None = None) -> QuerySet[Account]:
    """Accounts the user may see: everything, or those owned or co-owned now by the reps
    in the user's scope (a rep: their own; a manager: their team's, all levels)."""
    scope = scope_for(user)
    qs = Account.objects.all()
    if scope.everything:
        return qs
    if not scope.rep_ids:
        return qs.none()
    held = Ownership.objects.filter(current_q(day or today()), rep_id__in=scope.rep_ids)
    return qs.filter(pk__in=held.values("account_id"))


@dataclass(frozen=True)
class AccountFilters:
    search: str = ""
    territory_id: int | None = None
    owner_id: int | None = None
    status: str = ""
    account_ids: frozenset[int] | None = None


SORTS = {
    "name": "name",
    "-name": "-name",
    "id": "external_id",
    "-id": "-external_id",
    "territory": "territory__name",
    "-territory": "-territory__name",
    "potential": "potential_revenue",
    "-potential": "-potential_revenue",
    "status": "status",
    "-status": "-status",
}


def account_list(
    *, user: Any, filters: AccountFilters | None = None, sort: str = "name"
) -> QuerySet[Account]:
    f = filters or AccountFilters()
    day = today()
    qs = visible_accounts(user=user, day=day).select_related("territory")
    if f.search:
        qs = qs.filter(Q(name__icontains=f.search) | Q(external_id__iexact=f.search))
    if f.territory_id:
        qs = qs.filter(territory_id=f.territory_id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.owner_id:
        owned = Ownership.objects.filter(
            current_q(day), account=OuterRef("pk"), rep_id=f.owner_id, role="primary"
        )
        qs = qs.filter(Exists(owned))
    if f.account_ids is not None:
        qs = qs.filter(id__in=f.account_ids)
    current = Ownership.objects.filter(current_q(day)).select_related("rep")
    qs = qs.prefetch_related(Prefetch("ownerships", queryset=current, to_attr="current_owners"))
    return qs.order_by(SORTS.get(sort, "name"), "id")


def account_get(*, user: Any, account_id: str) -> Account:
    """One account, by its external id, that the user may see; NotFound otherwise (never
    reveals that it exists)."""
    try:
        return (
            visible_accounts(user=user)
            .select_related("territory__region", "parent")
            .get(external_id=account_id)
        )
    except Account.DoesNotExist:
        raise NotFound("No such account.") from None


# --- Who owned an account on a day: the one home of the rule -----------------------------
# An assignment is in force on `day` when start_date <= day and (no end_date or end_date >= day).
# Every app asks here: one account or many, one day (`owners_on`, `held_on`) or a range of days
# (`owner_spans` + `owner_at`).

Span = tuple[date, date | None, int]  # an assignment: start, end (None = open), rep pk


def held_on(
    day: date,
    *,
    role: str | None = "primary",
    account_ids: Iterable[int] | None = None,
    rep_ids: Iterable[int] | None = None,
) -> QuerySet[Ownership]:
    """The assignments in force on `day` (in `role`; None: both roles), optionally only those
    of `account_ids` and of `rep_ids`. A queryset: use it as a subquery or read its values."""
    qs = Ownership.objects.filter(current_q(day))
    if role is not None:
        qs = qs.filter(role=role)
    if account_ids is not None:
        qs = qs.filter(account_id__in=list(account_ids))
    if rep_ids is not None:
        qs = qs.filter(rep_id__in=list(rep_ids))
    return qs


def owners_on(
    day: date,
    account_ids: Iterable[int] | None = None,
    *,
    role: str = "primary",
    rep_ids: Iterable[int] | None = None,
    value: str = "rep_id",
) -> dict[int, Any]:
    """account pk -> its owner (in `role`) on `day`, as `value` of the assignment (the rep pk;
    e.g. "rep__external_id"), for `account_ids` (None: every account) and only owners among
    `rep_ids` when given. Accounts without an owner that day are left out. One query."""
    qs = held_on(day, role=role, account_ids=account_ids, rep_ids=rep_ids)
    return dict(qs.order_by().values_list("account_id", value))


def owner_spans(
    start: date, end: date, account_ids: Iterable[int] | None = None, *, role: str = "primary"
) -> dict[int, list[Span]]:
    """account pk -> its assignments (in `role`) overlapping [start, end]: the range form of
    owners_on, read once and asked many days with `owner_at`. One query."""
    qs = Ownership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), role=role, start_date__lte=end
    )
    if account_ids is not None:
        qs = qs.filter(account_id__in=list(account_ids))
    found: dict[int, list[Span]] = defaultdict(list)
    for account, first, last, rep in qs.order_by().values_list(
        "account_id", "start_date", "end_date", "rep_id"
    ):
        found[account].append((first, last, rep))
    return found


def owner_at(spans: Iterable[Span], day: date) -> int | None:
    """The rep pk in force on `day` among one account's `spans` (from owner_spans), or None."""
    for start, end, rep in spans:
        if start <= day and (end is None or end >= day):
            return rep
    return None


def ownership_history(*, account: Account) -> QuerySet[Ownership]:
    return account.ownerships.select_related("rep").order_by("-start_date", "role")


def book_sizes(*, rep_ids: list[int], day: date | None = None) -> dict[int, dict[str, int]]:
    """rep id -> {"primary": n, "secondary": n} accounts held on `day`."""
    sizes: dict[int, dict[str, int]] = {rid: {"primary": 0, "secondary": 0} for rid in rep_ids}
    rows = (
        Ownership.objects.filter(current_q(day or today()), rep_id__in=rep_ids)
        .values_list("rep_id", "role")
        .annotate(n=Count("id"))
    )
    for rep_id, role, n in rows:
        sizes[rep_id][role] = n
    return sizes


# --- Reads for the account pages and API (web engineer) ---------------------------------


def revenue_by_month(*, account: Account, start: date, end: date) -> dict[date, Any]:
    """first of month -> revenue of order lines dated in [start, end] (months with lines only).

    Summed per order date on the database (integer cents, index range, no per-row date
    function: SQLite runs those in Python), folded into months here."""
    from decimal import Decimal

    from bookwise.core.money import MoneyField

    rows = (
        OrderLine.objects.filter(account=account, order_date__gte=start, order_date__lte=end)
        .order_by()
        .values("order_date")
        .annotate(revenue=Sum("amount", output_field=MoneyField()))
        .values_list("order_date", "revenue")
    )
    months: dict[date, Any] = {}
    for day, revenue in rows:
        month = day.replace(day=1)
        months[month] = months.get(month, Decimal("0.00")) + revenue
    return months


def account_order_lines(
    *, account: Account, start: date | None = None, end: date | None = None
) -> QuerySet[OrderLine]:
    """The account's order lines, newest first, optionally within [start, end]."""
    qs = OrderLine.objects.filter(account=account).select_related("rep")
    if start:
        qs = qs.filter(order_date__gte=start)
    if end:
        qs = qs.filter(order_date__lte=end)
    return qs.order_by("-order_date", "-id")


def open_opportunities(*, account: Account) -> QuerySet[Any]:
    from .models import OPEN_STAGES, Opportunity

    return (
        Opportunity.objects.filter(account=account, stage__in=OPEN_STAGES)
        .select_related("rep")
        .order_by("expected_close_date", "external_id")
    )


def current_owners(*, account: Account, day: date | None = None) -> dict[str, Rep | None]:
    """{"primary": rep or None, "secondary": rep or None} on `day` (one query)."""
    found: dict[str, Rep | None] = {"primary": None, "secondary": None}
    for ownership in Ownership.objects.filter(current_q(day or today()), account=account).select_related(
        "rep"
    ):
        found[ownership.role] = ownership.rep
    return found


def rep_current_accounts(*, rep: Rep, day: date | None = None) -> QuerySet[Ownership]:
    """The rep's assignments in force on `day` (primary and secondary), by account name."""
    return (
        Ownership.objects.filter(current_q(day or today()), rep=rep)
        .select_related("account", "account__territory")
        .order_by("account__name", "account_id", "role")
    )


def order_accounts(qs: QuerySet[Account], sort: str) -> QuerySet[Account]:
    """Sort by one of SORTS with empty values last in both directions (the databases
    disagree on where NULL goes), then by id for a stable page order."""
    from django.db.models import F

    field = SORTS.get(sort, "name")
    expression = F(field.lstrip("-"))
    ordering = expression.desc(nulls_last=True) if field.startswith("-") else expression.asc(nulls_last=True)
    return qs.order_by(ordering, "id")
