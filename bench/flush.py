"""How a committing test's database is emptied on PostgreSQL: Django's TRUNCATE of every
table against the DELETEs of the test settings' backend (bookwise.config.test_database),
alternated on the same migrated test database, median of the rounds (docs/performance.md,
the test suite).

    python bench/flush.py [--url postgresql://postgres@127.0.0.1:5432/bookwise_flush] [--rounds 8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/bookwise_flush")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    os.environ["BOOKWISE_TEST_DATABASE_URL"] = args.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bookwise.config.test_settings"
    import django

    django.setup()
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.backends.postgresql.operations import DatabaseOperations
    from django.test.utils import setup_databases, teardown_databases

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        ways = {
            "TRUNCATE (Django)": DatabaseOperations.sql_flush(connection.ops, no_style(), tables),
            "DELETE (test backend)": connection.ops.sql_flush(no_style(), tables),
        }
        spent: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.rounds):
            for name, statements in ways.items():
                start = time.perf_counter()
                with transaction.atomic(), connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
                spent[name].append(time.perf_counter() - start)
        print(f"{len(tables)} tables, {args.rounds} rounds, median wall time:")
        for name, times in spent.items():
            print(f"  {name}: {statistics.median(times) * 1000:.0f} ms")
        print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
