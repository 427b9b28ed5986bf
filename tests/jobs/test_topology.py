"""The production shape, as real processes: `bookwise serve --workers 2` (gunicorn) and
`bookwise worker` on a database file (and on PostgreSQL when BOOKWISE_TEST_DATABASE_URL is
set), Redis for the queue and the cache. A load balancer's probes, an API write with a token,
an import queued from the web page and finished by the worker, the daily work run once
through the queue; then a worker killed in the middle of an import: the job is taken up again
by the next worker, and nothing of the first attempt was written."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from bookwise.accounts.line_rollups import REFRESH_ALL_ABOVE
from tests.chromium import launched, needs_chromium
from tests.live.conftest import sign_in

from .topology import DATABASES, Topology, migrated, wait_for

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPS = b"rep_id,name,role\nX1,Xavier,hunter\nX2,Xenia,hunter\n"
WAIT_MS = 20_000  # a page may compute the book's tiers again after a change, on a busy machine
BIG = 3000  # accounts in the import the worker is killed in the middle of
BOOTSTRAP = """
from tests import factories
from bookwise.core.services import api_token_create
reps = factories.org()
factories.account("A1", owner=reps["R1"])
print("TOKEN=" + api_token_create(user=factories.admin_user(), label="topology"))
"""


@pytest.fixture(scope="module", params=DATABASES)
def topology(request: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    running = migrated(tmp_path_factory.mktemp(f"topology-{request.param}"), request.param, request)
    running.token = running.bookwise("shell", "-c", BOOTSTRAP).split("TOKEN=")[1].strip()
    running.start("serve", "serve", "--workers", "2", "--bind", f"127.0.0.1:{running.port}")
    running.start("worker", "worker", "--workers", "2")
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def admin(topology: Topology) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=topology.url, timeout=60) as client:
        sign_in(client, "admin")
        yield client


def import_through_the_web(client: httpx.Client, kind: str, name: str, content: bytes) -> int:
    """Upload, see the dry run, confirm: the import is queued; the job's id."""
    page = client.get("/imports/")
    csrf = CSRF_FIELD.search(page.text).group(1)  # type: ignore[union-attr]
    dry = client.post(
        "/imports/",
        data={"kind": kind, "csrfmiddlewaretoken": csrf},
        files={"file": (name, content, "text/csv")},
    )
    token = TOKEN_FIELD.search(dry.text)
    assert token, dry.text[-2000:]
    confirmed = client.post("/imports/confirm/", data={"token": token.group(1), "csrfmiddlewaretoken": csrf})
    assert confirmed.status_code == 302, confirmed.text[-2000:]
    assert confirmed.headers["location"].startswith("/jobs/#job-")
    return int(confirmed.headers["location"].rpartition("-")[2])


def job(client: httpx.Client, job_id: int) -> dict[str, Any]:
    answer = client.get(f"/jobs/{job_id}.json")
    assert answer.status_code == 200
    return dict(answer.json())


def finished(client: httpx.Client, job_id: int, timeout: float = 60) -> dict[str, Any]:
    return dict(
        wait_for(
            lambda: (j := job(client, job_id))["state"] in ("done", "failed") and j, timeout, f"job {job_id}"
        )
    )


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_probes_an_api_write_and_a_web_import_through_the_worker(
    topology: Topology, admin: httpx.Client
) -> None:
    assert httpx.get(f"{topology.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{topology.url}/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok", "queue": "ok"}

    api = httpx.Client(base_url=topology.url, headers={"Authorization": f"Token {topology.token}"})
    pinned = api.put("/api/retention/tier-pins/A1", json={"tier": "C", "note": "Small buyer."})
    assert pinned.status_code == 200, pinned.text
    assert pinned.json() == {"account_id": "A1", "tier": "C", "pinned": True}
    assert api.get("/api/accounts/A1").json()["primary_owner_id"] == "R1"
    api.close()

    job_id = import_through_the_web(admin, "reps", "reps.csv", REPS)
    done = finished(admin, job_id)
    assert done["state"] == "done" and "reps: 2 created" in done["result"], done
    assert "Imported reps.csv" in admin.get("/jobs/").text

    served = topology.log("serve")
    assert "Warning" not in served, served  # e.g. whitenoise's about a folder collectstatic makes
    requests = json_lines(served)
    pin = "/api/retention/tier-pins/A1"
    assert any(r.get("path") == pin and r.get("status") == 200 and r.get("request_id") for r in requests)
    jobs = json_lines(topology.log("worker"))
    assert any(r.get("job_id") == job_id and r.get("state") == "done" for r in jobs), topology.log("worker")


