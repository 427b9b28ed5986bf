"""Debian's Chromium for every browser test: where it is (BOOKWISE_CHROMIUM, else
/usr/bin/chromium; `.ci/run` installs it when missing), a skip mark for a machine without
it, and one way to launch it through Playwright's `executable_path` (nothing downloaded)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("BOOKWISE_CHROMIUM", "/usr/bin/chromium"))
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)


@contextmanager
def launched() -> Iterator[Any]:
    """One Chromium while the block runs. Playwright's sync API keeps an asyncio loop running
    in this thread meanwhile, so Django is told the test thread's own ORM calls are safe (else
    SynchronousOnlyOperation); the setting is put back afterwards."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                yield browser
            finally:
                browser.close()
