"""Accounts API: the accounts the caller may see, one account, its order lines and its
ownership history. Ids are external ids; an account the caller may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from bookwise.core.errors import RuleViolation
from bookwise.people.models import Territory
from bookwise.people.selectors import rep_list

from .models import Account
from .schemas import (
    AccountListFilters,
    AccountOut,
    AccountPage,
    OrderFilters,
    OrderPage,
    OwnershipOut,
    money_or_none,
)
from .selectors import (
    AccountFilters,
    account_get,
    account_list,
    account_order_lines,
    current_owners,
    order_accounts,
    ownership_history,
    today,
)

router = Router(tags=["accounts"])
NOTHING = -1  # a filter value that matches no row (unknown territory or rep)


def account_out(account: Account, owners: dict[str, Any]) -> dict[str, Any]:
    territory = account.territory
    primary, secondary = owners.get("primary"), owners.get("secondary")
    lost = account.status == "lost"
    return {
        "account_id": account.external_id,
        "name": account.name,
        "industry": account.industry,
        "territory": territory.name if territory else None,
        "region": territory.region.name if territory and territory.region else None,
        "parent_id": account.parent.external_id if account.parent else None,
        "potential_revenue": money_or_none(account.potential_revenue),
        "status": account.status,
        "created_date": account.created_date,
        "lost_date": account.lost_date,
        "lost_reason": (account.lost_reason or None) if lost else None,
        "lost_cause": account.lost_cause,
        "primary_owner_id": primary.external_id if primary else None,
        "secondary_owner_id": secondary.external_id if secondary else None,
    }


def _filters(request: HttpRequest, query: AccountListFilters) -> AccountFilters:
    territory_id = owner_id = None
    if query.territory:
        territory = Territory.objects.filter(name=query.territory).first()
        territory_id = territory.pk if territory else NOTHING
    if query.owner:
        rep = rep_list(user=request.user).filter(external_id=query.owner).first()
        owner_id = rep.pk if rep else NOTHING
    return AccountFilters(
        search=query.search.strip(), territory_id=territory_id, owner_id=owner_id, status=query.status
    )


@router.get("/accounts", response=AccountPage)
def accounts(request: HttpRequest, query: Query[AccountListFilters]) -> dict[str, Any]:
    """The accounts the caller may see (a rep: their own; a manager: their team's; a
    director or admin: all), filtered, sorted and paginated; `count` is the filtered total."""
    qs = order_accounts(account_list(user=request.user, filters=_filters(request, query)), query.sort)
    qs = qs.select_related("territory__region", "parent")
    items = []
    for account in qs[query.offset : query.offset + query.limit]:
        owners = {o.role: o.rep for o in getattr(account, "current_owners", [])}
        items.append(account_out(account, owners))
    return {"count": qs.count(), "limit": query.limit, "offset": query.offset, "items": items}


@router.get("/accounts/{account_id}", response=AccountOut)
def account(request: HttpRequest, account_id: str) -> dict[str, Any]:
    found = account_get(user=request.user, account_id=account_id)
    return account_out(found, current_owners(account=found))


@router.get("/accounts/{account_id}/orders", response=OrderPage)
def account_orders(request: HttpRequest, account_id: str, query: Query[OrderFilters]) -> dict[str, Any]:
    """The account's order lines, newest first, within [start, end] when given."""
    if query.start and query.end and query.start > query.end:
        raise RuleViolation("start must be on or before end.", {"field": "start"})
    found = account_get(user=request.user, account_id=account_id)
    qs = account_order_lines(account=found, start=query.start, end=query.end)
    items = [
        {
            "order_id": line.external_id,
            "date": line.order_date,
            "amount": money_or_none(line.amount),
            "gross_profit": money_or_none(line.gross_profit),
            "product_line": line.product_line,
            "kind": line.kind,
            "rep_id": line.rep.external_id if line.rep else None,
        }
        for line in qs[query.offset : query.offset + query.limit]
    ]
    return {"count": qs.count(), "limit": query.limit, "offset": query.offset, "items": items}


@router.get("/accounts/{account_id}/owners", response=list[OwnershipOut])
def account_owners(request: HttpRequest, account_id: str) -> list[dict[str, Any]]:
    """The account's ownership history, newest first; `current` marks the assignments in force."""
    found = account_get(user=request.user, account_id=account_id)
    day = today()
    return [
        {
            "rep_id": o.rep.external_id,
            "rep_name": o.rep.name,
            "role": o.role,
            "start_date": o.start_date,
            "end_date": o.end_date,
            "reason": o.reason,
            "current": o.start_date <= day and (o.end_date is None or o.end_date >= day),
        }
        for o in ownership_history(account=found)
    ]
