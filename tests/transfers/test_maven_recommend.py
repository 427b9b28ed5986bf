"""Acceptance on the Maven CRM sample: the recommendation for Betatech ranks first a rep who
sold to it, and no two candidates tie (on a default value or otherwise)."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command

from bookwise.accounts.models import Account, Opportunity
from bookwise.imports.services import import_file
from bookwise.transfers.recommend import recommend
from tests.maven import SAMPLE, needs_maven

pytestmark = needs_maven


def test_betatech_goes_first_to_a_rep_who_sold_to_it(db, tmp_path):
    call_command("convert", "maven-crm", str(SAMPLE), str(tmp_path), stdout=StringIO(), skip_checks=True)
    for kind in ("reps", "accounts", "opportunities", "orders"):
        assert import_file(kind=kind, path=tmp_path / f"{kind}.csv", today=date(2026, 1, 1)).ok
    betatech = Account.objects.get(external_id="betatech")
    data = recommend(account=betatech, day=date(2026, 12, 1))
    sellers = set(
        Opportunity.objects.filter(account=betatech, stage="won").values_list("rep__external_id", flat=True)
    )
    first = data["candidates"][0]
    assert first["rep_id"] in sellers and first["details"]["deals_won"] > 0
    # performance is read where the data ends, not as a flat "unknown"
    assert data["performance_as_of"] == "2017-12-31"
    exact = [c["score_exact"] for c in data["candidates"]]
    assert len(exact) == len(set(exact)) and len(exact) > 20
    sales = [c["details"]["sales_estimate"] for c in data["candidates"]]
    assert len(set(sales)) == len(sales)  # no flat default: every rep's own figure, shrunk
    anna = next(c for c in data["candidates"] if c["name"] == "Anna Snelling")
    assert anna["details"]["deals_won"] == 9 and anna["parts"]["history"] > 10
    assert {e["reason"] for e in data["excluded"]} <= {"no_record", "left", "leaving"}
