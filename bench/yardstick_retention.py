"""Yardstick: retention by territory for a year in Bookwise beside DuckDB running the
METRICS.md retention SQL over the same order lines, in one run.

    python bench/yardstick_retention.py                      # the shared 50k / 5M SQLite book
    python bench/yardstick_retention.py --database-url sqlite:////tmp/b.sqlite3 --year 2025
    python bench/yardstick_retention.py --json /tmp/retention.json   # for bench/yardsticks.py

1. Bookwise `retention_report(period=YEAR, by="territory")`, warm (the rollup fresh, one
   untimed run, then --repeat runs): wall and CPU time of this process (on SQLite that
   includes the database's own work; on PostgreSQL the backend's CPU is added, read from /proc).
2. DuckDB in memory: the order lines, accounts and territories copied in once (not timed;
   kept as Parquet under --cache so the next run starts at once), then the METRICS.md SQL
   (every account's revenue in P and P' from the order lines, the first order line ever,
   grouped by territory), warm, --repeat runs; DuckDB's threads count in the CPU time.
3. Every figure of every group compared, to the cent: the run fails if one differs.
4. The command end to end (`bookwise report retention`, a new process: start-up, Django,
   the report, CSV out) beside a DuckDB process running the same SQL on a saved file.
Prints wall and CPU times, the ratios (Bookwise / DuckDB) and the load average. Read-only on
the database (the rollup is brought up to date first, as any read does).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////work/bench-data/book_50k_5m.sqlite3"
DEFAULT_CACHE = "/tmp/bookwise-yardsticks"

# METRICS.md Retention, straight from the order lines (amounts in cents).
RETENTION_SQL = """
with per_account as (
  select account_id,
         coalesce(sum(amount) filter (where order_date between DATE '{ps}' and DATE '{pe}'), 0) as rev_p,
         coalesce(sum(amount) filter (where order_date between DATE '{qs}' and DATE '{qe}'), 0) as rev_prev
  from orderline where order_date between DATE '{qs}' and DATE '{pe}' group by account_id
), first_line as (
  select account_id, min(order_date) as first_day from orderline group by account_id
), book as (
  select a.id, a.territory_id, coalesce(p.rev_p, 0) as rev_p, coalesce(p.rev_prev, 0) as rev_prev,
         f.first_day between DATE '{ps}' and DATE '{pe}' as opened
  from account a left join per_account p on p.account_id = a.id left join first_line f on f.account_id = a.id
)
select t.name as grp,
       count(*) filter (where rev_prev > 0) as base_accounts,
       count(*) filter (where rev_prev > 0 and rev_p > 0) as retained_accounts,
       count(*) filter (where opened) as new_accounts,
       coalesce(sum(rev_prev) filter (where rev_prev > 0), 0) as base_revenue,
       coalesce(sum(greatest(0, least(rev_p, rev_prev))) filter (where rev_prev > 0), 0) as gross_retained,
       coalesce(sum(greatest(0, rev_p)) filter (where rev_prev > 0), 0) as retained_revenue,
       coalesce(sum(rev_p), 0) as period_revenue,
       coalesce(sum(rev_prev) filter (where rev_prev > 0 and rev_p <= 0), 0) as lost_revenue
from book b left join territory t on t.id = b.territory_id
group by t.name order by t.name nulls last
"""
FIELDS = [
    "base_accounts", "retained_accounts", "new_accounts", "base_revenue", "gross_retained",
    "retained_revenue", "period_revenue", "lost_revenue",
]  # fmt: skip
# DuckDB table -> (Bookwise table, columns, dates among them)
TABLES = {
    "orderline": ("accounts_orderline", ["account_id", "order_date", "amount"], ["order_date"]),
    "account": ("accounts_account", ["id", "territory_id"], []),
    "territory": ("people_territory", ["id", "name"], []),
}


def setup_django(url: str) -> None:
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ["BOOKWISE_DEBUG"] = "False"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def server_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backend serving Django's connection (read
    from /proc: the server runs on this machine; parallel workers are not counted); 0 on
    SQLite, whose work is this process's own."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn: Callable[[], Any], repeat: int, server: bool = False) -> tuple[dict[str, float], Any]:
    """One untimed run, then `repeat` runs: median and best wall and CPU seconds (this
    process, all its threads; with `server`, plus the PostgreSQL backend's)."""
    result = fn()
    walls, cpus = [], []
    for _ in range(repeat):
        before = server_cpu() if server else 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu + ((server_cpu() - before) if server else 0.0))
    figures = {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}
    return figures | {"wall_best": min(walls), "cpu_best": min(cpus)}, result


