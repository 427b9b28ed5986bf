"""What the order lines' secondary indexes buy the reads that use them: each read timed with
the planner free to use the indexes and with index use switched off (SQLite `NOT INDEXED`;
PostgreSQL `enable_indexscan`, `enable_indexonlyscan` and `enable_bitmapscan` off), for the
import's trade in issue #13 (fewer indexes, a cheaper import, slower reads).

    .venv/bin/python bench/line_index_reads.py                                   # the yardstick's SQLite file
    .venv/bin/python bench/line_index_reads.py --sqlite /work/bench-data/book_50k_5m.sqlite3
    .venv/bin/python bench/line_index_reads.py --postgresql postgresql://postgres@127.0.0.1:5432/bench_shared

The database is any Bookwise database holding order lines (bench/yardstick_import.py leaves
its SQLite file under /tmp/bookwise-bench). Each read runs 3 times; the mean wall time is
printed. Figures: docs/performance.md (Imports, "Against the engines").
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable
from functools import partial
from typing import Any

LINES = "accounts_orderline"
# (what reads it, the SQL with {h} where SQLite's NOT INDEXED goes, which index serves it)
READS = [
    (
        "a partial month, every account (retention's period edges)",
        f"SELECT account_id, SUM(amount) FROM {LINES} {{h}} WHERE order_date BETWEEN %(start)s AND %(mid)s "
        "GROUP BY account_id",
        "(order_date, account_id)",
    ),
    (
        "the book's first order date (retention.coverage.book_extent)",
        f"SELECT MIN(order_date) FROM {LINES} {{h}}",
        "(order_date, account_id)",
    ),
    (
        "a rep's lines over a year (transfers' performance, team series)",
        f"SELECT order_date, amount FROM {LINES} {{h}} WHERE rep_id = %(rep)s "
        "AND order_date BETWEEN %(start)s AND %(end)s",
        "(rep_id, order_date)",
    ),
    (
        "an account's last 20 lines (the account page)",
        f"SELECT order_date, amount FROM {LINES} {{h}} WHERE account_id = %(account)s "
        "ORDER BY order_date DESC LIMIT 20",
        "(account_id, order_date, amount)",
    ),
]
OFF = "SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off"
ON = "RESET enable_indexscan; RESET enable_indexonlyscan; RESET enable_bitmapscan"


def _all(conn: Any, sql: str, params: dict[str, Any]) -> list[Any]:
    return list(conn.execute(sql, params).fetchall())


def timed(run: Callable[[], list[Any]]) -> tuple[float, int]:
    start, rows = time.perf_counter(), 0
    for _ in range(3):
        rows = len(run())
    return (time.perf_counter() - start) / 3 * 1000, rows


def sqlite_reads(path: str) -> None:
    conn = sqlite3.connect(path)
    params = _params(lambda sql: conn.execute(sql.replace("%s", "?")).fetchone())
    for name, sql, index in READS:
        query = sql.replace("%(", ":").replace(")s", "")
        for hint in ("", "NOT INDEXED"):
            ms, rows = timed(partial(_all, conn, query.format(h=hint), params))
            _print(name, index, "no index" if hint else "index", ms, rows)


def postgresql_reads(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        params = _params(lambda sql: conn.execute(sql).fetchone())  # type: ignore[call-overload]
        for name, sql, index in READS:
            for switch in (ON, OFF):
                conn.execute(switch)  # type: ignore[call-overload]
                ms, rows = timed(partial(_all, conn, sql.format(h=""), params))
                _print(name, index, "no index" if switch == OFF else "index", ms, rows)
        conn.execute(ON)  # type: ignore[call-overload]


def _params(one: Callable[[str], Any]) -> dict[str, Any]:
    """A year and a half month inside the data, a rep with lines and the account with most."""
    last = str(one(f"SELECT MAX(order_date) FROM {LINES}")[0])[:4]
    year = str(int(last) - 1)
    rep = one(f"SELECT rep_id FROM {LINES} WHERE rep_id IS NOT NULL LIMIT 1")[0]
    account = one(f"SELECT account_id FROM {LINES} GROUP BY account_id ORDER BY COUNT(*) DESC LIMIT 1")[0]
    return {
        "start": f"{year}-03-01",
        "mid": f"{year}-03-15",
        "end": f"{year}-12-31",
        "rep": rep,
        "account": account,
    }


def _print(name: str, index: str, how: str, ms: float, rows: int) -> None:
    print(f"{name:62s} {index:34s} {how:8s} {ms:9.1f} ms  {rows} rows", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default="/tmp/bookwise-bench/yardstick.sqlite3")
    parser.add_argument("--postgresql", help="a PostgreSQL URL (instead of SQLite)")
    args = parser.parse_args()
    if args.postgresql:
        postgresql_reads(args.postgresql)
    else:
        sqlite_reads(args.sqlite)


if __name__ == "__main__":
    main()
