"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's
live server, on the demo company at small scale, fresh for every test (the live server
implies a transactional database that is flushed after each test). See README.md.

A failing test leaves a screenshot and the page's HTML in tests/browser/artifacts/ (see
`pytest_runtest_makereport`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page

from bookwise.demo.builder import DemoSummary
from tests import snapshots
from tests.chromium import launched

from .pages import sign_in

ARTIFACTS = Path(os.environ.get("BOOKWISE_BROWSER_ARTIFACTS", Path(__file__).parent / "artifacts"))
SCALE = 0.05  # 100 accounts, 48 reps: built in about half a second
PLOTLY = "vendor/plotly/plotly.min.js"
TIMEOUT_MS = 10_000  # a page that does not answer in 10 s is a failure, not a wait

# The demo's logins (see `bookwise demo`): the order of DemoSummary.logins.
ROLES = ("admin", "director", "manager", "rep", "leaving", "sales_ops")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for this folder (stopped when the folder is done: another folder's
    sync_playwright() would refuse to start inside its event loop)."""
    with launched() as chromium:
        yield chromium


@pytest.fixture
def demo(transactional_db: None) -> DemoSummary:
    """The demo company anchored on today (the pages read today's date), fresh for every
    test (the live server's database is emptied after each test): built once per test
    process and copied in (tests/snapshots.py)."""
    return snapshots.demo_company(timezone.localdate(), SCALE)


@pytest.fixture
def users(demo: DemoSummary) -> dict[str, str]:
    """Role -> username: admin, director (dir1), manager (sm1), rep (r03), leaving (r12),
    sales_ops (ops1)."""
    return {role: login.username for role, login in zip(ROLES, demo.logins, strict=True)}


@pytest.fixture
def draw_charts() -> bool:
    """Whether pages load Plotly. Parsing its 4.8 MB script takes Chromium one to two seconds
    on every page with a chart, and no workflow reads a chart: the workflows run without it
    (the charts stay empty boxes) and test_charts.py, which overrides this fixture, checks
    that the charts are drawn."""
    return False


@pytest.fixture
def page(browser: Browser, live_server: Any, draw_charts: bool) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    if not draw_charts:
        context.route(f"**{settings.STATIC_URL}{PLOTLY}", lambda route: route.abort())
    new_page = context.new_page()
    yield new_page
    context.close()


@pytest.fixture
def login(page: Page, users: dict[str, str]) -> Callable[..., Page]:
    """login(role, then="/accounts/") signs the page in as that demo role, landing on `then`,
    and returns the page."""

    def _login(role: str, then: str = "/accounts/") -> Page:
        sign_in(page, users[role], then)
        return page

    return _login


def save_artifacts(page: Page, name: str, folder: Path | None = None) -> list[Path]:
    """A screenshot and the HTML of the page as it is now, named after the test, in `folder`
    (default ARTIFACTS)."""
    folder = folder or ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
    png, html = folder / f"{stem}.png", folder / f"{stem}.html"
    page.screenshot(path=str(png), full_page=True)
    html.write_text(page.content(), encoding="utf-8")
    return [png, html]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.failed and report.when != "teardown" and page is not None and not page.is_closed():
        _attach_artifacts(item, report, page)
    return report


def _attach_artifacts(item: pytest.Item, report: pytest.TestReport, page: Page) -> None:
    """Save the page, name the files in the report and on the terminal."""
    try:
        paths = save_artifacts(page, item.nodeid.removeprefix("tests/browser/"))
    except Exception as error:  # noqa: BLE001 - a broken page must not hide the real failure
        report.sections.append(("browser artifacts", f"could not save: {error}"))
        return
    text = "\n".join(f"saved {path}" for path in paths) + f"\n(page URL: {page.url})"
    report.sections.append(("browser artifacts", text))
    reporter = item.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"\n{item.nodeid}: {text}")
