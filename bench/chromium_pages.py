"""What Debian's Chromium spends, in CPU, on the browser tests' basic steps, whatever the page:
a new browser context with one page load, a page load, a load and a click. A static page of
200 table rows from a local server; Chromium's CPU read from /proc: its live processes, those
they reaped, and its orphans (a renderer whose parent exits before it), which this process
takes in and reaps as a subreaper. Flags given after `--` go to Chromium (docs/performance.md,
the suite). The binary is the browser tests' (tests/chromium.py: the headless shell when
installed) unless BOOKWISE_CHROMIUM names another.

    python bench/chromium_pages.py [--rounds 20] [-- --disable-gpu ...]
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import http.server
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.chromium import CHROMIUM  # noqa: E402 - the binary the browser tests launch

PR_SET_CHILD_SUBREAPER = 36
ROWS = "".join(f"<tr><td>row {i}</td><td>$1,{i:03d}.00</td></tr>" for i in range(200))
PAGE = (
    "<html><head><link rel=stylesheet href=a.css></head><body>"
    f"<table>{ROWS}</table><form><input name=q><button>Go</button></form></body></html>"
)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def adopt_orphans() -> None:
    """Processes orphaned below this one are given to it, not to init (whose CPU this
    script cannot read): Chromium's zygote leaves its renderers so."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1)


def reaped_orphans_cpu() -> float:
    """Reap the orphans that have exited; seconds of CPU of every child reaped so far (the
    Playwright driver, this process's one real child, runs until the end)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
    times = os.times()
    return times.children_user + times.children_system


def chromium_cpu() -> float:
    """Seconds of CPU of every chromium process alive, with what each has reaped, and of
    the orphans reaped here."""
    orphans = reaped_orphans_cpu()
    ticks = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if "(chromium" in stat:
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks += sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK") + orphans


def serve(folder: str) -> str:
    Path(folder, "index.html").write_text(PAGE)
    Path(folder, "a.css").write_text("body{font-family:sans-serif} td{padding:4px}")
    Path(folder, "favicon.ico").write_bytes(b"")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/index.html"


def per_step(rounds: int, step: Callable[[], None]) -> float:
    before = chromium_cpu()
    for _ in range(rounds):
        step()
    return (chromium_cpu() - before) / rounds


def measure(browser: Browser, url: str, rounds: int) -> dict[str, float]:
    def context_and_load() -> None:
        context = browser.new_context()
        context.new_page().goto(url)
        context.close()

    page = browser.new_context().new_page()

    def load_and_click() -> None:
        page.goto(url)
        page.click("button")

    return {
        "a new context and one load": per_step(rounds, context_and_load),
        "a page load": per_step(rounds, lambda: page.goto(url) and None),
        "a load and a click": per_step(rounds, load_and_click),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("flags", nargs="*", help="Chromium flags, after --")
    args = parser.parse_args()
    adopt_orphans()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        url = serve(folder)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", *args.flags]
        )
        try:
            costs = measure(browser, url, args.rounds)
        finally:
            browser.close()
    print(f"{CHROMIUM} CPU per step, {args.rounds} rounds, flags {args.flags or 'none'}:")
    for name, seconds in costs.items():
        print(f"  {name}: {seconds * 1000:.0f} ms")
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
