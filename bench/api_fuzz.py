"""Fuzz the JSON API with schemathesis against its own OpenAPI document, with a fixed budget.

    python bench/api_fuzz.py                      # demo at 5 % scale in a temporary SQLite file
    python bench/api_fuzz.py --examples 50 --scale 0.1
    python bench/api_fuzz.py --database-url postgresql://postgres@127.0.0.1:5432/bw_fuzz  # empty db

Builds the demo company into a fresh database, then for each identity (the admin and a rep,
each with an API token and with a signed-in session whose writes carry the CSRF token)
sends `--examples` generated requests to every operation of /api/openapi.json (through the
WSGI application: the whole stack, middleware included) and checks each answer: no server
error (5xx), the status code documented, the content type documented, the body valid against
the documented schema. Writes really happen (the database is a scratch one). Prints a table
of requests and failures per identity and the first failures in full; exits 1 on any failure.
Hypothesis' seed is fixed (`--seed`), so a run is repeatable.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup(url: str) -> None:
    os.environ["BOOKWISE_DATABASE_URL"] = url
    os.environ["BOOKWISE_DEBUG"] = "False"
    os.environ["BOOKWISE_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def build(scale: float, today: date) -> None:
    from django.core.management import call_command

    from bookwise.demo.builder import build_demo

    call_command("migrate", verbosity=0, interactive=False)
    build_demo(today=today, scale=scale)


Identity = tuple[dict[str, str], dict[str, str]]


def identities() -> dict[str, Identity]:
    """name -> (headers, cookies) that make a request act as that identity."""
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.test import Client

    from bookwise.core.services import api_token_create

    users = get_user_model().objects
    who = {"admin": users.get(username="admin"), "rep": users.get(username="r01")}
    found: dict[str, Identity] = {}
    for name, user in who.items():
        found[f"{name} token"] = ({"Authorization": f"Token {api_token_create(user=user, label='fuzz')}"}, {})
        client = Client()
        client.force_login(user)
        secret = _get_new_csrf_string()
        cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": secret}
        found[f"{name} session"] = ({"X-CSRFToken": _mask_cipher_secret(secret)}, cookies)
    return found


def fuzz(identity: Identity, examples: int, seed: int) -> tuple[Counter, list[str]]:
    """(answers by status class, failures as text) for one identity over every operation."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis import seed as fixed_seed
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance]
    checks.append(response_schema_conformance)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 4xx answers are the point
    logging.getLogger("django.security.csrf").setLevel(logging.ERROR)
    answers: Counter = Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        answers_of = _runner(operation, identity, checks, answers, failures)
        settings(max_examples=examples, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                 suppress_health_check=list(HealthCheck))(fixed_seed(seed)(answers_of))()  # fmt: skip
    return answers, failures


def _runner(operation: Any, identity: Identity, checks: list, answers: Counter, failures: list[str]) -> Any:
    """A Hypothesis test sending one generated request of `operation` as `identity`."""
    from hypothesis import given

    headers, cookies = identity

    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        try:
            response = case.call(headers=headers, cookies=cookies)
            answers[f"{response.status_code // 100}xx"] += 1
            answers[str(response.status_code)] += 1
            case.validate_response(response, checks=checks, headers=headers)
        except Exception as failure:  # noqa: BLE001 - every kind of failure is reported, none stops the run
            failures.append(f"{operation.label}: {failure}"[:2000])

    return run


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--database-url", default="", help="an EMPTY database (default: temporary SQLite)")
    parser.add_argument("--scale", type=float, default=0.05, help="demo scale (default 0.05)")
    parser.add_argument("--examples", type=int, default=20, help="requests per operation and identity")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--show", type=int, default=10, help="failures printed in full")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bookwise-fuzz-")
    setup(args.database_url or f"sqlite:///{folder}/fuzz.sqlite3")
    started = time.monotonic()
    build(args.scale, date.today())
    print(f"demo built at scale {args.scale} in {time.monotonic() - started:.0f} s")
    rows, shown = [], []
    for name, identity in identities().items():
        began = time.monotonic()
        answers, failures = fuzz(identity, args.examples, args.seed)
        rows.append((name, answers, failures, time.monotonic() - began))
        shown += failures[: max(0, args.show - len(shown))]
    report(rows, shown)
    sys.exit(1 if any(failures for _, _, failures, _ in rows) else 0)


def report(rows: list[tuple[str, Counter, list[str], float]], shown: list[str]) -> None:
    print("\n| identity | requests | 2xx | 4xx | 5xx | failures | seconds | most frequent 4xx |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, answers, failures, seconds in rows:
        sent = sum(v for k, v in answers.items() if k.endswith("xx"))
        frequent = ", ".join(f"{k}: {v}" for k, v in answers.most_common() if k[0] == "4" and "x" not in k)
        print(f"| {name} | {sent} | {answers['2xx']} | {answers['4xx']} | {answers['5xx']} | {len(failures)} "
              f"| {seconds:.0f} | {frequent[:60]} |")  # fmt: skip
    kinds = Counter(f.split(": ", 1)[1].split("\n", 1)[0][:90] for row in rows for f in row[2])
    for kind, count in kinds.most_common(12):
        print(f"{count} x {kind}")
    for failure in shown:
        print("\n---\n" + failure)


if __name__ == "__main__":
    main()
