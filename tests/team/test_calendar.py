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
    bad.write_text(f"date,rep_id,reason\n2026-13-01,,Holiday\n{TODAY},R99,Leave\n{TODAY},R2,\n{TODAY},R2,Leave\n")
    refused = cli("team", "calendar-import", str(bad))
    assert refused.returncode == 1 and "3 error(s)" in refused.stderr
    lines = refused.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:2: date:") and lines[1] == f"{bad}:3: rep_id: unknown rep 'R99'"
    assert lines[2] == f"{bad}:4: reason: required"
    valid = tmp_path / "valid.csv"  # the refused file's one good row: it was not written
    valid.write_text(f"date,rep_id,reason\n{TODAY},R2,Leave\n")
    again = cli("team", "calendar-import", str(valid))
    assert again.returncode == 0 and again.stdout.strip() == "calendar: 1 days off added", again.stdout
