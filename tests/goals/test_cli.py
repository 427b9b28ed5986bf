"""`bookwise goals set|split|list` as a subprocess of the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

import bookwise

REPS = (
    "rep_id,name,role,territory,region\n"
    "R1,Rita Rep,account_manager,North,East\nR2,Ben Becker,hunter,North,East\n"
)


def test_set_split_and_list_through_the_console_script(tmp_path):
    env = {**os.environ, "BOOKWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env["PYTHONPATH"] = str(Path(bookwise.__file__).parents[1])
    env.pop("DJANGO_SETTINGS_MODULE", None)
    (tmp_path / "reps.csv").write_text(REPS, encoding="utf-8")
    script = str(Path(sys.executable).parent / "bookwise")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([script, *args], env=env, capture_output=True, text=True, cwd=tmp_path)

    assert run("migrate", "-v0", "--skip-checks").returncode == 0
    done = run("import", "reps", "reps.csv")
    assert done.returncode == 0, done.stderr
    year = str(timezone.localdate().year)
    done = run("goals", "set", "--figure", "new_accounts", "--target", "5", "--format", "json")
    assert done.returncode == 0, done.stderr
    [company] = json.loads(done.stdout)
    assert (company["node"], company["target"], company["period"]) == ("company", "5", year)
    refused = run(
        "goals",
        "split",
        "--figure",
        "new_accounts",
        "--node",
        "company",
        "--method",
        "hand",
        "--part",
        "region:East=4",
    )
    assert refused.returncode == 1 and "the parts sum to 4, -1 against the goal" in refused.stderr
    for node in ("company", "region:East", "territory:North"):
        assert run("goals", "split", "--figure", "new_accounts", "--node", node).returncode == 0
    rows = json.loads(run("goals", "list", "--format", "json").stdout)
    reps = {r["node"]: r["target"] for r in rows if r["level"] == "rep"}
    assert reps == {"rep:R1": "2", "rep:R2": "3"} or reps == {"rep:R1": "3", "rep:R2": "2"}
    assert all(r["split_adds_up"] in (True, None) for r in rows)
