"""Benchmark the retention reports (issue #3) on a generated book.

    python bench/retention.py --database-url sqlite:////path/book.sqlite3 [--year 2025] [--repeat 3]
    python bench/retention.py --database-url postgresql://postgres@127.0.0.1:5432/bench_retention

Measures:
  1. retention by territory for one calendar year against the year before (the report),
     warm (one untimed run first, then the best of --repeat runs);
  2. the dashboard computed cold (`book_health`, not from the result cache, with the
     per-process tier cache emptied before every run) for the admin and for one sales
     manager: --cold-runs runs each, p50 and max of wall and CPU time (this process, and on
     PostgreSQL the backend's, read from /proc when the server runs on this machine);
  3. the dashboard's pieces one by one (cold tiers), and the home page from the warm result cache;
  4. on SQLite, the same retention query in DuckDB over the same file (a yardstick).
Read-only: never writes to the database. Prints the load average with every figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DUCKDB_SQL = """
with per_account as (
  select account_id,
         sum(case when order_date between DATE '{ps}' and DATE '{pe}' then amount else 0 end) as rev_p,
         sum(case when order_date between DATE '{qs}' and DATE '{qe}' then amount else 0 end) as rev_prev
  from db.accounts_orderline
  where order_date between DATE '{qs}' and DATE '{pe}'
  group by account_id
)
select t.name as territory,
       count(*) filter (where rev_prev > 0) as base_accounts,
       count(*) filter (where rev_prev > 0 and rev_p > 0) as retained_accounts,
       sum(case when rev_prev > 0 then greatest(0, least(rev_p, rev_prev)) else 0 end) as grr_num,
       sum(case when rev_prev > 0 then greatest(0, rev_p) else 0 end) as nrr_num,
       sum(case when rev_prev > 0 then rev_prev else 0 end) as base_revenue,
       sum(rev_p) as period_revenue
from per_account p join db.accounts_account a on a.id = p.account_id
left join db.people_territory t on t.id = a.territory_id
group by t.name order by t.name
"""


TABLES = {
    "accounts_orderline": "account_id, order_date, amount",
    "accounts_account": "id, territory_id",
    "people_territory": "id, name",
}


def setup_django(url: str) -> None:
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


CPU: dict[str, float] = {}


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Best wall time of `repeat` warm runs; the matching CPU time of this process (which
    includes SQLite's work, not PostgreSQL's) is left in CPU["last"]."""
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, CPU["last"] = min(times)
    return wall, result


def duckdb_time(path: str, period, repeat: int) -> float:
    import duckdb

    prev = period.previous()
    sql = DUCKDB_SQL.format(ps=period.start, pe=period.end, qs=prev.start, qe=prev.end)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{path}' AS db (TYPE sqlite, READ_ONLY)")
    except duckdb.Error:  # no sqlite extension offline: copy the three tables in (not timed)
        import sqlite3

        import polars as pl

        source = sqlite3.connect(path)
        con.execute("CREATE SCHEMA db")
        for table, cols in TABLES.items():
            rows = source.execute(f"select {cols} from {table}").fetchall()  # noqa: S608
            parquet = f"{path}.{table}.parquet"
            pl.DataFrame(rows, schema=cols.split(", "), orient="row").write_parquet(parquet)
            con.execute(f"CREATE TABLE db.{table} AS SELECT * FROM read_parquet('{parquet}')")
            os.remove(parquet)
            if "order_date" in cols:
                con.execute(f"ALTER TABLE db.{table} ALTER order_date TYPE DATE")
    seconds, _ = best_of(lambda: con.execute(sql).fetchall(), repeat)
    return seconds


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def server_cpu() -> float | None:
    """CPU seconds used so far by the PostgreSQL backend serving this connection (read from
    /proc: the server must run on this machine; parallel workers are not counted), else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


Timings = tuple[list[float], list[float], list[float]]


def cold(fn: Callable[[], object], runs: int, *, clear: bool = True) -> Timings:
    """Wall, CPU (this process) and PostgreSQL backend CPU seconds of `runs` calls, each with
    the per-process tier cache emptied first (what the first view after a start, a new day or
    an import pays) unless `clear` is false."""
    from bookwise.retention import selectors

    walls, cpus, servers = [], [], []
    for _ in range(runs):
        if clear:
            selectors._tier_cache.clear()
        server = server_cpu()
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        if server is not None:
            servers.append((server_cpu() or 0) - server)
    return walls, cpus, servers


def summary(timings: Timings) -> str:
    walls, cpus, servers = timings
    server = f", server cpu p50 {statistics.median(servers):.3f} s" if servers else ""
    cpu = f"cpu p50 {statistics.median(cpus):.3f} s, max {max(cpus):.3f} s{server}"
    wall = f"p50 {statistics.median(walls):.3f} s, max {max(walls):.3f} s wall"
    return f"{wall}; {cpu} ({len(walls)} runs, {load()})"


def cold_dashboard(manager: str, runs: int) -> None:
    """book_health computed from scratch, for the admin (whole book) and a sales manager."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bookwise.accounts.selectors import visible_accounts
    from bookwise.dashboard.selectors import book_health

    today = timezone.localdate()
    users = get_user_model().objects
    for label, user in [
        ("admin", users.filter(is_superuser=True).first()),
        (f"sales manager {manager}", users.get(username=manager)),
    ]:
        n = visible_accounts(user=user).count()
        book_health(user=user, today=today)  # connection, imports, page cache: not the figure
        timings = cold(lambda u=user: book_health(user=u, today=today), runs)
        print(f"dashboard cold (book_health), {label} ({n:,} accounts): {summary(timings)}")


