"""`bookwise mapping suggest` and `bookwise import --mapping`, as a user runs them (subprocess)."""

from __future__ import annotations

import pytest
import yaml
from django.db import connection

from .helpers import write

DEALS = """\
Deal Number,Customer,Salesperson,Status,Value (EUR),Expected Close,Won On
D-1,Acme (ACC-001),R1,Won,"1.250,00 €",15.01.2025,20.01.2025
D-2,Globex (ACC-002),R1,Open,"300,50 €",30.06.2026,
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="one end-to-end run is enough")
def test_suggest_edit_and_import(cli, tmp_path):
    write(tmp_path, "reps.csv", "REP ID,Name,ROLE\nR1,Ann Lee,hunter\n")
    write(tmp_path, "accounts.csv", "Account Id,Name\nACC-001,Acme\nACC-002,Globex\n")
    assert cli("import", "reps", "reps.csv").returncode == 0
    assert cli("import", "accounts", "accounts.csv").returncode == 0
    write(tmp_path, "deals.csv", DEALS)

    proposed = cli("mapping", "suggest", "opportunities", "deals.csv")
    assert proposed.returncode == 0, proposed.stderr
    assert "#   opportunity_id <- 'Deal Number': confidence 0.9 (a usual name for it)" in proposed.stdout
    assert "REQUIRED AND NOT MAPPED" not in proposed.stdout
    data = yaml.safe_load(proposed.stdout)
    assert data["fields"]["stage"] == {"column": "Status", "map": {"Won": "won", "Open": ""}}  # to complete
    assert data["fields"]["amount"] == {"column": "Value (EUR)", "money": {"decimal": ","}}
    assert data["fields"]["expected_close_date"] == {"column": "Expected Close", "date": "DD.MM.YYYY"}
    # the user completes it: the customer's id out of "Acme (ACC-001)", the stage from Status
    data["fields"]["account_id"] = {"column": "Customer", "extract": "id"}
    data["fields"]["stage"] = {"column": "Status", "map": {"Won": "won", "Open": "engaging"}}
    data["fields"]["closed_date"] = {"column": "Won On", "date": "DD.MM.YYYY"}
    (tmp_path / "deals.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")

    dry = cli("import", "opportunities", "deals.csv", "--mapping", "deals.yaml", "--dry-run")
    assert dry.stdout == "opportunities: 2 created, 0 updated, 0 unchanged (dry run: nothing changed)\n", (
        dry.stderr
    )
    done = cli("import", "opportunities", "deals.csv", "--mapping", "deals.yaml")
    assert done.stdout == "opportunities: 2 created, 0 updated, 0 unchanged\n", done.stderr
    again = cli("import", "opportunities", "deals.csv", "--mapping", "deals.yaml")
    assert again.stdout == "opportunities: 0 created, 0 updated, 2 unchanged\n"

    bad_deals = DEALS.replace("Globex (ACC-002)", "Globex (ACC-404)").replace("R1,Won", "R1,Stuck")
    write(tmp_path, "bad.csv", bad_deals)
    bad = cli("import", "opportunities", "bad.csv", "--mapping", "deals.yaml")
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == [
        "bad.csv:2: Status: 'Stuck' is not a value the mapping knows ('Open', 'Won')",
        "bad.csv:3: Customer (account_id): unknown account 'ACC-404'",
        "error: 2 error(s) in bad.csv; nothing was imported",
    ]
    unknown = cli("import", "opportunities", "deals.csv", "--mapping", "nope")
    assert (
        unknown.returncode == 1
        and "'nope' is neither a mapping file nor a saved mapping or preset" in unknown.stderr
    )
