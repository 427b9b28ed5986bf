"""An account's own values (accounts.services): potential revenue not negative, created date
from 1900 up to today; the import's rows and the admin's form both follow them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bookwise.accounts.forms import AccountAdminForm
from bookwise.accounts.models import Account
from bookwise.accounts.services import check_created_date, check_potential
from bookwise.core.validation import InvalidValue
from tests import factories
from tests.imports.helpers import TODAY, messages, run

pytestmark = pytest.mark.django_db


def test_regression_import_refuses_a_negative_potential_and_changes_nothing(tmp_path):
    report = run(tmp_path, "accounts", "account_id,name,potential_revenue\nN1,Neg,-500\nN2,Fine,500\n")
    assert "accounts.csv:2: potential_revenue: -500.00 is negative; it must be 0 or more." in messages(report)
    assert not Account.objects.exists()


def test_regression_import_refuses_a_created_date_in_the_future(tmp_path):
    report = run(tmp_path, "accounts", "account_id,name,created_date\nF1,Future,2030-01-01\n")
    assert f"accounts.csv:2: created_date: 2030-01-01 is after today ({TODAY})." in messages(report)
    assert not Account.objects.exists()


def test_import_refuses_an_absurdly_old_created_date(tmp_path):
    report = run(tmp_path, "accounts", "account_id,name,created_date\nO1,Old,1850-06-01\n")
    assert "accounts.csv:2: created_date: 1850-06-01 is before 1900-01-01 (1900-01-01)." in messages(report)


def test_import_accepts_the_edges(tmp_path):
    text = f"account_id,name,created_date,potential_revenue\nE1,Edge,{TODAY},0\nE2,Old,1900-01-01,\n"
    assert run(tmp_path, "accounts", text).ok
    assert Account.objects.count() == 2


def test_the_rules_name_the_label():
    with pytest.raises(InvalidValue, match="Potential revenue: -0.01 is negative"):
        check_potential(Decimal("-0.01"))
    with pytest.raises(InvalidValue, match="Created date: 2030-01-01 is after today"):
        check_created_date(date(2030, 1, 1), date(2026, 1, 1))
    assert check_potential(None) is None and check_created_date(None, date(2026, 1, 1)) is None


def test_the_admin_form_follows_the_same_rules():
    base = {"external_id": "ADM1", "name": "Admin", "status": "active"}
    form = AccountAdminForm(data={**base, "potential_revenue": "-500", "created_date": "2030-01-01"})
    assert not form.is_valid()
    assert "Potential revenue: -500" in str(form.errors["potential_revenue"])
    assert "Created date: 2030-01-01 is after today" in str(form.errors["created_date"])
    assert AccountAdminForm(
        data={**base, "potential_revenue": "500", "created_date": "2020-01-01"}
    ).is_valid()


def test_the_admin_form_checks_a_lost_date_against_the_start():
    account = factories.account("ADM2", since=date(2024, 1, 1))
    data = {
        "external_id": "ADM2",
        "name": "x",
        "status": "lost",
        "lost_date": "1990-01-01",
        "lost_reason": "price",
        "potential_revenue": "0",
    }
    form = AccountAdminForm(data=data, instance=account)
    assert not form.is_valid() and "before the account" in str(form.errors["lost_date"])
