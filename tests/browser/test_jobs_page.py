"""The jobs page as a director follows a commission run queued in the background: one line
for the run, running with its parts done until the run is stored (the page refreshes itself
meanwhile), then done with a link to the run; the run's parts have no lines of their own. An
import whose rollups' rebuild failed reads done, the failure told under its result."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from bookwise.jobs.models import Job
from bookwise.retention.services import REBUILD_JOB
from tests.jobs.parts import run_with_parts

from .pages import nav


def test_a_run_with_parts_is_one_line_until_the_run_is_stored(login, users) -> None:
    whole, _first, second = run_with_parts(get_user_model().objects.get(username=users["director"]))
    page = login("director")
    nav(page, "Jobs")
    line = page.locator(f"#job-{whole.pk}")
    expect(line).to_contain_text("Commission run 2026-Q2")
    expect(line).to_contain_text("Running (1 of 2 parts done)")
    expect(page.get_by_role("cell", name="part 2")).to_have_count(0)
    Job.objects.filter(pk=second.pk).update(
        state=Job.DONE, result="Draft run of 2026-Q2 computed: 6 statement(s).",
        link="/commissions/runs/7/", finished_at=timezone.now(),
    )  # fmt: skip
    # the page refreshes itself every 3 s while a job is running: no reload by hand
    expect(line).to_contain_text("Done", timeout=8_000)
    expect(line.get_by_role("link", name="Open")).to_have_attribute("href", "/commissions/runs/7/")


def test_an_import_whose_rollups_rebuild_fails_reads_done_with_the_failure_told(login, users) -> None:
    """The rebuild a large import queues is a follow-up: its failure is told under the import's
    result, which stays done (the lines are in)."""
    director = get_user_model().objects.get(username=users["director"])
    whole = Job.objects.create(
        name="import_file", label="Import orders.csv", user=director, state=Job.DONE,
        result="orders: 250,000 created, 0 updated, 0 unchanged", finished_at=timezone.now(),
    )  # fmt: skip
    rebuild = Job.objects.create(name=REBUILD_JOB, label="Rebuild the rollups", parent=whole)
    page = login("director")
    nav(page, "Jobs")
    line = page.locator(f"#job-{whole.pk}")
    expect(line).to_contain_text("Running (0 of 1 parts done)")
    Job.objects.filter(pk=rebuild.pk).update(
        state=Job.FAILED, error="the database was unavailable", finished_at=timezone.now()
    )
    expect(line).to_contain_text("Done", timeout=8_000)
    expect(line).to_contain_text("orders: 250,000 created")
    expect(line.locator(".warning")).to_have_text(
        "Rebuild the rollups failed: the database was unavailable. The lines are in; "
        "a report opened rebuilds the rollups itself."
    )
