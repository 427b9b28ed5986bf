"""Acceptance of issue 11 item 2 on the demo company, through the real command line (a
subprocess on a SQLite file) and the pages (Django's client in a separate process on the same
file): `bookwise transfer plan --from R12` and its web counterpart produce a plan that applies.

On today's main this fails: the JSON has no left-out accounts (lost accounts and those with an
open transfer are planned), `--save`/`plan-apply` do not exist, and applying the demo's plan
fails ("Account AC-0023 already has an open transfer")."""

import json
from pathlib import Path

import pytest

from tests.console import Console, console_on_copy

ENV = {
    "BOOKWISE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "BOOKWISE_QUEUE_URL": "immediate://",  # no worker here: the pages' jobs run in the request
}


@pytest.fixture(scope="module")
def demo_db(migrated_database, tmp_path_factory) -> Path:
    built = console_on_copy(migrated_database, tmp_path_factory.mktemp("demo"), **ENV)
    built("demo", "--no-serve", check=True)
    return built.database


def on_copy(demo_db: Path, folder: Path) -> Console:
    """A console on a copy of the demo's database, which the test may change."""
    return console_on_copy(demo_db, folder, **ENV)


def test_cli_plan_leaves_out_what_cannot_move_and_balances(demo_db):
    shown = Console(demo_db.parent, database=demo_db, **ENV)  # reads only: the module's database
    result = shown("transfer", "plan", "--from", "R12", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["feasible"] and data["planned"] == len(data["assignments"]) > 10
    reasons = [x["reason"] for x in data["excluded"]]
    assert sum(r.startswith("open transfer to") for r in reasons) == 4  # the demo's four transfers
    assert all(r.startswith(("open transfer to", "lost on")) for r in reasons)
    balance = data["balance"]
    assert balance["met"] in {"both", "ceiling"}
    for r in data["recipients"]:
        assert r["utilisation_after"] <= balance["ceiling"] + 1e-4
        assert r["accounts"] < data["planned"] / 2  # no "49 of 72 to one rep"
    assert data["bound"] >= data["objective"] and data["bound_scope"].startswith("every candidate pair")


def test_cli_plan_saved_then_applied(demo_db, tmp_path):
    run = on_copy(demo_db, tmp_path)
    saved = run("transfer", "plan", "--from", "R12", "--save", "--as", "dir1")
    assert saved.returncode == 0, saved.stderr
    plan_id = saved.stdout.split()[2]
    applied = run("transfer", "plan-apply", plan_id, "--as", "dir1")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.startswith(f"Applied plan {plan_id}: ") and "transfers drafted" in applied.stdout


WEB = """
import django, os, re
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookwise.config.settings")
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from bookwise.transfers.models import ReassignmentPlan, Transfer
c = Client()
assert c.login(username="{user}", password="bookwise-demo")
listing = c.get("/transfers/plans/")
assert listing.status_code == 200 and "Propose a plan" in listing.content.decode()
form = c.get(c.get("/transfers/plans/new/", {{"rep": "R12"}})["Location"])
effective = re.search(r'name="effective_date" value="([^"]+)"', form.content.decode()).group(1)
made = c.post("/transfers/plans/new/R12/", {{"effective_date": effective, "reason": "departure"}})
assert made.status_code == 302, made.content.decode()[-2000:]
plan = ReassignmentPlan.objects.latest("id")
page = c.get(made["Location"]).content.decode()
assert "Create all" in page and "Left out of this plan" in page
done = c.post(f"/transfers/plans/{{plan.pk}}/apply/", follow=True).content.decode()
ok = "transfers drafted from the plan" in done
print(plan.pk, plan.lines.count(), Transfer.objects.filter(plan=plan).count(), ok)
"""


def test_web_plan_for_r12_applies(demo_db, tmp_path):
    """As R12's sales manager (her team only: the tighter case)."""
    result = on_copy(demo_db, tmp_path).python(WEB.format(user="sm2"))
    assert result.returncode == 0, result.stderr[-3000:]
    _, lines, transfers, ok = result.stdout.split()
    assert ok == "True" and int(lines) == int(transfers) > 10
