"""Jobs in one process (the tests' queue runs a job in the caller, settings HUEY immediate):
the jobs page and who sees what, a failed import with its error and nothing written, a job
whose worker died taken up again or failed, the daily schedule, the probes, the request log."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from bookwise.config.topology import daily_time, logging_config
from bookwise.core.requestlog import JsonFormatter
from bookwise.jobs import runner, tasks
from bookwise.jobs.models import Job
from bookwise.people.models import Rep
from bookwise.transfers.models import ReassignmentPlan
from tests import factories

BAD = b"rep_id,name,role\nX1,Xavier,boss\n"


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_upload_dir": str(tmp_path / "uploads")}
    return tmp_path / "uploads"


def _import(client: Client, content: bytes, name: str = "reps.csv"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    dry = client.post("/imports/", {"kind": "reps", "file": upload})
    return client.post("/imports/confirm/", {"token": dry.context["token"]})


@pytest.mark.django_db
def test_a_user_sees_their_jobs_and_an_admin_everybodys(login):
    reps = factories.org()
    admin = factories.admin_user()
    mine = runner.create("overdue_scan", user=reps["M1"].user, label="Scan of M1", params={})
    theirs = runner.create("overdue_scan", user=reps["M2"].user, label="Scan of M2", params={})
    page = login(reps["M1"]).get("/jobs/").content.decode()
    assert "Scan of M1" in page and "Scan of M2" not in page
    assert login(reps["M1"]).get(f"/jobs/{theirs.pk}.json").status_code == 404
    assert login(reps["M1"]).get(f"/jobs/{mine.pk}.json").json()["state"] == "queued"
    everything = login(admin).get("/jobs/").content.decode()
    assert "Scan of M1" in everything and "Scan of M2" in everything and "Asked by" in everything
    assert Client().get("/jobs/").status_code == 302
    assert Client().get(f"/jobs/{mine.pk}.json").status_code == 302


@pytest.mark.django_db
def test_an_admin_starts_the_daily_work_now_and_nobody_else_may(login):
    reps = factories.org()
    admin = login(factories.admin_user())
    assert b"Send the plan review reminders" in admin.get("/jobs/").content
    assert b"Start now" not in login(reps["D1"]).get("/jobs/").content
    assert login(reps["D1"]).post("/jobs/start/", {"name": "plans_remind"}).status_code == 403
    assert Client().post("/jobs/start/", {"name": "plans_remind"}).status_code == 302
    assert not Job.objects.exists()
    refused = admin.post("/jobs/start/", {"name": "drop_tables"}, follow=True).content.decode()
    assert "Job: &#x27;drop_tables&#x27; is not one of rollup_refresh" in refused and not Job.objects.exists()
    page = admin.post("/jobs/start/", {"name": "rollup_refresh"}, follow=True).content.decode()
    job = Job.objects.get()
    assert (job.name, job.state, job.user.username) == ("rollup_refresh", Job.DONE, "admin")
    assert "Refresh the revenue rollup: queued." in page
    assert "Revenue rollup refreshed: 0 account-months." in page


@pytest.mark.django_db
def test_a_failed_import_shows_its_error_and_imports_nothing(login, upload_dir):
    admin = login(factories.admin_user())
    upload = SimpleUploadedFile("reps.csv", b"rep_id,name,role\nX1,Xavier,hunter\n", content_type="text/csv")
    token = admin.post("/imports/", {"kind": "reps", "file": upload}).context["token"]
    (upload_dir / next(upload_dir.iterdir()).name).write_bytes(BAD)  # the file changed after its dry run
    answer = admin.post("/imports/confirm/", {"token": token}, follow=True)
    job = Job.objects.get()
    assert job.state == Job.FAILED and "role: 'boss' is not one of" in job.error
    assert "reps.csv:2: role" in answer.content.decode() and not Rep.objects.exists()
    assert list(upload_dir.iterdir()) == []


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_run_again_or_failed_after_three_attempts(login):
    factories.admin_user()
    dead = f"{runner.socket.gethostname()}:{2**22 + 7}"  # above any pid this machine gives
    again = runner.create("overdue_scan", user=None, label="again", params={})
    given_up = runner.create("overdue_scan", user=None, label="given up", params={})
    Job.objects.filter(pk=again.pk).update(state=Job.RUNNING, worker=dead, attempts=1)
    Job.objects.filter(pk=given_up.pk).update(state=Job.RUNNING, worker=dead, attempts=3)
    assert runner.reap(tasks.send, only_this_host=True) == 2
    again.refresh_from_db()
    given_up.refresh_from_db()
    assert (again.state, again.attempts, again.result) == (Job.DONE, 2, "0 account plan review(s) overdue.")
    assert given_up.state == Job.FAILED
    assert "stopped in the middle of the job; nothing was written (tried 3 time(s))" in given_up.error


@pytest.mark.django_db
def test_a_running_job_with_a_live_worker_is_left_alone():
    job = runner.create("overdue_scan", user=None, label="busy", params={})
    Job.objects.filter(pk=job.pk).update(
        state=Job.RUNNING, worker=runner.worker_name(), attempts=1, started_at=timezone.now()
    )
    assert runner.reap(tasks.send) == 0 and Job.objects.get(pk=job.pk).state == Job.RUNNING
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    assert runner.reap(tasks.send) == 1  # no heartbeat for longer than BOOKWISE_JOB_STALE_SECONDS
    assert Job.objects.get(pk=job.pk).state == Job.DONE


def test_the_daily_work_is_scheduled_at_the_configured_times():
    def due(hour: int, minute: int) -> set[str]:
        return {task.name for task in HUEY.read_periodic(datetime(2026, 3, 2, hour, minute))}

    assert due(6, 0) == {"plans_remind", "reap_jobs"}
    assert due(6, 30) == {"overdue_scan", "reap_jobs"}
    assert due(0, 30) == {"end_co_coverage", "reap_jobs"}
    assert due(13, 17) == {"reap_jobs"}


def test_a_schedule_can_be_moved_or_turned_off(settings):
    settings.BOOKWISE_SCHEDULE = {"plans_remind": "07:45", "end_co_coverage": "off"}
    assert tasks.daily_at("plans_remind")(datetime(2026, 3, 2, 7, 45))
    assert not tasks.daily_at("plans_remind")(datetime(2026, 3, 2, 6, 0))
    assert not any(tasks.daily_at("end_co_coverage")(datetime(2026, 3, 2, h, 30)) for h in range(24))


@pytest.mark.django_db
def test_the_scheduled_job_runs_through_the_queue():
    tasks.plans_remind.call_local()
    job = Job.objects.get()
    assert (job.name, job.state, job.user) == ("plans_remind", Job.DONE, None)
    assert job.result == "0 plan review reminder(s) sent."


@pytest.mark.django_db
def test_probes_answer_without_signing_in():
    assert Client().get("/healthz").json() == {"status": "ok"}
    assert Client().get("/readyz").json() == {"status": "ok", "database": "ok", "queue": "ok"}


@pytest.mark.django_db
def test_every_request_gets_an_id_and_one_log_line(caplog):
    caplog.set_level(logging.INFO, logger="bookwise.request")
    given = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789")
    made = Client().get("/healthz", HTTP_X_REQUEST_ID="bad id; with spaces")
    assert given["X-Request-ID"] == "lb-0123456789"
    assert made["X-Request-ID"] != "bad id; with spaces" and len(made["X-Request-ID"]) == 32
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "bookwise.request"]
    assert len(lines) == 2
    assert {k: lines[0][k] for k in ("method", "path", "status", "request_id", "level")} == {
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "request_id": "lb-0123456789",
        "level": "INFO",
    }
    assert lines[0]["message"].startswith("GET /healthz 200 ")


def test_a_bad_schedule_time_is_refused_with_its_name():
    assert daily_time("BOOKWISE_SCHEDULE_PLANS_REMIND", "7:05") == "7:05"
    for bad in ("25:00", "7", "07:5", "noon", "-1:30"):
        with pytest.raises(ImproperlyConfigured, match="BOOKWISE_SCHEDULE_PLANS_REMIND must be a time HH:MM"):
            daily_time("BOOKWISE_SCHEDULE_PLANS_REMIND", bad)


def test_the_log_format_is_text_or_json():
    assert logging_config("json")["formatters"]["line"]["()"].endswith("JsonFormatter")
    with pytest.raises(Exception, match="BOOKWISE_LOG_FORMAT must be text or json, not 'xml'"):
        logging_config("xml")


@pytest.mark.django_db
def test_a_reassignment_plan_is_solved_as_a_job_and_links_to_the_plan(login):
    reps = factories.org()
    factories.account("B1", owner=reps["R1"])
    client = login(reps["M1"])
    day = timezone.localdate() + timedelta(days=7)
    form = {"effective_date": day.isoformat(), "reason": "departure"}
    answer = client.post("/transfers/plans/new/R1/", form)
    plan = ReassignmentPlan.objects.get()
    job = Job.objects.get()
    assert answer["Location"] == f"/transfers/plans/{plan.pk}/" == job.link  # done already: straight there
    assert (job.state, job.user, job.label) == (Job.DONE, reps["M1"].user, "Reassignment plan for Rep R1")
    assert job.result == "Reassignment plan for Rep R1: 1 account, ready for review."
    assert f'href="/transfers/plans/{plan.pk}/">Open</a>' in client.get("/jobs/").content.decode()
    refused = client.post("/transfers/plans/new/R1/", {"effective_date": "1999-01-01", "reason": "departure"})
    assert b"Effective date" in refused.content and Job.objects.count() == 1
