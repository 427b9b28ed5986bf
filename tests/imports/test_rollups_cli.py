"""`bookwise import orders` as a user runs it, into a book without order lines: the command
commits the lines and queues the rollups' rebuild (no worker runs here), and the first
`bookwise report retention` rebuilds them itself, so its figures are the lines'."""

from __future__ import annotations

import json

REPS = (
    "rep_id,name,role,manager_id,territory,region\n"
    "M1,Mia,sales_manager,,North,East\nR1,Rob,account_manager,M1,North,East\n"
)
ACCOUNTS = (
    "account_id,name,territory,owner_id,created_date\n"
    "A1,Acme,North,R1,2020-06-01\nA2,Beta,North,R1,2020-06-01\n"
)
ORDERS = (
    "order_id,account_id,order_date,amount\n"
    "O1,A1,2025-01-05,1000.10\nO2,A1,2026-01-20,-50\nO3,A2,2026-02-03,300\n"
)
STATE = (
    "from bookwise.jobs.models import Job\n"
    "from bookwise.retention import refresh\n"
    "from bookwise.team import rollup\n"
    "print(list(Job.objects.values_list('name', 'state')), refresh.is_fresh(), rollup.is_fresh())"
)


def test_a_first_load_on_the_command_line_queues_the_rebuild_and_a_report_reads_the_lines(cli):
    for kind, text in (("reps", REPS), ("accounts", ACCOUNTS), ("orders", ORDERS)):
        cli.write(f"{kind}.csv", text)
        cli("import", kind, f"{kind}.csv", check=True)
    state = cli("shell", "-c", STATE, check=True).stdout.strip().splitlines()[-1]
    assert state == "[('rollups_rebuild', 'queued')] False False"
    done = cli("report", "retention", "--start", "2026-01-01", "--end", "2026-03-31", "--by", "overall",
               "--format", "json", check=True)  # fmt: skip
    overall = json.loads(done.stdout)[0]
    assert (overall["period_revenue"], overall["new_accounts"]) == ("250.00", 1)
    state = cli("shell", "-c", STATE, check=True).stdout.strip().splitlines()[-1]
    assert state == "[('rollups_rebuild', 'queued')] True False"  # the team's: its own reader or the job
