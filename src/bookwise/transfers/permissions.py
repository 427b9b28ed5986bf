"""Who may do what with a transfer: the one place for transfer permissions.

- Manage (start, waive, complete, cancel, plan): an admin, or a manager above the
  outgoing rep in the hierarchy (for an account without owner: above the incoming rep);
  a manager who holds the account themself may also hand it over. Never sales ops: they
  read every transfer (their scope covers everyone) but manage nobody's book.
- Hand to: a manager hands an account only to a rep in their own scope (their team, all
  levels); a rep of another team is "No such rep.", the answer for an id that does not
  exist, so no one learns another team's reps or their loads. Directors and admins, whose
  scope is everyone, hand across teams (docs/transfers.md).
- Read (the transfer and its interview): whoever may manage it, the outgoing and the
  incoming rep, and anyone whose scope covers either of them (their managers).
Denials are reported as NotFound when the user may not even read (never a leak)."""

from __future__ import annotations

from bookwise.core.errors import Forbidden, NotFound
from bookwise.core.users import Viewer
from bookwise.people.models import Rep
from bookwise.people.selectors import chain_of_command, scope_for

from .models import Transfer


def can_manage_for(user: Viewer | None, owner: Rep | None, fallback: Rep | None = None) -> bool:
    scope = scope_for(user)
    if scope.admin:
        return True
    me = scope.rep
    if me is None or not me.is_manager:
        return False
    subject = owner or fallback
    if subject is None:
        return False
    return subject.id == me.id or me.id in chain_of_command(subject.id)


START_REFUSED = "Only the account's managers or an admin may start a transfer."
PLAN_REFUSED = "Only the rep's managers or an admin may plan their book."


def require_may_start(user: Viewer | None, owner: Rep | None) -> None:
    """Forbidden unless the user may hand over what `owner` holds (an account without owner is
    decided with its recipient, in the service). Checked before the recipient is even looked
    up, so a rep learns nothing about which rep ids exist."""
    if owner is not None and not can_manage_for(user, owner):
        raise Forbidden(START_REFUSED)


def require_recipient(user: Viewer | None, rep: Rep) -> None:
    """NotFound, worded as for an unknown id, when `rep` is outside the user's scope."""
    if not scope_for(user).covers(rep.id):
        raise NotFound("No such rep.", {"field": "to"})


def can_manage(user: Viewer | None, transfer: Transfer) -> bool:
    return can_manage_for(user, transfer.from_rep, transfer.to_rep)


def can_read(user: Viewer | None, transfer: Transfer) -> bool:
    scope = scope_for(user)
    return (
        scope.covers(transfer.from_rep_id) or scope.covers(transfer.to_rep_id) or can_manage(user, transfer)
    )


def require_read(user: Viewer | None, transfer: Transfer) -> None:
    if not can_read(user, transfer):
        raise NotFound("No such transfer.")


def require_manage(user: Viewer | None, transfer: Transfer) -> None:
    require_read(user, transfer)
    if not can_manage(user, transfer):
        raise Forbidden("Only the account's managers or an admin may do this.")


def can_edit_interview(user: Viewer | None, transfer: Transfer) -> bool:
    me = scope_for(user).rep
    outgoing = me is not None and me.id == transfer.from_rep_id
    return outgoing or can_manage(user, transfer)
