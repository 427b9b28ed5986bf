"""A commission run through chunk jobs (services.run_chunks, jobs commissions_run and
commissions_run_chunk) equals the single-process run_compute to the cent: every
statement's JSON (lines, override, adjustments) and the run's totals, on the book of
test_chunks (a transfer, co-coverage and a named line across chunks, the managers'
overrides, Q1 approved then changed: line adjustments, an accepted dispute), cut into
chunks of at most two reps."""

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from bookwise.commissions.models import Run, RunAttempt, RunChunk, RunStatus
from bookwise.commissions.services import run_chunks as rc
from bookwise.commissions.services import run_compute
from bookwise.core.errors import Conflict, Forbidden
from bookwise.core.models import AuditEntry
from bookwise.jobs import runner, tasks
from bookwise.jobs.models import Job
from tests.commissions.test_chunks import book, stored
from tests.jobs.topology import DATABASES, Topology, migrated, wait_for

__all__ = ["book"]


def test_a_run_through_chunk_jobs_equals_the_single_process_run(book):
    single = stored(run_compute(period="2026-Q2"))
    assert single[1][1] > 0 and single[1][2] != 0  # a manager override, adjustments
    audits = AuditEntry.objects.filter(action="commissions.run.compute").count()
    job = runner.create("commissions_run", user=book["D1"].user, label="Commission run 2026-Q2",
                        params={"period": "2026-Q2", "most": 2, "jobs": 3})  # fmt: skip
    tasks.send(job.pk)  # the tests' queue runs jobs in the caller
    job.refresh_from_db()
    assert job.state == Job.DONE, job.error
    parts = Job.objects.filter(name="commissions_run_chunk")
    assert parts.count() >= 3 and set(parts.values_list("state", flat=True)) == {Job.DONE}
    run = Run.objects.get(period="2026-Q2", status=RunStatus.DRAFT)
    assert stored(run) == single
    assert AuditEntry.objects.filter(action="commissions.run.compute").count() == audits + 1
    assert not RunAttempt.objects.exists() and not RunChunk.objects.exists()
    assert parts.exclude(link="").get().link == f"/commissions/runs/{run.pk}/"


def test_nothing_shows_until_every_chunk_is_staged_and_a_retried_chunk_replaces_its_own(book):
    draft = run_compute(period="2026-Q2")
    before = stored(draft)
    attempt = rc.attempt_plan(period="2026-Q2", most=2)
    size = len(attempt.plan)
    assert size >= 3
    first, second, last = rc.parts(size, 3)
    for part in (first, second, first):  # the first part computed twice (a retry)
        assert rc.chunk_stage(attempt_id=attempt.pk, part=part)
    assert RunChunk.objects.filter(attempt=attempt).count() == size - len(last)
    assert rc.attempt_gather(attempt_id=attempt.pk) is None  # not all staged: nothing written
    assert Run.objects.get(period="2026-Q2", status=RunStatus.DRAFT).pk == draft.pk
    rc.chunk_stage(attempt_id=attempt.pk, part=last)
    run = rc.attempt_gather(attempt_id=attempt.pk)
    assert run is not None and run.pk != draft.pk and stored(run) == before
    assert Run.objects.filter(period="2026-Q2", status=RunStatus.DRAFT).count() == 1
    assert not rc.chunk_stage(attempt_id=attempt.pk, part=first)  # a late retry: nothing to do
    assert rc.attempt_gather(attempt_id=attempt.pk) is None


def test_a_rep_cannot_run_and_an_approved_period_is_not_run_again(book):
    with pytest.raises(Forbidden):
        rc.attempt_plan(period="2026-Q2", actor=book["R1"].user)
    with pytest.raises(Conflict):
        rc.attempt_plan(period="2026-Q1")
    assert not RunAttempt.objects.exists()


SETUP = """
from tests import factories
from tests.commissions import test_chunks
from bookwise.commissions.services import run_compute
test_chunks.book.__wrapped__(factories.org())
single = test_chunks.stored(run_compute(period="2026-Q2"))
print("SINGLE=" + json.dumps(single, default=str))
"""
STATE = """
from bookwise.jobs.models import Job
from bookwise.commissions.models import Run, RunAttempt
from tests.commissions.test_chunks import stored
jobs = list(Job.objects.values_list("name", "state", "worker", "error"))
run = Run.objects.filter(period="2026-Q2", status="draft").first()
print("STATE=" + json.dumps({"jobs": jobs, "attempts": RunAttempt.objects.count(), "run": run.pk,
                             "stored": stored(run)}, default=str))
"""


def _state(topology: Topology) -> dict:
    return json.loads(topology.bookwise("shell", "-c", "import json\n" + STATE).split("STATE=")[1])


def _all_finished(state: dict) -> bool:
    return all(job[1] in ("done", "failed") for job in state["jobs"])


@pytest.mark.parametrize("database", DATABASES)
def test_a_run_through_two_real_worker_processes_equals_the_single_process_run(tmp_path, database, request):
    topology = migrated(tmp_path, database, request)
    single = json.loads(topology.bookwise("shell", "-c", "import json\n" + SETUP).split("SINGLE=")[1])
    first = _state(topology)["run"]
    workers = ("worker-1", "worker-2")
    for name in workers:
        topology.start(name, "worker", "--workers", "1")
    try:
        # both take jobs only if both are waiting when the jobs come: one that starts slower
        # under load than the other takes to run every chunk would find none left
        wait_for(
            lambda: all("Worker ready" in topology.log(n) for n in workers), 90, "both workers", every=0.2
        )
        queue = ["--background", "--chunk-reps", "2", "--jobs", "3"]
        queued = topology.bookwise("commissions", "run", "--period", "2026-Q2", *queue)
        assert queued.startswith("queued the run of 2026-Q2: follow it at /jobs/")
        # the gathering job commits the run, then its own job row: wait for both
        done = wait_for(
            lambda: (s := _state(topology))["run"] != first and _all_finished(s) and s,
            120,
            "the gathered run and every job finished",
            every=0.5,  # each look is a process of its own
        )
    finally:
        topology.stop()
    chunks = [j for j in done["jobs"] if j[0] == "commissions_run_chunk"]
    assert len(chunks) >= 3 and {j[1] for j in chunks} == {"done"}, done["jobs"]
    assert len({j[2] for j in done["jobs"]}) == 2, "both workers took jobs"
    assert done["stored"] == single and done["attempts"] == 0
    assert Decimal(single[1][0]) > 0


def test_parts_share_the_chunks_out_in_order():
    assert rc.parts(5, 2) == [range(0, 2), range(2, 5)]
    assert rc.parts(2, 4) == [range(0, 1), range(1, 2)]
    assert rc.parts(7, 1) == [range(0, 7)]


def test_the_command_line_refuses_a_bad_period_before_queueing_anything(tmp_path, request):
    topology = migrated(tmp_path, "sqlite", request)
    done = subprocess.run(
        [sys.executable, "-m", "bookwise.cli", "commissions", "run", "--period", "2031-Q1", "--background"],
        env=topology.env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "2031-Q1 has not started yet" in done.stderr
    count = "from bookwise.jobs.models import Job; print('JOBS=%d' % Job.objects.count())"
    assert topology.bookwise("shell", "-c", count).split("JOBS=")[1].strip() == "0"
