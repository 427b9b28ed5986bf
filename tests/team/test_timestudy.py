from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from bookwise.team.selectors.timestudy import time_study
from tests import factories as f

pytestmark = pytest.mark.django_db
START, END = date(2026, 1, 1), date(2026, 3, 31)


def log(rep, day, **hours):
    for kind, h in hours.items():
        f.activity(rep, day, str(h), kind)


def test_team_exactly_at_the_threshold_is_not_advised_to_separate(org):
    log(org["R1"], date(2026, 1, 5), account_nurturing=8, prospecting=2, admin=3)
    log(org["R2"], date(2026, 1, 6), account_nurturing=2, new_business_meeting=8)
    log(org["R2"], date(2025, 12, 31), account_nurturing=9)  # outside the period
    study = time_study(reps=[org["R1"], org["R2"]], team=org["M1"], start=START, end=END)
    assert study.hours["account_nurturing"] == D(10) and study.hours["admin"] == D(3)
    assert study.share == D("0.5")
    assert not study.recommend
    assert "is not above the threshold 50%" in study.evidence[0]
    rows = {r.rep.external_id: r for r in study.rows}
    assert rows["R1"].share == D("0.8") and rows["R2"].share == D("0.2")
    assert rows["R1"].total == D(13)


def test_team_above_the_threshold_is_advised_with_evidence(org):
    org["R2"].role = "account_manager"  # a team of account managers only (roles not split)
    org["R2"].save()
    log(org["R1"], date(2026, 2, 2), account_nurturing="10.25", prospecting=5)
    log(org["R2"], date(2026, 2, 3), new_business_meeting=5)
    study = time_study(reps=[org["R1"], org["R2"]], team=org["M1"], start=START, end=END)
    assert study.share == D("10.25") / D("20.25")
    assert study.recommend
    assert study.evidence[1] == "10.25 of 20.25 selling hours went to account nurturing"
    assert study.evidence[2].startswith("1 of 2 reps")


def test_rep_without_entries_and_role_suggestion(org):
    log(org["R1"], date(2026, 2, 2), account_nurturing=9, prospecting=1)
    study = time_study(reps=[org["R1"], org["R2"]], team=org["M1"], start=START, end=END)
    rows = {r.rep.external_id: r for r in study.rows}
    assert rows["R2"].share is None and rows["R2"].total == 0
    assert rows["R1"].fit.role == "account_manager"  # no results above median: time mix decides
    assert rows["R2"].fit.role == "undetermined"


def test_settings_threshold_is_honoured(org, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "nurturing_threshold": "0.10"}
    log(org["R1"], date(2026, 2, 2), account_nurturing=2, prospecting=8)
    study = time_study(reps=[org["R1"]], team=None, start=START, end=END)
    assert study.threshold == D("0.10") and study.recommend


def test_a_split_team_is_not_told_to_separate_and_off_role_work_is_named(org):
    """R1 (account manager) 2 h nurturing, 8 h prospecting: 80 % hunting; R2 (hunter) 9 h
    nurturing, 1 h meetings: 90 % nurturing. Team share 55 % would advise separation, but the
    team already has both roles."""
    log(org["R1"], date(2026, 1, 5), account_nurturing=2, prospecting=8)
    log(org["R2"], date(2026, 1, 6), account_nurturing=9, new_business_meeting=1)
    study = time_study(reps=[org["R1"], org["R2"]], team=org["M1"], start=START, end=END)
    assert study.share == D("0.55") and study.split and not study.recommend
    assert study.off_role == [
        "Rep R1 (account manager) spends 80 % of their selling time hunting new business",
        "Rep R2 (hunter) spends 90 % of their selling time nurturing accounts",
    ]


def test_a_team_of_account_managers_only_is_still_advised(org):
    log(org["R1"], date(2026, 1, 5), account_nurturing=8, prospecting=2)
    study = time_study(reps=[org["R1"]], team=org["M1"], start=START, end=END)
    assert not study.split and study.recommend


def test_the_page_writes_the_evidence_figures_as_the_site_does_and_json_keeps_them_plain(org, login):
    """Thousands of hours: the page's evidence rounds them to the hour with thousands
    separators and writes shares as its tables do (92.4 %); `evidence` (JSON, commands) keeps
    the plain figures."""
    org["R2"].role = "account_manager"
    org["R2"].save()
    for day in range(57):  # 57 days of 21.25 h nurturing and 1.75 h prospecting each
        log(org["R1"], START + timedelta(days=day), account_nurturing="21.25", prospecting="1.75")
    study = time_study(reps=[org["R1"], org["R2"]], team=org["M1"], start=START, end=END)
    assert study.evidence[:2] == [
        "team nurturing share 92.4% is above the threshold 50%",
        "1211.25 of 1311.00 selling hours went to account nurturing",
    ]
    assert study.display_evidence[:2] == [
        "team nurturing share 92.4 % is above the threshold 50 %",
        "1,211 of 1,311 selling hours went to account nurturing",
    ]
    page = login(org["M1"]).get("/team/", {"start": START.isoformat(), "end": END.isoformat()})
    text = page.content.decode()
    assert "1,211 of 1,311 selling hours went to account nurturing" in text
    assert "1211.25 of" not in text  # (the chart's data keeps its plain figures)
    answer = login(org["M1"]).get(f"/api/teams/M1/time-study?start={START}&end={END}").json()
    assert answer["summary"]["evidence"] == study.evidence
