"""`bookwise import orders` as a user runs it, into a book without order lines: the command
commits the lines and queues the rollups' rebuild (no worker runs here), and the first
`bookwise report retention` rebuilds them itself, so its figures are the lines'. A bulk
first load leaves the order lines' plain indexes to the same job, and that report builds
them first."""

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


INDEXES = (
    "from bookwise.accounts import bulk_indexes\n"
    "from django.db import connection\n"
    "names = connection.introspection.get_constraints(connection.cursor(), 'accounts_orderline')\n"
    "print(sorted(bulk_indexes.pending('accounts_orderline')), len(names))"
)


def test_a_bulk_first_load_leaves_the_indexes_and_the_first_report_builds_them(cli):
    """100,000 lines (`import_bulk_min_lines`): the command commits them with the unique order
    ids and the keys in place and the three plain indexes left to the queued job; with no
    worker, the first report builds them before it rebuilds the rollups."""
    for kind, text in (("reps", REPS), ("accounts", ACCOUNTS)):
        cli.write(f"{kind}.csv", text)
        cli("import", kind, f"{kind}.csv", check=True)
    before = cli("shell", "-c", INDEXES, check=True).stdout.strip().splitlines()[-1]
    days = [f"2026-{m:02d}-{d:02d}" for m, last in ((1, 31), (2, 28), (3, 31)) for d in range(1, last + 1)]
    lines = (f"O{i},A{i % 2 + 1},{days[i % len(days)]},1.00" for i in range(100_000))
    cli.write("orders.csv", "order_id,account_id,order_date,amount\n" + "\n".join(lines) + "\n")
    cli("import", "orders", "orders.csv", check=True)
    pending, count = cli("shell", "-c", INDEXES, check=True).stdout.strip().splitlines()[-1].split("] ")
    assert pending.count("_idx") == 3 and int(count) == int(before.split("] ")[1]) - 3
    done = cli("report", "retention", "--start", "2026-01-01", "--end", "2026-03-31", "--by", "overall",
               "--format", "json", check=True)  # fmt: skip
    assert json.loads(done.stdout)[0]["period_revenue"] == "100000.00"
    assert cli("shell", "-c", INDEXES, check=True).stdout.strip().splitlines()[-1] == before
