"""Debian's Chromium for every browser test: where it is, a skip mark for a machine without
it, and one way to launch it through Playwright's `executable_path` (nothing downloaded).

Where it is: BOOKWISE_CHROMIUM, else Debian's headless shell of Chromium
(/usr/bin/chromium-headless-shell, package chromium-headless-shell: the same Blink without
the browser's windowing layer, which is what Playwright itself runs for headless tests; the
browser tests cost it 0.6x the CPU), else Debian's full Chromium (/usr/bin/chromium).
`.ci/run` installs both when missing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
FULL = Path("/usr/bin/chromium")


def _chromium() -> Path:
    named = os.environ.get("BOOKWISE_CHROMIUM")
    if named:
        return Path(named)
    return HEADLESS_SHELL if HEADLESS_SHELL.exists() else FULL


CHROMIUM = _chromium()
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
