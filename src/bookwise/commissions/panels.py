"""What commissions show on the account page (a lower layer's page): the rebate the customer
is earning this year. Registered in `CommissionsConfig.ready()` (see `bookwise.core.panels`),
so the accounts app never imports commissions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from bookwise.accounts.models import Account
from bookwise.core.panels import ACCOUNT, register_panel

from .selectors import account_rebate_status


def rebate_panel(request: HttpRequest, *, account: Account, day: date) -> dict[str, Any]:
    """Context of `commissions/_rebate_panel.html`: the account's rebate status at `day`."""
    return {"rebate": account_rebate_status(account=account, day=day)}


def register() -> None:
    register_panel("rebate", "commissions/_account_rebate_panel.html", rebate_panel, order=20, slot=ACCOUNT)
