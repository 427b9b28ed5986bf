"""Customer rebate reads: an account's year-to-date status and the year-end list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from bookwise.accounts.models import Account, OrderLine
from bookwise.core.money import MoneyField

from .compute import rules
from .models import RebateProgramme

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AccountRebate:
    programme: str
    year: int
    revenue: Decimal
    tier: Decimal | None  # the reached tier's `from`
    rate: Decimal
    accrual: Decimal
    next_tier: Decimal | None
    next_rate: Decimal | None
    needed: Decimal | None


def programme_tiers(programme: RebateProgramme) -> list[rules.RebateTier]:
    return [rules.RebateTier(Decimal(t["from"]), Decimal(t["rate"])) for t in programme.tiers]


def _status(programme: RebateProgramme, revenue: Decimal) -> AccountRebate:
    s = rules.rebate_status(programme_tiers(programme), revenue)
    return AccountRebate(
        programme=programme.name,
        year=programme.year,
        revenue=revenue,
        tier=s.tier.start if s.tier else None,
        rate=s.tier.rate if s.tier else Decimal(0),
        accrual=s.rebate,
        next_tier=s.next_tier.start if s.next_tier else None,
        next_rate=s.next_tier.rate if s.next_tier else None,
        needed=s.needed,
    )


def account_rebate_status(*, account: Account, day: date) -> AccountRebate | None:
    """Year to date at `day` under the year's programme (the newest one when several):
    revenue, tier reached, accrual (rate x revenue so far), next tier and what it needs."""
    programme = RebateProgramme.objects.filter(year=day.year).order_by("-updated_at", "-id").first()
    if programme is None:
        return None
    revenue = OrderLine.objects.filter(
        account=account, order_date__gte=date(day.year, 1, 1), order_date__lte=day
    ).aggregate(total=Sum("amount", output_field=MoneyField()))["total"]
    return _status(programme, revenue or ZERO)


def rebate_report(*, year: int, accounts: QuerySet[Account] | None = None) -> list[dict[str, Any]]:
    """One row per programme of the year and account that ordered in it, by account id.
    `accounts` (a queryset) limits the list to what a user may see."""
    programmes = list(RebateProgramme.objects.filter(year=year).order_by("name"))
    if not programmes:
        return []
    lines = OrderLine.objects.filter(order_date__year=year)
    if accounts is not None:
        lines = lines.filter(account__in=accounts)
    totals = (
        lines.values_list("account__external_id", "account__name")
        .annotate(revenue=Sum("amount", output_field=MoneyField()))
        .order_by("account__external_id")
    )
    rows = []
    for programme in programmes:
        for account_id, name, revenue in totals:
            s = _status(programme, revenue)
            rows.append(
                {"account_id": account_id, "name": name, "year": year, "programme": programme.name,
                 "revenue": revenue, "tier": s.tier, "rate": s.rate, "rebate": s.accrual}
            )  # fmt: skip
    return rows