PROBE = """
import sys
from django.utils import timezone
from bookwise.accounts.models import Account
from bookwise.retention import selectors
print("ready", flush=True)
for line in sys.stdin:
    pk = Account.objects.get(external_id=line.strip()).pk
    before = len(selectors._tier_cache.written)
    tier = selectors.account_tiers(day=timezone.localdate(), account_ids=[pk])[pk].tier
    print("tier", tier, "computed", len(selectors._tier_cache.written) > before, flush=True)
"""


class Probe:
    """A Bookwise process that answers the tier of an account (from the shared cache, or
    computed and put there), and how many times it computed the book's tiers."""

    def __init__(self, topology: Topology) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bookwise.cli", "shell", "-c", PROBE],
            env=topology.env,
            cwd=topology.workdir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        while self.process.stdout and self.process.stdout.readline().strip() != "ready":
            pass

    def tier(self, account_id: str) -> tuple[str, bool]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(account_id + "\n")
        self.process.stdin.flush()
        _, tier, _, computed = self.process.stdout.readline().split()
        return tier, computed == "True"

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=30)


def test_two_processes_share_the_tiers_and_a_change_reaches_both(topology: Topology) -> None:
    first, second = Probe(topology), Probe(topology)
    try:
        tier, computed = first.tier("A1")
        assert computed
        assert second.tier("A1") == (tier, False)  # from the shared cache (Redis): not computed again
        new = "A" if tier != "A" else "B"
        token = {"Authorization": f"Token {topology.token}"}
        with httpx.Client(base_url=topology.url, headers=token) as api:  # a third process changes the data
            changed = api.put("/api/retention/tier-pins/A1", json={"tier": new, "note": "Now."})
            assert changed.status_code == 200
        assert first.tier("A1") == (new, True)  # the fingerprint changed: computed again, once
        assert second.tier("A1") == (new, False)  # and this process sees the new tiers too
        assert first.tier("A1") == (new, False)
    finally:
        first.close()
        second.close()


QUEUE_DOWN = """
from django.test import Client
from bookwise.jobs.models import Job
ready = Client().get("/readyz")
print("readyz", ready.status_code, ready.json()["database"], ready.json()["queue"][:6])
admin = Client()
admin.login(username="admin", password="correct-horse-battery")
refused = admin.post("/jobs/start/", {"name": "overdue_scan"})
job = Job.objects.latest("id")
print("start", refused.status_code, "cannot be reached" in refused.content.decode(), job.state, job.label)
"""


def test_a_queue_that_cannot_be_reached_is_reported_and_starts_nothing(topology: Topology) -> None:
    out = topology.bookwise("shell", "-c", QUEUE_DOWN, BOOKWISE_QUEUE_URL="redis://127.0.0.1:1/0")
    assert "readyz 503 ok error:" in out, out
    assert "start 503 True failed Scan for overdue plan reviews" in out, out


def test_the_daily_work_runs_once_through_the_queue(topology: Topology) -> None:
    check = (
        "from bookwise.jobs import tasks; from bookwise.jobs.models import Job; import time\n"
        "tasks.plans_remind(); tasks.end_co_coverage()\n"
        "for _ in range(300):\n"
        "    done = sorted(Job.objects.filter(state='done').values_list('name', flat=True))\n"
        "    if {'plans_remind', 'end_co_coverage'} <= set(done): break\n"
        "    time.sleep(0.1)\n"
        "print(done)\n"
    )
    out = topology.bookwise("shell", "-c", check)
    assert "'end_co_coverage'" in out and "'plans_remind'" in out, out


