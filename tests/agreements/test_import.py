"""The `agreements` import kind: the format of docs/imports.md, the same error contract
(every bad row reported, nothing imported), export then import changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from bookwise.agreements.models import Agreement
from bookwise.core.models import AuditEntry
from bookwise.imports.exporters import export_rows
from tests import factories
from tests.imports.helpers import counts, messages, run

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 15)
GOOD = """\
agreement_id,account_id,kind,start_date,end_date,committed_amount,product_line,owner_id,status,notice_days,renews_id
AG-1,A1,blanket,2025-01-01,2025-12-31,30000.00,Pumps,R1,expired,60,
AG-2,A1,kanban,2026-01-01,2026-12-31,36500.00,Pumps,R1,active,,AG-1
"""


@pytest.fixture
def book(org):
    factories.account("A1", owner=org["R1"])
    factories.account("B1", owner=org["R3"])
    return org


def test_a_good_file_is_imported_and_audited(book, tmp_path):
    report = run(tmp_path, "agreements", GOOD, today=TODAY)
    assert report.ok, messages(report)
    assert counts(report)[:2] == (2, 0)
    two = Agreement.objects.get(external_id="AG-2")
    assert two.renews.external_id == "AG-1" and two.notice_days == 90 and two.owner.external_id == "R1"
    assert AuditEntry.objects.filter(action="agreement.import").count() == 2
    again = run(tmp_path, "agreements", GOOD, today=TODAY)
    assert counts(again)[:3] == (0, 0, 2)


def test_every_bad_row_is_reported_and_nothing_is_imported(book, tmp_path):
    text = """\
    agreement_id,account_id,kind,start_date,end_date,committed_amount,owner_id,renews_id,price_terms
    AG-1,A9,blanket,2026-01-01,2026-12-31,100.00,,,
    AG-2,A1,handshake,2026-01-01,2026-12-31,100.00,,,
    AG-3,A1,blanket,2026-01-01,2025-12-31,100.00,,,
    AG-4,A1,blanket,2026-01-01,2026-12-31,-5,,,
    AG-5,A1,blanket,2099-01-01,2099-12-31,100.00,R9,,
    AG-6,A1,blanket,2026-01-01,2026-12-31,100.00,,AG-7,
    AG-7,B1,blanket,2026-01-01,2026-12-31,100.00,,,-
    AG-8,A1,blanket,2026-01-01,2026-12-31,100.00,,AG-7,
    """
    report = run(tmp_path, "agreements", text, today=TODAY)
    lines = messages(report)
    expected = [
        "agreements.csv:2: account_id: ",
        "agreements.csv:3: kind: 'handshake' is not one of blanket, kanban, framework",
        "agreements.csv:4: end_date: 2025-12-31 is before start_date 2026-01-01",
        "agreements.csv:5: committed_amount: -5.00 must be more than 0",
        "agreements.csv:6: owner_id: ",
        "agreements.csv:6: start_date: 2099-01-01 is not between",
        "agreements.csv:7: renews_id: ",
        "agreements.csv:8: price_terms: '-' is not an answer",
        "agreements.csv:9: renews_id: AG-7 is an agreement of account B1, not A1",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert not Agreement.objects.exists()


def test_export_then_import_changes_nothing_and_a_rep_exports_their_own(book, tmp_path):
    assert run(tmp_path, "agreements", GOOD, today=TODAY).ok
    header, rows = export_rows("agreements")
    rows = list(rows)
    assert [r[0] for r in rows] == ["AG-1", "AG-2"] and rows[1][-1] == "AG-1"
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    assert counts(run(tmp_path, "agreements", text, today=TODAY))[:3] == (0, 0, 2)
    assert list(export_rows("agreements", user=book["R3"].user)[1]) == []
