"""A commission run queued through the API and followed to its end, with a real HTTP client
and a token against a live server: `"background": true` answers 202 with the job, and
GET /api/jobs/{id} reaches "done" with the run's page and API URL. With
BOOKWISE_TEST_TOPOLOGY=production a real worker takes the job from Redis, so the test polls
(with a timeout); else the tests' queue runs it in the request and it is done at once.

A rep's background run is refused (403) before anything is queued; another user's job is
not found; an administrator follows it. An import whose rollups' rebuild failed is followed
as done, with a warning."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from bookwise.commissions.models import Run
from bookwise.core.models import AuditEntry
from bookwise.jobs.models import Job
from bookwise.retention.services import REBUILD_JOB

from .conftest import Clients
from .world import World

FINISHED = ("done", "failed")
TIMEOUT = 180.0  # seconds: a quarter of this small book takes a second or two on a worker


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


def follow(client: httpx.Client, url: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    """GET the job until it is finished; its last answer (fails after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get(url)
        assert answer.status_code == 200, answer.text
        job = answer.json()
        if job["state"] in FINISHED:
            return job
        assert time.monotonic() < deadline, f"the job is still {job['state']} after {timeout:.0f} s: {job}"
        time.sleep(0.5)


def test_a_reps_background_run_is_refused_and_nothing_is_queued(world: World, clients: Clients) -> None:
    period = world.period()
    answer = clients.token(world.user("R1")).post(
        "/api/commissions/runs", json={"period": period, "background": True}
    )
    assert answer.status_code == 403, answer.text
    assert "Only admins and directors run commissions" in answer.json()["message"]
    assert not Job.objects.exists() and not Run.objects.exists()


def test_a_directors_background_run_is_queued_and_followed_until_done(world: World, clients: Clients) -> None:
    period = world.period()
    director = clients.token(world.user("D1"))
    answer = director.post("/api/commissions/runs", json={"period": period, "background": True})
    assert answer.status_code == 202, answer.text
    queued = answer.json()["job"]
    assert queued["url"] == f"/api/jobs/{queued['id']}" and queued["state"] in ("queued", "running", "done")
    job = follow(director, queued["url"])
    assert job["state"] == "done", job
    assert (job["name"], job["label"], job["user"]) == ("commissions_run", f"Commission run {period}", "d1")
    run = Run.objects.get(period=period)
    assert (
        job["link"] == f"/commissions/runs/{run.pk}/"
        and job["result_url"] == f"/api/commissions/runs/{run.pk}"
    )
    assert job["result"].startswith(f"Draft run of {period} computed")
    result = director.get(job["result_url"])
    assert (
        result.status_code == 200 and result.json()["period"] == period and result.json()["status"] == "draft"
    )
    audit = AuditEntry.objects.get(action="commissions.run.compute")
    assert audit.actor_id == world.user("D1").pk  # computed on the worker as the director
    assert [row["id"] for row in director.get("/api/jobs").json()] == [queued["id"]]
    assert clients.token(world.user("M1")).get(queued["url"]).status_code == 404
    assert clients.token(world.admin).get(queued["url"]).json()["state"] == "done"


def test_an_import_whose_rollups_rebuild_failed_is_followed_as_done_with_a_warning(
    world: World, clients: Clients
) -> None:
    """The rebuild a large orders import queues is a follow-up (jobs.registry.JobSpec.follow_up):
    when it failed, GET /api/jobs/{id} answers the import done, with `warning` saying so."""
    director = world.user("D1")
    imported = Job.objects.create(
        name="import_file", label="Import orders.csv", user=director, state=Job.DONE,
        result="orders: 250,000 created, 0 updated, 0 unchanged",
    )  # fmt: skip
    Job.objects.create(
        name=REBUILD_JOB, label="Rebuild the rollups", parent=imported, state=Job.FAILED,
        error="the database was unavailable",
    )  # fmt: skip
    job = clients.token(director).get(f"/api/jobs/{imported.pk}").json()
    assert (job["state"], job["result"], job["error"]) == (
        "done", "orders: 250,000 created, 0 updated, 0 unchanged", None,
    )  # fmt: skip
    assert job["warning"] == (
        "Rebuild the rollups failed: the database was unavailable. The lines are in; "
        "a report opened rebuilds the rollups itself."
    )
