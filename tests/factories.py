"""Small deterministic factories for tests: explicit values, sequential ids, no randomness."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from bookwise.accounts.models import Account, Activity, Opportunity, OrderLine, Ownership
from bookwise.people.models import Region, Rep, Territory

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"


def territory(name: str = "North", region: str | None = "East") -> Territory:
    t, _ = Territory.objects.get_or_create(name=name)
    if region:
        t.region, _ = Region.objects.get_or_create(name=region)
        t.save()
    return t


def rep(
    external_id: str | None = None,
    *,
    role: str = "account_manager",
    manager: Rep | None = None,
    territory: Territory | None = None,
    name: str | None = None,
    capacity: int = 100,
    hire_date: date | None = date(2020, 1, 1),
    end_date: date | None = None,
    login: bool = False,
) -> Rep:
    external_id = external_id or f"R{next(_seq):04d}"
    r = Rep.objects.create(
        external_id=external_id,
        name=name or f"Rep {external_id}",
        role=role,
        manager=manager,
        territory=territory,
        capacity=capacity,
        hire_date=hire_date,
        end_date=end_date,
    )
    if login:
        user_for(r)
    return r


def user_for(r: Rep) -> object:
    user = get_user_model().objects.create_user(
        username=r.external_id.lower(), password=PASSWORD, email=f"{r.external_id.lower()}@example.com"
    )
    r.user = user
    r.save(update_fields=["user"])
    return user


def admin_user(username: str = "admin") -> object:
    return get_user_model().objects.create_superuser(username=username, password=PASSWORD)


def sales_ops_user(username: str = "ops") -> object:
    """A login with no rep in the "Sales ops" group (settings.BOOKWISE["import_groups"])."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Sales ops")[0])
    return user


def account(
    external_id: str | None = None,
    *,
    owner: Rep | None = None,
    since: date = date(2020, 1, 1),
    territory: Territory | None = None,
    industry: str = "",
    potential: str | None = None,
    parent: Account | None = None,
    name: str | None = None,
    status: str = "active",
    lost_date: date | None = None,
    lost_reason: str = "",
) -> Account:
    external_id = external_id or f"A{next(_seq):05d}"
    a = Account.objects.create(
        external_id=external_id,
        name=name or f"Customer {external_id}",
        territory=territory,
        industry=industry,
        potential_revenue=Decimal(potential) if potential else None,
        parent=parent,
        created_date=since,
        status=status,
        lost_date=lost_date,
        lost_reason=lost_reason,
    )
    if owner is not None:
        own(a, owner, since)
    return a


def own(
    a: Account,
    r: Rep,
    start: date,
    end: date | None = None,
    role: str = "primary",
    reason: str = "import",
) -> Ownership:
    return Ownership.objects.create(
        account=a, rep=r, role=role, start_date=start, end_date=end, reason=reason
    )


def order(
    a: Account,
    day: date,
    amount: str,
    *,
    gp: str | None = None,
    rep: Rep | None = None,
    kind: str = "repeat",
    product_line: str = "",
    external_id: str | None = None,
) -> OrderLine:
    return OrderLine.objects.create(
        external_id=external_id or f"O{next(_seq):07d}",
        account=a,
        order_date=day,
        amount=Decimal(amount),
        gross_profit=Decimal(gp) if gp is not None else None,
        rep=rep,
        kind=kind,
        product_line=product_line,
    )


def opportunity(
    a: Account,
    *,
    stage: str = "proposal",
    amount: str = "1000.00",
    rep: Rep | None = None,
    close: date | None = None,
) -> Opportunity:
    return Opportunity.objects.create(
        external_id=f"OP{next(_seq):05d}",
        account=a,
        stage=stage,
        amount=Decimal(amount),
        rep=rep,
        expected_close_date=close,
        name=f"Deal {a.external_id}",
    )


def activity(r: Rep, day: date, hours: str, kind: str, a: Account | None = None) -> Activity:
    return Activity.objects.create(rep=r, date=day, hours=Decimal(hours), kind=kind, account=a)


def org() -> dict[str, Rep]:
    """A small organisation: a director, two managers with two reps each, with logins.

    Director D1 above managers M1 (reps R1, R2) and M2 (reps R3, R4); territories North and South."""
    north, south = territory("North", "East"), territory("South", "West")
    d1 = rep("D1", role="director", login=True)
    m1 = rep("M1", role="sales_manager", manager=d1, territory=north, login=True)
    m2 = rep("M2", role="sales_manager", manager=d1, territory=south, login=True)
    return {
        "D1": d1,
        "M1": m1,
        "M2": m2,
        "R1": rep("R1", manager=m1, territory=north, login=True),
        "R2": rep("R2", role="hunter", manager=m1, territory=north, login=True),
        "R3": rep("R3", manager=m2, territory=south, login=True),
        "R4": rep("R4", manager=m2, territory=south, login=True),
    }


def agreement(a: Account, agreement_id: str = "AG-1", **fields: Any) -> Any:
    """An active blanket order of 2026 on Pumps (committed 36,500.00), written directly."""
    from bookwise.agreements.models import Agreement

    values = {"kind": "blanket", "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31),
              "committed_amount": Decimal("36500.00"), "product_line": "Pumps", "status": "active",
              "price_terms": "List price less 12 %", **fields}  # fmt: skip
    return Agreement.objects.create(external_id=agreement_id, account=a, **values)
