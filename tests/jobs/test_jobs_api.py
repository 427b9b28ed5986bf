"""Jobs through the API (units, Django's client; the live proof is tests/live/test_jobs.py):
who follows which job, a commission run queued with `"background": true` (the tests' queue
runs it in the caller, so it is done at once) and a job with parts followed as a whole."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from bookwise.commissions.models import Run
from bookwise.jobs import runner
from bookwise.jobs.models import Job
from tests import factories
from tests.commissions.helpers import load_plans
from tests.jobs.parts import run_with_parts

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict) -> object:
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def people(org):
    return {**org, "admin": factories.admin_user(), "ops": factories.sales_ops_user()}


def test_a_user_follows_their_own_jobs_and_another_users_job_is_not_found(people, login):
    mine = runner.create("overdue_scan", user=people["M1"].user, label="Scan of M1", params={})
    theirs = runner.create("overdue_scan", user=people["M2"].user, label="Scan of M2", params={})
    m1 = login(people["M1"])
    answer = m1.get(f"/api/jobs/{mine.pk}").json()
    assert (answer["label"], answer["state"], answer["user"]) == ("Scan of M1", "queued", "m1")
    assert answer["url"] == f"/api/jobs/{mine.pk}" and answer["page"] == f"/jobs/#job-{mine.pk}"
    refused = m1.get(f"/api/jobs/{theirs.pk}")
    assert refused.status_code == 404 and str(theirs.pk) in refused.json()["message"]
    assert [row["label"] for row in m1.get("/api/jobs").json()] == ["Scan of M1"]
    assert m1.get("/api/jobs?everybody=true").status_code == 403
    # a director sees every book, but follows only their own jobs
    assert login(people["D1"]).get(f"/api/jobs/{mine.pk}").status_code == 404
    assert Client().get(f"/api/jobs/{mine.pk}").status_code == 401


@pytest.mark.parametrize("who", ["admin", "ops"])
def test_an_administrator_and_sales_ops_follow_everybodys_jobs(people, login, who):
    mine = runner.create("overdue_scan", user=people["M1"].user, label="Scan of M1", params={})
    theirs = runner.create("overdue_scan", user=people["M2"].user, label="Scan of M2", params={})
    client = login(people[who])
    assert [client.get(f"/api/jobs/{job.pk}").json()["user"] for job in (mine, theirs)] == ["m1", "m2"]
    assert client.get("/api/jobs").json() == []  # their own: none
    assert {row["label"] for row in client.get("/api/jobs?everybody=true").json()} == {
        "Scan of M1",
        "Scan of M2",
    }
    assert "Scan of M2" in client.get("/jobs/").content.decode()  # the page shows them too


def test_a_background_run_answers_202_with_its_job_which_links_to_the_run(people, login):
    load_plans()
    d1 = login(people["D1"])
    answer = _post(d1, "/api/commissions/runs", {"period": "2026-Q2", "background": True})
    assert answer.status_code == 202, answer.content
    job = answer.json()["job"]
    run = Run.objects.get(period="2026-Q2")
    page = f"/commissions/runs/{run.pk}/"
    assert job == {"id": job["id"], "state": "done", "url": f"/api/jobs/{job['id']}", "page": page}
    followed = d1.get(job["url"]).json()
    assert (followed["name"], followed["label"], followed["state"]) == (
        "commissions_run",
        "Commission run 2026-Q2",
        "done",
    )
    assert followed["link"] == f"/commissions/runs/{run.pk}/"
    assert followed["result_url"] == f"/api/commissions/runs/{run.pk}"
    assert d1.get(followed["result_url"]).json()["period"] == "2026-Q2"
    assert followed["error"] is None and followed["finished_at"] and followed["started_at"]
    parts = Job.objects.filter(parent_id=job["id"])
    assert parts.exists() and set(parts.values_list("name", flat=True)) == {"commissions_run_chunk"}
    assert [row["id"] for row in d1.get("/api/jobs").json()] == [job["id"]]  # without its parts


def test_a_run_in_the_request_still_answers_201_with_the_run(people, login):
    load_plans()
    answer = _post(login(people["D1"]), "/api/commissions/runs", {"period": "2026-Q2", "background": False})
    assert answer.status_code == 201 and answer.json()["period"] == "2026-Q2"
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("who", "period", "status", "says"),
    [("R1", "2026-Q2", 403, "Only admins and directors"), ("D1", "2026-Q9", 422, "2026-Q9")],
)
def test_a_background_run_is_checked_before_anything_is_queued(people, login, who, period, status, says):
    load_plans()
    answer = _post(login(people[who]), "/api/commissions/runs", {"period": period, "background": True})
    assert answer.status_code == status and says in answer.json()["message"], answer.content
    assert not Job.objects.exists() and not Run.objects.exists()


def test_a_job_with_parts_is_followed_as_a_whole(people, login):
    whole, _first, second = run_with_parts(people["D1"].user)
    d1 = login(people["D1"])
    running = d1.get(f"/api/jobs/{whole.pk}").json()
    assert (running["state"], running["progress"], running["progress_text"]) == (
        "running",
        {"done": 1, "total": 2},
        "1 of 2 parts done",
    )
    assert running["finished_at"] is None and running["link"] is None
    Job.objects.filter(pk=second.pk).update(state=Job.FAILED, error="the database was unavailable")
    failed = d1.get(f"/api/jobs/{whole.pk}").json()
    assert failed["state"] == "failed" and failed["error"] == "part 2: the database was unavailable"
    Job.objects.filter(pk=second.pk).update(
        state=Job.DONE, error="", result="Draft run of 2026-Q2 computed: 6 statement(s).",
        link="/commissions/runs/7/", finished_at=timezone.now(),
    )  # fmt: skip
    done = d1.get(f"/api/jobs/{whole.pk}").json()
    assert (done["state"], done["result"], done["link"]) == (
        "done",
        "Draft run of 2026-Q2 computed: 6 statement(s).",
        "/commissions/runs/7/",
    )
    assert done["result_url"] == "/api/commissions/runs/7"


def test_a_running_job_shows_its_progress(people, login):
    job = runner.create("import_file", user=people["admin"], label="Import orders.csv", params={})
    Job.objects.filter(pk=job.pk).update(state=Job.RUNNING, started_at=timezone.now())
    runner._report(job.pk, 1200, 5000)
    answer = login(people["admin"]).get(f"/api/jobs/{job.pk}").json()
    assert (answer["state"], answer["progress"], answer["progress_text"]) == (
        "running",
        {"done": 1200, "total": 5000},
        "1,200 of 5,000",
    )


def test_a_job_created_while_a_job_runs_is_its_part(people):
    outer = runner.create("overdue_scan", user=None, label="outer", params={})
    token = runner._running.set(outer.pk)
    try:
        inner = runner.create("overdue_scan", user=None, label="inner", params={})
    finally:
        runner._running.reset(token)
    after = runner.create("overdue_scan", user=None, label="after", params={})
    assert (inner.parent_id, after.parent_id, outer.parent_id) == (outer.pk, None, None)


def test_sales_ops_queue_a_run_in_the_background_and_follow_it(people, login):
    load_plans()
    ops = login(people["ops"])
    answer = _post(ops, "/api/commissions/runs", {"period": "2026-Q2", "background": True})
    assert answer.status_code == 202, answer.content
    followed = ops.get(answer.json()["job"]["url"]).json()
    assert (followed["state"], followed["user"]) == ("done", "ops")
    assert followed["result_url"] == f"/api/commissions/runs/{Run.objects.get(period='2026-Q2').pk}"
