"""A failing browser test leaves a screenshot and the page's HTML, and says where: this
folder's report hook is handed a failed call of this very test (its real page open on the
sign-in form), as pytest hands it every failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser import conftest


def fail() -> None:
    raise AssertionError("a failure on purpose")


def test_a_failed_call_saves_screenshot_and_html(
    page: Page, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conftest, "ARTIFACTS", tmp_path)
    page.goto("/login/")
    call = pytest.CallInfo.from_call(fail, when="call")
    report = request.node.ihook.pytest_runtest_makereport(item=request.node, call=call)

    assert report.failed
    stem = "test_failure_artifacts.py_test_a_failed_call_saves_screenshot_and_html"
    png, html = tmp_path / f"{stem}.png", tmp_path / f"{stem}.html"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "Sign in to Bookwise" in html.read_text(encoding="utf-8")
    shown = dict(report.sections)["browser artifacts"]
    assert f"saved {png}" in shown and f"saved {html}" in shown
