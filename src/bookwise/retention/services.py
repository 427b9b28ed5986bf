"""Writes of the retention app: tier pins (admins only) and lost reasons (the account's
manager chain or an admin), both audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F

from bookwise.accounts import line_rollups
from bookwise.accounts.models import Account, Ownership
from bookwise.accounts.services import account_record_lost
from bookwise.core import background
from bookwise.core.errors import Forbidden, RuleViolation
from bookwise.core.services import audit_record
from bookwise.core.users import Viewer, signed_in
from bookwise.people.selectors import chain_of_command, is_admin, rep_for_user, subordinate_ids

from . import refresh, rollup
from .models import RollupState, Tier, TierPin
from .signals import revenue_rollup_outdated, revenue_rollup_refreshed

REBUILD_JOB = "rollups_rebuild"  # the job queued by a large import (bookwise.jobs.registry)


@transaction.atomic
def revenue_rollup_refresh(*, account_ids: Iterable[int] | None = None, since: date | None = None) -> int:
    """Rebuild the monthly revenue rollup from the order lines: all of it, or only the
    accounts whose lines changed (call it after an import with the accounts it touched, and
    with `since`, the earliest order date among the lines it added or changed, old dates
    included: only those accounts' months from then on are rebuilt).
    Reports stay correct without it (they refresh the accounts with new lines before reading:
    `refresh.ensure_fresh`), but edited or deleted lines are seen only through it."""
    ids = None if account_ids is None else list(account_ids)
    rows = rollup.refresh(ids, since if ids is not None else None)
    revenue_rollup_refreshed.send(
        sender=revenue_rollup_refresh, account_ids=ids, since=since if ids is not None else None
    )
    return rows


@transaction.atomic
def revenue_rollup_after_import(*, account_ids: Iterable[int], since: date | None) -> None:
    """The rollups after an import changed the lines of `account_ids` from `since` on (old
    dates included). A refresh of only those accounts is done at once, in the import's
    transaction. One that would rebuild the whole rollup (`line_rollups.rebuilds_whole`:
    more than 5,000 accounts, or a rollup stale beyond them, as after a first load) is left to a job of its
    own: the rollups are marked outdated (this app's, and through `revenue_rollup_outdated`
    the other apps'), and the rebuild is queued once the import has committed. Until it has
    run, a report that reads a rollup rebuilds it first (`refresh.ensure_fresh`), so no figure
    is read stale."""
    ids = list(account_ids)
    if not line_rollups.rebuilds_whole(RollupState, ids):
        revenue_rollup_refresh(account_ids=ids, since=since)
        return
    line_rollups.outdate(RollupState)
    revenue_rollup_outdated.send(sender=revenue_rollup_after_import)
    transaction.on_commit(_queue_rebuild, robust=True)  # a queue that is down: readers rebuild


def _queue_rebuild() -> None:
    label = "Index the order lines and rebuild their rollups after a large import"
    background.enqueue(REBUILD_JOB, user=None, label=label, params={}, follow=False)


def revenue_rollup_catch_up() -> None:
    """The queued rebuild: the rollup brought up to date unless a reader already did, with
    its indexes dropped while a whole rebuild writes every row."""
    refresh.ensure_fresh(bulk=True)


def can_pin_tier(user: Viewer | None) -> bool:
    return is_admin(user)


@transaction.atomic
def tier_pin(*, account: Account, tier: str, actor: Viewer | None, note: str = "") -> TierPin:
    """Pin `account` to `tier` by hand (wins over the computed tier)."""
    if not can_pin_tier(actor):
        raise Forbidden("Only an administrator may pin a tier.")
    if tier not in Tier.values:
        raise RuleViolation(f"Unknown tier {tier!r} (use A, B or C).", {"field": "tier"})
    before = TierPin.objects.select_for_update().filter(account=account).first()
    pin, _ = TierPin.objects.update_or_create(
        account=account, defaults={"tier": tier, "pinned_by": signed_in(actor), "note": note}
    )
    audit_record(
        actor=actor,
        action="tier.pin",
        obj=account,
        data={"tier": tier, "before": before.tier if before else None, "note": note},
    )
    return pin


@transaction.atomic
def tier_unpin(*, account: Account, actor: Viewer | None) -> None:
    """Remove a manual tier: the computed tier applies again."""
    if not can_pin_tier(actor):
        raise Forbidden("Only an administrator may unpin a tier.")
    pin = TierPin.objects.select_for_update().filter(account=account).first()
    if pin is None:
        return
    pin.delete()
    audit_record(actor=actor, action="tier.unpin", obj=account, data={"before": pin.tier})


def responsible_rep_id(account: Account) -> int | None:
    """The account's primary owner: the open assignment, else the last one."""
    latest = (
        Ownership.objects.filter(account=account, role="primary")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date")
        .first()
    )
    return latest.rep_id if latest else None


def can_record_lost(user: Viewer | None, account: Account) -> bool:
    """Admins, and the managers above the account's primary owner (not the rep themself)."""
    if is_admin(user):
        return True
    rep = rep_for_user(user)
    owner_id = responsible_rep_id(account)
    if rep is None or owner_id is None:
        return False
    return rep.id in chain_of_command(owner_id)


def recordable_account_ids(user: Viewer, account_ids: list[int]) -> set[int]:
    """The accounts among `account_ids` whose lost reason `user` may record (one pass)."""
    if is_admin(user):
        return set(account_ids)
    rep = rep_for_user(user)
    if rep is None:
        return set()
    below = subordinate_ids(rep.id)
    rows = (
        Ownership.objects.filter(account_id__in=account_ids, role="primary")
        .order_by("account_id", F("end_date").desc(nulls_first=True), "-start_date")
        .values_list("account_id", "rep_id")
    )
    responsible: dict[int, int] = {}
    for account_id, rep_id in rows:
        responsible.setdefault(account_id, rep_id)
    return {pk for pk, owner in responsible.items() if owner in below}


def lost_reason_record(
    *, account: Account, reason: str, lost_date: date | None, actor: Viewer | None, today: date | None = None
) -> Account:
    """Mark an account lost with its reason and date (the account's managers or an admin).
    The rules (a cause chosen, a date from the account's start up to today) and the audit
    live in accounts.services.account_record_lost."""
    if not can_record_lost(actor, account):
        raise Forbidden("Only the account's managers or an administrator may record a lost reason.")
    return account_record_lost(account=account, lost_date=lost_date, reason=reason, actor=actor, today=today)
