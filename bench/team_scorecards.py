"""Benchmark: scorecards for every rep (issue #7 target: 1,000 reps over 5,000,000 lines < 2 s).

    .venv/bin/python bench/team_scorecards.py [--database-url URL] [--date YYYY-MM-DD] [--repeat 3] [--extras]

Defaults to the shared SQLite dataset /work/bench-data/book_50k_5m.sqlite3 (read only: the
script only reads). Prints the dataset size, the time of each set-based query behind the
scorecards, and the end-to-end time of `build_scorecards(all reps, day, everyone=True)`
(best and median of --repeat runs). --extras also times the whole-org time study and signals.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////work/bench-data/book_50k_5m.sqlite3"


def setup(url: str) -> None:
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def timed(label: str, fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    print(f"{label:<48} best {min(times):7.3f} s   median {statistics.median(times):7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--date", help="scorecard day (default: the last order date)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extras", action="store_true")
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection
    from django.db.models import Max

    from bookwise.accounts.models import Account, OrderLine
    from bookwise.core.dates import parse_iso_date, trailing_12_months
    from bookwise.people.models import Rep
    from bookwise.team.selectors import facts as f
    from bookwise.team.selectors.common import windows_at
    from bookwise.team.selectors.scorecards import build_scorecards

    day = parse_iso_date(args.date) if args.date else OrderLine.objects.aggregate(d=Max("order_date"))["d"]
    reps = list(Rep.objects.select_related("manager"))
    print(f"database: {connection.vendor} {args.database_url}")
    print(
        f"reps {len(reps):,}  accounts {Account.objects.count():,}  order lines {OrderLine.objects.count():,}"
    )
    print(f"day {day}")
    w = windows_at(day)
    days = (w.day, w.prev.end, w.cur.start, w.prev.start)
    timed("ownership maps (4 days)", lambda: f.owner_maps(days, None), args.repeat)
    timed("new accounts (first line, credited rep)", lambda: f.new_account_firsts(w, None), args.repeat)
    from bookwise.team.selectors import lines

    rows = timed(
        "one pass over the lines (account, window, rep)", lambda: lines.grouped_lines(w, None), args.repeat
    )
    print(f"  grouped rows: {len(rows):,}")
    timed("credit resolution (changed accounts joined)", lambda: lines.credited_from(rows, w), args.repeat)
    from bookwise.team.selectors.scorecards import plan_coverage_by_owner

    timed(
        "plan coverage by owner (plans app), 2 days", lambda: [plan_coverage_by_owner(x) for x in days[:2]], 1
    )
    cards = timed(
        "END TO END: scorecards of every rep", lambda: build_scorecards(reps, day, everyone=True), args.repeat
    )
    print(f"scorecards built: {len(cards):,}")
    if args.extras:
        from bookwise.team.selectors.signals import rep_signals
        from bookwise.team.selectors.timestudy import time_study

        period = trailing_12_months(day)
        timed("time study, whole organisation", lambda: time_study(reps=reps, team=None, start=period.start,
                                                                     end=period.end), 1)  # fmt: skip
        timed("signals, whole organisation", lambda: rep_signals(reps, day), 1)


if __name__ == "__main__":
    main()
