"""Yardstick: the orders import beside what the engines underneath do with the same file, in
one run, CPU time beside wall time.

    .venv/bin/python bench/yardstick_import.py                  # 1,000,000 lines
    .venv/bin/python bench/yardstick_import.py --lines 250000 --databases sqlite

* PostgreSQL: Bookwise's import (client CPU of the importing process + CPU of its server
  backend, read from /proc/<backend pid>/stat) against `COPY ... FROM STDIN` (what psql's
  `\\copy` sends) of the same file into a bare table with the file's columns and the order
  id as primary key (client + backend CPU likewise);
* SQLite: Bookwise's import (one process: the database runs inside it) against DuckDB
  `read_csv` of the same file into a table with the order id as primary key, in a database
  file (DuckDB's threads counted in its CPU time).

Each yardstick runs twice: on the bare table, and with the three secondary indexes Bookwise
keeps on its order lines built on the same columns (LINE_INDEXES; the reports read each of
them), which shows how much of the gap is structure the engine must build too.
Each side's libraries are loaded before its clock starts (psycopg or DuckDB; polars and the
orders importer for Bookwise), as in a worker that has imported before.

Both PostgreSQL runs are given `max_parallel_maintenance_workers = 0` and
`max_parallel_workers_per_gather = 0` (PGOPTIONS), so all their server work happens in the
backend whose CPU is read. The file is bench/import_orders.py's (reps, 20,000 accounts, the
lines; written under --data, default /tmp/bookwise-bench); the reps and accounts are imported
first and not measured. Prints one JSON object per measurement, then the ratios and the load
average. Bookwise's import of the orders is everything until its lines are committed (reading,
checking, writing, the unique order ids and the foreign keys made again and checked, queueing
the job); the job a first load queues ("rollups_rebuild": the lines' three plain indexes, then
the rollups) is then run in the same process, as a worker runs it, and measured apart (under
"job"), and the import with its job is set against the yardstick that builds the same
indexes. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import import_orders as orders_bench

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "bench_yardstick"
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"
SERIAL = "-c max_parallel_maintenance_workers=0 -c max_parallel_workers_per_gather=0"
BARE = """CREATE TABLE yard_orders (
    order_id varchar(64) PRIMARY KEY, account_id varchar(64) NOT NULL, order_date date NOT NULL,
    amount numeric(16, 2) NOT NULL, gross_profit numeric(16, 2), product_line varchar(120),
    rep_id varchar(64), kind varchar(20))"""
# the secondary indexes Bookwise keeps on its order lines (accounts.models.OrderLine), on the
# file's columns: the second yardstick holds the same structures as the import builds
LINE_INDEXES = ("rep_id, order_date", "order_date, account_id", "account_id, order_date, amount")
DUCK_COLUMNS = {
    "order_id": "VARCHAR", "account_id": "VARCHAR", "order_date": "DATE", "amount": "DECIMAL(16,2)",
    "gross_profit": "DECIMAL(16,2)", "product_line": "VARCHAR", "rep_id": "VARCHAR", "kind": "VARCHAR",
}  # fmt: skip


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


def pg_copy(path: Path, *, indexed: bool = False) -> dict:
    """COPY of the file into the bare table (psql's \\copy, through psycopg); `indexed`: then
    the order lines' three secondary indexes built on it (LINE_INDEXES), in the same transaction."""
    import psycopg

    psql(PG_URL, "DROP TABLE IF EXISTS yard_orders")
    psql(PG_URL, BARE)
    with psycopg.connect(PG_URL, options=SERIAL) as conn:
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        server, client, wall = backend_cpu(pid), cpu_self(), time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY yard_orders FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        for number, columns in enumerate(LINE_INDEXES if indexed else ()):
            conn.execute(f"CREATE INDEX yard_{number} ON yard_orders ({columns})")  # type: ignore[call-overload]
        conn.commit()
        out = _figures(wall, cpu_self() - client, backend_cpu(pid) - server)
    psql(PG_URL, "DROP TABLE yard_orders")
    return out


def duckdb_read_csv(path: Path, data: Path, *, indexed: bool = False) -> dict:
    """DuckDB `read_csv` of the file into a table keyed by the order id; `indexed`: then the
    order lines' three secondary indexes built on it (LINE_INDEXES)."""
    import duckdb

    db = data / "yardstick.duckdb"
    db.unlink(missing_ok=True)
    columns = ", ".join(f"{k} {v}" for k, v in DUCK_COLUMNS.items())
    with duckdb.connect(str(db)) as conn:
        conn.execute(f"CREATE TABLE yard_orders ({columns}, PRIMARY KEY (order_id))")
        client, wall = cpu_self(), time.perf_counter()
        read = f"read_csv('{path}', header = true, columns = {DUCK_COLUMNS})"
        conn.execute(f"INSERT INTO yard_orders SELECT * FROM {read}")
        for number, columns in enumerate(LINE_INDEXES if indexed else ()):
            conn.execute(f"CREATE INDEX yard_{number} ON yard_orders ({columns})")
        conn.execute("CHECKPOINT")
        out = _figures(wall, cpu_self() - client, 0.0)
    db.unlink(missing_ok=True)
    return out


def _figures(wall: float, client: float, server: float) -> dict:
    return {
        "wall_s": round(time.perf_counter() - wall, 2),
        "cpu_s": round(client + server, 2),
        "client_cpu_s": round(client, 2),
        "server_cpu_s": round(server, 2),
    }


def bookwise(name: str, paths: dict[str, Path]) -> dict:
    """Bookwise's import of the orders, in a child process on a fresh database."""
    os.environ["PGOPTIONS"] = SERIAL
    url = fresh_database(name, paths["orders"].parent)
    for kind in ("reps", "accounts"):
        child(url, "--run-one", kind, str(paths[kind]))
    return json.loads(child(url, "--run-one", "orders", str(paths["orders"])))


def fresh_database(name: str, data: Path) -> str:
    if name == "sqlite":
        db = data / "yardstick.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    else:
        psql(PG_ADMIN, f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(PG_ADMIN, f"CREATE DATABASE {PG_DB}")
        url = PG_URL
    subprocess.run(
        [sys.executable, "-m", "bookwise.cli", "migrate", "-v0"],
        env=_env(url), check=True, capture_output=True,
    )  # fmt: skip
    return url


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "BOOKWISE_DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}


def child(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args], env=_env(url), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{args}: {done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def django_backend_pid() -> int | None:
    """In a child process: set Django up; the PostgreSQL backend's pid (None on SQLite), whose
    CPU `backend_cpu` reads."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def run_one(kind: str, path: str) -> None:
    """In a child process: import one file; print wall, client and server CPU, peak RSS; for
    orders also the job a first load queues (the lines' indexes, the rollups), run here as the
    worker runs it."""
    pid = django_backend_pid()
    from bookwise.imports.services import import_file, orders_run  # noqa: F401 - loaded before the clock

    out = _measured(pid, lambda: import_file(kind=kind, path=path))
    report = out.pop("value")
    if kind == "orders":
        out["job"] = _measured(pid, _rollups_rebuild)
        out["job"].pop("value")
    out.update(
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        summary=report.summary(),
        errors=report.error_count,
    )
    print(json.dumps(out))


def _measured(pid: int | None, work: Callable[[], Any]) -> dict:
    """`work()`'s figures (client and server CPU, wall) and its value (under "value")."""
    server = backend_cpu(pid) if pid else 0.0
    client, wall = cpu_self(), time.perf_counter()
    value = work()
    figures = _figures(wall, cpu_self() - client, (backend_cpu(pid) - server) if pid else 0.0)
    return {**figures, "value": value}


def _rollups_rebuild() -> None:
    """The job a first load queues (bookwise.jobs.registry, "rollups_rebuild")."""
    from bookwise.retention.services import revenue_rollup_catch_up
    from bookwise.team.services import line_rollup_catch_up

    revenue_rollup_catch_up()
    line_rollup_catch_up()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--data", type=Path, default=Path("/tmp/bookwise-bench"))
    parser.add_argument("--run-one", nargs=2, metavar=("KIND", "FILE"))
    args = parser.parse_args()
    if args.run_one:
        run_one(*args.run_one)
        return
    orders_bench.DATA = args.data
    paths = orders_bench.generate(args.lines)
    results: dict[str, dict] = {}
    for name in args.databases.split(","):
        results[f"bookwise_{name}"] = bookwise(name, paths)
        print(json.dumps({"run": f"bookwise_{name}", **results[f"bookwise_{name}"]}), flush=True)
        for indexed in (False, True):
            key = ("pg_copy" if name == "postgresql" else "duckdb") + ("_indexed" if indexed else "")
            if name == "postgresql":
                results[key] = pg_copy(paths["orders"], indexed=indexed)
            else:
                results[key] = duckdb_read_csv(paths["orders"], args.data, indexed=indexed)
            print(json.dumps({"run": key, **results[key]}), flush=True)
        if name == "postgresql":
            psql(PG_ADMIN, f"DROP DATABASE IF EXISTS {PG_DB}")
    for name, yard in (("postgresql", "pg_copy"), ("sqlite", "duckdb")):
        ours, theirs, indexed = (results.get(k) for k in (f"bookwise_{name}", yard, f"{yard}_indexed"))
        if ours and theirs and indexed:
            cpu, wall = (ours[k] / theirs[k] for k in ("cpu_s", "wall_s"))
            print(
                f"{name}: {cpu:.1f}x CPU ({ours['cpu_s']} s vs {theirs['cpu_s']} s), "
                f"{wall:.1f}x wall ({ours['wall_s']} s vs {theirs['wall_s']} s), "
                f"peak RSS {ours['peak_rss_mb']} MB"
            )
            if "job" in ours:
                both = ours["cpu_s"] + ours["job"]["cpu_s"]
                print(
                    f"  then the job the import queued (the lines' indexes, the rollups) "
                    f"{ours['job']['cpu_s']} s CPU, {ours['job']['wall_s']} s wall: the import and its job "
                    f"{both:.2f} s CPU, {both / indexed['cpu_s']:.1f}x {yard} with the order lines' three "
                    f"indexes built too ({indexed['cpu_s']} s CPU)"
                )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
