"""The calendar of non-working days: entered on /team/calendar/ (who may enter what),
imported with `bookwise team calendar-import` (all-or-nothing, FILE:LINE: COLUMN: message)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bookwise.core.models import AuditEntry
from bookwise.team.calendar import off_weeks
from bookwise.team.models import NonWorkingDay
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_entering_days_off_on_the_page(org, login):
    admin, m1, r3 = login(f.admin_user()), login(org["M1"]), login(org["R3"])
    admin.post("/team/calendar/", {"date": TODAY.isoformat(), "rep": "", "reason": "Public holiday"})
    m1.post("/team/calendar/", {"date": TODAY.isoformat(), "rep": "R1", "reason": "Annual leave"})
    m1.post("/team/calendar/", {"date": TODAY.isoformat(), "rep": "", "reason": "Company day"})  # not admin
    m1.post("/team/calendar/", {"date": TODAY.isoformat(), "rep": "R3", "reason": "Leave"})  # not their team
    m1.post("/team/calendar/", {"date": "2099-01-01", "rep": "R1", "reason": "Leave"})  # a typo
    m1.post("/team/calendar/", {"date": TODAY.isoformat(), "rep": "R2", "reason": "-"})  # no reason
    assert sorted((d.rep_id is None, d.reason) for d in NonWorkingDay.objects.all()) == [
        (False, "Annual leave"), (True, "Public holiday"),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="team.day_off.add").count() == 2
    page = r3.get("/team/calendar/").content.decode()
    assert "Public holiday" in page and "Annual leave" not in page  # R1's leave is not R3's to see
    leave = NonWorkingDay.objects.get(reason="Annual leave")
    assert r3.post(f"/team/calendar/{leave.pk}/remove/").status_code == 404
    m1.post(f"/team/calendar/{leave.pk}/remove/")
    assert not NonWorkingDay.objects.filter(pk=leave.pk).exists()


def test_a_week_with_a_day_off_is_off_for_that_rep_or_everyone(org):
    monday = date(2026, 6, 1)
    NonWorkingDay.objects.create(date=monday + timedelta(days=2), rep=org["R1"], reason="Leave")
    NonWorkingDay.objects.create(date=monday + timedelta(days=7), reason="Public holiday")
    off = off_weeks([org["R1"].pk, org["R2"].pk], [monday, monday + timedelta(days=7)])
    assert off[org["R1"].pk] == {monday, monday + timedelta(days=7)}
    assert off[org["R2"].pk] == {monday + timedelta(days=7)}


def test_calendar_import_as_a_subprocess_of_the_console_script(cli, tmp_path):
    reps = "rep_id,name,role\nR1,Rita Rep,account_manager\nR2,Ben Becker,hunter\n"
    (tmp_path / "reps.csv").write_text(reps)
    assert cli("import", "reps", "reps.csv").returncode == 0
    good = tmp_path / "calendar.csv"
    good.write_text(f"date,rep_id,reason\n{TODAY},,Public holiday\n{TODAY},R1,Annual leave\n")
    done = cli("team", "calendar-import", str(good))
    assert (done.returncode, done.stdout.strip()) == (0, "calendar: 2 days off added"), done.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"date,rep_id,reason\n2026-13-01,,Holiday\n{TODAY},R99,Leave\n{TODAY},R2,\n{TODAY},R2,Leave\n"
    )
    refused = cli("team", "calendar-import", str(bad))
    assert refused.returncode == 1 and "3 error(s)" in refused.stderr
    lines = refused.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:2: date:") and lines[1] == f"{bad}:3: rep_id: unknown rep 'R99'"
    assert lines[2] == f"{bad}:4: reason: required"
    valid = tmp_path / "valid.csv"  # the refused file's one good row: it was not written
    valid.write_text(f"date,rep_id,reason\n{TODAY},R2,Leave\n")
    again = cli("team", "calendar-import", str(valid))
    assert again.returncode == 0 and again.stdout.strip() == "calendar: 1 days off added", again.stdout


def _post(client, **body):
    return client.post("/api/days-off", body, content_type="application/json")


def test_days_off_api_who_sees_what(org, login):
    holiday = NonWorkingDay.objects.create(date=TODAY, reason="Public holiday")
    NonWorkingDay.objects.create(date=TODAY, rep=org["R1"], reason="Annual leave")
    NonWorkingDay.objects.create(date=TODAY + timedelta(days=1), rep=org["R3"], reason="Sick leave")

    def seen(who, query=""):
        answer = login(who).get(f"/api/days-off{query}")
        assert answer.status_code == 200, answer.content
        return [(d["rep_id"], d["kind"], d["reason"]) for d in answer.json()["days"]]

    assert (
        seen(f.admin_user())
        == seen(org["D1"])
        == [
            (None, "holiday", "Public holiday"),
            ("R1", "absence", "Annual leave"),
            ("R3", "absence", "Sick leave"),
        ]
    )
    assert seen(org["M1"]) == [(None, "holiday", "Public holiday"), ("R1", "absence", "Annual leave")]
    assert seen(org["R3"]) == [(None, "holiday", "Public holiday"), ("R3", "absence", "Sick leave")]
    assert seen(org["M1"], "?rep_id=R2") == [(None, "holiday", "Public holiday")]  # R2: no absence
    assert seen(org["D1"], f"?start={TODAY + timedelta(days=1)}") == [("R3", "absence", "Sick leave")]
    assert login(org["M1"]).get("/api/days-off?rep_id=R3").status_code == 404  # not their team
    late = login(org["M1"]).get(f"/api/days-off?start={TODAY}&end={TODAY - timedelta(days=1)}")
    assert late.status_code == 422 and late.json()["extra"] == {"field": "end"}
    assert holiday.pk in [d["id"] for d in login(org["R1"]).get("/api/days-off").json()["days"]]


def test_days_off_api_entering_a_range_all_or_nothing_and_audited(org, login):
    m1 = login(org["M1"])
    answer = _post(m1, date=str(TODAY), end=str(TODAY + timedelta(days=2)), rep_id="R1", reason="Leave")
    assert answer.status_code == 201, answer.content
    assert [d["date"] for d in answer.json()["days"]] == [str(TODAY + timedelta(days=i)) for i in range(3)]
    assert AuditEntry.objects.filter(action="team.day_off.add", actor=org["M1"].user).count() == 3
    overlap = TODAY + timedelta(days=2)
    refused = [
        (_post(m1, date=str(overlap), end=str(TODAY + timedelta(days=4)), rep_id="R1", reason="Leave"), 422,
         f"Date: already a day off for {org['R1'].name}: {overlap}."),
        (_post(m1, date="2099-01-01", rep_id="R1", reason="Leave"), 422, "Date: 2099-01-01 is after 5 years"),
        (_post(m1, date=str(TODAY), end=str(TODAY - timedelta(days=1)), rep_id="R2", reason="Leave"), 422,
         f"End: {TODAY - timedelta(days=1)} is before the start ({TODAY})."),
        (_post(m1, date=str(TODAY), rep_id="R2", reason="  "), 422, "Reason"),
        (_post(m1, date=str(TODAY), reason="Company day"), 403,
         "Only an administrator may enter a day off for everyone."),
        (_post(m1, date=str(TODAY), rep_id="R3", reason="Leave"), 404, "No such rep."),
    ]  # fmt: skip
    for response, status, message in refused:
        assert response.status_code == status, response.content
        assert response.json()["message"].startswith(message), response.json()
    assert NonWorkingDay.objects.count() == 3 and AuditEntry.objects.count() == 3  # nothing else
    assert _post(login(f.admin_user()), date=str(TODAY), reason="Company day").status_code == 201


def test_days_off_api_removing(org, login):
    holiday = NonWorkingDay.objects.create(date=TODAY, reason="Public holiday")
    leave = NonWorkingDay.objects.create(date=TODAY, rep=org["R1"], reason="Annual leave")
    m1, m2 = login(org["M1"]), login(org["M2"])
    refused = m1.delete(f"/api/days-off/{holiday.pk}")
    assert refused.status_code == 403 and refused.json()["message"].startswith("Only an administrator")
    assert m2.delete(f"/api/days-off/{leave.pk}").status_code == 404  # not their team's
    assert m1.delete("/api/days-off/999999").status_code == 404
    assert NonWorkingDay.objects.count() == 2 and not AuditEntry.objects.exists()
    gone = m1.delete(f"/api/days-off/{leave.pk}")
    assert gone.status_code == 200 and gone.json()["removed"]["reason"] == "Annual leave"
    entry = AuditEntry.objects.get(action="team.day_off.remove")
    assert entry.actor == org["M1"].user and entry.data["rep"] == "R1"
    assert login(f.admin_user()).delete(f"/api/days-off/{holiday.pk}").status_code == 200
    assert not NonWorkingDay.objects.exists()
