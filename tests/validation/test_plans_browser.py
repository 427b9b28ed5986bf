"""In a real browser (Debian's Chromium through Playwright) with JavaScript off: a plan
review that says nothing is not recorded (the notes are required; "-" is refused by the
server with the label) and a review that says something is."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from bookwise.plans.models import PlanReview
from tests import factories
from tests.chromium import needs_chromium
from tests.plans.helpers import approved, book

from .test_commissions_browser import browser, browser_page, screenshot_on_failure, sign_in

__all__ = ["browser", "browser_page"]  # the fixtures, shared with the commissions browser tests
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    needs_chromium,
]


def test_a_review_that_says_nothing_is_not_recorded(live_server, browser_page):
    org = factories.org()
    a1, _, _ = book(org)
    plan = approved(a1, org["M1"].user, on=date(2026, 1, 31))
    page = browser_page
    with screenshot_on_failure(page, "plan-review"):
        sign_in(page, live_server.url, "r1")
        page.goto(f"{live_server.url}/plans/{plan.pk}/review/")
        page.fill("input[name=review_date]", timezone.localdate().isoformat())
        page.click("text=Record review")  # empty notes: the browser does not send the form
        assert page.locator("textarea[name=notes]:invalid").count() == 1
        page.fill("textarea[name=notes]", "-")
        page.click("text=Record review")
        page.wait_for_selector("text=Notes: '-' is not an answer")
        assert not PlanReview.objects.exists()
        page.fill("textarea[name=notes]", "Signed the service contract.")
        page.click("text=Record review")
        page.wait_for_selector("text=Review recorded.")
        assert PlanReview.objects.get().notes == "Signed the service contract."
