"""The audit trail records every ownership change whatever its path (imports, admin), with
who and the before/after, and nothing in it can be changed or deleted."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from bookwise.accounts.models import Ownership
from bookwise.core.actor import running_command
from bookwise.core.models import AuditEntry, AuditImmutable
from bookwise.core.services import api_token_create, audit_record
from bookwise.imports.services import import_file
from tests import factories as f

OWNERSHIP = "account_id,rep_id,role,start_date,end_date,reason\nA1,R2,primary,2020-01-01,,\n"


@pytest.fixture
def book(db):
    r1 = f.rep("R1", name="Rita Rep")
    r2 = f.rep("R2", name="Ben Becker")
    return {"r1": r1, "r2": r2, "a1": f.account("A1", owner=r1, name="Acme"), "a2": f.account("A2", owner=r1)}


def _import(tmp_path, kind: str, text: str, **kwargs):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    return import_file(kind=kind, path=path, filename=f"{kind}.csv", today=date(2026, 3, 15), **kwargs)


def test_an_ownership_import_records_each_account_it_rewrote(book, tmp_path):
    text = OWNERSHIP + "A2,R1,primary,2020-01-01,,import\n"  # A2 is unchanged
    assert _import(tmp_path, "ownership", text, dry_run=True).ok
    assert not AuditEntry.objects.exists()  # a dry run records nothing
    assert _import(tmp_path, "ownership", text).ok
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.account_ref) == ("ownership.import", book["a1"].pk)
    assert entry.account_label == "A1 Acme"
    assert entry.data["before"] == ["primary: Rita Rep (R1) 2020-01-01..open, import"]
    assert entry.data["after"] == ["primary: Ben Becker (R2) 2020-01-01..open, import"]
    assert entry.data["file"] == "ownership.csv" and entry.via == "system"


def test_an_accounts_import_that_changes_an_owner_is_recorded(book, tmp_path):
    assert _import(tmp_path, "accounts", "account_id,name,owner_id\nA1,Acme,R2\nA2,Customer A2,R1\n").ok
    entry = AuditEntry.objects.get(action="ownership.import")
    assert entry.account_label == "A1 Acme"
    assert entry.data["after"] == [
        "primary: Rita Rep (R1) 2020-01-01..2026-03-14, import",
        "primary: Ben Becker (R2) 2026-03-15..open, import",
    ]


def test_a_command_records_its_person(book, tmp_path):
    user = f.admin_user("sm1")
    with running_command(command="bookwise import ownership ownership.csv", as_user="sm1"):
        assert _import(tmp_path, "ownership", OWNERSHIP).ok
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_name, entry.via) == (user, "sm1", "command")
    assert entry.data["command"] == "bookwise import ownership ownership.csv" and entry.data["os_user"]


def test_a_command_without_as_records_the_os_user(book):
    with running_command(command="bookwise transfer complete 1") as person:
        entry = audit_record(actor=None, action="test.step", obj=book["a1"])
    assert entry.actor is None and entry.actor_name == f"{person.os_user} (OS user)"
    assert entry.data["os_user"] == person.os_user


def test_the_web_import_records_the_signed_in_admin(book, tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_upload_dir": str(tmp_path / "uploads")}
    admin = f.admin_user()
    client = Client()
    client.force_login(admin)
    upload = SimpleUploadedFile("owners.csv", OWNERSHIP.encode(), content_type="text/csv")
    token = client.post("/imports/", {"kind": "ownership", "file": upload}).context["token"]
    client.post("/imports/confirm/", {"token": token})
    entry = AuditEntry.objects.get(action="ownership.import")
    assert (entry.actor, entry.via, entry.data["file"]) == (admin, "web", "owners.csv")


def test_entries_cannot_be_changed_or_deleted_through_the_orm(book):
    entry = audit_record(actor=None, action="test.step", obj=book["a1"], data={"x": 1})
    entry.action = "test.other"
    for attempt in (entry.save, entry.delete, AuditEntry.objects.all().delete):
        with pytest.raises(AuditImmutable):
            attempt()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.update(action="x")
    assert AuditEntry.objects.get().action == "test.step"


def test_the_database_refuses_to_change_an_entry(book):
    entry = audit_record(actor=None, action="test.step", obj=book["a1"])
    table = AuditEntry._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'forged' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":  # SQLite keeps DELETE for `flush` (docs/architecture.md)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get().action == "test.step"


def test_deleting_a_user_keeps_who_it_was(book):
    user = f.admin_user("gone")
    audit_record(actor=user, action="test.step", obj=book["a1"])
    user.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.actor_name == "gone"


def _admin_client():
    client = Client()
    client.force_login(f.admin_user("boss"))
    return client


def test_the_admin_shows_the_trail_read_only(book):
    entry = audit_record(actor=None, action="test.step", obj=book["a1"])
    client = _admin_client()
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    client.post("/admin/core/auditentry/", bulk)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_an_ownership_row_in_the_admin_is_recorded(book):
    row = Ownership.objects.get(account=book["a1"])
    response = _admin_client().post(f"/admin/accounts/ownership/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Ownership.objects.filter(pk=row.pk).exists()
    entry = AuditEntry.objects.get(action="accounts.ownership.delete")
    assert entry.actor.username == "boss" and entry.via == "admin" and entry.account_label == "A1 Acme"
    assert entry.data["before"]["rep"] == "Rita Rep (R1)" and entry.data["before"]["role"] == "primary"


def test_a_setting_changed_in_the_admin_is_recorded_with_before_and_after(book):
    rep = book["r2"]
    client = _admin_client()
    form = client.get(f"/admin/people/rep/{rep.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(capacity=80, hire_date="2020-01-01")
    response = client.post(f"/admin/people/rep/{rep.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="people.rep.change")
    assert (entry.data["before"], entry.data["after"]) == ({"capacity": 100}, {"capacity": 80})
    assert entry.object_label == "Ben Becker (R2)"


def test_making_a_login_staff_in_the_admin_is_recorded(book):
    user = f.user_for(book["r1"])
    client = _admin_client()
    form = client.get(f"/admin/auth/user/{user.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data.update(is_staff="on", date_joined_0="2026-01-01", date_joined_1="00:00:00")
    data.pop("last_login", None)
    response = client.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="auth.user.change")
    assert entry.data["before"]["is_staff"] is False and entry.data["after"]["is_staff"] is True
    assert "password" not in entry.data["after"]


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_trail():
    """Test teardown and the demo's --rebuild empty the table with the database's flush SQL
    (TRUNCATE on PostgreSQL), which the guard lets through."""
    audit_record(actor=None, action="test.step", obj=f.account("A7"))
    table = AuditEntry._meta.db_table
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), [table], allow_cascade=True))
    assert not AuditEntry.objects.exists()


def test_a_reps_import_that_changes_a_workload_setting_is_recorded(book, tmp_path):
    f.rep("M1", name="Max Manager")
    text = "rep_id,name,role,manager_id,capacity\nR2,Ben Becker,account_manager,M1,80\n"
    assert _import(tmp_path, "reps", text).ok
    entry = AuditEntry.objects.get(action="people.rep.import")
    assert entry.object_label == "Ben Becker (R2)"
    assert entry.data["before"] == {"manager": None, "capacity": 100, "hire_date": "2020-01-01"}
    assert entry.data["after"] == {"manager": "Max Manager (M1)", "capacity": 80, "hire_date": None}
    assert _import(tmp_path, "reps", text).ok
    assert AuditEntry.objects.filter(action="people.rep.import").count() == 1  # unchanged: no entry


def test_making_an_api_token_is_recorded(db):
    user = f.admin_user("ci")
    with running_command(command="bookwise token ci"):
        api_token_create(user=user, label="nightly")
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.data["user"] == "ci" and entry.data["label"] == "nightly" and entry.via == "command"


def test_an_api_call_with_a_token_is_recorded_for_the_tokens_user(book):
    admin = f.admin_user("script")
    key = api_token_create(user=admin, label="ci")
    response = Client().put(
        f"/api/retention/tier-pins/{book['a1'].external_id}",
        {"tier": "A"},
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(action="tier.pin")
    assert (entry.actor, entry.via, entry.account_label) == (admin, "api", "A1 Acme")
    assert (entry.data["before"], entry.data["tier"]) == (None, "A")
