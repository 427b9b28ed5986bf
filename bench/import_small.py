"""Benchmark: the fixed cost of a small orders import, end to end: `bookwise import orders`
of 1,000 new lines as a new process (start-up, Django, the checks, the writes, the rollup
refresh of the accounts and months it touched, the commit), into a book that already holds
order lines.

    .venv/bin/python bench/import_small.py                       # SQLite and PostgreSQL
    .venv/bin/python bench/import_small.py --databases sqlite --runs 7 --base-lines 200000

The book is bench/import_orders.py's (200 reps, 20,000 accounts) with --base-lines of its
order lines (2022-2024), imported once per database and the rollups built; each run imports
the same 1,000 lines dated January 2025 (new order ids) into a fresh copy of that book (a
file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL, neither timed). Prints
wall time and the command's CPU time (user + system of the process; on PostgreSQL the
server's share is not in it) per run, their medians and the load average. Figures:
docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import import_orders as orders_bench

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BASE, PG_RUN = "bench_small_base", "bench_small_run"


def small_file(path: Path, lines: int) -> Path:
    """`lines` new order lines in January 2025 for random accounts, the owner as the rep."""
    rng = random.Random(11)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(orders_bench.HEADER)
        for i in range(lines):
            account = rng.randrange(orders_bench.ACCOUNTS)
            rep = orders_bench.owner_of(account) if i % 4 else ""
            day = f"2025-01-{1 + i % 28:02d}"
            amount = f"{rng.randint(1, 50_000)}.00"
            w.writerow([f"SM{i:06d}", f"BA{account}", day, amount, "", "Line 1", rep, "repeat"])
    return path


def bookwise(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOOKWISE_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    env.pop("BOOKWISE_DEBUG", None)  # as a user runs it
    return subprocess.run(
        [sys.executable, "-m", "bookwise.cli", *args], env=env, capture_output=True, text=True, check=True
    )


def psql(sql: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True, capture_output=True)


def base_book(name: str, data: Path, base_lines: int) -> str:
    """A book with reps, accounts and `base_lines` order lines, its rollups built."""
    paths = orders_bench.generate(base_lines)
    if name == "sqlite":
        db = data / "small_base.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    else:
        psql(f"DROP DATABASE IF EXISTS {PG_BASE}")
        psql(f"CREATE DATABASE {PG_BASE}")
        url = f"postgresql://postgres@127.0.0.1:5432/{PG_BASE}"
    bookwise(url, "migrate", "-v0")
    for kind in ("reps", "accounts", "orders"):
        bookwise(url, "import", kind, str(paths[kind]))
    bookwise(url, "rollup_refresh")  # a first load leaves its rollups to a job: built here instead
    if name == "sqlite":
        # the whole book in the file that is copied
        code = "from django.db import connection as c; c.cursor().execute('PRAGMA wal_checkpoint(TRUNCATE)')"
        bookwise(url, "shell", "-c", code)
    return url


def fresh_copy(name: str, base: str) -> str:
    if name == "sqlite":
        source = Path(base.removeprefix("sqlite:///"))
        copy = source.with_name("small_run.sqlite3")
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, copy)
        return f"sqlite:///{copy}"
    psql(f"DROP DATABASE IF EXISTS {PG_RUN}")
    psql(f"CREATE DATABASE {PG_RUN} TEMPLATE {PG_BASE}")
    return f"postgresql://postgres@127.0.0.1:5432/{PG_RUN}"


def timed_import(url: str, path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of `bookwise import orders path` as a new process."""
    env = {**os.environ, "BOOKWISE_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    env.pop("BOOKWISE_DEBUG", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bookwise.cli", "import", "orders", str(path)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"the import failed: {stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--base-lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path("/tmp/bookwise-bench-small"))
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    orders_bench.DATA = args.data
    path = small_file(args.data / f"small-{args.lines}.csv", args.lines)
    for name in args.databases.split(","):
        base = base_book(name, args.data, args.base_lines)
        runs = []
        for _ in range(args.runs):
            url = fresh_copy(name, base)
            runs.append(timed_import(url, path))
            print(f"  {name}: wall {runs[-1][0]:.2f} s, CPU {runs[-1][1]:.2f} s", flush=True)
        wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{name}: {args.lines:,} lines into {args.base_lines:,}: median wall {wall:.2f} s, "
              f"CPU {cpu:.2f} s ({args.runs} runs; load average {load})", flush=True)  # fmt: skip
        if name == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {PG_RUN}")
            psql(f"DROP DATABASE IF EXISTS {PG_BASE}")


if __name__ == "__main__":
    main()
