"""Ownership history: who owned each account when, with the transfers of the story.

Per account and role the intervals never overlap and at most one is open: every new
assignment starts the day after the previous one ends (the `ownership_assign` rule)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bookwise.core.dates import add_months

from .blueprint import AccountSpec, OwnershipSpec, RepSpec
from .catalogue import KEY_ACCOUNT_MANAGERS, PROMOTED_MANAGER, PROMOTION_MONTHS_AGO, TEAMS

REBALANCE_SHARE = 0.06
CO_COVER_SHARE = 0.35  # handoffs where the hunter stays on as secondary owner
CO_COVER_DAYS = 90
KEY_ACCOUNTS = {"SM1": 7, "SM3": 5}
OFFLOADED = 2  # of SM1's key accounts handed to reps five months ago


class Staff:
    """Who could own an account of a territory on a given day."""

    def __init__(self, reps: list[RepSpec], today: date) -> None:
        self.reps = {r.external_id: r for r in reps}
        self.today = today
        self.promotion = add_months(today, -PROMOTION_MONTHS_AGO)
        self.new_hires = {r.external_id for r in reps if r.hire_date > add_months(today, -12)}
        self.ams: dict[str, list[RepSpec]] = {}
        self.hunters: dict[str, list[RepSpec]] = {}
        for rep in reps:
            if rep.territory and rep.role in ("account_manager", "hunter"):
                pool = self.hunters if rep.role == "hunter" else self.ams
                pool.setdefault(rep.territory, []).append(rep)

    def am(self, rng: random.Random, territory: str, day: date, exclude: str | None = None) -> str:
        pool = [r for r in self.ams[territory] if r.employed_on(day) and r.external_id != exclude]
        fresh = [r for r in pool if r.external_id in self.new_hires]
        if fresh and rng.random() < 0.5:
            pool = fresh
        return rng.choice(pool).external_id

    def hunter(self, rng: random.Random, territory: str, day: date) -> str:
        return rng.choice([r for r in self.hunters[territory] if r.employed_on(day)]).external_id

    def forced_move(self, rep_id: str) -> tuple[date, str] | None:
        """The day an owner must hand over (left the company, or promoted), and why."""
        rep = self.reps[rep_id]
        if rep.end_date is not None and rep.end_date < self.today:
            return rep.end_date + timedelta(days=1), "departure"
        if rep_id == PROMOTED_MANAGER:
            return self.promotion, "promotion"
        return None


def _initial(rng: random.Random, account: AccountSpec, staff: Staff, start: date, today: date) -> None:
    if account.hunter is None:
        pool = [r for r in staff.ams[account.territory] if r.employed_on(start)]
        if account.territory == TEAMS[PROMOTED_MANAGER][1][0]:
            pool.append(staff.reps[PROMOTED_MANAGER])
        owner = rng.choice(pool)
        begin = max(account.created, owner.hire_date)
        account.ownerships.append(OwnershipSpec(owner.external_id, "primary", begin, None, "import"))
        return
    hunter = staff.hunter(rng, account.territory, account.created)
    account.hunter = hunter
    account.ownerships.append(OwnershipSpec(hunter, "primary", account.created, None, "import"))
    handoff = account.created + timedelta(days=rng.randint(45, 120))
    if handoff > today:
        return
    _move(account, staff.am(rng, account.territory, handoff), handoff, "hunter_to_am")
    if rng.random() < CO_COVER_SHARE:
        end = handoff + timedelta(days=CO_COVER_DAYS - 1)
        account.ownerships.append(OwnershipSpec(hunter, "secondary", handoff, end, "hunter_to_am"))


def _move(account: AccountSpec, rep: str, day: date, reason: str) -> None:
    current = next(o for o in account.ownerships if o.role == "primary" and o.end is None)
    current.end = day - timedelta(days=1)
    account.ownerships.append(OwnershipSpec(rep, "primary", day, None, reason))


def _walk(rng: random.Random, account: AccountSpec, staff: Staff, today: date, events: list[date]) -> None:
    """Apply departures, the promotion and rebalancing in date order."""
    while True:
        current = next(o for o in account.ownerships if o.role == "primary" and o.end is None)
        forced = staff.forced_move(current.rep)
        pending = sorted(d for d in events if d > current.start)
        candidates = ([forced] if forced and forced[0] > current.start else []) + [
            (d, "rebalance") for d in pending[:1]
        ]
        if not candidates:
            return
        day, reason = min(candidates)
        if day > today:
            return
        if reason == "rebalance":
            events.remove(day)
        _move(account, staff.am(rng, account.territory, day, exclude=current.rep), day, reason)


def _key_accounts(accounts: list[AccountSpec]) -> dict[str, str]:
    """The biggest steady accounts of SM1's and SM3's territories stay with the manager."""
    owners: dict[str, str] = {}
    for manager in KEY_ACCOUNT_MANAGERS:
        territories = TEAMS[manager][1]
        steady = [a for a in accounts if a.territory in territories and a.hunter is None and a.churn is None]
        steady = [a for a in steady if a.status == "active" and a.growth > -0.1]
        for account in sorted(steady, key=lambda a: -a.annual)[: KEY_ACCOUNTS[manager]]:
            owners[account.external_id] = manager
    return owners


def plan_ownership(
    rng: random.Random, accounts: list[AccountSpec], reps: list[RepSpec], start: date, today: date
) -> None:
    staff = Staff(reps, today)
    keys = _key_accounts(accounts)
    offload_day = add_months(today, -5)
    offloaded = 0
    for account in accounts:
        manager = keys.get(account.external_id)
        if manager:
            begin = max(account.created, staff.reps[manager].hire_date)
            account.ownerships.append(OwnershipSpec(manager, "primary", begin, None, "import"))
            if manager == "SM1" and offloaded < OFFLOADED:
                offloaded += 1
                _move(account, staff.am(rng, account.territory, offload_day), offload_day, "manager_offload")
            continue
        _initial(rng, account, staff, start, today)
        events = []
        if account.churn is None and rng.random() < REBALANCE_SHARE:
            events.append(start + timedelta(days=rng.randint(60, (today - start).days - 10)))
        _walk(rng, account, staff, today, events)
