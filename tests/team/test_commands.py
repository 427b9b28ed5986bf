import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f
from tests.team.scenario import build

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("team", *args, stdout=out)
    return out.getvalue()


def test_time_study_json_is_a_list_of_reps_then_a_summary(org):
    f.activity(org["R1"], date(2026, 1, 5), "6", "account_nurturing")
    f.activity(org["R2"], date(2026, 1, 5), "4", "prospecting")
    rows = json.loads(run("time-study", "--team", "M1", "--start", "2026-01-01", "--end", "2026-01-31",
                          "--format", "json"))  # fmt: skip
    assert [r["rep_id"] for r in rows] == ["R1", "R2", None]
    assert rows[0]["hours"]["account_nurturing"] == 6.0 and rows[0]["nurturing_share"] == 1.0
    summary = rows[-1]
    assert summary["summary"] is True and summary["team"] == "M1"
    # 60 % nurturing, but M1's team already has a hunter (R2) and an account manager (R1)
    assert summary["nurturing_share"] == 0.6 and summary["recommend_separation"] is False
    assert summary["roles_already_split"] is True
    assert summary["evidence"][-1].startswith("the roles are already split: 1 hunter and 1 account manager")


def test_time_study_table_and_csv(org):
    assert run("time-study", "--format", "csv").splitlines()[0].startswith("rep_id,name,role,prospecting")
    assert "recommend_separation" in run("time-study")


def test_scorecards_json(org):
    build(org)
    cards = {
        c["rep_id"]: c for c in json.loads(run("scorecards", "--date", "2026-06-30", "--format", "json"))
    }
    assert cards["R2"]["metrics"][1] == {
        "key": "new_account_gp", "label": "Gross profit in new accounts", "kind": "money", "value": "500.00",
        "previous": "100.00", "team_median": "500.00", "lower_is_better": False, "note": "",
    }  # fmt: skip
    assert cards["M1"]["metrics"][2]["value"] == 0.625
    assert "team_nrr" in run("scorecards", "--date", "2026-06-30")


def test_signals_json(org):
    rows = json.loads(run("signals", "--date", "2026-06-28", "--format", "json"))
    assert {r["rep_id"] for r in rows} == set(org)
    assert rows[0]["weekly_hours"][0] == {"week": "2026-05-18", "hours": 0.0}


def test_errors_exit_non_zero(org):
    with pytest.raises(CommandError, match="no team managed by 'R1'"):
        run("time-study", "--team", "R1")
    with pytest.raises(CommandError, match="--date"):
        run("scorecards", "--date", "2026-02-30")
    with pytest.raises(CommandError, match="before --start"):
        run("time-study", "--start", "2026-02-01", "--end", "2026-01-01")
