"""The production topology as real processes: `bookwise serve` (gunicorn) and `bookwise
worker` against a database file or a PostgreSQL database, Redis for the queue and the cache,
each started with `python -m bookwise.cli` from this checkout."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

import bookwise
from tests import template_database

SRC = Path(bookwise.__file__).resolve().parents[1]
ROOT = SRC.parent
REDIS = "redis://127.0.0.1:6379/0"
DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("BOOKWISE_TEST_DATABASE_URL"), reason="BOOKWISE_TEST_DATABASE_URL is not set"
        ),
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Topology:
    """Processes of one installation (its own Redis queue and cache keys: BOOKWISE_INSTANCE)."""

    def __init__(self, workdir: Path, database_url: str) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{SRC}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bookwise.config.settings",
            "BOOKWISE_DATABASE_URL": database_url,
            "BOOKWISE_CACHE_URL": REDIS,
            "BOOKWISE_QUEUE_URL": REDIS,
            "BOOKWISE_INSTANCE": f"bw-test-{uuid.uuid4().hex[:10]}",
            "BOOKWISE_LOG_FORMAT": "json",
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def bookwise(self, *args: str, **env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bookwise.cli", *args],
            env={**self.env, **env},
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"bookwise {' '.join(args)}: {done.stderr[-3000:]}"
        return done.stdout

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "bookwise.cli", *args],
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def wait_until_up(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the server did not come up:\n{self.log('serve')[-3000:]}")


def postgres_url() -> str:
    """A database of its own beside the test database, migrated (a copy of the template)."""
    url = os.environ["BOOKWISE_TEST_DATABASE_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # one per xdist worker
    return template_database.copy(url, f"{template_database.split(url)[1]}_topology{worker}")


def migrated(workdir: Path, database: str, request: pytest.FixtureRequest) -> Topology:
    """A Topology on a migrated database of its own (one of DATABASES): a copy of the
    session's migrated SQLite file (tests/console.py), or of the migrated PostgreSQL template
    (tests/template_database.py)."""
    if database == "sqlite":
        copy = workdir / "bookwise.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_database"), copy)
        return Topology(workdir, f"sqlite:///{copy}")
    return Topology(workdir, postgres_url())


def wait_for(probe: Any, timeout: float, what: str, every: float = 0.02) -> Any:
    """Call probe() every `every` seconds until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")
