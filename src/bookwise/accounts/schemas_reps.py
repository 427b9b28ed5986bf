"""Per-operation API schemas for the reps API (`api_reps`): ids are external ids."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from bookwise.core.paging import limit_field, offset_field


class RepListFilters(Schema):
    search: str = Field("", max_length=200, description="Name contains, or exact rep id")
    role: str = Field("", pattern="^(|hunter|account_manager|sales_manager|director)$")
    limit: int = limit_field(50)
    offset: int = offset_field()


class RepOut(Schema):
    rep_id: str
    name: str
    email: str | None
    role: str
    manager_id: str | None
    territory: str | None
    region: str | None = None
    hire_date: date | None
    end_date: date | None
    capacity: int
    primary_accounts: int
    secondary_accounts: int


class RepPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RepOut]
