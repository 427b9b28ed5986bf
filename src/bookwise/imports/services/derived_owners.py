"""Owners derived by the mapping's rule (`mapping.owners`) for the accounts of a file that
have no current primary owner: a primary assignment (reason `import`) from the account's
created_date, else its first won deal, else the import date; audited like every import
of ownership. With `fill_account`, an empty created_date becomes the first won deal's date
and an empty territory the owner's."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from bookwise.accounts.models import Account, Opportunity, Ownership
from bookwise.imports.mapping.model import OwnershipRule
from bookwise.imports.mapping.owners import Win, choose_owner, first_win
from bookwise.people.models import Rep

from .common import ImportReport
from .ownership import ownership_audit, ownership_keys


def derive_owners(rule: OwnershipRule, account_ids: set[str], report: ImportReport, *, today: date) -> int:
    """Assign the derived owner to every account of `account_ids` without an open primary
    assignment; the number of accounts that got one."""
    owned = Ownership.objects.filter(role="primary", end_date__isnull=True).values("account_id")
    accounts = list(
        Account.objects.filter(external_id__in=account_ids).exclude(pk__in=owned).select_related("territory")
    )
    wins = _wins([a.pk for a in accounts])
    reps = {
        r.external_id: r
        for r in Rep.objects.filter(external_id__in={w.rep for ws in wins.values() for w in ws})
    }
    before = ownership_keys(a.pk for a in accounts)
    new = []
    for account in accounts:
        owner = choose_owner(wins[account.pk], rule)
        if owner is None:
            continue
        first = first_win(wins[account.pk])
        if rule.fill_account:
            _fill(account, first, reps[owner])
        start = account.created_date or first or today
        new.append(
            Ownership(account=account, rep=reps[owner], role="primary", start_date=start, reason="import")
        )
    Ownership.objects.bulk_create(new)
    after = ownership_keys(o.account_id for o in new)
    ownership_audit(
        [(o.account_id, before.get(o.account_id, []), after[o.account_id]) for o in new],
        source=report.filename,
    )
    if new:
        how = "most won revenue" if rule.rule == "most_won_revenue" else "most won deals"
        span = f"in the {rule.months} months to its last win" if rule.months else "over all its wins"
        report.notes.append(
            f"{len(new)} accounts got an owner by the mapping's rule (the rep with the {how} {span})"
        )
    return len(new)


def _wins(account_pks: list[int]) -> dict[int, list[Win]]:
    found: dict[int, list[Win]] = defaultdict(list)
    rows = Opportunity.objects.filter(account_id__in=account_pks, stage="won", rep__isnull=False).values_list(
        "account_id", "rep__external_id", "amount", "closed_date"
    )
    for account_pk, rep, amount, closed in rows:
        found[account_pk].append(Win(rep, amount, closed))
    return found


def _fill(account: Account, first: date | None, owner: Rep) -> None:
    changed = []
    if account.created_date is None and first is not None:
        account.created_date = first
        changed.append("created_date")
    if account.territory_id is None and owner.territory_id is not None:
        account.territory_id = owner.territory_id
        changed.append("territory")
    if changed:
        account.save(update_fields=[*changed, "updated_at"])
