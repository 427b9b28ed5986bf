"""Per-operation API schemas for accounts: money as strings, ids are external ids."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema

from bookwise.core.money import format_money
from bookwise.core.paging import ApiDate, limit_field, offset_field


def money_or_none(value: Any) -> str | None:
    return None if value is None else format_money(value)


class AccountListFilters(Schema):
    search: str = Field("", max_length=200, description="Name contains, or exact account id")
    territory: str = Field("", description="Territory name")
    owner: str = Field("", description="Current primary owner (rep id)")
    status: str = Field("", pattern="^(|active|lost)$")
    sort: str = Field("name", pattern="^-?(name|id|territory|potential|status)$")
    limit: int = limit_field(50)
    offset: int = offset_field()


class AccountOut(Schema):
    account_id: str
    name: str
    industry: str
    territory: str | None
    region: str | None = None
    parent_id: str | None
    potential_revenue: str | None
    status: str
    created_date: date | None
    lost_date: date | None
    lost_reason: str | None
    lost_cause: str | None
    primary_owner_id: str | None
    secondary_owner_id: str | None


class AccountPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AccountOut]


class OrderFilters(Schema):
    start: ApiDate | None = Field(None, description="First order date included")
    end: ApiDate | None = Field(None, description="Last order date included")
    limit: int = limit_field(100)
    offset: int = offset_field()


class OrderLineOut(Schema):
    order_id: str
    date: date
    amount: str
    gross_profit: str | None
    product_line: str
    kind: str
    rep_id: str | None = Field(None, description="Rep credited; null = the primary owner on the date")


class OrderPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrderLineOut]


class OwnershipOut(Schema):
    rep_id: str
    rep_name: str
    role: str
    start_date: date
    end_date: date | None
    reason: str
    current: bool
