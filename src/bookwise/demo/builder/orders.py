"""Three-plus years of monthly order lines: growth, decline, churn, new wins credited to
hunters, blanket-order contract releases and the odd credit note."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from bookwise.core.dates import add_months
from bookwise.core.money import CENT

from .blueprint import AccountSpec, OrderSpec

CREDIT_NOTE_RATE = 0.025
RELEASE_RATE = 0.7  # lines of a contract account that are releases against the agreement
SEASON = (0.85, 0.95, 1.05, 1.0, 1.0, 1.05, 0.9, 0.8, 1.1, 1.1, 1.1, 0.95)


def _months(first: date, today: date) -> Iterator[date]:
    month = first.replace(day=1)
    while month <= today:
        yield month
        month = add_months(month, 1)


def _level(account: AccountSpec, day: date, start: date) -> float:
    """Expected monthly revenue on `day`: trend, season, and the slide before churn."""
    years = (day - max(start, account.created)).days / 365.25
    level = account.annual / 12 * (1 + account.growth) ** years * SEASON[day.month - 1]
    if account.churn is not None:
        months_left = (account.churn - day).days / 30.4
        level *= min(1.0, max(0.25, months_left / 6))
    return level


def _shape(account: AccountSpec) -> tuple[float, int]:
    """Probability of ordering in a month, and order lines per ordering month."""
    p_order = 0.7 if account.annual < 15000 else 0.95
    lines = 1 + min(3, int(math.log10(account.annual / 5000))) if account.annual > 5000 else 1
    return p_order, lines


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


class OrderWriter:
    """Numbers the order lines (SO-0000001 ...) in generation order."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today, self.count = rng, today, 0
        self.lines: list[OrderSpec] = []

    def add(self, account: AccountSpec, day: date, amount: Decimal, line: str, kind: str, rep: str | None):
        self.count += 1
        margin = self.rng.uniform(0.20, 0.40)
        gp = _money(float(amount) * margin)
        self.lines.append(
            OrderSpec(f"SO-{self.count:07d}", account.external_id, day, amount, gp, line, rep, kind)
        )
        if self.rng.random() < CREDIT_NOTE_RATE:
            self._credit_note(account, day, amount, gp, line)

    def _credit_note(self, account: AccountSpec, day: date, amount: Decimal, gp: Decimal, line: str) -> None:
        share = Decimal(str(round(self.rng.uniform(0.1, 0.6), 2)))
        when = min(self.today, day + timedelta(days=self.rng.randint(3, 20)))
        self.count += 1
        self.lines.append(
            OrderSpec(
                f"SO-{self.count:07d}",
                account.external_id,
                when,
                -(amount * share).quantize(CENT),
                -(gp * share).quantize(CENT),
                line,
                account.primary_on(when),
                "repeat",
            )
        )


def _kind(rng: random.Random, account: AccountSpec, day: date) -> str:
    if account.contract_from is not None and day >= account.contract_from and rng.random() < RELEASE_RATE:
        return "contract_release"
    return "repeat"


def _account_orders(writer: OrderWriter, account: AccountSpec, start: date) -> None:
    rng, today = writer.rng, writer.today
    p_order, per_month = _shape(account)
    first = account.hunter is not None
    for month in _months(max(start, account.created), today):
        if account.churn is not None and month > account.churn:
            return
        if not first and rng.random() > p_order:
            continue
        total = _level(account, month, start) * rng.uniform(0.7, 1.3) / p_order
        weights = [rng.random() + 0.2 for _ in range(per_month)]
        for weight in weights:
            day = month.replace(day=rng.randint(1, 28))
            if first:
                day, first = account.created, False
                writer.add(
                    account, day, _money(max(50.0, total * 0.6)), account.lines[0], "new", account.hunter
                )
                continue
            if day > today or day < account.created or (account.churn and day > account.churn):
                continue
            amount = _money(max(10.0, total * weight / sum(weights)))
            writer.add(
                account,
                day,
                amount,
                rng.choice(account.lines),
                _kind(rng, account, day),
                account.primary_on(day),
            )


def plan_orders(rng: random.Random, accounts: list[AccountSpec], start: date, today: date) -> list[OrderSpec]:
    writer = OrderWriter(rng, today)
    for account in accounts:
        _account_orders(writer, account, start)
    return writer.lines