def _browser_sign_in(page: Any, username: str) -> None:
    page.set_default_timeout(20_000)
    page.goto("/login/?next=/accounts/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()


@needs_chromium
def test_people_work_in_the_browser_against_the_production_processes(topology: Topology) -> None:
    """Chromium through gunicorn's workers: a manager signs in through the form and opens
    the dashboard, the book and an account's page with its owner's name; an administrator
    pins the account's tier through the tiers page's form (a write with the page's CSRF
    token) and sees the pin on the account's row."""
    from playwright.sync_api import expect

    with launched() as browser:
        manager = browser.new_page(base_url=topology.url)
        _browser_sign_in(manager, "m1")
        expect(manager.get_by_role("button", name="Sign out")).to_be_visible(timeout=WAIT_MS)
        manager.get_by_role("link", name="A1", exact=False).first.click()
        expect(manager.get_by_text("Rep R1").first).to_be_visible(timeout=WAIT_MS)
        assert "/accounts/A1" in manager.url
        admin = browser.new_context(base_url=topology.url).new_page()
        _browser_sign_in(admin, "admin")
        admin.goto("/retention/tiers/")
        row = admin.locator("tr", has_text="A1")
        row.locator("select").select_option("B")
        row.get_by_role("button", name="Set").click()
        expect(admin.locator("tr", has_text="A1")).to_contain_text("📌", timeout=WAIT_MS)
    pin = "from bookwise.retention.models import TierPin\n"
    pin += "print(TierPin.objects.get(account__external_id='A1').tier)"
    assert topology.bookwise("shell", "-c", pin).split()[-1] == "B"  # the tests before pinned C, then A


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_is_retried(
    topology: Topology, admin: httpx.Client
) -> None:
    rows = "".join(f"B{i:05d},Customer {i}\n" for i in range(BIG))
    # no worker while the web queues the job: on SQLite the page's session write would wait for
    # the import's transaction, and the import would be over before the test could kill it
    topology.kill("worker", signal.SIGTERM)
    job_id = import_through_the_web(admin, "accounts", "big.csv", f"account_id,name\n{rows}".encode())
    topology.start("worker", "worker", "--workers", "1")
    started = f'"job {job_id} import_file running'
    wait_for(lambda: started in topology.log("worker"), 60, "the import to start")
    topology.kill("worker")
    count = (
        "from bookwise.accounts.models import Account\n"
        "print(Account.objects.filter(external_id__startswith='B0').count())"
    )
    assert job(admin, job_id)["state"] == "running"
    assert topology.bookwise("shell", "-c", count).split()[-1] == "0"

    topology.start("worker", "worker", "--workers", "1")
    done = finished(admin, job_id)
    assert done["state"] == "done" and done["attempts"] == 2, done
    assert f"accounts: {BIG} created" in done["result"]
    assert topology.bookwise("shell", "-c", count).split()[-1] == str(BIG)
    lines = json_lines(topology.log("worker"))
    assert any(r.get("job_id") == job_id and r.get("state") == "retried" for r in lines)


ROLLUPS = (
    "from django.db.models import Sum\n"
    "from bookwise.retention import refresh\n"
    "from bookwise.retention.models import AccountMonth\n"
    "from bookwise.team import rollup\n"
    "months = AccountMonth.objects.filter(account__external_id__startswith='C')\n"
    "revenue = months.aggregate(s=Sum('revenue'))\n"
    "print(refresh.is_fresh(), rollup.is_fresh(), revenue['s'])"
)


def test_a_large_orders_import_has_its_rollups_rebuilt_by_a_job_of_their_own(
    topology: Topology, admin: httpx.Client
) -> None:
    """Lines for more accounts than a refresh takes one by one: the import commits its lines
    and queues the rollups' rebuild, which the worker runs as a part of the import's job;
    nobody read a report between, so the figures are the worker's."""
    many = REFRESH_ALL_ABOVE + 1
    accounts = "".join(f"C{i:05d},Client {i}\n" for i in range(many))
    accounts_job = import_through_the_web(admin, "accounts", "c.csv", f"account_id,name\n{accounts}".encode())
    assert finished(admin, accounts_job)["state"] == "done"
    lines = "".join(f"T{i:05d},C{i:05d},2026-03-02,1.25\n" for i in range(many))
    orders = f"order_id,account_id,order_date,amount\n{lines}".encode()
    job_id = import_through_the_web(admin, "orders", "orders.csv", orders)
    done = finished(admin, job_id)
    assert done["state"] == "done" and f"orders: {many} created" in done["result"], done
    rebuilt = wait_for(
        lambda: [r for r in json_lines(topology.log("worker")) if r.get("job") == "rollups_rebuild"
                 and r.get("state") == "done"],
        60,
        "the rollups' rebuild",
    )  # fmt: skip
    figures = topology.bookwise("shell", "-c", ROLLUPS).strip().splitlines()[-1]
    assert figures == f"True True {Decimal('1.25') * many}"
    assert len(rebuilt) == 1
