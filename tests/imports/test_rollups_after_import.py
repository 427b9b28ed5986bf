"""After an orders import: the rollups of the accounts it touched refreshed in its own
transaction, or, after a large import (a first load; more accounts than REFRESH_ALL_ABOVE),
marked outdated and rebuilt by a job queued when the import commits, with every reader
rebuilding them first until that job has run (retention.services.revenue_rollup_after_import)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookwise.jobs.models import Job
from bookwise.retention import refresh
from bookwise.retention.rollup import account_sums
from bookwise.retention.services import REBUILD_JOB, revenue_rollup_refresh
from bookwise.team import rollup as team_rollup
from bookwise.team.selectors.common import windows_at
from bookwise.team.selectors.facts import collect_facts

from .helpers import counts, run
from .test_import_behaviour import ACCOUNTS, people  # noqa: F401 - the fixture
from .test_orders_merge import HEADER, LINES, book, rollups  # noqa: F401 - the fixture

EMPTY: list[list[tuple]] = [[], [], [], []]


def test_a_first_load_queues_one_rebuild_and_the_job_makes_the_rollups(
    people,  # noqa: F811 - the fixture
    tmp_path,
    django_capture_on_commit_callbacks,
):
    run(tmp_path, "accounts", ACCOUNTS)
    with django_capture_on_commit_callbacks() as committed:
        assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)
    assert rollups() == EMPTY  # nothing written in the import's transaction
    assert (refresh.is_fresh(), team_rollup.is_fresh()) == (False, False)
    assert not Job.objects.filter(name=REBUILD_JOB).exists()
    for callback in committed:  # the import commits: the rebuild is queued (and run at once,
        callback()  # as the tests' queue runs jobs in the caller)
    job = Job.objects.get(name=REBUILD_JOB)
    assert (job.state, job.user, job.result) == (Job.DONE, None, "Rollups of the order lines up to date.")
    assert (refresh.is_fresh(), team_rollup.is_fresh()) == (True, True)
    built = rollups()
    assert built != EMPTY
    revenue_rollup_refresh()
    assert built == rollups()


def test_a_report_read_before_the_job_rebuilds_the_rollups_itself(
    people,  # noqa: F811 - the fixture
    tmp_path,
):
    """No job has run (the tests' transaction never commits): the readers of both rollups
    bring them up to date, so the figures are those of the lines."""
    run(tmp_path, "accounts", ACCOUNTS)
    assert counts(run(tmp_path, "orders", LINES)) == (3, 0, 0, 0)
    sums = account_sums({"q1": (date(2026, 1, 1), date(2026, 3, 31))})
    assert sorted(s["q1"] for s in sums.values()) == [Decimal("300.00"), Decimal("950.10")]
    collect_facts(windows_at(date(2026, 3, 31)))
    assert (refresh.is_fresh(), team_rollup.is_fresh()) == (True, True)
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
