"""The demo company: a realistic, deterministic book of business to explore Bookwise.

`build_demo(today=..., scale=...)` plans the whole company in memory from one seeded
random generator (`random.Random(20261)`), with every date anchored on `today`, then writes
it with bulk inserts inside one transaction. Two builds on the same day are identical."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.db import transaction
from tqdm import tqdm

from bookwise.core.dates import add_months

from .accounts import plan_accounts
from .blueprint import Book, RepSpec
from .catalogue import (
    ACCOUNTS_AT_FULL_SCALE,
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    DIRECTOR_ID,
    HISTORY_MONTHS,
    SALES_OPS_NAME,
    SALES_OPS_USERNAME,
    SEED,
)
from .engagement import plan_activities, plan_opportunities
from .lifecycle import book_state, people_in_db, wipe_book
from .orders import plan_orders
from .ownership import plan_ownership
from .people import plan_people
from .store import row_count, store_book
from .workload import size_capacities

__all__ = [
    "DEMO_PASSWORD",
    "DemoLogin",
    "DemoSummary",
    "book_state",
    "build_demo",
    "demo_logins",
    "people_in_db",
    "plan_book",
    "wipe_book",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    who: str
    sees: str


@dataclass
class DemoSummary:
    today: date
    counts: dict[str, int]
    logins: list[DemoLogin]
    story: list[tuple[str, str]] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def plan_book(*, today: date, scale: float = 1.0) -> Book:
    """The whole demo company as plain data (no database)."""
    rng = random.Random(SEED)
    start = add_months(today.replace(day=1), -(HISTORY_MONTHS - 1))
    book = Book(today=today, history_start=start)
    book.reps = plan_people(rng, today)
    n = max(60, round(ACCOUNTS_AT_FULL_SCALE * scale))
    book.accounts, book.story = plan_accounts(rng, n, start, today)
    plan_ownership(rng, book.accounts, book.reps, start, today)
    book.orders = plan_orders(rng, book.accounts, start, today)
    size_capacities(rng, book.reps, book.accounts, book.orders, today)
    book.opportunities = plan_opportunities(rng, book.accounts, today)
    days = 364 if scale >= 0.25 else max(35, round(364 * scale * 2))
    book.activities = plan_activities(rng, book.reps, book.accounts, today, days)
    return book


def demo_logins(people: list[RepSpec], today: date) -> list[DemoLogin]:
    """The logins to print: admin, the director, SM1, one of her reps, the leaving rep, sales ops."""
    reps = {r.external_id: r for r in people}
    team = [r for r in people if r.manager == "SM1" and r.role == "account_manager" and r.end_date is None]
    rep, manager, director = team[0], reps["SM1"], reps[DIRECTOR_ID]
    leaving = next(r for r in people if r.end_date and r.end_date > today)
    size = sum(1 for r in people if r.manager == "SM1")
    return [
        DemoLogin(
            ADMIN_USERNAME, DEMO_PASSWORD, "administrator", "everything, plus the admin site and settings"
        ),
        DemoLogin(director.username, DEMO_PASSWORD, f"{director.name}, sales director", "the whole company"),
        DemoLogin(
            manager.username,
            DEMO_PASSWORD,
            f"{manager.name}, sales manager (North)",
            f"her team of {size} reps, and the key accounts she still owns herself",
        ),
        DemoLogin(
            rep.username, DEMO_PASSWORD, f"{rep.name}, account manager in {manager.name}'s team", "own book"
        ),
        DemoLogin(
            leaving.username,
            DEMO_PASSWORD,
            f"{leaving.name}, account manager leaving on {leaving.end_date}",
            "own book",
        ),
        DemoLogin(
            SALES_OPS_USERNAME,
            DEMO_PASSWORD,
            f"{SALES_OPS_NAME}, sales operations",
            "the whole company; imports, starts commission runs, proposes rebalances",
        ),
    ]


def build_demo(
    *, today: date, scale: float = 1.0, stdout: IO[str] | None = None, features: bool = True
) -> DemoSummary:
    """Plan and write the demo company into an empty book (see `wipe_book`), then the data of
    the features (transfers, plans, team, commissions) through their services."""
    from bookwise.demo.features import build_features, feature_story
    from bookwise.retention.services import revenue_rollup_refresh

    started = time.monotonic()
    book = plan_book(today=today, scale=scale)
    bar = tqdm(total=row_count(book), unit="rows", file=stdout, disable=stdout is None)
    with bar, transaction.atomic():
        store_book(book, bar)
        revenue_rollup_refresh()  # the reports read whole months from the rollup
        extra = build_features(today) if features else {}
    counts = {
        "reps": len(book.reps),
        "accounts": len(book.accounts),
        "ownership": sum(len(a.ownerships) for a in book.accounts),
        "orders": len(book.orders),
        "opportunities": len(book.opportunities),
        "time entries": len(book.activities),
        **extra,
    }
    seconds = time.monotonic() - started
    return DemoSummary(
        today=today,
        counts=counts,
        logins=demo_logins(book.reps, today),
        story=book.story,
        pages=feature_story(today) if features else [],
        seconds=seconds,
    )
