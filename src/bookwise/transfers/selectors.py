"""Reads of transfers, scoped to the acting user (see permissions.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NotRequired, TypedDict

from django.db.models import Q, QuerySet, Sum

from bookwise.accounts.models import OPEN_STAGES, Account, Opportunity, OrderLine
from bookwise.core.dates import trailing_12_months
from bookwise.core.errors import NotFound
from bookwise.core.money import MoneyField
from bookwise.core.users import Viewer
from bookwise.people.models import Rep
from bookwise.people.selectors import scope_for, subordinate_ids

from .models import OPEN_STATES, HandoffInterview, Transfer
from .permissions import require_read


def _base() -> QuerySet[Transfer]:
    return Transfer.objects.select_related("account", "from_rep", "to_rep", "interview")


def transfer_list(
    *, user: Viewer | None, state: str = "", account: Account | None = None
) -> QuerySet[Transfer]:
    """Transfers the user may read: everything for admins and directors, otherwise those
    whose outgoing or incoming rep is in the user's scope."""
    qs = _base()
    scope = scope_for(user)
    if not scope.everything:
        qs = qs.filter(Q(from_rep_id__in=scope.rep_ids) | Q(to_rep_id__in=scope.rep_ids))
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if account is not None:
        qs = qs.filter(account=account)
    return qs.order_by("-created_at", "-id")


def transfer_get(*, user: Viewer | None, transfer_id: int) -> Transfer:
    transfer = _base().filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound("No such transfer.")
    require_read(user, transfer)
    return transfer


def transfers_waiting_for(*, user: Viewer | None) -> QuerySet[Transfer]:
    """Open transfers that need this user: as incoming or outgoing rep, or as a manager
    above either side (admins: every open transfer; sales ops, who act on none: none)."""
    scope = scope_for(user)
    qs = _base().filter(state__in=OPEN_STATES)
    if scope.admin:
        return qs.order_by("effective_date", "id")
    me = scope.rep
    if me is None:
        return qs.none()
    below = subordinate_ids(me.id)
    mine = Q(to_rep_id=me.id) | Q(from_rep_id=me.id)
    team = Q(to_rep_id__in=below) | Q(from_rep_id__in=below)
    return qs.filter(mine | team).order_by("effective_date", "id")


def latest_handoff_interview(*, account: Account) -> HandoffInterview | None:
    """The most recent handoff interview of the account (any transfer state but cancelled)."""
    return (
        HandoffInterview.objects.filter(account=account)
        .exclude(transfer__state="cancelled")
        .select_related("transfer", "outgoing_rep")
        .order_by("-created_at", "-id")
        .first()
    )


def interview_prefill(*, account: Account, day: date) -> dict[str, str]:
    """Recent sales (T12M by product line) and open opportunities, as editable text."""
    window = trailing_12_months(day)
    lines = (
        OrderLine.objects.filter(account=account, order_date__gte=window.start, order_date__lte=window.end)
        .order_by()
        .values("product_line")
        .annotate(total=Sum("amount", output_field=MoneyField()))
        .order_by("-total")
    )
    sales = [f"- {row['product_line'] or '(no product line)'}: {row['total']:.2f}" for row in lines]
    total = sum((row["total"] for row in lines), start=0)
    head = (
        f"Revenue {window.start}..{window.end}: {total:.2f}" if sales else "No orders in the last 12 months."
    )
    opps = Opportunity.objects.filter(account=account, stage__in=OPEN_STAGES).order_by("expected_close_date")
    deals = [
        f"- {o.name or o.external_id} ({o.stage}, {o.amount or 0:.2f}, close {o.expected_close_date or '?'})"
        for o in opps
    ]
    return {
        "recent_sales": "\n".join([head, *sales]),
        "upcoming_opportunities": "\n".join(deals) if deals else "",
    }


class HeldAccount(TypedDict):
    account: Account
    t12m_revenue: Decimal | int


class ManagerBook(TypedDict):
    """A sales manager or director still primary owner of accounts, and their T12M revenue."""

    rep: Rep
    accounts: list[HeldAccount]
    total: Decimal | int
    can_plan: NotRequired[bool]  # the page's: may the user plan this book


def managers_holding_accounts(*, user: Viewer | None, day: date) -> list[ManagerBook]:
    """Sales managers and directors (in the user's scope) who are still primary owners of
    accounts, with those accounts and their T12M revenue, largest holder first."""
    from bookwise.accounts.selectors import held_on
    from bookwise.people.models import MANAGER_ROLES
    from bookwise.retention.selectors import revenue_between

    scope = scope_for(user)
    held = held_on(day).filter(rep__role__in=MANAGER_ROLES)
    if not scope.everything:
        held = held.filter(rep_id__in=scope.rep_ids)
    rows = list(held.select_related("rep", "account").order_by("rep__name", "account__name"))
    window = trailing_12_months(day)
    revenue = revenue_between(window.start, window.end, [o.account_id for o in rows])
    groups: dict[int, ManagerBook] = {}
    for o in rows:
        row = groups.setdefault(o.rep_id, {"rep": o.rep, "accounts": [], "total": 0})
        amount = revenue.get(o.account_id, 0)
        row["accounts"].append({"account": o.account, "t12m_revenue": amount})
        row["total"] += amount
    return sorted(groups.values(), key=lambda r: (-r["total"], r["rep"].name))
