"""After an orders import: the rollups of the accounts it touched refreshed in its own
transaction, or, after a large import (a first load; more accounts than REFRESH_ALL_ABOVE),
marked outdated and rebuilt by a job queued when the import commits, with every reader
rebuilding them first until that job has run (retention.services.revenue_rollup_after_import)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bookwise.accounts import bulk_indexes
from bookwise.accounts.models import OrderLine
from bookwise.jobs.models import Job
from bookwise.retention import refresh
from bookwise.retention.rollup import account_sums
from bookwise.retention.services import REBUILD_JOB, revenue_rollup_refresh
from bookwise.team import rollup as team_rollup
from bookwise.team.selectors.common import windows_at
from bookwise.team.selectors.facts import collect_facts

from .helpers import counts, line_structures, plain_indexes, run
from .test_import_behaviour import ACCOUNTS, people  # noqa: F401 - the fixture
from .test_orders_merge import HEADER, LINES, book, rollups  # noqa: F401 - the fixture

EMPTY: list[list[tuple]] = [[], [], [], []]
TABLE = OrderLine._meta.db_table


@pytest.fixture
def bulk_ready(people, tmp_path, settings):  # noqa: F811 - the fixture
    """The accounts imported, and any orders import a bulk load (`import_bulk_min_lines` 1);
    the order lines' structures before it."""
    run(tmp_path, "accounts", ACCOUNTS)
    settings.BOOKWISE = {**settings.BOOKWISE, "import_bulk_min_lines": 1}
    return line_structures()


def test_a_first_load_queues_one_rebuild_and_the_job_makes_the_rollups_and_indexes(
    bulk_ready,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    """A bulk first load leaves the order lines' plain indexes to the job as well: the unique
    order ids and the keys are in place when it commits."""
    before = bulk_ready
    plain = plain_indexes(before)
    with django_capture_on_commit_callbacks() as committed:
        assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)
    assert rollups() == EMPTY  # nothing written in the import's transaction
    assert (refresh.is_fresh(), team_rollup.is_fresh()) == (False, False)
    assert line_structures() == {name: s for name, s in before.items() if name not in plain}
    assert not Job.objects.filter(name=REBUILD_JOB).exists()
    for callback in committed:  # the import commits: the rebuild is queued (and run at once,
        callback()  # as the tests' queue runs jobs in the caller)
    job = Job.objects.get(name=REBUILD_JOB)
    assert (job.state, job.user) == (Job.DONE, None)
    assert job.result == "Order lines indexed and their rollups up to date."
    assert line_structures() == before and bulk_indexes.pending(TABLE) == []
    assert (refresh.is_fresh(), team_rollup.is_fresh()) == (True, True)
    built = rollups()
    assert built != EMPTY
    revenue_rollup_refresh()
    assert built == rollups()


def test_a_report_read_before_the_job_rebuilds_the_rollups_and_indexes_itself(
    bulk_ready,
    tmp_path,
):
    """No job has run (the tests' transaction never commits): the readers of both rollups
    build the lines' indexes and bring the rollups up to date, so the figures are those of
    the lines."""
    before = bulk_ready
    assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)
    assert bulk_indexes.pending(TABLE)
    sums = account_sums({"q1": (date(2026, 1, 1), date(2026, 3, 31))})
    assert sorted(s["q1"] for s in sums.values()) == [Decimal("300.00"), Decimal("950.10")]
    collect_facts(windows_at(date(2026, 3, 31)))
    assert (refresh.is_fresh(), team_rollup.is_fresh()) == (True, True)
    assert line_structures() == before and bulk_indexes.pending(TABLE) == []
    read = rollups()
    revenue_rollup_refresh()
    assert read == rollups()


def test_an_import_into_a_fresh_book_refreshes_its_accounts_at_once(
    book,  # noqa: F811 - the fixture
    tmp_path,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as committed:
        assert counts(run(tmp_path, "orders", HEADER + "O9,A2,2026-02-27,1.25,,,,repeat\n")) == (1, 0, 0, 0)
    assert committed == []  # no job
    assert (refresh.is_fresh(), team_rollup.is_fresh()) == (True, True)
    assert Job.objects.filter(name=REBUILD_JOB).count() == 1  # the book's first load's
    refreshed = rollups()
    revenue_rollup_refresh()
    assert refreshed == rollups()


def test_a_book_wiped_before_the_job_keeps_the_indexes_to_build(
    bulk_ready,
    tmp_path,
):
    """`bookwise demo --rebuild` wipes the book's tables: the record of the indexes a bulk load
    left is the tables' own and stays, so the next refresh still builds them."""
    from bookwise.demo.builder.lifecycle import wipe_book

    before = bulk_ready
    assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)
    wipe_book()
    assert not OrderLine.objects.exists() and len(bulk_indexes.pending(TABLE)) == 3
    revenue_rollup_refresh()
    assert line_structures() == before and bulk_indexes.pending(TABLE) == []
