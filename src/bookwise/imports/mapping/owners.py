"""The rule that derives an account's owner when the source names none (pure, no Django):
`choose_owner(wins, rule)`. docs/imports.md, "Owners derived by a rule", works an example."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .model import OwnershipRule


@dataclass(frozen=True)
class Win:
    """A won opportunity of the account: its rep (external id), amount and close date."""

    rep: str
    amount: Decimal | None
    closed: date | None


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's end)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - February always has 28 days


def window(wins: list[Win], months: int) -> list[Win]:
    """The wins closed in the `months` up to the account's latest won close date (a
    2017 book is judged on 2017, not on the months before today); 0 = every win."""
    dated = [w for w in wins if w.closed is not None]
    if not months or not dated:
        return wins
    latest = max(w.closed for w in dated if w.closed is not None)
    since = months_before(latest, months)
    return [w for w in dated if w.closed is not None and w.closed > since]


def choose_owner(wins: list[Win], rule: OwnershipRule) -> str | None:
    """The rep with the most won revenue (`most_won_revenue`) or the most won deals
    (`most_won_deals`) in the window; ties go to the other measure, then the rep id."""
    revenue: dict[str, Decimal] = {}
    deals: dict[str, int] = {}
    for win in window(wins, rule.months):
        revenue[win.rep] = revenue.get(win.rep, Decimal(0)) + (win.amount or Decimal(0))
        deals[win.rep] = deals.get(win.rep, 0) + 1
    if not deals:
        return None
    if rule.rule == "most_won_deals":
        return min(deals, key=lambda rep: (-deals[rep], -revenue[rep], rep))
    return min(deals, key=lambda rep: (-revenue[rep], -deals[rep], rep))


def first_win(wins: list[Win]) -> date | None:
    days = [w.closed for w in wins if w.closed is not None]
    return min(days) if days else None
