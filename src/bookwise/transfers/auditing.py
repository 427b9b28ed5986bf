"""The audit entries of the transfer workflow (one home for their shape)."""

from __future__ import annotations

from typing import Any

from bookwise.core.services import audit_record
from bookwise.core.users import Viewer

from . import rules
from .models import Transfer


def audit_transfer(transfer: Transfer, actor: Viewer | None, action: str, **data: Any) -> None:
    """`transfer.<action>` with the account, both reps, the state and `data`."""
    payload = {
        "account": transfer.account.external_id,
        "from": transfer.from_rep.external_id if transfer.from_rep else None,
        "to": transfer.to_rep.external_id,
        "state": transfer.state,
        **data,
    }
    audit_record(actor=actor, action=f"transfer.{action}", obj=transfer, data=payload)


def audit_backdate(transfer: Transfer, actor: Viewer | None, reason: str) -> None:
    """An administrator's back-dating of the effective date, with its reason."""
    audit_record(
        actor=actor,
        action=rules.BACKDATE_ACTION,
        obj=transfer,
        data={"effective_date": transfer.effective_date.isoformat(), "reason": reason},
    )
