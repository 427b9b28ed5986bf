"""PostgreSQL: after a large import, the queued rebuild of the rollups and a report reading
them at the same moment (retention.services.revenue_rollup_after_import), and a small
import besides. They meet on the order lines' deferred indexes (accounts.bulk_indexes) and
on the rollup's state row: one builds and rebuilds, the others wait and find it done;
nobody fails, and the figures are those of a rebuild of everything, with the order lines'
and the rollup tables' indexes in place."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from bookwise.accounts import bulk_indexes, line_rollups
from bookwise.accounts.models import OrderLine
from bookwise.retention.models import RollupState
from bookwise.retention.rollup import account_sums
from bookwise.retention.services import revenue_rollup_catch_up, revenue_rollup_refresh
from bookwise.team.models import LineRollupState
from bookwise.team.selectors.common import windows_at
from bookwise.team.selectors.facts import collect_facts
from bookwise.team.services import line_rollup_catch_up

from .helpers import counts, line_structures, run
from .test_import_behaviour import ACCOUNTS, REPS
from .test_orders_merge import HEADER, LINES, rollups

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]
TABLES = ("retention_accountmonth", "retention_accountquarter", "team_linemonth", "team_firstline")


def indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY indexdef", [list(TABLES)]
        )
        return [row[0] for row in cursor.fetchall()]


def rebuild() -> None:
    """The job rollups_rebuild (bookwise.jobs.registry)."""
    revenue_rollup_catch_up()
    line_rollup_catch_up()


def report() -> None:
    account_sums({"q1": (date(2026, 1, 1), date(2026, 3, 31))})
    collect_facts(windows_at(date(2026, 3, 31)))


def small_import(tmp_path: Path, text: str) -> None:
    assert counts(run(tmp_path, "orders", text)) == (1, 0, 0, 0)


def at_once(*works: Callable[[], None]) -> list[BaseException]:
    """Run `works` in threads released together; what they raised."""
    barrier, failures = threading.Barrier(len(works)), list[BaseException]()

    def side(work: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=10)
            work()
        except BaseException as error:  # noqa: BLE001 - returned to the test
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=side, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def test_the_rebuild_a_report_and_an_import_at_once_build_once_and_agree(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write")
    run(tmp_path, "reps", REPS)
    run(tmp_path, "accounts", ACCOUNTS)
    assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)  # the tests' queue rebuilt at once
    structure, lines_structure = indexes(), line_structures()
    for round_ in range(3):
        with transaction.atomic(), bulk_indexes.indexes_deferred(OrderLine._meta.db_table):
            pass  # as a large import leaves the lines: their plain indexes left to be built
        line_rollups.outdate(RollupState)  # and the rollups, before its job runs
        line_rollups.outdate(LineRollupState)
        line = f"{HEADER}O{10 + round_},A2,2026-03-0{round_ + 1},10.00,,,,repeat\n"
        assert at_once(rebuild, report, partial(small_import, tmp_path, line)) == []
        assert OrderLine.objects.count() == 4 + round_
        assert bulk_indexes.pending(OrderLine._meta.db_table) == [] and line_structures() == lines_structure
        read = rollups()
        assert indexes() == structure
        revenue_rollup_refresh()
        assert rollups() == read
