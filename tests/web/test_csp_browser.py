"""Under the Content-Security-Policy, in Chromium (Debian's, through Playwright, JavaScript
on): the account page's revenue chart is drawn by Plotly and the API docs page renders its
operations, and the browser reports no violation of the policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import factories as f
from tests.chromium import launched, needs_chromium
from tests.web import book as book_module

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    needs_chromium,
]
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with launched() as chromium:
        yield chromium


@pytest.fixture
def page(browser, live_server) -> Iterator:
    org = f.org()
    book_module.build(org)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(WATCH)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", org["D1"].user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.csp_console = errors
    yield page
    context.close()


def no_violations(page) -> None:
    assert page.evaluate("window.__violations") == []
    assert page.csp_console == []


def test_the_chart_is_drawn_under_the_policy(page, live_server):
    answer = page.goto(f"{live_server.url}/accounts/A1/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    page.wait_for_selector("[data-chart] .main-svg")
    no_violations(page)


def test_the_api_docs_render_under_the_policy(page, live_server):
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() > 10
    no_violations(page)
