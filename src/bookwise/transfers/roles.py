"""Role fit of a recommendation: an account-manager book goes to account managers unless none
fits, and the recommendation says why (docs/transfers.md, "Role fit").

An account is an account-manager book when its current primary owner is an account manager,
or when it has been a customer for more than a year (its first order is more than 365 days
before the day). Otherwise (a new or prospect account) hunters and account managers alike
may take it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Min

from bookwise.accounts.models import Account, OrderLine
from bookwise.people.models import Rep, Role

if TYPE_CHECKING:  # for the annotations only: recommend imports this module
    from .recommend import Context

ESTABLISHED_DAYS = 365


@dataclass
class RoleFit:
    book_role: str  # "account_manager" or "any"
    note: str
    notes: dict[int, str] = field(default_factory=dict)
    refused: dict[int, str] = field(default_factory=dict)


def book_role(account: Account, owner: Rep | None, day: date) -> tuple[str, str]:
    """("account_manager" | "any", why in words)."""
    if owner is not None and owner.role == Role.ACCOUNT_MANAGER:
        return "account_manager", f"held by an account manager ({owner.name})"
    first = OrderLine.objects.filter(account=account, order_date__lte=day).aggregate(m=Min("order_date"))["m"]
    if first is not None and first <= day - timedelta(days=ESTABLISHED_DAYS):
        return "account_manager", f"a customer since {first:%Y-%m-%d}"
    return "any", "a new or prospect account"


def role_filter(account: Account, owner: Rep | None, ctx: Context, room: list[int], day: date) -> RoleFit:
    """Who the role rule keeps among the scored reps (`room`: those with room), with a note each."""
    role, why = book_role(account, owner, day)
    scored = [rid for rid in ctx.reps if rid not in ctx.excluded and (owner is None or rid != owner.pk)]
    label = {rid: ctx.reps[rid].get_role_display().lower() for rid in scored}
    if role == "any":
        return RoleFit(role, f"Any selling role: {why}.", {rid: f"{label[rid]}: {why}" for rid in scored})
    managers = [rid for rid in room if ctx.reps[rid].role == Role.ACCOUNT_MANAGER]
    hunters = [rid for rid in scored if ctx.reps[rid].role == Role.HUNTER]
    if managers:
        notes = {rid: f"account manager for an account-manager book ({why})" for rid in scored}
        refused = {rid: f"a hunter, and this is an account-manager book ({why})" for rid in hunters}
        return RoleFit(role, f"Account managers only: {why}.", notes, refused)
    notes = {rid: f"{label[rid]}: no account manager has room, so hunters are offered" for rid in scored}
    return RoleFit(
        role,
        f"No account manager has room for this account-manager book ({why}): hunters are offered.",
        notes,
    )
