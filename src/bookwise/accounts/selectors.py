"""Reads of the book of business, scoped to what the acting user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
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
    held = Ownership.objects.filter(
        current_q(day or today()), account=OuterRef("pk"), rep_id__in=scope.rep_ids
    )
    return qs.filter(Exists(held))


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


def owner_on(account: Account | int, day: date, role: str = "primary") -> Rep | None:
    """Who owned `account` (in `role`) on `day`, from the ownership history."""
    account_id = account if isinstance(account, int) else account.pk
    assignment = (
        Ownership.objects.filter(current_q(day), account_id=account_id, role=role)
        .select_related("rep")
        .first()
    )
    return assignment.rep if assignment else None


def ownership_history(*, account: Account) -> QuerySet[Ownership]:
    return account.ownerships.select_related("rep").order_by("-start_date", "role")


def monthly_revenue(*, account: Account) -> list[tuple[date, Any]]:
    """(first of month, revenue) for every month the account ordered in."""
    rows = (
        OrderLine.objects.filter(account=account)
        .annotate(month=TruncMonth("order_date"))
        .values("month")
        .annotate(revenue=Sum("amount"))
        .order_by("month")
    )
    return [(row["month"], row["revenue"]) for row in rows]


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
