"""Benchmark: scorecards for every rep (issue #7 target: 1,000 reps over 5,000,000 lines < 2 s).

    .venv/bin/python bench/team_scorecards.py [--database-url URL] [--date YYYY-MM-DD]
        [--repeat 7] [--extras]

Defaults to the shared SQLite dataset /work/bench-data/book_50k_5m.sqlite3 (read only: the
script only reads; build the team rollup first with `bookwise team rollup-refresh` or
`bookwise rollup_refresh`). Prints the dataset size and whether the rollup is fresh, the time
of each step behind the scorecards, and the end-to-end time of
`build_scorecards(all reps, day, everyone=True)` over --repeat runs: min, p50 and max of the
wall time and of this process's CPU time (on SQLite that includes the database's work), with
the load average before and after. (The rollup is the scorecards' only path; the order-line
form is the test oracle, tests/team/oracle.py.) --extras also times the whole-org time study
and signals.
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


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(label: str, fn, repeat: int):
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    print(
        f"{label:<50} wall min {min(walls):6.3f} p50 {statistics.median(walls):6.3f} max {max(walls):6.3f} s"
        f" | cpu p50 {statistics.median(cpus):6.3f} s"
    )
    return result


def steps_rollup(w, repeat: int) -> None:
    from bookwise.accounts.selectors import owner_spans
    from bookwise.team.selectors import rolled
    from bookwise.team.selectors.credits import resolve_credits
    from bookwise.team.selectors.facts import collect_facts
    from bookwise.team.selectors.scorecards import plan_coverage_by_owner
    from bookwise.team.selectors.tiers import book_tiers

    days = (w.day, w.prev.end, w.cur.start, w.prev.start)
    spans = timed(
        "primary assignments overlapping the windows",
        lambda: owner_spans(w.prev.start, w.day, None),
        repeat,
    )
    timed("owners on 4 days (from those)", lambda: rolled.owners_on(days, spans, None), repeat)
    timed("new accounts (FirstLine)", lambda: rolled.rollup_firsts(w, None, spans), repeat)
    sums, direct, unassigned = timed(
        "window sums: 12-month rows + edge lines", lambda: rolled.rollup_sums(w, None), repeat
    )
    print(f"  accounts with lines: {len(sums):,}; (account, window) pairs without a rep: {len(unassigned):,}")
    timed(
        "credits (owner changes month by month)",
        lambda: resolve_credits(direct, unassigned, w, spans, rolled.rollup_changed_counts),
        repeat,
    )
    facts = timed("all facts (collect_facts, rollup)", lambda: collect_facts(w, None), repeat)
    tiers = timed(
        "book tiers on 2 days (from the facts)", lambda: [book_tiers(facts, 0), book_tiers(facts, 1)], repeat
    )
    timed(
        "plan coverage by owner, 2 days (plans app)",
        lambda: [plan_coverage_by_owner(d, t) for d, t in zip((w.day, w.prev.end), tiers, strict=True)],
        repeat,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--date", help="scorecard day (default: the last order date)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--extras", action="store_true")
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connection
    from django.db.models import Max

    from bookwise.accounts.models import Account, OrderLine
    from bookwise.core.dates import parse_iso_date, trailing_12_months
    from bookwise.people.models import Rep
    from bookwise.team import rollup
    from bookwise.team.models import LineMonth
    from bookwise.team.selectors.common import windows_at
    from bookwise.team.selectors.scorecards import build_scorecards

    day = parse_iso_date(args.date) if args.date else OrderLine.objects.aggregate(d=Max("order_date"))["d"]
    reps = list(Rep.objects.select_related("manager"))
    print(f"database: {connection.vendor} {args.database_url}")
    print(
        f"reps {len(reps):,}  accounts {Account.objects.count():,}  order lines {OrderLine.objects.count():,}"
    )
    fresh = rollup.is_fresh()
    print(f"team rollup: {LineMonth.objects.count():,} rows, {'fresh' if fresh else 'STALE'}")
    print(f"day {day}; load average before: {load()}")
    w = windows_at(day)
    if not fresh:
        print("the rollup is stale: run `bookwise team rollup-refresh` first")
        return
    steps_rollup(w, args.repeat)
    cards = timed(
        "END TO END (rollup): scorecards of every rep",
        lambda: build_scorecards(reps, day, everyone=True),
        args.repeat,
    )
    print(f"scorecards built: {len(cards):,}; load average: {load()}")
    if args.extras:
        from bookwise.team.selectors.signals import rep_signals
        from bookwise.team.selectors.timestudy import time_study

        period = trailing_12_months(day)
        timed("time study, whole organisation", lambda: time_study(reps=reps, team=None, start=period.start,
                                                                     end=period.end), 1)  # fmt: skip
        timed("signals, whole organisation", lambda: rep_signals(reps, day), 1)
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