def process_times(cmd: list[str], repeat: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall and CPU (user + system of the child) seconds of running `cmd` `repeat` times."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - wall)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


# ---------------------------------------------------------------- the data in DuckDB


def fingerprint(tables: dict[str, tuple[str, list[str], list[str]]]) -> str:
    """Row counts and highest ids of the tables copied (a new copy when they change)."""
    from django.db import connection

    parts = []
    with connection.cursor() as cursor:
        for table, _, _ in tables.values():
            cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")  # noqa: S608 - our table names
            parts.append("-".join(str(v) for v in cursor.fetchone()))
    return f"{connection.vendor}-{connection.settings_dict['NAME']}-{'_'.join(parts)}".replace("/", "_")


def copy_tables(tables: dict[str, tuple[str, list[str], list[str]]], cache: str) -> Path:
    """The tables as Parquet files under `cache` (made once per fingerprint), read through
    Django's connection in batches (memory stays small). Returns their folder."""
    import polars as pl
    from django.db import connection

    folder = Path(cache) / fingerprint(tables)
    if (folder / "done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for name, (table, columns, dates) in tables.items():
        frames = []
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608 - our names
            while rows := cursor.fetchmany(500_000):
                frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
                frames.append(frame.with_columns(pl.col(d).cast(pl.Utf8).str.to_date() for d in dates))
        pl.concat(frames).write_parquet(folder / f"{name}.parquet")
    (folder / "done").touch()
    return folder


def duck(folder: Path, tables: list[str], saved: bool = False):
    """An in-memory DuckDB connection holding the tables (or, with `saved`, a DuckDB file
    of them in `folder`, written once, opened read-only)."""
    import duckdb

    path = folder / "yardstick.duckdb"
    if saved and path.exists():
        return duckdb.connect(str(path), read_only=True)
    con = duckdb.connect(str(path) if saved else ":memory:")
    for name in tables:
        con.execute(
            f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')"
        )
    return con


# ---------------------------------------------------------------- the two sides


def bookwise_groups(period) -> dict[str | None, tuple]:
    """Bookwise's figures per territory, money in cents."""
    from bookwise.retention.reports import retention_report

    def cents(value) -> int:
        return int(value * 100)

    return {
        g.group: (
            g.base_accounts,
            g.retained_accounts,
            g.new_accounts,
            cents(g.base_revenue),
            cents(g.gross_retained),
            cents(g.retained_revenue),
            cents(g.period_revenue),
            cents(g.lost_revenue),
        )  # fmt: skip
        for g in retention_report(period=period, by="territory")
    }


def duck_groups(rows: list[tuple]) -> dict[str | None, tuple]:
    return {row[0]: tuple(int(v) for v in row[1:]) for row in rows}


def compare(ours: dict, theirs: dict) -> list[str]:
    """The differences, in words (none: equal to the cent)."""
    sides = (("Bookwise", ours, theirs), ("DuckDB", theirs, ours))
    problems = [f"group {g!r} only in {side}" for side, a, b in sides for g in a if g not in b]
    for group in set(ours) & set(theirs):
        for name, a, b in zip(FIELDS, ours[group], theirs[group], strict=True):
            if a != b:
                problems.append(f"group {group!r} {name}: Bookwise {a}, DuckDB {b}")
    return problems


def command_times(args, period, folder: Path, sql: str) -> dict[str, dict[str, float]]:
    """`bookwise report retention` end to end beside a DuckDB process on a saved file."""
    env = os.environ | {"PYTHONPATH": str(ROOT / "src"), "BOOKWISE_DATABASE_URL": args.database_url}
    env.pop("BOOKWISE_DEBUG", None)  # as a user runs it
    report = [sys.executable, "-m", "bookwise.cli", "report", "retention", "--start", str(period.start)]
    report += ["--end", str(period.end), "--by", "territory", "--format", "csv"]
    duck(folder, list(TABLES), saved=True).close()
    script = (
        "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True);"
        " [print(','.join(map(str, r))) for r in con.execute(sys.argv[2]).fetchall()]"
    )
    runner = [sys.executable, "-c", script, str(folder / "yardstick.duckdb"), sql]
    return {
        "bookwise": process_times(report, args.command_runs, env),
        "duckdb": process_times(runner, args.command_runs, env),
    }


def run(args) -> dict[str, Any]:
    setup_django(args.database_url)
    from bookwise.accounts.models import Account, OrderLine
    from bookwise.core.dates import parse_period
    from bookwise.retention.refresh import ensure_fresh

    period = parse_period(args.year)
    prev = period.previous()
    sql = RETENTION_SQL.format(ps=period.start, pe=period.end, qs=prev.start, qe=prev.end)
    ensure_fresh()
    size = f"{Account.objects.count():,} accounts, {OrderLine.objects.count():,} order lines"
    print(f"retention by territory, {period.label} vs {prev.label}; {size}; {load()}")
    ours, ours_groups = timed(lambda: bookwise_groups(period), args.repeat, server=True)
    folder = copy_tables(TABLES, args.cache)
    con = duck(folder, list(TABLES))
    theirs, rows = timed(lambda: con.execute(sql).fetchall(), args.repeat)
    problems = compare(ours_groups, duck_groups(rows))
    result = {
        "workload": f"retention by territory {period.label} ({size})",
        "bookwise": ours,
        "yardstick": theirs,
        "yardstick_name": "DuckDB in memory, METRICS.md SQL over the order lines",
        "equal": not problems,
        "groups": len(ours_groups),
        "load": os.getloadavg(),
    }
    if not args.no_command:
        result["command"] = command_times(args, period, folder, sql)
    return result | {"problems": problems}


def _times(label: str, t: dict[str, float]) -> str:
    best = f" (best {t['wall_best']:.3f} / {t['cpu_best']:.3f})" if "wall_best" in t else ""
    return f"  {label:<44} wall {t['wall']:.3f} s, CPU {t['cpu']:.3f} s{best}"


def _ratio(ours: dict[str, float], theirs: dict[str, float]) -> str:
    return f"ratio CPU {ours['cpu'] / theirs['cpu']:.1f}x, wall {ours['wall'] / theirs['wall']:.1f}x"


def report(result: dict[str, Any]) -> None:
    ours, theirs = result["bookwise"], result["yardstick"]
    print(_times("Bookwise retention_report (median, best)", ours))
    print(_times("DuckDB in memory, METRICS.md SQL", theirs))
    print(f"  {_ratio(ours, theirs)} (Bookwise / DuckDB, medians)")
    problems = "; ".join(result["problems"][:9])
    verdict = "identical to the cent" if result["equal"] else f"DIFFERENT: {problems}"
    print(f"  {result['groups']} groups, every figure compared: {verdict}")
    if "command" in result:
        b, d = result["command"]["bookwise"], result["command"]["duckdb"]
        print(_times("`bookwise report retention` end to end", b))
        print(_times("DuckDB process on a saved file", d))
        print(f"  {_ratio(b, d)}")
    print(f"  {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BOOKWISE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--year", default="2025", help="the period P (a year, quarter or month label)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--command-runs", type=int, default=5)
    parser.add_argument("--no-command", action="store_true", help="skip the end-to-end command timing")
    parser.add_argument("--cache", default=DEFAULT_CACHE, help="where the Parquet and DuckDB copies are kept")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    result = run(args)
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    if not result["equal"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
