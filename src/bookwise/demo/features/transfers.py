"""Transfers of the rep who leaves next month, made through the transfers services by
their sales manager (and the interview by the leaving rep)."""

from __future__ import annotations

from datetime import date, timedelta

from bookwise.core.errors import ApplicationError
from bookwise.people.models import Rep
from bookwise.transfers import planning, services
from bookwise.transfers.models import Transfer

from .common import primary_book

INTERVIEW = {
    "recent_sales": "Steady monthly orders; the spring reorder of consumables is due.",
    "upcoming_opportunities": "Quote for the second site is with their purchasing team.",
    "ongoing_obstacles": "A competitor is pitching lower prices on the core range.",
    "past_obstacles": "Late deliveries two years ago; solved with a buffer stock agreement.",
    "key_contacts": "Head of purchasing (decides), site manager (uses), finance (pays late).",
    "anything_else": "Prefers calls on Tuesday mornings.",
}
WAIVER_NOTE = (
    "Interview not possible: the outgoing rep is on leave until the departure. "
    "Waiting for the manager's waiver."
)


def decision_makers(account) -> list[str]:
    """The ids of the account's decision makers (they met the new rep at the introduction)."""
    from bookwise.contacts.models import Contact

    found = Contact.objects.filter(account=account, buying_role="decision_maker", left=False)
    return list(found.values_list("external_id", flat=True))


def leaving_rep(today: date) -> Rep | None:
    return (
        Rep.objects.select_related("user", "manager__user")
        .filter(role="account_manager", end_date__gt=today)
        .order_by("external_id")
        .first()
    )


def _recipients(leaver: Rep, effective: date) -> list[Rep]:
    team = Rep.objects.filter(manager_id=leaver.manager_id, role="account_manager", hire_date__lte=effective)
    team = team.exclude(pk=leaver.pk).exclude(end_date__lt=effective)
    return list(team.select_related("user").order_by("external_id"))


def _create(account, recipients: list[Rep], effective: date, actor, today: date, note: str = "") -> Transfer:
    """Draft to the first recipient with room (capacity checked), else the first one."""
    for to_rep in recipients:
        try:
            return services.transfer_create(
                account=account, to_rep=to_rep, effective_date=effective, reason="departure",
                actor=actor, note=note, today=today,
            )  # fmt: skip
        except ApplicationError:
            continue
    return services.transfer_create(
        account=account, to_rep=recipients[0], effective_date=effective, reason="departure",
        actor=actor, note=note, capacity_checked=True, today=today,
    )  # fmt: skip


def build_transfers(today: date) -> dict[str, int]:
    """One draft, one in handoff with the interview filled, one introduced, one waiting for a
    waiver, and a stored reassignment plan for the rest of the book."""
    leaver = leaving_rep(today)
    if leaver is None or leaver.manager is None or leaver.end_date is None:
        return {}
    manager, effective = leaver.manager.user, leaver.end_date + timedelta(days=1)
    book, recipients = primary_book(leaver, today), _recipients(leaver, effective)
    if len(book) < 4 or not recipients:
        return {}
    # rotate recipients so each transfer tends to go to a different rep
    made = [
        _create(a, recipients[i:] + recipients[:i], effective, manager, today) for i, a in enumerate(book[:3])
    ]
    waiting = _create(book[3], recipients[3:] + recipients[:3], effective, manager, today, WAIVER_NOTE)
    for transfer in (*made[1:], waiting):
        services.transfer_start_handoff(transfer=transfer, actor=manager, day=today)
    for transfer in made[1:]:
        # the interview and the introduction happen on the day the transfers are drafted
        fields = {**INTERVIEW, "interview_date": today, "attendees": leaver.name}
        services.interview_update(transfer=transfer, actor=leaver.user, today=today, **fields)
    services.transfer_introduce(
        transfer=made[2], actor=manager, meeting_date=today, today=today,
        attendees=f"{leaver.name}, {made[2].to_rep.name}, the client's head of purchasing",
        notes="Introduced over lunch; the client is happy with the handover.",
        contacts_met=decision_makers(made[2].account),
    )  # fmt: skip
    plans = 0
    try:
        planning.plan_create(from_rep=leaver, actor=manager, day=today, effective_date=effective)
        plans = 1
    except ApplicationError:
        pass
    return {"transfers": 4, "reassignment plans": plans}
