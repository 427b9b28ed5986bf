import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bookwise.accounts.models import Ownership
from bookwise.transfers import services
from bookwise.transfers.recommend import recommend
from tests import factories
from tests.transfers.helpers import EFFECTIVE, book, introduced

pytestmark = pytest.mark.django_db


def test_end_co_coverage_command_closes_a_lingering_open_secondary_once(org):
    account = book(org)
    transfer = services.transfer_complete(transfer=introduced(org, account), actor=org["M1"].user)
    # an open secondary as older data (or a manual edit) could leave it
    Ownership.objects.filter(account=account, role="secondary").update(end_date=None)
    after = (transfer.co_coverage_end + timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("transfer", "end-co-coverage", "--date", after, "--dry-run", stdout=out)
    assert "1 co-coverage period(s) would end" in out.getvalue()
    assert Ownership.objects.get(account=account, role="secondary").end_date is None
    call_command("transfer", "end-co-coverage", "--date", after, stdout=StringIO())
    assert Ownership.objects.get(account=account, role="secondary").end_date == transfer.co_coverage_end
    again = StringIO()
    call_command("transfer", "end-co-coverage", "--date", after, stdout=again)
    assert "0 co-coverage period(s) ended" in again.getvalue()


def test_bad_date_is_an_error():
    with pytest.raises(CommandError, match="--date"):
        call_command("transfer", "end-co-coverage", "--date", "yesterday")


def test_plan_command_table_and_unknown_rep(org):
    factories.account("B1", owner=org["R1"])
    out = StringIO()
    call_command("transfer", "plan", "--from", "R1", "--date", "2026-06-01", stdout=out)
    assert "1 of 1 accounts planned, complete" in out.getvalue() and "B1" in out.getvalue()
    with pytest.raises(CommandError, match="no rep"):
        call_command("transfer", "plan", "--from", "NOPE")


def test_fit_counts_industry_and_parent_relationship(org):
    parent = factories.account("PARENT", owner=org["R3"])
    account = factories.account("CHILD", owner=org["R1"], industry="Food", parent=parent)
    factories.account("FOOD2", owner=org["R4"], industry="Food")
    data = recommend(account=account, user=org["D1"].user, day=EFFECTIVE)
    details = {c["rep_id"]: c["details"] for c in data["candidates"]}
    assert details["R3"]["relationship"] is True and details["R3"]["industry_experience"] is False
    assert details["R4"]["industry_experience"] is True and details["R4"]["relationship"] is False
    # R2 is a hunter and CHILD is held by an account manager: refused, with the reason
    assert "R2" not in details
    assert {e["rep_id"]: e["reason"] for e in data["excluded"]}["R2"] == "role"


def test_recommend_csv_format(org):
    book(org)
    out = StringIO()
    call_command("transfer", "recommend", "ACME", "--date", "2026-06-01", "--format", "csv", stdout=out)
    header = "rep_id,name,score,performance,skills,fit,history,headroom,performance_uncertainty"
    assert out.getvalue().splitlines()[0] == header


def test_recommend_json_shape(org):
    book(org)
    out = StringIO()
    call_command(
        "transfer", "recommend", "ACME", "--date", EFFECTIVE.isoformat(), "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert set(data) >= {"account_id", "candidates", "excluded"}
    assert date.fromisoformat(data["day"]) == EFFECTIVE
