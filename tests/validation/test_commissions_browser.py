"""In a real browser (Debian's Chromium through Playwright) with JavaScript off: approve
and freeze needs its confirmation ticked, a run of 2031-Q1 is refused with the label, and
a dispute paid -99,999.00 is refused; nothing changes. A failing test saves a screenshot
under .screenshots/."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bookwise.commissions.models import Dispute, Run, RunStatus
from bookwise.commissions.services import run_approve, run_compute
from tests import factories as f
from tests.chromium import launched, needs_chromium
from tests.commissions.helpers import load_plans

SHOTS = Path(__file__).resolve().parents[2] / ".screenshots"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with launched() as chromium:
        yield chromium


@pytest.fixture
def browser_page(browser) -> Iterator:
    context = browser.new_context(java_script_enabled=False)  # a fresh session, no JavaScript
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@contextlib.contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    try:
        yield
    except BaseException:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        raise


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")


@pytest.fixture
def book():
    org = f.org()
    load_plans()
    a1 = f.account("A1", owner=org["R1"])
    f.order(a1, date(2026, 1, 10), "60.80", external_id="O1")  # a 3.04 line
    return org


def test_approve_and_freeze_only_once_confirmed(book, live_server, browser_page):
    page, run = browser_page, run_compute(period="2026-Q1")
    with screenshot_on_failure(page, "approve-and-freeze"):
        sign_in(page, live_server.url, "d1")
        page.goto(f"{live_server.url}/commissions/runs/{run.pk}/")
        page.click("text=Approve and freeze this run")  # unticked: the browser does not send it
        assert page.locator("input[name=confirm]:invalid").count() == 1
        assert Run.objects.get().status == RunStatus.DRAFT
        page.check("input[name=confirm]")
        page.click("text=Approve and freeze this run")
        page.wait_for_selector("text=Frozen")
        assert Run.objects.get().status == RunStatus.APPROVED


def test_a_run_for_2031_q1_is_refused_with_the_label(book, live_server, browser_page):
    page = browser_page
    with screenshot_on_failure(page, "run-2031-q1"):
        sign_in(page, live_server.url, "d1")
        page.goto(f"{live_server.url}/commissions/")
        page.fill("input[name=period]", "2031-Q1")
        page.click("text=Compute draft run")
        page.wait_for_selector("text=Period: 2031-Q1 has not started yet")
        assert not Run.objects.exists()


def test_a_dispute_paid_minus_99999_is_refused(book, live_server, browser_page):
    run = run_approve(run=run_compute(period="2026-Q1"), actor=None)
    statement = run.statements.get(rep=book["R1"])
    Dispute.objects.create(statement=statement, order_id="O1", comment="It was more")
    page = browser_page
    with screenshot_on_failure(page, "dispute-minus-99999"):
        sign_in(page, live_server.url, "m1")
        page.goto(f"{live_server.url}/commissions/disputes/")
        page.select_option("select[name=decision]", "accepted")
        page.fill("input[name=amount]", "-99999.00")
        page.fill("input[name=reason]", "Agreed with the rep.")
        page.click("text=Resolve")
        page.wait_for_selector("text=Amount: -99999.00 is negative")
        assert Dispute.objects.get().status == "open"
