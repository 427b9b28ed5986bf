"""Benchmark: a quarterly commission run over 1,000,000 order lines for 1,000 reps.

Generates its own data (1,000 reps, 20,000 accounts, 1M lines in 2026-Q1 plus 1M lines
over 2025 for thresholds and the override's year-earlier team credit; 10 % of accounts
received by transfer under a rule with delay, ramp and prior-12-months threshold; 10 %
co-covered), loads a plan file, then times the run (computing only, and computing plus
storing the draft run), reporting the peak memory (RSS) after each. The run reads and
writes chunk by chunk of reps (--chunk-lines), so the peak should not grow with --lines.
Runs with BOOKWISE_DEBUG=False (as in production: Django's debug query log would keep
every statement's insert).

    .venv/bin/python bench/commissions_run.py --db sqlite      # /tmp/bench_commissions.sqlite3
    .venv/bin/python bench/commissions_run.py --db postgres    # database bench_commissions
    .venv/bin/python bench/commissions_run.py --db both --lines 200000   # smaller
    .venv/bin/python bench/commissions_run.py --db both --lines 2000000 --name bench_commissions_2m
    .venv/bin/python bench/commissions_run.py --db both --reuse --adjustments 10000

PostgreSQL: creates (and with --drop, drops) postgresql://postgres@127.0.0.1:5432/NAME
(default bench_commissions); SQLite: /tmp/NAME.sqlite3.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

LINE_COLUMNS = [
    "external_id",
    "account_id",
    "order_date",
    "amount",
    "gross_profit",
    "product_line",
    "rep_id",
    "kind",
]
SQLITE = "/tmp/{name}.sqlite3"
PG = "postgresql://postgres@127.0.0.1:5432/{name}"

PLAN = """\
plans:
  - name: Bench AM
    roles: [account_manager, hunter]
    valid_from: 2026-01-01
    valid_to: 2026-12-31
    period: quarter
    base: amount
    quota: 400000
    tiers: [{from: 0.0, rate: 0.04}, {from: 0.8, rate: 0.06}, {from: 1.2, rate: 0.09}]
    transfer_rule:
      horizon_months: 12
      delay_months: 2
      new_orders_only: false
      threshold: prior_12_months
      ramp: [{from_month: 0, multiplier: 0.5}, {from_month: 6, multiplier: 1.0}]
    co_coverage_split: 0.2
  - name: Bench managers
    roles: [sales_manager]
    valid_from: 2026-01-01
    valid_to: 2026-12-31
    period: quarter
    override: {rate: 0.01, basis: team_growth}
