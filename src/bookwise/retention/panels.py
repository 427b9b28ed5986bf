"""What retention shows on the account page (a lower layer's page): the share-of-wallet
panel and the account's tier. Both are handed over in `RetentionConfig.ready()`, so the
accounts app never imports retention (see `bookwise.core.panels`, `bookwise.accounts.tiers`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from bookwise.accounts.models import Account
from bookwise.accounts.tiers import provide_tiers
from bookwise.core.panels import ACCOUNT, register_panel

from .selectors import account_gaps, account_tiers


def gap_panel(request: HttpRequest, *, account: Account, day: date) -> dict[str, Any]:
    """The account's potential, T12M revenue, gap, wallet share and whitespace (None when no
    figures yet: the panel says so)."""
    return {"gap": account_gaps(day=day, account_ids=[account.pk]).get(account.pk), "account": account}


def register() -> None:
    register_panel("gap", "retention/_account_gap_panel.html", gap_panel, order=10, slot=ACCOUNT)
    provide_tiers(account_tiers)
