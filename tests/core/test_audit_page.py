"""/audit/: administrators and directors read the trail, filtered by who, what, account and
date, paged with a total, and export the filtered rows as CSV (formula-safe)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from bookwise.core.actor import running_command
from bookwise.core.audit_labels import ACTION_LABELS
from bookwise.core.audit_query import csv_safe
from bookwise.core.models import AuditEntry
from bookwise.core.services import audit_record
from tests import factories as f


@pytest.fixture
def trail(org):
    a1 = f.account("A1", owner=org["R1"], name="Acme")
    a2 = f.account("A2", owner=org["R3"], name='=HYPERLINK("http://x")')
    audit_record(actor=org["M1"].user, action="transfer.create", obj=a1, data={"to": "R2"})
    audit_record(actor=org["D1"].user, action="tier.pin", obj=a2, data={"before": None, "tier": "A"})
    with running_command(command="bookwise import ownership o.csv"):
        audit_record(actor=None, action="ownership.import", obj=a1, data={"before": ["x"], "after": ["y"]})
    return {"a1": a1, "a2": a2}


def _get(client: Client, url: str = "/audit/", **params):
    return client.get(url, params)


@pytest.mark.parametrize("who", ["R1", "M1"])
def test_reps_and_managers_are_refused(org, trail, login, who):
    client = login(org[who])
    assert _get(client).status_code == 403
    assert _get(client, "/audit/export.csv").status_code == 403
    assert b'href="/audit/"' not in client.get("/").content  # no link that leads to a 403


def test_a_login_without_a_rep_is_refused(db):
    client = Client()
    client.force_login(get_user_model().objects.create_user("nobody"))
    assert _get(client).status_code == 403


def test_anonymous_is_sent_to_login(db):
    response = Client().get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Client().get("/audit/export.csv").status_code == 302


def test_the_director_reads_every_entry_with_names(org, trail, login):
    client = login(org["D1"])
    page = _get(client)
    assert page.status_code == 200 and page.context["page_obj"].paginator.count == 3
    text = page.content.decode()
    assert "Rep M1 (m1)" in text and "A1 Acme" in text and "(OS user)" in text
    assert 'href="/audit/"' in client.get("/").content.decode()


def test_filters_by_who_what_account_and_date(org, trail, login):
    client = login(org["D1"])

    def count(**params) -> int:
        return _get(client, **params).context["page_obj"].paginator.count

    assert count(who="Rep M1") == 1 and count(who="d1") == 1 and count(who="OS user") == 1
    assert count(action="transfer.") == 1 and count(action="ownership.import") == 1
    assert count(account="acme") == 2 and count(account="A2") == 1
    assert count(account=str(trail["a2"].pk)) == 1
    today = timezone.localdate()
    assert count(start=today.isoformat(), end=today.isoformat()) == 3
    assert count(start=(today + timedelta(days=1)).isoformat()) == 0
    assert count(end=(today - timedelta(days=1)).isoformat()) == 0


def test_a_wrong_date_range_says_so_in_the_labels_words(org, trail, login):
    client = login(org["D1"])
    page = _get(client, start="2026-03-02", end="2026-03-01", who="Rep M1")
    assert "To (2026-03-01) must not be before From (2026-03-02)." in page.content.decode()
    assert page.context["page_obj"].paginator.count == 1  # the other filters still apply
    assert "From: Enter a valid date." in _get(client, start="soon").content.decode()


def test_pages_hold_fifty_with_the_total(org, login):
    account = f.account("A9")
    AuditEntry.objects.bulk_create(
        AuditEntry(action="test.step", object_type="accounts.account", object_id=str(account.pk))
        for _ in range(120)
    )
    client = login(org["D1"])
    page = _get(client, page=3)
    assert page.context["page_obj"].number == 3 and len(page.context["rows"]) == 20
    assert "<strong>120</strong> entries" in page.content.decode() and "Page 3 of 3" in page.content.decode()


def test_the_csv_holds_the_filtered_rows_formula_safe(org, trail, admin_client):
    response = admin_client.get("/audit/export.csv", {"action": "tier."})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:8] == ["When (UTC)", "Who", "Username", "Via", "What", "Action", "Object", "Account"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Who"] == "Rep D1 (d1)" and row["Action"] == "tier.pin" and row["What"] == "Tier pinned"
    assert row["Account"] == 'A2 =HYPERLINK("http://x")'  # not at the start: harmless
    assert row["Object"] == '\'=HYPERLINK("http://x") (A2)'
    assert row["Details"] == "before: — · tier: A"


def test_csv_cells_that_look_like_formulas_are_quoted():
    assert [csv_safe(v) for v in ["=1+1", "+1", "-2", "@SUM(A1)", "ok", None]] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "ok",
        "",
    ]


def test_actions_read_as_labels_and_filter_by_label_or_name(org, trail, login):
    audit_record(actor=org["D1"].user, action="people.rep.change", obj=org["R1"], data={})
    client = login(org["D1"])
    text = _get(client).content.decode()
    assert "Rep changed" in text and "Transfer drafted" in text and "Tier pinned" in text
    assert 'href="/audit/?action=people.rep.change"' in text  # the raw name, one click to filter
    assert '<option value="tier.pin">Tier pinned</option>' in text

    def count(**params) -> int:
        return _get(client, **params).context["page_obj"].paginator.count

    assert count(action="people.rep.change") == 1 and count(action="rep changed") == 1
    assert count(action="Tier pinned") == 1 and count(action="nothing like this") == 0


def test_every_action_the_code_records_has_a_written_label():
    source = Path(__file__).parents[2] / "src" / "bookwise"
    found = set()
    for path in source.rglob("*.py"):
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert found and found <= set(ACTION_LABELS), sorted(found - set(ACTION_LABELS))