def parts(repeat: int) -> None:
    """The dashboard's pieces for the admin, timed one by one (tiers cold every run), and the
    at-risk page's whole list."""
    from django.utils import timezone

    from bookwise.dashboard.selectors import top_gaps
    from bookwise.retention.book import at_risk, at_risk_summary
    from bookwise.retention.reports import lost_summary
    from bookwise.retention.rows import last_complete_quarter
    from bookwise.retention.selectors import book_tiers
    from bookwise.retention.trend import retention_trend

    today = timezone.localdate()
    period = last_complete_quarter(today)
    pieces = {
        "retention trend, 8 quarters": lambda: retention_trend(last=period),
        "lost accounts, last quarter (count, totals, top 10)": lambda: lost_summary(period=period),
        "at risk (count, top 10, every account's T12M)": lambda: at_risk_summary(day=today),
        "tiers of all accounts from their T12M (cold)": lambda: book_tiers(day=today),
        "top gaps (tiers known)": lambda: top_gaps(None, book_tiers(day=today)),
        "(the at-risk page's whole list)": lambda: at_risk(day=today),
    }
    for name, fn in pieces.items():
        print(f"  dashboard part {name}: {summary(cold(fn, repeat, clear='cold' in name))}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", default="2025")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=7, help="runs of the cold dashboard per user")
    parser.add_argument("--manager", default="m00046", help="a sales manager's login (default: largest team)")
    parser.add_argument("--only-cold", action="store_true", help="time the cold dashboard only")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bookwise.accounts.models import Account, OrderLine
    from bookwise.core.dates import parse_period
    from bookwise.retention.reports import retention_report
    from bookwise.retention.rollup import is_fresh

    period = parse_period(args.year)
    accounts, lines = Account.objects.count(), OrderLine.objects.count()
    fresh = is_fresh()
    print(f"database: {connection.vendor}, {accounts:,} accounts, {lines:,} lines, rollup fresh: {fresh}")
    cold_dashboard(args.manager, args.cold_runs)
    if args.only_cold:
        return
    seconds, groups = best_of(lambda: retention_report(period=period, by="territory"), args.repeat)
    label, cpu = f"{period.label} vs {period.previous().label}", CPU["last"]
    print(f"retention by territory {label}: {seconds:.3f} s, cpu {cpu:.3f} s ({len(groups)} groups) {load()}")
    parts(args.repeat)
    client = Client()
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    seconds, response = best_of(lambda: client.get("/"), args.repeat)
    status = response.status_code
    cpu = CPU["last"]
    print(f"dashboard page (admin, warm result cache): {seconds:.3f} s, cpu {cpu:.3f} s (HTTP {status})")
    if connection.vendor == "sqlite":
        duck = duckdb_time(str(connection.settings_dict["NAME"]), period, args.repeat)
        print(f"duckdb, same retention query over the order lines: {duck:.3f} s")


if __name__ == "__main__":
    main()
