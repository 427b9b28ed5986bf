"""The hand-worked example of docs/agreements.md as data: account A1 (R1, North) with a
blanket order AG-1 on Pumps for 2026, and the lines around it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bookwise.agreements import services
from bookwise.agreements.models import Agreement
from tests import factories

DAY = date(2026, 4, 10)


def agreement(account: Any, agreement_id: str = "AG-1", **fields: Any) -> Agreement:
    values = {
        "external_id": agreement_id, "kind": "blanket", "start_date": date(2026, 1, 1),
        "end_date": date(2026, 12, 31), "committed_amount": Decimal("36500.00"), "product_line": "Pumps",
        "status": "active", **fields,
    }  # fmt: skip
    final = values["status"]
    values["status"] = final if final in ("draft", "active") else "active"
    made = services.agreement_create(
        account=account, data=services.AgreementInput(**values), actor=None, today=DAY
    )
    if final != made.status:
        made = services.agreement_set_status(agreement=made, status=final, actor=None, today=date(2100, 1, 1))
    return made


def example(org: dict) -> dict[str, Any]:
    """A1 with AG-1 and the example's lines; A2 (R1) without an agreement."""
    a1 = factories.account("A1", owner=org["R1"], territory=org["R1"].territory, since=date(2020, 1, 1))
    a2 = factories.account("A2", owner=org["R1"], territory=org["R1"].territory, since=date(2020, 1, 1))
    ag = agreement(a1)
    factories.order(a1, date(2025, 12, 20), "2000.00", product_line="Pumps")  # before the period
    factories.order(a1, date(2026, 1, 15), "5000.00", product_line="Pumps", kind="contract_release")
    factories.order(a1, date(2026, 2, 20), "4000.00", product_line="Pumps")  # matched by the rule
    factories.order(a1, date(2026, 3, 5), "3000.00", product_line="Valves")  # another line
    factories.order(a1, date(2026, 3, 30), "-500.00", product_line="Pumps", kind="contract_release")
    factories.order(a1, date(2026, 4, 20), "1000.00", product_line="Pumps")  # after the day
    factories.order(a2, date(2026, 2, 1), "5000.00", product_line="Pumps")
    return {"a1": a1, "a2": a2, "ag": ag}
