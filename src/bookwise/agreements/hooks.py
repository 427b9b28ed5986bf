"""What agreements hand to lower apps' pages from `AgreementsConfig.ready()`: the home-page
panel (coverage and renewals due), the account page's agreements panel and the at-risk
reason (an agreement lapsed while revenue falls)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from bookwise.accounts.models import Account
from bookwise.core.money import display_money
from bookwise.core.panels import ACCOUNT, register_panel
from bookwise.people.selectors import scope_for
from bookwise.retention.risk_reasons import provide_risk_reasons

from .coverage import contract_coverage
from .risk import lapsed_while_falling
from .selectors import account_agreements, renewal_pipeline

SHOWN = 6


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Contract coverage of the user's scope and the agreements ending in the next 90 days."""
    scope = scope_for(request.user)
    if not scope.everything and not scope.rep_ids:
        return None
    day = timezone.localdate()
    coverage = contract_coverage(scope, day)
    due = renewal_pipeline(user=request.user, day=day, days=90)
    share = coverage.share
    title = "Contract coverage " + (f"{share * 100:.1f} %" if share is not None else "(no revenue)")
    items: list[tuple[str, str | None]] = [
        (f"{display_money(coverage.contracted)} of {display_money(coverage.revenue)} revenue "
         "(last 12 months) runs under an agreement in force", reverse("agreements:coverage")),
    ]  # fmt: skip
    items += [
        (f"{r.agreement.account.name}: {r.agreement.external_id} ends {r.agreement.end_date:%Y-%m-%d} "
         f"({r.days_left} days)", reverse("agreements:detail", args=[r.agreement.external_id]))
        for r in due[:SHOWN]
    ]  # fmt: skip
    return {"title": title, "url": reverse("agreements:renewals"), "items": items, "empty": ""}


def account_panel(request: HttpRequest, *, account: Account, day: date) -> dict[str, Any]:
    return {"account": account, "rows": account_agreements(account=account, day=day)}


def _risk_reasons(day: date, scope: Any) -> dict[int, str]:
    return lapsed_while_falling(day, scope)


def register() -> None:
    register_panel("agreements", "dashboard/_panel.html", home_panel, order=30)
    register_panel("agreements", "agreements/_account_panel.html", account_panel, order=15, slot=ACCOUNT)
    provide_risk_reasons("agreements", _risk_reasons)
