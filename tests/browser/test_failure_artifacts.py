"""A failing browser test leaves a screenshot and the page's HTML, and says where: a test
that fails on purpose is run in its own pytest process with this folder's conftest (its
fixtures and its report hook)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAILING = """
def test_fails_on_purpose(page):
    page.goto("/login/")
    assert page.title() == "a title no page has"
"""


def test_a_failing_test_saves_screenshot_and_html(tmp_path: Path) -> None:
    (tmp_path / "test_probe.py").write_text(FAILING, encoding="utf-8")
    (tmp_path / "conftest.py").write_text("from tests.browser.conftest import *  # noqa\n", encoding="utf-8")
    folder = tmp_path / "artifacts"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bookwise.config.test_settings",
        "BOOKWISE_BROWSER_ARTIFACTS": str(folder),
    }
    env.pop("BOOKWISE_TEST_DATABASE_URL", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_probe.py"]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    stem = "test_probe.py_test_fails_on_purpose"
    png, html = folder / f"{stem}.png", folder / f"{stem}.html"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "Sign in to Bookwise" in html.read_text(encoding="utf-8")
    assert f"saved {png}" in run.stdout and f"saved {html}" in run.stdout
