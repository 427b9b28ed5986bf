"""The jobs page and its JSON (/jobs/<id>.json, which the pages' scripts follow) show a job with
parts (a commission run's chunks) as one job, running until every part is done, as the API
does (jobs.follow)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from bookwise.jobs.models import Job
from bookwise.retention.services import REBUILD_JOB
from tests.jobs.parts import run_with_parts

pytestmark = pytest.mark.django_db


def _cells(html: str, job: Job) -> list[str]:
    row = re.search(rf'<tr id="job-{job.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no line for job {job.pk}"
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_a_run_with_parts_is_one_line_running_until_its_parts_are_done(org, login):
    whole, first, second = run_with_parts(org["D1"].user)
    page = login(org["D1"]).get("/jobs/").content.decode()
    assert f'id="job-{first.pk}"' not in page and f'id="job-{second.pk}"' not in page  # no line of its own
    label, state, _queued, finished, result = _cells(page, whole)
    assert (label, state, finished) == ("Commission run 2026-Q2", "Running (1 of 2 parts done)", "")
    assert 'http-equiv="refresh"' in page  # it follows itself while the run is not stored
    Job.objects.filter(pk=second.pk).update(
        state=Job.DONE, result="Draft run of 2026-Q2 computed: 6 statement(s).",
        link="/commissions/runs/7/", finished_at=timezone.now(),
    )  # fmt: skip
    page = login(org["D1"]).get("/jobs/").content.decode()
    _label, state, _queued, _finished, result = _cells(page, whole)
    assert state == "Done" and result == "Draft run of 2026-Q2 computed: 6 statement(s). Open"
    assert 'href="/commissions/runs/7/"' in page and 'http-equiv="refresh"' not in page


def test_the_json_says_running_with_the_parts_done_then_done_with_the_run(org, login):
    whole, _first, second = run_with_parts(org["D1"].user)
    client = login(org["D1"])
    running = client.get(f"/jobs/{whole.pk}.json").json()
    assert (running["state"], running["progress"], running["link"]) == (
        "running",
        {"done": 1, "total": 2},
        "",
    )
    Job.objects.filter(pk=second.pk).update(
        state=Job.DONE, link="/commissions/runs/7/", finished_at=timezone.now()
    )
    done = client.get(f"/jobs/{whole.pk}.json").json()
    assert (done["state"], done["link"]) == ("done", "/commissions/runs/7/")


def test_an_import_whose_rollups_rebuild_failed_reads_done_with_the_failure_beside(org, login):
    """The rebuild a large import queues is a follow-up (jobs.registry.JobSpec.follow_up): its
    failure does not undo the import, whose lines are in."""
    user = org["D1"].user
    whole = Job.objects.create(
        name="import_file", label="Import orders.csv", user=user, state=Job.DONE,
        result="orders: 1,000,000 created, 0 updated, 0 unchanged", finished_at=timezone.now(),
    )  # fmt: skip
    rebuild = Job.objects.create(
        name=REBUILD_JOB, label="Index the order lines and rebuild their rollups after a large import",
        user=None, parent=whole,
    )  # fmt: skip
    page = login(org["D1"]).get("/jobs/").content.decode()
    assert _cells(page, whole)[1] == "Running (0 of 1 parts done)"
    Job.objects.filter(pk=rebuild.pk).update(
        state=Job.FAILED, error="the database was unavailable", finished_at=timezone.now()
    )
    page = login(org["D1"]).get("/jobs/").content.decode()
    _label, state, _queued, _finished, result = _cells(page, whole)
    assert state == "Done"
    assert result == (
        "orders: 1,000,000 created, 0 updated, 0 unchanged Index the order lines and rebuild their "
        "rollups after a large import failed: the database was unavailable. The lines are in; a "
        "report opened rebuilds the rollups itself."
    )
    followed = login(org["D1"]).get(f"/api/jobs/{whole.pk}").json()
    assert (followed["state"], followed["error"]) == ("done", None)
    assert followed["warning"].startswith("Index the order lines and rebuild their rollups")


def test_a_failed_part_that_is_no_follow_up_still_fails_the_whole(org, login):
    whole, _first, second = run_with_parts(org["D1"].user)
    Job.objects.filter(pk=second.pk).update(state=Job.FAILED, error="the database was unavailable")
    followed = login(org["D1"]).get(f"/api/jobs/{whole.pk}").json()
    assert (followed["state"], followed["warning"]) == ("failed", None)
    assert followed["error"] == "part 2: the database was unavailable"
