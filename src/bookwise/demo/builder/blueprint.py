"""The demo company as plain data, specified in memory before anything touches the database
(a spec per rep, account, ownership, order, opportunity and activity: not "plans", a word
Bookwise keeps for account plans, reassignment plans, commission plans and rebalance proposals).

Ids are external ids throughout; `store` maps them to rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(slots=True)
class RepSpec:
    external_id: str
    name: str
    role: str
    manager: str | None
    territory: str | None
    hire_date: date
    end_date: date | None = None
    capacity: int = 100
    communication: int = 3
    flexibility: int = 3
    long_hours: bool = False

    @property
    def username(self) -> str:
        return self.external_id.lower()

    def employed_on(self, day: date) -> bool:
        return self.hire_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(slots=True)
class OwnershipSpec:
    rep: str
    role: str
    start: date
    end: date | None
    reason: str


@dataclass(slots=True)
class AccountSpec:
    external_id: str
    name: str
    industry: str
    territory: str
    created: date
    annual: float  # yearly revenue at the start of the history (before growth)
    growth: float  # yearly growth rate
    lines: list[str]
    parent: str | None = None
    potential: Decimal | None = None
    status: str = "active"
    lost_date: date | None = None
    lost_reason: str = ""
    churn: date | None = None  # last day the account orders (None = still buying)
    hunter: str | None = None  # the hunter who won it, for accounts won during the history
    contract_from: date | None = None  # blanket agreement signed: releases from this day
    ownerships: list[OwnershipSpec] = field(default_factory=list)

    def primary_on(self, day: date) -> str | None:
        for own in self.ownerships:
            if own.role == "primary" and own.start <= day and (own.end is None or day <= own.end):
                return own.rep
        return None

    def open_primary(self) -> str | None:
        return next((o.rep for o in self.ownerships if o.role == "primary" and o.end is None), None)


@dataclass(slots=True)
class OrderSpec:
    external_id: str
    account: str
    day: date
    amount: Decimal
    gross_profit: Decimal
    product_line: str
    rep: str | None
    kind: str


@dataclass(slots=True)
class OpportunitySpec:
    external_id: str
    account: str
    rep: str | None
    name: str
    stage: str
    amount: Decimal
    expected_close: date
    closed: date | None


@dataclass(slots=True)
class ActivitySpec:
    rep: str
    day: date
    hours: Decimal
    kind: str
    account: str | None


@dataclass
class Book:
    today: date
    history_start: date
    reps: list[RepSpec] = field(default_factory=list)
    accounts: list[AccountSpec] = field(default_factory=list)
    orders: list[OrderSpec] = field(default_factory=list)
    opportunities: list[OpportunitySpec] = field(default_factory=list)
    activities: list[ActivitySpec] = field(default_factory=list)
    story: list[tuple[str, str]] = field(default_factory=list)

    def rep(self, external_id: str) -> RepSpec:
        return next(r for r in self.reps if r.external_id == external_id)
