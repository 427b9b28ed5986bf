"""The /imports/ page: admins only, upload -> dry run -> confirm, CSRF enforced."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from bookwise.people.models import Rep
from tests import factories

GOOD = b"rep_id,name,role\nX1,Xavier,hunter\nX2,Xenia,hunter\n"
BAD = b"rep_id,name,role\nX1,Xavier,boss\n"


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, settings):
    settings.BOOKWISE = {**settings.BOOKWISE, "import_upload_dir": str(tmp_path / "uploads")}
    return tmp_path / "uploads"


@pytest.fixture
def admin(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.admin_user())
    return client


def _csrf(client: Client) -> str:
    client.get("/imports/")
    return client.cookies["csrftoken"].value


def _upload(client: Client, content: bytes, name: str = "reps.csv", kind: str = "reps"):
    token = _csrf(client)
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post("/imports/", {"kind": kind, "file": upload, "csrfmiddlewaretoken": token})


def test_admin_sees_the_form(admin):
    response = admin.get("/imports/")
    assert response.status_code == 200 and b"Upload a file" in response.content


@pytest.mark.parametrize("who", ["R1", "M1", "D1"])
def test_everyone_else_is_forbidden(org, login, who):
    client = login(org[who])
    assert client.get("/imports/").status_code == 403
    upload = SimpleUploadedFile("reps.csv", GOOD)
    assert client.post("/imports/", {"kind": "reps", "file": upload}).status_code == 403
    assert client.post("/imports/confirm/", {"token": "x"}).status_code == 403
    assert not Rep.objects.filter(external_id="X1").exists()


def test_anonymous_is_sent_to_login(db):
    response = Client().get("/imports/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Client().post("/imports/confirm/", {"token": "x"}).status_code == 302


def test_upload_without_csrf_token_is_refused(admin):
    upload = SimpleUploadedFile("reps.csv", GOOD)
    assert admin.post("/imports/", {"kind": "reps", "file": upload}).status_code == 403


def test_dry_run_then_confirm_imports_and_deletes_the_file(admin, upload_dir):
    response = _upload(admin, GOOD)
    assert response.status_code == 200
    assert b"Reps: 2 created, 0 updated, 0 unchanged" in response.content
    assert not Rep.objects.exists()
    token = response.context["token"]
    assert len(list(upload_dir.iterdir())) == 1
    response = admin.post(
        "/imports/confirm/", {"token": token, "csrfmiddlewaretoken": _csrf(admin)}, follow=True
    )
    assert b"Imported reps.csv: reps: 2 created" in response.content
    assert Rep.objects.count() == 2
    assert list(upload_dir.iterdir()) == []
    again = admin.post(
        "/imports/confirm/", {"token": token, "csrfmiddlewaretoken": _csrf(admin)}, follow=True
    )
    assert b"expired" in again.content and Rep.objects.count() == 2


def test_errors_are_listed_and_nothing_is_kept(admin, upload_dir):
    response = _upload(admin, BAD)
    assert b"reps.csv:2: role: &#x27;boss&#x27; is not one of" in response.content
    assert response.context["token"] == "" and list(upload_dir.iterdir()) == []
    assert not Rep.objects.exists()


def test_cancel_discards_the_upload(admin, upload_dir):
    token = _upload(admin, GOOD).context["token"]
    admin.post("/imports/cancel/", {"token": token, "csrfmiddlewaretoken": _csrf(admin)})
    assert list(upload_dir.iterdir()) == [] and not Rep.objects.exists()


def test_another_session_cannot_confirm_my_upload(admin, db):
    token = _upload(admin, GOOD).context["token"]
    other = Client()
    other.force_login(factories.admin_user("other"))
    other.post("/imports/confirm/", {"token": token})
    assert not Rep.objects.exists()


def test_only_csv_or_xlsx(admin):
    response = _upload(admin, GOOD, name="reps.txt")
    assert b"Upload a .csv or .xlsx file." in response.content


def test_kept_files_are_private(upload_dir):
    from bookwise.imports.uploads import upload_dir as make

    with override_settings(BOOKWISE={"import_upload_dir": str(upload_dir)}):
        assert oct(Path(make()).stat().st_mode & 0o777) == "0o700"
