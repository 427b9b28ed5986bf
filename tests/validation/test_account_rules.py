"""An account's own values (accounts.services): potential revenue not negative, created date
from 1900 up to today; the admin's form follows them (the import: test_account_import)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bookwise.accounts.forms import AccountAdminForm
from bookwise.accounts.services import check_created_date, check_potential
from bookwise.core.validation import InvalidValue
from tests import factories

pytestmark = pytest.mark.django_db


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
