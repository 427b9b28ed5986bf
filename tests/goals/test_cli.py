"""`bookwise goals set|split|list` as a subprocess of the console script."""

from __future__ import annotations

import json

from django.utils import timezone

REPS = (
    "rep_id,name,role,territory,region\n"
    "R1,Rita Rep,account_manager,North,East\nR2,Ben Becker,hunter,North,East\n"
)


def test_set_split_and_list_through_the_console_script(cli):
    cli.write("reps.csv", REPS)
    done = cli("import", "reps", "reps.csv")
    assert done.returncode == 0, done.stderr
    year = str(timezone.localdate().year)
    done = cli("goals", "set", "--figure", "new_accounts", "--target", "5", "--format", "json")
    assert done.returncode == 0, done.stderr
    [company] = json.loads(done.stdout)
    assert (company["node"], company["target"], company["period"]) == ("company", "5", year)
    refused = cli(
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
        assert cli("goals", "split", "--figure", "new_accounts", "--node", node).returncode == 0
    rows = json.loads(cli("goals", "list", "--format", "json").stdout)
    reps = {r["node"]: r["target"] for r in rows if r["level"] == "rep"}
    assert reps == {"rep:R1": "2", "rep:R2": "3"} or reps == {"rep:R1": "3", "rep:R2": "2"}
    assert all(r["split_adds_up"] in (True, None) for r in rows)


def test_a_figure_nothing_measures_is_no_data_not_on_track(cli):
    """Gross-profit growth where no gross profit is recorded at all: unknown (null), "no_data";
    it used to read 0.00 and "on_track" against a target of 0."""
    cli.write("reps.csv", REPS)
    assert cli("import", "reps", "reps.csv").returncode == 0
    assert cli("goals", "set", "--figure", "gp_growth", "--target", "0").returncode == 0
    for node in ("company", "region:East", "territory:North"):
        assert cli("goals", "split", "--figure", "gp_growth", "--node", node).returncode == 0
    rows = json.loads(cli("goals", "list", "--figure", "gp_growth", "--format", "json").stdout)
    assert {r["node"]: (r["actual"], r["attainment"], r["status"]) for r in rows} == {
        node: (None, None, "no_data")
        for node in ("company", "region:East", "territory:North", "rep:R1", "rep:R2")
    }
    table = cli("goals", "list", "--figure", "gp_growth").stdout
    assert "no_data" in table and "on_track" not in table
