"""BOOKWISE_ENV=production refuses a weak secret key and DEBUG, and with good settings
`bookwise check --deploy` finds nothing to warn about (HSTS, SSL redirect, secure cookies);
every answer carries the Content-Security-Policy. Each case is a fresh process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bookwise
from bookwise.core.security import DEFAULT_POLICY

SETTINGS = "bookwise.config.settings"
BOOKWISE = [sys.executable, "-c", "from bookwise.cli import main; main()"]
GOOD_KEY = "k3Y-" + "".join(chr(ord("a") + i % 26) for i in range(60))


def production(tmp_path: Path, **env: str) -> dict[str, str]:
    base = {
        **os.environ,
        "BOOKWISE_ENV": "production",
        "BOOKWISE_SECRET_KEY": GOOD_KEY,
        "BOOKWISE_ALLOWED_HOSTS": "bookwise.example.com",
        "BOOKWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base.pop("BOOKWISE_DEBUG", None)
    return base | env


def start(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = {SETTINGS!r}; django.setup()"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("key", ["x", GOOD_KEY[:49], "ab" * 40, "django-insecure-" + GOOD_KEY])
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    result = start(production(tmp_path, BOOKWISE_SECRET_KEY=key))
    assert result.returncode != 0
    assert "BOOKWISE_SECRET_KEY is too weak for production" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = start(production(tmp_path, BOOKWISE_DEBUG="True"))
    assert result.returncode != 0 and "BOOKWISE_DEBUG=True is refused in production" in result.stderr


def test_production_with_good_settings_starts_and_the_deploy_check_finds_nothing(tmp_path):
    assert start(production(tmp_path)).returncode == 0
    result = subprocess.run(
        [*BOOKWISE, "check", "--deploy", "--fail-level", "WARNING"],
        env=production(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_development_settings_would_fail_the_deploy_check(tmp_path):
    """The check is real: the same command with development settings warns (HSTS, SSL...)."""
    env = production(tmp_path, BOOKWISE_ENV="development")
    result = subprocess.run(
        [*BOOKWISE, "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode != 0 and "security.W004" in result.stderr


@pytest.mark.django_db
def test_every_answer_carries_the_content_security_policy(client):
    answer = client.get("/login/")
    assert answer["Content-Security-Policy"] == DEFAULT_POLICY
    assert "script-src 'self'" in DEFAULT_POLICY and "unsafe-eval" not in DEFAULT_POLICY


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=|javascript:", re.I
)


def test_no_template_has_a_script_the_policy_would_block():
    """Inline scripts, on...= handlers and javascript: links would be refused by the browser."""
    package = Path(bookwise.__file__).parent
    found = [
        f"{path.relative_to(package)}: {match.group(0)}"
        for path in package.rglob("*.html")
        for match in INLINE_SCRIPT.finditer(path.read_text())
    ]
    assert found == []
