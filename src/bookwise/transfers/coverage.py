"""Co-coverage after a completed primary transfer: the outgoing rep stays on as secondary
until co_coverage_end, and the daily job closes every co-coverage that is over."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from bookwise.accounts.models import Ownership
from bookwise.accounts.services import ownership_assign, ownership_end
from bookwise.core.users import Viewer

from .auditing import audit_transfer
from .models import Transfer


def co_cover(transfer: Transfer, actor: Viewer | None) -> str:
    """After a primary transfer: the incoming rep's own secondary ends, and the outgoing rep
    stays on as secondary until co_coverage_end (created with its end date set)."""
    start = transfer.effective_date
    secondary = Ownership.objects.select_for_update().filter(
        account=transfer.account, role="secondary", end_date__isnull=True
    )
    current = secondary.first()
    if current is not None and current.rep_id == transfer.to_rep_id:
        ownership_end(assignment=current, end=start - timedelta(days=1), actor=actor)
        current = None
    if transfer.co_coverage_days <= 0 or transfer.from_rep is None:
        return "none"
    if current is not None:
        return "skipped: the account already has a secondary owner"
    assignment = ownership_assign(
        account=transfer.account,
        rep=transfer.from_rep,
        start=start,
        role="secondary",
        reason=transfer.reason,
        actor=actor,
    )
    end = transfer.co_coverage_end
    assert end is not None  # set by transfer_complete before this runs
    ownership_end(assignment=assignment, end=end, actor=actor)
    return f"until {end}"


def co_coverage_end_due(*, day: date, actor: Viewer | None = None, dry_run: bool = False) -> list[Transfer]:
    """End every co-coverage whose period is over by `day` (idempotent; the daily cron).
    The secondary assignment already carries its end date; this closes any that is still
    open (or ends later) and marks the transfer, so running it twice changes nothing."""
    due = Transfer.objects.filter(
        state="completed", co_coverage_ended=False, co_coverage_end__isnull=False, co_coverage_end__lt=day
    ).select_related("account", "from_rep", "to_rep")
    done = []
    for transfer in due:
        if not dry_run:
            _end_one(transfer, actor)
        done.append(transfer)
    return done


@transaction.atomic
def _end_one(transfer: Transfer, actor: Viewer | None) -> None:
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("account", "from_rep", "to_rep")
        .get(pk=transfer.pk)
    )
    end = transfer.co_coverage_end
    if transfer.co_coverage_ended or end is None or transfer.from_rep_id is None:
        return
    lingering = Ownership.objects.filter(
        account_id=transfer.account_id,
        rep_id=transfer.from_rep_id,
        role="secondary",
        start_date=transfer.effective_date,
    ).first()
    if lingering is not None and (lingering.end_date is None or lingering.end_date > end):
        ownership_end(assignment=lingering, end=end, actor=actor)
    transfer.co_coverage_ended = True
    transfer.save(update_fields=["co_coverage_ended", "updated_at"])
    audit_transfer(transfer, actor, "co_coverage_end", end=end.isoformat())
