"""Opportunities (open pipeline and a year of won/lost deals) and a year of time entries."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from bookwise.core.money import CENT

from .blueprint import AccountSpec, ActivitySpec, OpportunitySpec, RepSpec

OPEN_SHARE = 0.12
CLOSED_SHARE = 0.10
DEAL_WORDS = ["Annual supply", "Framework renewal", "Site roll-out", "Range extension", "Trial order"]
# share of a working day per activity kind
PROFILES = {
    "hunter": {
        "prospecting": 0.45,
        "new_business_meeting": 0.25,
        "account_nurturing": 0.10,
        "admin": 0.15,
        "training": 0.05,
    },
    "account_manager": {
        "prospecting": 0.06,
        "new_business_meeting": 0.04,
        "account_nurturing": 0.58,
        "admin": 0.25,
        "training": 0.07,
    },
}
QUARTER_HOUR = Decimal("0.25")


def _deal(rng: random.Random, account: AccountSpec, number: int, rep: str | None, stage: str, today: date):
    amount = Decimal(max(500, round(account.annual * rng.uniform(0.05, 0.4), -1))).quantize(CENT)
    name = f"{rng.choice(DEAL_WORDS)} - {rng.choice(account.lines)}"
    if stage in ("won", "lost"):
        closed = today - timedelta(days=rng.randint(5, 360))
        expected = closed + timedelta(days=rng.randint(-30, 30))
        return OpportunitySpec(
            f"OP-{number:05d}", account.external_id, rep, name, stage, amount, expected, closed
        )
    expected = today + timedelta(days=rng.randint(-40, 10) if rng.random() < 0.1 else rng.randint(7, 180))
    return OpportunitySpec(f"OP-{number:05d}", account.external_id, rep, name, stage, amount, expected, None)


def plan_opportunities(rng: random.Random, accounts: list[AccountSpec], today: date) -> list[OpportunitySpec]:
    deals: list[OpportunitySpec] = []
    for account in accounts:
        if account.churn is not None or account.status == "lost":
            continue
        owner = account.open_primary()
        if rng.random() < OPEN_SHARE:
            stage = rng.choices(["prospecting", "engaging", "proposal"], weights=[4, 3, 3])[0]
            deals.append(_deal(rng, account, len(deals) + 1, owner, stage, today))
        if rng.random() < CLOSED_SHARE:
            stage = "won" if rng.random() < 0.6 else "lost"
            deals.append(_deal(rng, account, len(deals) + 1, owner, stage, today))
    return deals


def _working_days(rng: random.Random, rep: RepSpec, today: date, days: int) -> list[date]:
    first = today - timedelta(days=days - 1)
    holidays = {rng.randint(0, days // 7) for _ in range(2)}
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day.weekday() < 5 and rep.employed_on(day) and (offset // 7) not in holidays:
            result.append(day)
    return result


Holdings = list[tuple[str, date, date]]  # (account, first day, last day) a rep owned it as primary


def _owned_on(holdings: Holdings, day: date) -> list[str]:
    return [account for account, first, last in holdings if first <= day <= last]


def _day_entries(rng: random.Random, rep: RepSpec, day: date, holdings: Holdings) -> list[ActivitySpec]:
    hours = rng.uniform(10.5, 12.0) if rep.long_hours else rng.uniform(7.0, 9.5)
    entries = []
    for kind, share in PROFILES[rep.role].items():
        value = (Decimal(str(hours * share * rng.uniform(0.6, 1.4))) / QUARTER_HOUR).quantize(Decimal(1))
        value *= QUARTER_HOUR
        if value >= Decimal("0.5"):
            owned = _owned_on(holdings, day) if kind == "account_nurturing" else []
            account = rng.choice(owned) if owned else None
            entries.append(ActivitySpec(rep.external_id, day, value.quantize(CENT), kind, account))
    return entries


def _holdings(accounts: list[AccountSpec], today: date) -> dict[str, Holdings]:
    """Per rep, the accounts they owned as primary and when (while the account was active)."""
    held: dict[str, Holdings] = {}
    for account in accounts:
        for own in account.ownerships:
            last = min(own.end or today, account.lost_date or today, account.churn or today)
            if own.role == "primary" and own.start <= last:
                held.setdefault(own.rep, []).append((account.external_id, own.start, last))
    return held


def plan_activities(
    rng: random.Random, reps: list[RepSpec], accounts: list[AccountSpec], today: date, days: int = 364
) -> list[ActivitySpec]:
    """Time entries over the last `days` days for every hunter and account manager; the
    nurturing entries name an account the rep owned (and that still bought) that day."""
    held = _holdings(accounts, today)
    entries: list[ActivitySpec] = []
    for rep in reps:
        if rep.role not in PROFILES:
            continue
        for day in _working_days(rng, rep, today, days):
            entries.extend(_day_entries(rng, rep, day, held.get(rep.external_id, [])))
    return entries
