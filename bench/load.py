"""A load of concurrent users on the production server against the demo company.

    python bench/load.py                       # 20 users for 60 s, PostgreSQL, 4 web workers
    python bench/load.py --users 20 --seconds 60 --web-workers 4 --scale 1.0

Builds the demo company into a fresh PostgreSQL database (`bench_load` on the local
server, dropped and made again; `--reuse` keeps one already built), starts the production
processes as docs/deployment.md runs them (`bookwise serve --workers N`: gunicorn; `bookwise
worker`; Redis for the cache and the queue; DEBUG off), then runs `--users` simulated sales
managers at once, each signed in through the real /login/ form with its own session, each
looping over the dashboard, the account list and the page of an account of the team (a
random one of the list's first page) with no think time. Prints the requests, errors,
throughput and p50/p95/max per page in milliseconds (Markdown), the server's CPU seconds
and the load average before and after. An error is any answer but 200 or a failed request.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgresql://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNT_LINK = re.compile(r'href="/accounts/([A-Za-z0-9_.-]+)/"')
MANAGERS = ("sm1", "sm2", "sm3", "sm4")
PASSWORD = "bookwise-demo"


def environment(database: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "BOOKWISE_DATABASE_URL": f"{SERVER}/{database}",
        "BOOKWISE_CACHE_URL": "redis://127.0.0.1:6379/0",
        "BOOKWISE_QUEUE_URL": "redis://127.0.0.1:6379/0",
        "BOOKWISE_INSTANCE": f"bw-load-{uuid.uuid4().hex[:8]}",
        "BOOKWISE_DEBUG": "False",
        "BOOKWISE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BOOKWISE_LOG_LEVEL": "WARNING",
    }


def bookwise(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bookwise.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"bookwise {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def fresh_database(name: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bookwise.cli", *args], env=env, stdout=log.open("ab"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not come up")


def signed_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    form = CSRF.search(client.get("/login/").text)
    assert form, "no sign-in form"
    answer = client.post(
        "/login/", data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": form.group(1)},
        headers={"Referer": f"{url}/login/"},
    )  # fmt: skip
    assert answer.status_code == 302, f"sign-in as {username}: {answer.status_code}"
    return client


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {"dashboard": [], "account list": [], "account page": []}
        self.errors: list[str] = []

    def record(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors.append(f"{page}: {error}")


def user(url: str, username: str, until: float, tally: Tally, seed: int) -> None:
    chance = random.Random(seed)
    client = signed_in(url, username)
    accounts: list[str] = []
    while time.monotonic() < until:
        pages = [("dashboard", "/"), ("account list", "/accounts/")]
        if accounts:
            pages.append(("account page", f"/accounts/{chance.choice(accounts)}/"))
        for page, path in pages:
            began = time.perf_counter()
            try:
                answer = client.get(path)
                error = None if answer.status_code == 200 else f"{path} answered {answer.status_code}"
            except httpx.HTTPError as failed:
                answer, error = None, f"{path}: {failed!r}"
            tally.record(page, time.perf_counter() - began, error)
            if page == "account list" and answer is not None and answer.status_code == 200:
                accounts = sorted(set(ACCOUNT_LINK.findall(answer.text)))
    client.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def server_cpu(pids: list[int]) -> float:
    """User + system CPU seconds of every process in the groups led by `pids` (each started
    in a session of its own: the server with gunicorn's workers, the job worker)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        for task in Path("/proc").glob("[0-9]*"):
            try:
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pid:  # in the process group
                total += (int(fields[11]) + int(fields[12])) / tick
    return total


def report(tally: Tally, seconds: float, cpu: float, load_before: tuple[float, ...], users: int) -> None:
    every = [t for times in tally.times.values() for t in times]
    print(f"\n{users} users for {seconds:.0f} s: {len(every)} requests, {len(tally.errors)} errors, "
          f"{len(every) / seconds:.1f} requests/s; server CPU {cpu:.1f} s")  # fmt: skip
    print("\n| page | requests | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    for page, times in [*tally.times.items(), ("all", every)]:
        if times:
            print(f"| {page} | {len(times)} | {statistics.median(times) * 1000:.0f} | "
                  f"{percentile(times, 0.95):.0f} | {max(times) * 1000:.0f} |")  # fmt: skip
    print(f"\nload average before {load_before}, after {os.getloadavg()}")
    for error in tally.errors[:10]:
        print("error:", error)


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--scale", type=float, default=1.0, help="demo size (1.0 = about 2,000 accounts)")
    parser.add_argument("--database", default="bench_load")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it is built already")
    args = parser.parse_args()

    port = 18000 + os.getpid() % 1000
    env = environment(args.database, port)
    if not args.reuse:
        fresh_database(args.database)
        bookwise(env, "migrate", "--no-input", "-v", "0")
        bookwise(env, "demo", "--no-serve", "--scale", str(args.scale))
    logs = Path(f"/tmp/bench_load_{os.getpid()}")
    logs.mkdir(exist_ok=True)
    bind = f"127.0.0.1:{port}"
    processes = [
        start(env, logs / "serve.log", "serve", "--workers", str(args.web_workers), "--bind", bind),
        start(env, logs / "worker.log", "worker", "--workers", "1"),
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(url)
        tally = Tally()
        for username in MANAGERS:  # warm each process's imports once, untimed
            warm = signed_in(url, username)
            warm.get("/")
            warm.close()
        load_before = os.getloadavg()
        cpu_before = server_cpu([p.pid for p in processes])
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=user, args=(url, MANAGERS[i % len(MANAGERS)], until, tally, i))
            for i in range(args.users)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu = server_cpu([p.pid for p in processes]) - cpu_before
        report(tally, time.monotonic() - began, cpu, load_before, args.users)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
