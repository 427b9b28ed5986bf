"""Shared helpers of the feature data: the people of the demo as model objects."""

from __future__ import annotations

from datetime import date

from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.selectors import held_on
from bookwise.people.models import Rep

from ..builder.catalogue import DIRECTOR_ID


def rep(external_id: str) -> Rep:
    return Rep.objects.select_related("user", "manager__user").get(external_id=external_id)


def director() -> Rep:
    return rep(DIRECTOR_ID)


def primary_book(owner: Rep, day: date) -> list[Account]:
    """Active accounts `owner` holds as open primary owner on `day`, by external id."""
    ids = Ownership.objects.filter(
        rep=owner, role="primary", start_date__lte=day, end_date__isnull=True
    ).values_list("account_id", flat=True)
    return list(Account.objects.filter(pk__in=list(ids), status="active").order_by("external_id"))


def primary_owners(account_ids: list[int], day: date) -> dict[int, Rep]:
    """The primary owner of each account on `day` (account pk -> Rep, with user and manager)."""
    rows = held_on(day, account_ids=account_ids).select_related("rep__user", "rep__manager__user")
    return {o.account_id: o.rep for o in rows}
