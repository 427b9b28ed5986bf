"""The `contacts` import kind: the IMPORT_FORMATS error contract (file:line: column: message,
all-or-nothing), upsert by contact_id, `known_by` relationships, XLSX too."""

from __future__ import annotations

from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bookwise.contacts.models import Contact, Relationship
from bookwise.contacts.selectors import coverage_for
from bookwise.imports.services import import_file
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "contact_id,account_id,name,title,buying_role,email,phone,left,known_by\n"


@pytest.fixture
def acme(org):
    return factories.account("ACME", owner=org["R1"], territory=org["R1"].territory)


def write(tmp_path, text, name="contacts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_reimport_is_unchanged(org, acme, tmp_path):
    jane = "C1,ACME,Jane Roe,CEO,decision_maker,jane@acme.test,+44 20 7946 0000,no,R1:strong\n"
    path = write(tmp_path, HEADER + jane + "C2,ACME,Tom Poe,,finance,,,,R1;R2:regular\n")
    report = import_file(kind="contacts", path=path)
    assert report.ok and (report.created, report.updated) == (2, 0)
    assert Relationship.objects.get(contact__external_id="C2", rep=org["R2"]).strength == "regular"
    assert Relationship.objects.get(contact__external_id="C2", rep=org["R1"]).strength == "met"
    assert coverage_for(account_ids=[acme.pk], day=factories.date.today())[acme.pk].single_threaded
    again = import_file(kind="contacts", path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_file_replaces_imported_relationships_but_keeps_entered_ones(org, acme, tmp_path):
    import_file(
        kind="contacts", path=write(tmp_path, HEADER + "C1,ACME,Jane Roe,,decision_maker,,,,R1:strong\n")
    )
    Relationship.objects.create(contact=Contact.objects.get(), rep=org["R3"], strength="met")  # entered
    report = import_file(
        kind="contacts", path=write(tmp_path, HEADER + "C1,ACME,Jane Roe,,decision_maker,,,yes,R2\n")
    )
    assert report.updated == 1 and Contact.objects.get().left
    assert sorted(Relationship.objects.values_list("rep__external_id", flat=True)) == ["R2", "R3"]


def test_errors_name_file_line_and_column_and_change_nothing(org, acme, tmp_path):
    path = write(tmp_path, HEADER + "C1,ACME,Jane Roe,,boss,not-an-email,12,maybe,R9;R1:bestie\n"
                 "C2,NOPE,,,user,,,,\nC1,ACME,Tom,,user,,,,\n")  # fmt: skip
    report = import_file(kind="contacts", path=path, filename="contacts.csv")
    lines = report.error_lines()
    assert (
        "contacts.csv:2: buying_role: 'boss' is not one of decision_maker, influencer, user, "
        "finance, procurement" in lines
    )
    assert "contacts.csv:2: email: 'not-an-email' is not an email address" in lines
    assert "contacts.csv:2: left: 'maybe' is not yes or no" in lines
    assert "contacts.csv:3: name: required" in lines
    assert not Contact.objects.exists()
    path = write(tmp_path, HEADER + "C1,ACME,Jane Roe,,user,,12,,R9;R1:bestie\nC2,NOPE,Tom,,user,,,,\n")
    lines = import_file(kind="contacts", path=path, filename="contacts.csv").error_lines()
    assert sorted(lines) == sorted(
        [
            "contacts.csv:2: phone: '12' is not a phone number",
            "contacts.csv:2: known_by: 'R1:bestie': 'bestie' is not one of met, regular, strong",
            "contacts.csv:2: known_by: unknown rep 'R9'",
            "contacts.csv:3: account_id: unknown account 'NOPE'",
        ]
    )
    assert not Contact.objects.exists() and not Relationship.objects.exists()


def test_xlsx_and_the_command(org, acme, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["C1", "ACME", "Jane Roe", "CEO", "decision_maker", "", "", "no", "R1:strong"])
    path = tmp_path / "contacts.xlsx"
    book.save(path)
    out = StringIO()
    call_command("import", "contacts", str(path), stdout=out, skip_checks=True)
    assert out.getvalue() == "contacts: 1 created, 0 updated, 0 unchanged\n"
    bad = write(tmp_path, HEADER + "C2,ACME,Tom,,user,,,,\n".replace("user", "cto"))
    with pytest.raises(CommandError):
        call_command("import", "contacts", str(bad), stdout=StringIO(), stderr=StringIO(), skip_checks=True)
    assert Contact.objects.count() == 1
