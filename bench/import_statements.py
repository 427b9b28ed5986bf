"""Where the orders import's database CPU goes, statement by statement, and what the check for
order ids repeated across the file's blocks costs.

    .venv/bin/python bench/import_statements.py                     # 1,000,000 lines, both databases
    .venv/bin/python bench/import_statements.py --databases sqlite --lines 250000
    .venv/bin/python bench/import_statements.py --databases ""     # the repeated-id check alone

For each database: a fresh one with bench/yardstick_import.py's reps and accounts, then the
orders imported in a child process whose execute wrapper reads the CPU of each statement
(PostgreSQL: its backend's, from /proc/<pid>/stat; SQLite: the process's own, the database
runs inside it) and prints the statements over 0.1 s, summed by statement. COPY goes around
the wrapper (it is the rest of the total). Then the repeated-id check on the file's order ids
in blocks of the import's size: `SeenIds` (hashes first) against comparing each block with
every id seen before, as the import did until 2026-12-06. Figures: docs/performance.md
("Why 3x is not in reach").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import import_orders as orders_bench
import yardstick_import as yard

BLOCK_ROWS = 58_000  # about the rows of one 4 MB block of the import (orders_vector.BLOCK)


def timed_import(path: str) -> None:
    """In a child process: import the orders; print each statement kind's CPU."""
    pid = yard.django_backend_pid()
    from django.db import connection

    from bookwise.imports.services import import_file

    def cpu() -> float:
        return yard.backend_cpu(pid) if pid else yard.cpu_self()

    spent: dict[str, float] = defaultdict(float)

    def wrapper(execute, sql, params, many, context):  # noqa: ANN001, ANN202 - Django's signature
        before = cpu()
        try:
            return execute(sql, params, many, context)
        finally:
            if (used := cpu() - before) > 0.1:
                spent[("many: " if many else "") + " ".join(sql.split())[:80]] += used

    start = cpu()
    with connection.execute_wrapper(wrapper):
        import_file(kind="orders", path=path)
    print(
        f"{connection.vendor}: {cpu() - start:.2f} s of database CPU, {sum(spent.values()):.2f} s in these:"
    )
    for sql, used in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {used:6.2f} s  {sql}")


def repeated_id_check(path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    import django
    import polars as pl

    django.setup()

    from bookwise.imports.services.orders_run import SeenIds

    ids = pl.read_csv(path, columns=["order_id"])["order_id"]
    blocks = [ids.slice(i, BLOCK_ROWS) for i in range(0, len(ids), BLOCK_ROWS)]

    def every_id_again() -> None:
        seen = pl.Series("order_id", [], dtype=pl.String)
        for block in blocks:
            block.is_in(seen.implode())
            seen = pl.concat([seen, block])

    def hashes_first() -> None:
        seen = SeenIds()
        for block in blocks:
            seen.check_and_add(block)

    for name, check in (("every id seen before, per block", every_id_again), ("SeenIds", hashes_first)):
        cpu, wall = yard.cpu_self(), time.perf_counter()
        check()
        used, seconds = yard.cpu_self() - cpu, time.perf_counter() - wall
        print(f"repeated-id check, {name}: {used:.2f} s CPU, {seconds:.2f} s wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--data", type=Path, default=Path("/tmp/bookwise-bench"))
    parser.add_argument("--timed-import", metavar="FILE")
    args = parser.parse_args()
    if args.timed_import:
        timed_import(args.timed_import)
        return
    orders_bench.DATA = args.data
    paths = orders_bench.generate(args.lines)
    os.environ["PGOPTIONS"] = yard.SERIAL
    for name in [n for n in args.databases.split(",") if n]:  # "": the id check alone
        url = yard.fresh_database(name, paths["orders"].parent)
        for kind in ("reps", "accounts"):
            yard.child(url, "--run-one", kind, str(paths[kind]))
        subprocess.run(
            [sys.executable, __file__, "--timed-import", str(paths["orders"])], env=yard._env(url), check=True
        )
    sys.path.insert(0, str(yard.ROOT / "src"))
    repeated_id_check(paths["orders"])
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
