"""Reasons for the at-risk list that higher apps know (an agreement that lapsed while revenue
falls): each registers a provider from its `AppConfig.ready()`, and `book.at_risk` asks them,
so retention never imports the app that knows.

    provide_risk_reasons("agreements", lambda day, scope: {account_pk: "reason", ...})

A provider is given the day and the accounts in scope (a queryset, or None for every
account) and returns account pk -> the reason in words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet

from bookwise.accounts.models import Account

RiskReasons = Callable[[date, QuerySet[Account] | None], dict[int, str]]

_PROVIDERS: dict[str, RiskReasons] = {}


def provide_risk_reasons(name: str, provider: RiskReasons) -> None:
    """Add (or replace, by name) a provider of at-risk reasons."""
    _PROVIDERS[name] = provider


def extra_reasons(day: date, scope: QuerySet[Account] | None) -> dict[int, list[str]]:
    """account pk -> the providers' reasons, in the providers' name order."""
    found: dict[int, list[str]] = {}
    for name in sorted(_PROVIDERS):
        for pk, reason in _PROVIDERS[name](day, scope).items():
            found.setdefault(pk, []).append(reason)
    return found
