"""Benchmark: recipient recommendation for one account among 500 reps (p50/p95 latency).

Builds its own database (SQLite file by default, or BENCH_DATABASE_URL, e.g.
postgresql://postgres@127.0.0.1:5432/bench_transfers, created beforehand) with bulk inserts:
500 reps (hunters and account managers) in 20 territories, 20 accounts each (10,000 accounts)
with 8 order lines each over 24 months (80,000 lines), refreshes the revenue rollup as an
orders import does (`--stale`: not, so the first reader brings it up to date), then times
`recommend` (as an admin, so all 500 reps are candidates): the first call (cold: the rep
facts computed after the data change), then `--runs` accounts (warm).

Run: .venv/bin/python bench/transfers_recommend.py [--reps 500] [--per-rep 20] [--runs 40] [--stale]"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_reps: int, per_rep: int, seed: int = 1) -> list:
    from bookwise.accounts.models import Account, OrderLine, Ownership
    from bookwise.people.models import Rep, Territory

    rng = random.Random(seed)
    territories = Territory.objects.bulk_create([Territory(name=f"T{i:02d}") for i in range(20)])
    reps = Rep.objects.bulk_create(
        Rep(
            external_id=f"R{i:04d}",
            name=f"Rep {i}",
            role=rng.choice(["hunter", "account_manager"]),
            territory=rng.choice(territories),
            capacity=200,
            hire_date=date(2020, 1, 1),
            communication=rng.randint(1, 5),
            flexibility=rng.randint(1, 5),
        )
        for i in range(n_reps)
    )
    industries = ["Retail", "Food", "Metal", "Health", "Public", "Logistics"]
    accounts = Account.objects.bulk_create(
        Account(
            external_id=f"A{i:06d}",
            name=f"Customer {i}",
            industry=rng.choice(industries),
            territory=rng.choice(territories),
        )
        for i in range(n_reps * per_rep)
    )
    Ownership.objects.bulk_create(
        Ownership(account=a, rep=reps[i // per_rep], start_date=date(2020, 1, 1))
        for i, a in enumerate(accounts)
    )
    start = date(2024, 6, 2)
    lines = (
        OrderLine(
            external_id=f"O{i}-{k}",
            account=a,
            order_date=start + timedelta(days=rng.randrange(730)),
            amount=rng.randrange(100, 50_000),
            gross_profit=rng.randrange(10, 10_000),
        )
        for i, a in enumerate(accounts)
        for k in range(8)
    )
    OrderLine.objects.bulk_create(lines, batch_size=5000)
    return accounts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--per-rep", type=int, default=20)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--stale", action="store_true", help="leave the revenue rollup to the first reader")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model

    from bookwise.retention.services import revenue_rollup_refresh
    from bookwise.transfers.recommend import recommend

    started = time.perf_counter()
    accounts = generate(args.reps, args.per_rep)
    print(f"generated {len(accounts)} accounts in {time.perf_counter() - started:.1f}s")
    if not args.stale:
        started = time.perf_counter()
        revenue_rollup_refresh()  # what the orders import does at its end
        print(f"revenue rollup refreshed in {time.perf_counter() - started:.1f}s")
    admin = get_user_model().objects.create_superuser("bench", password="bench-password")
    day, timings = date(2026, 6, 1), []
    sample = random.Random(2).sample(accounts, args.runs + 1)
    wall, cpu = time.perf_counter(), time.process_time()
    recommend(account=sample.pop(), user=admin, day=day)
    print(f"first call (cold): {time.perf_counter() - wall:.2f}s wall, {time.process_time() - cpu:.2f}s CPU")
    for account in sample:
        t0 = time.perf_counter()
        data = recommend(account=account, user=admin, day=day)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"reps={args.reps} accounts={len(accounts)} candidates={len(data['candidates'])} "
        f"runs={args.runs} p50={statistics.median(timings):.0f}ms p95={p95:.0f}ms max={timings[-1]:.0f}ms"
    )


if __name__ == "__main__":
    main()
