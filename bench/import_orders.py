"""Benchmark: import a 1,000,000-line orders.csv into a fresh SQLite file and a fresh
PostgreSQL database; report wall time and peak RSS of the importing process: the import until
its lines are committed ("seconds"), and with the job that a large import queues (the lines'
indexes and the rollups: "seconds_with_rollups", run in the same process, as a worker runs it).

    .venv/bin/python bench/import_orders.py                 # 1,000,000 lines, both databases
    .venv/bin/python bench/import_orders.py --lines 100000 --databases sqlite
    .venv/bin/python bench/import_orders.py --reimport      # also time the idempotent re-import
    .venv/bin/python bench/import_orders.py --reps-on-lines random   # the worst case for rollups

Lines name a rep on three lines in four. By default (`--reps-on-lines owner`) that is the
account's owner, and one named line in fifteen another rep (a colleague who took the order), as
in a real book; `random` names any rep on any account, which multiplies the (account, rep)
pairs the team rollup keeps (703,809 pairs for 1,000,000 lines instead of about 70,000).

Data goes to bench/data/ (git-ignored); the PostgreSQL database `bench_imports` is
created and dropped again. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql://postgres@127.0.0.1:5432/bench_imports"
REPS, ACCOUNTS = 200, 20_000
HEADER = ["order_id", "account_id", "order_date", "amount", "gross_profit", "product_line", "rep_id", "kind"]


def owner_of(account: int) -> str:
    return f"BR{1 + account % (REPS - 1)}"


def generate(lines: int, reps_on_lines: str = "owner") -> dict[str, Path]:
    """reps.csv, accounts.csv and orders.csv (deterministic, seed 7), reused when present."""
    DATA.mkdir(parents=True, exist_ok=True)
    paths = {k: DATA / f"{k}-{lines}.csv" for k in ("reps", "accounts")}
    paths["orders"] = DATA / f"orders-{lines}{'' if reps_on_lines == 'owner' else '-' + reps_on_lines}.csv"
    if all(p.exists() for p in paths.values()):
        return paths
    rng = random.Random(7)
    with paths["reps"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["rep_id", "name", "role", "manager_id", "territory", "region"])
        w.writerow(["BM0", "Bench Director", "director", "", "", ""])
        for i in range(1, REPS):
            w.writerow([f"BR{i}", f"Rep {i}", "account_manager", "BM0", f"T{i % 20}", f"G{i % 4}"])
    with paths["accounts"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["account_id", "name", "owner_id", "created_date", "potential_revenue"])
        for i in range(ACCOUNTS):
            w.writerow(
                [
                    f"BA{i}",
                    f"Customer {i}",
                    owner_of(i),
                    "2020-01-01",
                    f"{rng.randint(1, 9)}00000",
                ]
            )
    days = [(date(2022, 1, 1) + timedelta(days=d)).isoformat() for d in range(1096)]
    kinds = ["repeat"] * 8 + ["new", "contract_release"]
    with paths["orders"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "order_id",
                "account_id",
                "order_date",
                "amount",
                "gross_profit",
                "product_line",
                "rep_id",
                "kind",
            ]
        )
        for i in range(lines):
            cents = rng.randint(-5_000, 2_000_000)
            account = rng.randrange(ACCOUNTS)
            rep = owner_of(account) if reps_on_lines == "owner" and i % 10 else f"BR{1 + i % (REPS - 1)}"
            w.writerow(
                [
                    f"BO{i:08d}",
                    f"BA{account}",
                    days[rng.randrange(len(days))],
                    f"{cents // 100}.{cents % 100:02d}"
                    if cents >= 0
                    else f"-{-cents // 100}.{-cents % 100:02d}",
                    f"{cents // 400}.00" if i % 3 else "",
                    f"Line {i % 12}",
                    rep if i % 4 else "",
                    kinds[i % 10],
                ]
            )
    return paths


def run_one(kind: str, path: str) -> None:
    """In a child process: import one file, print wall time and peak RSS as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    import django

    django.setup()
    from bookwise.imports.services import import_file
    from bookwise.retention.services import revenue_rollup_catch_up
    from bookwise.team.services import line_rollup_catch_up

    start = time.perf_counter()
    report = import_file(kind=kind, path=path)
    seconds = time.perf_counter() - start
    revenue_rollup_catch_up()  # the job a large import queues, run here as a worker runs it
    line_rollup_catch_up()
    with_rollups = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out = {
        "seconds": round(seconds, 1),
        "seconds_with_rollups": round(with_rollups, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "server_cpu_seconds": server_cpu(),
        "load_average": os.getloadavg()[0],
        "summary": report.summary(),
        "errors": report.error_count,
    }
    print(json.dumps(out))


def server_cpu() -> float | None:
    """CPU seconds used by this connection's PostgreSQL backend (same machine), else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def child(url: str, *args: str) -> str:
    env = {**os.environ, "BOOKWISE_DATABASE_URL": url}
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{args}: {done.stderr[-2000:]}")
    return done.stdout


def fresh_database(name: str) -> str:
    if name == "sqlite":
        db = DATA / "bench_imports.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    else:
        psql("drop database if exists bench_imports")
        psql("create database bench_imports")
        url = PG_URL
    child(url, "-m", "bookwise.cli", "migrate", "-v0", "--skip-checks")
    return url


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True, capture_output=True)


def bench(name: str, paths: dict[str, Path], reimport: bool) -> list[dict]:
    url = fresh_database(name)
    results = []
    steps = [("reps", paths["reps"]), ("accounts", paths["accounts"]), ("orders", paths["orders"])]
    if reimport:
        steps.append(("orders", paths["orders"]))
    for kind, path in steps:
        out = json.loads(child(url, __file__, "--run-one", kind, str(path)).strip().splitlines()[-1])
        out.update(database=name, kind=kind)
        print(json.dumps(out), flush=True)
        results.append(out)
    if name == "postgresql":
        psql("drop database if exists bench_imports")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--reimport", action="store_true")
    parser.add_argument("--reps-on-lines", choices=["owner", "random"], default="owner")
    parser.add_argument("--run-one", nargs=2, metavar=("KIND", "FILE"))
    args = parser.parse_args()
    if args.run_one:
        run_one(*args.run_one)
        return
    started = time.perf_counter()
    paths = generate(args.lines, args.reps_on_lines)
    print(f"data ready in {time.perf_counter() - started:.1f} s: {paths['orders']}", flush=True)
    for name in args.databases.split(","):
        bench(name, paths, args.reimport)


if __name__ == "__main__":
    main()
