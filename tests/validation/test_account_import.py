"""The accounts import refuses the values issue 11 found accepted (a potential of -500, a
created date in 2030), by the rules of accounts.services; a file with a bad row changes
nothing."""

from __future__ import annotations

import pytest

from bookwise.accounts.models import Account
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
