"""The writes of the `agreements` import (the checks are the imports app's and `checks`):
upsert by agreement id inside the import's transaction, one audit entry per agreement
created or changed (`agreement.import`, with the fields before and after)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from bookwise.core.services import audit_changes, audit_record_many

from .models import Agreement
from .services import snapshot

FIELDS = ("kind", "start_date", "end_date", "committed_amount", "committed_quantity", "product_line",
          "include_subsidiaries", "price_terms", "notice_days", "status", "document_ref")  # fmt: skip


def agreement_accounts() -> dict[str, str]:
    """agreement id -> its account's id, for every agreement in the database."""
    return dict(Agreement.objects.values_list("external_id", "account__external_id"))


def _apply(
    agreement: Agreement, values: dict[str, Any], accounts: dict[str, int], reps: dict[str, int]
) -> None:
    agreement.account_id = accounts[values["account_id"]]
    agreement.owner_id = reps[values["owner_id"]] if values["owner_id"] else None
    for name in FIELDS:
        setattr(agreement, name, values[name])


def upsert_agreements(
    rows: list[dict[str, Any]], accounts: dict[str, int], reps: dict[str, int]
) -> tuple[int, int, int]:
    """Create or update each row's agreement, then link the renewals; (created, updated, unchanged)."""
    have = Agreement.objects.select_related("owner", "renews").in_bulk(
        [r["agreement_id"] for r in rows], field_name="external_id"
    )
    entries: list[tuple[Model, dict]] = []
    created = updated = 0
    saved: dict[str, Agreement] = {}
    for values in rows:
        current = have.get(values["agreement_id"])
        before = snapshot(current) if current else None
        agreement = current or Agreement(external_id=values["agreement_id"])
        _apply(agreement, values, accounts, reps)
        agreement.save()
        saved[agreement.external_id] = agreement
        if before is None:
            created += 1
            entries.append((agreement, {"after": snapshot(agreement)}))
        else:
            old, new = audit_changes(before, snapshot(agreement))
            if new:
                updated += 1
                entries.append((agreement, {"before": old, "after": new}))
    updated += _link_renewals(rows, saved, entries)
    audit_record_many(actor=None, action="agreement.import", items=entries)
    return created, updated, len(rows) - created - updated


def _link_renewals(rows: list[dict[str, Any]], saved: dict[str, Agreement], entries: list) -> int:
    """Set each row's `renews` (an agreement of the file or the database); counts the
    agreements that changed only by it."""
    refs = {r["renews_id"] for r in rows if r["renews_id"]}
    targets = {**Agreement.objects.in_bulk(list(refs), field_name="external_id"), **saved}
    changed = 0
    for values in rows:
        agreement = saved[values["agreement_id"]]
        target = targets.get(values["renews_id"]) if values["renews_id"] else None
        if agreement.renews_id != (target.pk if target else None):
            had_entry = any(obj is agreement for obj, _ in entries)
            agreement.renews = target
            agreement.save(update_fields=["renews", "updated_at"])
            if not had_entry:
                entries.append(
                    (agreement, {"before": {}, "after": {"renews": target.external_id if target else None}})
                )
                changed += 1
    return changed