"""


def setup_django(url: str) -> None:
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ.setdefault("BOOKWISE_DEBUG", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    import django

    django.setup()


def generate(lines: int, prior_lines: int, reps: int, accounts: int) -> None:
    import numpy as np
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # every app: commissions no longer pulls accounts in
    rng = np.random.default_rng(7)
    started = time.perf_counter()
    managers = max(reps // 20, 1)
    rep_rows = [(1, "D0001", "Director", "director", None)]
    rep_rows += [(2 + i, f"M{i:04d}", f"Manager {i}", "sales_manager", 1) for i in range(managers)]
    rep_rows += [
        (2 + managers + i, f"R{i:05d}", f"Rep {i}", "account_manager", 2 + (i % managers))
        for i in range(reps - managers - 1)
    ]
    reps_ids = np.array([r[0] for r in rep_rows[1 + managers :]])
    now = "2026-01-01 00:00:00"
    _insert(
        connection,
        "people_rep",
        [
            "id",
            "external_id",
            "name",
            "role",
            "manager_id",
            "hire_date",
            "capacity",
            "created_at",
            "updated_at",
        ],
        [(*r, "2020-01-01", 100, now, now) for r in rep_rows],
    )
    owners = reps_ids[rng.integers(0, len(reps_ids), accounts)]
    _insert(
        connection,
        "accounts_account",
        [
            "id",
            "external_id",
            "name",
            "created_date",
            "status",
            "industry",
            "lost_reason",
            "created_at",
            "updated_at",
        ],
        [
            (i + 1, f"A{i:06d}", f"Customer {i}", "2020-01-01", "active", "", "", now, now)
            for i in range(accounts)
        ],
    )
    own, transfers = _ownership(rng, owners, reps_ids, accounts, now)
    _insert(
        connection,
        "accounts_ownership",
        ["account_id", "rep_id", "role", "start_date", "end_date", "reason", "created_at", "updated_at"],
        own,
    )
    _orders(connection, rng, lines, prior_lines, accounts, reps_ids)
    print(
        f"  generated {len(rep_rows)} reps, {accounts} accounts, {transfers} transfers, "
        f"{lines} + {prior_lines} lines in {time.perf_counter() - started:.1f} s"
    )


def _ownership(rng, owners, reps_ids, accounts: int, now: str):
    rows = []
    transfers = 0
    for i in range(accounts):
        acc = i + 1
        if i % 10 == 0:  # 10 % received by transfer, t spread over 2025-04 .. 2026-02
            t = date(2025, 4, 1) + timedelta(days=int(rng.integers(0, 320)))
            new = int(reps_ids[rng.integers(0, len(reps_ids))])
            rows.append(
                (acc, int(owners[i]), "primary", "2020-01-01", str(t - timedelta(days=1)), "import", now, now)
            )
            rows.append((acc, new, "primary", str(t), None, "transfer", now, now))
            transfers += 1
        else:
            rows.append((acc, int(owners[i]), "primary", "2020-01-01", None, "import", now, now))
        if i % 10 == 5:  # 10 % co-covered
            rows.append(
                (
                    acc,
                    int(reps_ids[rng.integers(0, len(reps_ids))]),
                    "secondary",
                    "2024-01-01",
                    None,
                    "import",
                    now,
                    now,
                )
            )
    return rows, transfers


def _orders(connection, rng, lines: int, prior_lines: int, accounts: int, reps_ids) -> None:
    batch = 100_000
    kinds = ["new", "repeat", "contract_release"]
    for year, start, days, total in (
        (2025, date(2025, 1, 1), 365, prior_lines),
        (2026, date(2026, 1, 1), 90, lines),
    ):
        for offset in range(0, total, batch):
            n = min(batch, total - offset)
            acc = rng.integers(1, accounts + 1, n)
            day = rng.integers(0, days, n)
            amount = rng.integers(-20_000, 2_000_000, n)
            gp = (amount * 0.3).astype(int)
            kind = rng.integers(0, 3, n)
            named = rng.random(n) < 0.05
            rep = reps_ids[rng.integers(0, len(reps_ids), n)]
            rows = [
                (
                    f"O{year}-{offset + j:08d}",
                    int(acc[j]),
                    str(start + timedelta(days=int(day[j]))),
                    int(amount[j]),
                    int(gp[j]),
                    "",
                    int(rep[j]) if named[j] else None,
                    kinds[kind[j]],
                )
                for j in range(n)
            ]
            _insert(connection, "accounts_orderline", LINE_COLUMNS, rows)


def _insert(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        raw = connection.connection  # psycopg 3: COPY
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    connection.commit() if not connection.get_autocommit() else None


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(chunk_lines: int | None) -> None:
    from django.core.management import call_command
    from django.db import connection

    from bookwise.commissions.compute import chunks
    from bookwise.commissions.services import plan_file_load, run_compute
    from bookwise.commissions.services.runs import PeriodRun

    call_command("migrate", verbosity=0)  # every app: commissions no longer pulls accounts in
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    if chunk_lines:
        chunks.CHUNK_LINES = chunk_lines
    plan_file_load(text=PLAN, filename="bench.yaml")
    before = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    lines = parts = 0
    for chunk in PeriodRun("2026-Q1").chunks():  # computed and dropped, as the run does once stored
        parts += 1
        lines += sum(len(e.statement.lines) for e in chunk)
        del chunk
    computed = (time.perf_counter() - wall, time.process_time() - cpu)
    peak_compute = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    run = run_compute(period="2026-Q1")
    stored = (time.perf_counter() - wall, time.process_time() - cpu)
    load = os.getloadavg()
    print(
        f"  {connection.vendor}: {run.statements.count()} statements, {lines} statement lines,"
        f" {parts} chunks of <= {chunks.CHUNK_LINES} lines;"
        f" compute {computed[0]:.1f} s wall / {computed[1]:.1f} s CPU (peak RSS {peak_compute:.0f} MB);"
        f" compute + store draft run {stored[0]:.1f} s wall / {stored[1]:.1f} s CPU"
        f" (peak RSS {_peak_mb():.0f} MB); RSS before {before:.0f} MB;"
        f" load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f};"
        f" total commission {run.commission}, override {run.override}"
    )


def measure_adjustments(late: int) -> None:
    """Approve 2026-Q1, add `late` lines to it, then time the 2026-Q2 run: Q2 has no
    lines of its own, but recomputes all of Q1 and compares it, line by line, with what
    was paid. Everything is undone afterwards (the runs and the late lines)."""
    from django.db import connection

    from bookwise.accounts.models import OrderLine
    from bookwise.commissions.models import Run
    from bookwise.commissions.services import run_approve, run_compute

    draft = Run.objects.filter(period="2026-Q1", status="draft").first() or run_compute(period="2026-Q1")
    run_approve(run=draft, actor=None)
    start = date(2026, 1, 1)
    rows = [
        (f"LATE-{i:07d}", 1 + i * 7919 % 20_000, str(start + timedelta(days=i % 90)), 10_000 + i, 3_000, "",
         None, "new")
        for i in range(late)
    ]  # fmt: skip
    _insert(connection, "accounts_orderline", LINE_COLUMNS, rows)
    try:
        before = _peak_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        run = run_compute(period="2026-Q2")
        took = (time.perf_counter() - wall, time.process_time() - cpu)
        adjusted = sum(len(st.data["adjustment_lines"]) for st in run.statements.only("data"))
        load = os.getloadavg()
        print(
            f"  {connection.vendor}: 2026-Q2 run against the approved 2026-Q1 with {late} late lines:"
            f" {took[0]:.1f} s wall / {took[1]:.1f} s CPU;"
            f" {adjusted} adjustment lines, total {run.adjustments};"
            f" peak RSS {_peak_mb():.0f} MB (before {before:.0f} MB);"
            f" load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
        )
    finally:
        Run.objects.filter(period__in=["2026-Q1", "2026-Q2"]).delete()
        OrderLine.objects.filter(external_id__startswith="LATE-").delete()


def _has_lines() -> bool:
    """Whether the database (migrated first: every app, a fresh file included) has order lines."""
    from django.core.management import call_command

    from bookwise.accounts.models import OrderLine

    call_command("migrate", verbosity=0)
    return OrderLine.objects.exists()


def child(args) -> None:
    sqlite = SQLITE.format(name=args.name)
    url = PG.format(name=args.name) if args.db == "postgres" else f"sqlite:///{sqlite}"
    if args.db == "sqlite" and os.path.exists(sqlite) and not args.reuse:
        os.remove(sqlite)
    setup_django(url)
    if args.reuse and not _has_lines():
        raise SystemExit(f"{url} holds no order lines: run once without --reuse to generate them")
    if not args.reuse:
        generate(args.lines, args.prior_lines, args.reps, args.accounts)
    if args.adjustments:
        measure_adjustments(args.adjustments)
    elif not args.generate_only:
        measure(args.chunk_lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=1_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--prior-lines", type=int, default=500_000, help="lines over the prior year")
    parser.add_argument("--name", default="bench_commissions", help="PostgreSQL database / SQLite file name")
    parser.add_argument("--chunk-lines", type=int, default=0, help="lines per chunk (default: the app's)")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure on the data generated before")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--adjustments", type=int, default=0, metavar="N",
        help="instead: approve 2026-Q1, add N late lines, time the 2026-Q2 run (then undo)",
    )  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        if db == "postgres" and not args.reuse:
            _psql(f"DROP DATABASE IF EXISTS {args.name}")
            _psql(f"CREATE DATABASE {args.name}")
        cmd = [
            sys.executable,
            __file__,
            "--child",
            "--db",
            db,
            "--lines",
            str(args.lines),
            "--prior-lines",
            str(args.prior_lines),
            "--reps",
            str(args.reps),
            "--accounts",
            str(args.accounts),
            "--name",
            args.name,
            "--chunk-lines",
            str(args.chunk_lines),
        ]
        cmd += ["--reuse"] if args.reuse else []
        cmd += ["--generate-only"] if args.generate_only else []
        cmd += ["--adjustments", str(args.adjustments)] if args.adjustments else []
        print(f"{db}:")
        done = subprocess.run(cmd, check=False)
        if done.returncode:
            raise SystemExit(done.returncode)
        if db == "postgres" and args.drop:
            _psql(f"DROP DATABASE IF EXISTS {args.name}")


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


if __name__ == "__main__":
    main()
