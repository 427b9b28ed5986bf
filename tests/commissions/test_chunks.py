"""A run computed chunk by chunk of reps (memory bounded) pays exactly what one chunk
pays: same statements, lines, order, totals, overrides and adjustments.

org: D1 director; M1 manages R1, R2 (a hunter); M2 manages R3, R4. Every line crosses
chunks somewhere: A1 moves from R1 to R3 by transfer inside Q2, R4 co-covers R2's A2,
a line on R4's A4 names R1, the managers' overrides need their whole team, and Q1 is
approved before a late order and a credit note make Q2 carry adjustments."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from bookwise.commissions.compute import chunks
from bookwise.commissions.compute.computation import period_totals
from bookwise.commissions.management.commands._output import cell, emit
from bookwise.commissions.management.commands.commissions import SUMMARY
from bookwise.commissions.models import Dispute, Run
from bookwise.commissions.services import dispute_resolve, run_approve, run_compute
from bookwise.commissions.services.runs import PeriodRun, statements_for
from tests import factories as f
from tests.commissions.line_period import compute_period, compute_period_per_line

from .helpers import load_plans

pytestmark = pytest.mark.django_db

ONE_CHUNK = (10**9, 10**9)


@pytest.fixture
def book(org):
    load_plans(rule=True)
    a1, a2 = f.account("A1"), f.account("A2", owner=org["R2"])
    a4, a5 = f.account("A4", owner=org["R4"]), f.account("A5", owner=org["R1"])
    f.own(a1, org["R1"], date(2020, 1, 1), date(2026, 4, 30))
    f.own(a1, org["R3"], date(2026, 5, 1), reason="transfer")
    f.own(a2, org["R4"], date(2025, 6, 1), role="secondary")
    rows = [
        (a1, date(2025, 5, 10), "3000.00"), (a1, date(2025, 9, 1), "1000.00"),  # R1; baseline for R3
        (a5, date(2025, 5, 20), "2000.00"), (a2, date(2025, 6, 5), "4000.00"),  # year before Q2
        (a1, date(2026, 2, 10), "1000.00"), (a2, date(2026, 3, 1), "500.00"),  # Q1, approved
        (a1, date(2026, 4, 10), "1200.00"),  # R1, before the transfer
        (a1, date(2026, 5, 20), "9000.00"),  # R3, in the delay month: 0, fills the baseline
        (a1, date(2026, 6, 10), "4000.00"),  # R3, above the baseline, ramp 0.5
        (a2, date(2026, 4, 15), "2500.00"), (a2, date(2026, 6, 1), "-300.00"),  # R2 80 %, R4 20 %
        (a5, date(2026, 5, 5), "800.00"), (a4, date(2026, 5, 6), "700.00"),
    ]  # fmt: skip
    for i, (acc, day, amount) in enumerate(rows):
        f.order(acc, day, amount, external_id=f"O{i:02d}", kind="new" if i % 2 else "repeat")
    f.order(a4, date(2026, 6, 2), "650.00", rep=org["R1"], external_id="O-named")  # R1 on R4's account
    q1 = run_approve(run=run_compute(period="2026-Q1"), actor=None)
    f.order(a1, date(2026, 3, 20), "2000.00", external_id="O-late")  # after approval: R1 +100
    f.order(a2, date(2026, 3, 21), "-250.00", external_id="O-credit")  # R2 -10, R4 -2.50
    r1 = q1.statements.get(rep=org["R1"])
    dispute = Dispute.objects.create(statement=r1, order_id="O04", comment="more", raised_by=org["R1"].user)
    dispute_resolve(
        dispute=dispute, actor=org["M1"].user, accept=True, reason="Agreed.", amount=Decimal("7.00")
    )
    return org


def with_chunks(monkeypatch, size):
    monkeypatch.setattr(chunks, "CHUNK_LINES", size[0])
    monkeypatch.setattr(chunks, "CHUNK_REPS", size[1])


def stored(run):
    totals = (run.commission, run.override, run.adjustments, sorted(v.pk for v in run.plan_versions.all()))
    return [st.as_json() for st in run.statements.order_by("id")], totals


@pytest.mark.parametrize("size", [(1, 1), (1, 2), (5, 2), (2000, 3)])
def test_a_run_in_chunks_of_one_or_two_reps_equals_one_chunk(book, monkeypatch, size):
    with_chunks(monkeypatch, ONE_CHUNK)
    whole = [data for _, data in statements_for("2026-Q2")]
    whole_run = stored(run_compute(period="2026-Q2"))
    whole_slow = compute_period_per_line("2026-Q2")
    whole_totals = period_totals("2026-Q2")  # what-ifs
    with_chunks(monkeypatch, size)
    parts = [[e.statement.rep_ref for e in chunk] for chunk in PeriodRun("2026-Q2").chunks()]
    assert len(parts) >= 3 and max(len(p) for p in parts) <= size[1]  # really in chunks
    assert [data for _, data in statements_for("2026-Q2")] == whole
    assert stored(run_compute(period="2026-Q2")) == whole_run
    paid = {s.rep_ref: s.commission + s.override for s in whole_slow}
    assert period_totals("2026-Q2") == whole_totals == paid
    # the per-line path (team credit from one aggregate query) agrees, in chunks or not
    fast = compute_period("2026-Q2")
    for slow in (whole_slow, compute_period_per_line("2026-Q2")):
        assert [(s.rep_ref, s.credit, s.commission, s.lines, s.override, s.team) for s in slow] == [
            (s.rep_ref, s.credit, s.commission, s.lines, s.override, s.team) for s in fast
        ]


def test_the_book_crosses_chunks_where_it_should(book, monkeypatch):
    # The hand-worked figures the chunked run must keep (AM plan: 5 % to quota 100000,
    # split 0.2, transfer rule: delay 1 month, threshold over the prior 12 months, ramp
    # 0.5 until month 6; managers 2 % of team growth).
    with_chunks(monkeypatch, (1, 2))
    s = {data["rep_id"]: data for _, data in statements_for("2026-Q2")}
    r1 = {x["order_id"]: x for x in s["R1"]["lines"]}
    assert set(r1) == {"O06", "O11", "O-named"}  # A1 until the transfer, A5, the named line
    assert s["R1"]["commission"] == "132.50"  # (1200 + 800 + 650) x 5 %
    r3 = {x["order_id"]: x for x in s["R3"]["lines"]}
    assert r3["O07"]["commission"] == "0.00"  # in the delay month
    # baseline B <= A1's lines over 2025-05-01 .. 2026-04-30 = 8200 < s = 9000 before O08:
    # all of O08 lies above B (g = 1); ramp 0.5 at month 1: 4000 x 5 % x 0.5
    assert (r3["O08"]["factor"], r3["O08"]["commission"]) == (0.5, "100.00")
    assert [(x["order_id"], x["credit"]) for x in s["R4"]["lines"]] == [
        ("O09", "500.00"),  # R4's 20 % of R2's line
        ("O12", "700.00"),
        ("O10", "-60.00"),
    ]
    assert s["R2"]["credit"] == "1760.00"  # (2500 - 300) x 0.8
    # M1's team (R1, R2): Q2 = 2650 + 1760 = 4410; 2025-Q2: 3000 (A1) + 2000 (A5) + 3200 (A2 80 %)
    assert s["M1"]["team_credit"] == {"current": "4410.00", "year_before": "8200.00"}
    assert s["M1"]["override"] == "0.00"
    # M2's team (R3, R4): Q2 = 13000 + 1140 = 14140; 2025-Q2: 800 (R4's 20 % of O03);
    # 2 % x 13340 = 266.80
    assert s["M2"]["team_credit"] == {"current": "14140.00", "year_before": "800.00"}
    assert s["M2"]["override"] == "266.80"
    adjustments = {
        rep: [(a["kind"], a["order_id"], a["commission"]) for a in s[rep]["adjustment_lines"]]
        for rep in ("R1", "R2", "R4")
    }
    assert adjustments == {
        "R1": [("line", "O-late", "100.00"), ("dispute", "O04", "7.00")],
        "R2": [("line", "O-credit", "-10.00")],
        "R4": [("line", "O-credit", "-2.50")],
    }
    # Q1's teams changed after approval: M1 2 % x (1400 -> 3200), M2 2 % x (100 -> 50)
    for rep, paid in (("M1", "36.00"), ("M2", "-1.00")):
        assert [(a["kind"], a["commission"]) for a in s[rep]["adjustment_lines"]] == [("override", paid)]


def test_the_run_command_prints_the_stored_run_one_statement_at_a_time(book, monkeypatch):
    with_chunks(monkeypatch, (1, 2))
    printed = {}
    for fmt in ("json", "csv", "table"):
        out = StringIO()
        call_command("commissions", "run", "--period", "2026-Q2", "--format", fmt, stdout=out)
        printed[fmt] = out.getvalue()
    run = Run.objects.get(period="2026-Q2")
    rows = [st.as_json() for st in run.statements.order_by("rep__external_id")]
    assert printed["json"] == json.dumps(rows, indent=2, default=cell) + "\n"  # as emit() would
    for fmt in ("csv", "table"):  # the summary, read without the lines
        expected = StringIO()
        if fmt == "table":
            expected.write(f"draft run {run.pk} of 2026-Q2: {len(rows)} statement(s)\n")
        emit(OutputWrapper(expected), rows, SUMMARY, fmt)
        assert printed[fmt] == expected.getvalue()
