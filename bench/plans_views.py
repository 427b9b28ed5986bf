"""Speed of the plan coverage and overdue-review views (issue #6: < 300 ms over 50,000
accounts and 5,000 plans).

    python bench/datagen.py --database-url URL --accounts 50000 --lines 1000000 --reps 1000
    python bench/plans_views.py --database-url URL [--plans 5000] [--day 2026-06-15] [--repeat 5]

Adds the plans once (approved plans for the year of --day, 0-4 reviews each, two objectives,
500 manager marks) with bulk inserts, then times each view as median / best of --repeat runs:
the selectors org-wide (the CLI's view) and for one sales manager, and the two pages rendered
through the test client for a director (the whole book) and that manager."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datagen import setup_django  # noqa: E402


def seed_plans(n_plans: int, day: date) -> None:
    from bookwise.accounts.models import Ownership
    from bookwise.accounts.selectors import current_q
    from bookwise.plans.models import AccountPlan, PlanMark, PlanObjective, PlanReview

    if AccountPlan.objects.exists():
        return
    owned = list(
        Ownership.objects.filter(current_q(day), role="primary", account__status="active")
        .order_by("account_id")
        .values_list("account_id", flat=True)
    )
    step = max(1, len(owned) // n_plans)
    chosen = owned[::step][:n_plans]
    plans = []
    for i, account_id in enumerate(chosen):
        approved = date(day.year, 1, 1) + timedelta(days=(i * 7) % 120)
        plans.append(
            AccountPlan(
                account_id=account_id, year=day.year, status="approved", version=1,
                cadence="monthly" if i % 3 == 0 else "quarterly", situation="Bench plan",
                revenue_target=100000 + (i % 50) * 1000, first_approved_on=approved, approved_on=approved,
            )
        )  # fmt: skip
    AccountPlan.objects.bulk_create(plans, batch_size=2000)
    plans = list(AccountPlan.objects.order_by("id"))
    PlanObjective.objects.bulk_create(
        [
            PlanObjective(plan=p, description=f"Objective {k}", kind="revenue", target="100000",
                          status="done" if (p.pk + k) % 4 == 0 else "open")
            for p in plans for k in range(2)
        ],
        batch_size=5000,
    )  # fmt: skip
    reviews = []
    for p in plans:
        for n in range(1, p.pk % 5):
            due = p.first_approved_on + timedelta(days=30 * n)
            reviews.append(
                PlanReview(plan=p, number=n, due_date=due, review_date=due, revenue_to_date=0, notes="")
            )
    PlanReview.objects.bulk_create(reviews, batch_size=5000)
    marks = [PlanMark(account_id=a) for a in owned[1::97][:500] if a not in set(chosen)]
    PlanMark.objects.bulk_create(marks, batch_size=2000)


def timed(label: str, fn, repeat: int) -> None:
    """Wall-clock median and best, and the median CPU time of this process (less sensitive
    to other jobs on a shared machine; the database's own work is in it for SQLite only)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    median, best, cpu = statistics.median(walls), min(walls), statistics.median(cpus)
    print(f"{label:<58} wall median {median:7.1f} ms  best {best:7.1f} ms  cpu {cpu:7.1f} ms")


def manager_with_biggest_team():
    from django.db.models import Count

    from bookwise.people.models import Rep

    return (
        Rep.objects.filter(role="sales_manager", user__isnull=False)
        .annotate(n=Count("reports"))
        .order_by("-n")
        .first()
    )


def run(day: date, repeat: int) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bookwise.accounts.models import Account
    from bookwise.plans.coverage import (
        coverage_facts,
        coverage_groups,
        coverage_rows,
        describe,
        lacking,
        totals,
    )
    from bookwise.plans.models import AccountPlan
    from bookwise.plans.selectors import overdue_reviews, tier_map

    counts = f"{Account.objects.count()} accounts, {AccountPlan.objects.count()} plans"
    print(f"database {connection.vendor}; {counts}")
    tiers = tier_map(day=day)

    def coverage_view(user):
        facts = coverage_facts(user=user, day=day, tiers=tiers)
        return coverage_groups(facts, "rep"), totals(facts), describe(lacking(facts)[:50])

    manager = manager_with_biggest_team()
    user = manager.user
    timed("tiers: retention account_tiers (whole book)", lambda: tier_map(day=day), repeat)
    timed("coverage view data, org-wide, tiers given", lambda: coverage_view(None), repeat)
    timed(
        f"coverage view data, manager {manager.external_id}, tiers given", lambda: coverage_view(user), repeat
    )
    timed(
        "coverage rows for the CLI, org-wide, tiers given",
        lambda: coverage_rows(user=None, day=day, tiers=tiers),
        repeat,
    )
    timed("overdue reviews, org-wide", lambda: overdue_reviews(day=day), repeat)
    timed(
        f"overdue reviews, manager {manager.external_id}", lambda: overdue_reviews(day=day, user=user), repeat
    )
    director = get_user_model().objects.filter(rep__role="director").first()
    pages(day, repeat, {"director": director, "manager": user}, "")
    settings.BOOKWISE["plan_tier_cache_seconds"] = 300
    pages(day, repeat, {"director": director, "manager": user}, ", tier memo on (warm)")


def pages(day: date, repeat: int, users: dict, note: str) -> None:
    from django.test import Client

    for who, account in users.items():
        client = Client()
        client.force_login(account)
        for page in ("coverage", "overdue"):
            url = f"/plans/{page}/?date={day.isoformat()}"
            client.get(url)
            timed(f"page /plans/{page}/ as {who}{note}", lambda c=client, u=url: c.get(u).content, repeat)  # noqa: B023


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--day", default="2026-06-15")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django(args.database_url)
    day = date.fromisoformat(args.day)
    seed_plans(args.plans, day)
    from bookwise.retention import rollup

    if not rollup.is_fresh():  # the retention app's monthly sums, as a deployment keeps them
        rollup.refresh()
    run(day, args.repeat)


if __name__ == "__main__":
    main()
