"""Manager focus (issue #7 part 5): how much of a sales manager's time and revenue is tied to
accounts they own personally, flagged above `manager_focus_threshold` (default 30 %)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum
from django.urls import NoReverseMatch, reverse

from bookwise.accounts.models import Activity, OrderLine
from bookwise.accounts.selectors import held_on
from bookwise.core.dates import trailing_12_months
from bookwise.core.money import MoneyField
from bookwise.core.users import Viewer
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import subordinate_ids

from .common import decimal_setting, visible_reps

ZERO = Decimal("0.00")
MASS_REASSIGNMENT_URL = "/transfers/managers/"


@dataclass(frozen=True)
class Focus:
    manager: Rep
    own_hours: Decimal
    total_hours: Decimal
    own_revenue: Decimal
    team_revenue: Decimal  # the manager's own book plus the team's, T12M
    own_accounts: int
    threshold: Decimal

    @property
    def time_share(self) -> Decimal | None:
        return self.own_hours / self.total_hours if self.total_hours else None

    @property
    def revenue_share(self) -> Decimal | None:
        return self.own_revenue / self.team_revenue if self.team_revenue > 0 else None

    @property
    def reassign_url(self) -> str:
        """The transfers app's mass reassignment (a plan for the manager's own accounts)."""
        try:
            return reverse("transfers:plan_new", kwargs={"rep_id": self.manager.external_id})
        except NoReverseMatch:  # pragma: no cover - the transfers app is installed
            return MASS_REASSIGNMENT_URL

    @property
    def flagged(self) -> bool:
        return any(s is not None and s > self.threshold for s in (self.time_share, self.revenue_share))


def own_account_hours(manager: Rep, start: date, end: date) -> tuple[Decimal, Decimal]:
    """(hours on accounts the manager owned as primary on the day of the entry, all hours)."""
    hours = DecimalField(max_digits=14, decimal_places=2)
    mine = Activity.objects.filter(rep=manager, date__range=(start, end))
    total = mine.aggregate(h=Sum("hours", output_field=hours))["h"] or ZERO
    own = mine.filter(
        Q(account__ownerships__rep=manager, account__ownerships__role="primary")
        & Q(account__ownerships__start_date__lte=F("date"))
        & (Q(account__ownerships__end_date__isnull=True) | Q(account__ownerships__end_date__gte=F("date")))
    ).aggregate(h=Sum("hours", output_field=hours))["h"]
    return Decimal(own or ZERO).quantize(Decimal("0.01")), Decimal(total).quantize(Decimal("0.01"))


def book_revenue(rep_ids: set[int], day: date) -> tuple[Decimal, int]:
    period = trailing_12_months(day)
    book = held_on(day, rep_ids=rep_ids).values("account_id")
    revenue = OrderLine.objects.filter(
        account_id__in=book, order_date__range=(period.start, period.end)
    ).aggregate(r=Sum("amount", output_field=MoneyField()))["r"]
    return revenue or ZERO, book.count()


def manager_focus(manager: Rep, day: date) -> Focus:
    period = trailing_12_months(day)
    own_hours, total_hours = own_account_hours(manager, period.start, period.end)
    own_revenue, own_accounts = book_revenue({manager.id}, day)
    all_revenue, _ = book_revenue(subordinate_ids(manager.id) | {manager.id}, day)
    return Focus(manager, own_hours, total_hours, own_revenue, all_revenue, own_accounts,
                 decimal_setting("manager_focus_threshold"))  # fmt: skip


def focus_list(*, user: Viewer | None, day: date) -> list[Focus]:
    managers = visible_reps(user=user).filter(role=Role.SALES_MANAGER)
    return [manager_focus(m, day) for m in managers]
