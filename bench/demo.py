"""How long does `bookwise demo` take to build the demo company?

    python bench/demo.py --database-url sqlite:////tmp/bench_demo.sqlite3 [--scale 1.0] [--repeat 2]
    python bench/demo.py --database-url postgresql://postgres@127.0.0.1:5432/bench_demo

Migrates the database, then for each repeat wipes the book and times the planning (pure
Python, no database) and the whole build (plan + bulk inserts in one transaction) at
today's date. The database must be a scratch one: its book is wiped.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    os.environ["BOOKWISE_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bookwise.demo.builder import build_demo, plan_book, wipe_book

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    started = time.perf_counter()
    plan_book(today=today, scale=args.scale)
    plan_seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}, scale {args.scale}, today {today}")
    print(f"plan only (no database): {plan_seconds:.2f} s")
    for run in range(1, args.repeat + 1):
        wipe_book()
        summary = build_demo(today=today, scale=args.scale)
        rows = sum(summary.counts.values())
        print(f"build {run}: {summary.seconds:.2f} s  ({rows:,} rows: {summary.counts})")


if __name__ == "__main__":
    main()
