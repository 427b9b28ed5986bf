"""Supply agreements over the API: list (filters), one agreement with its figures, create,
update (fields and status), and the renewal pipeline. Every call sees only the agreements
of the caller's scope; another's is a 404."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from bookwise.accounts.selectors import account_get, today
from bookwise.core.errors import RuleViolation
from bookwise.core.paging import ApiDate, limit_field, offset_field
from bookwise.people.models import Rep

from . import services
from .selectors import (
    AgreementFilters,
    Figures,
    agreement_figures,
    agreement_get,
    agreement_list,
    renewal_rows,
)

router = Router(tags=["agreements"])


class AgreementOut(Schema):
    agreement_id: str
    account_id: str
    account_name: str
    kind: str
    status: str
    start_date: date
    end_date: date
    committed_amount: str
    committed_quantity: str | None
    product_line: str
    include_subsidiaries: bool
    price_terms: str
    notice_days: int
    notice_date: date
    owner_id: str | None
    document_ref: str
    renews_id: str | None
    released: str
    remaining: str
    over_commitment: str
    expected_to_date: str
    consumption: str
    projected_exhaustion: date | None
    exhausted_on: date | None


class AgreementIn(Schema):
    agreement_id: str = Field(..., max_length=64)
    account_id: str = Field(..., max_length=64)
    kind: str = Field(..., max_length=20)
    start_date: ApiDate
    end_date: ApiDate
    committed_amount: Decimal = Field(..., max_digits=15, decimal_places=2)
    committed_quantity: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    product_line: str = Field("", max_length=120)
    include_subsidiaries: bool = False
    price_terms: str = Field("", max_length=4000)
    notice_days: int = Field(90, ge=0, le=365)
    owner_id: str | None = Field(None, max_length=64)
    document_ref: str = Field("", max_length=200)
    status: str = Field("draft", max_length=20)
    renews_id: str | None = Field(None, max_length=64)


class AgreementPatch(Schema):
    kind: str | None = Field(None, max_length=20)
    start_date: ApiDate | None = None
    end_date: ApiDate | None = None
    committed_amount: Decimal | None = Field(None, max_digits=15, decimal_places=2)
    committed_quantity: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    product_line: str | None = Field(None, max_length=120)
    include_subsidiaries: bool | None = None
    price_terms: str | None = Field(None, max_length=4000)
    notice_days: int | None = Field(None, ge=0, le=365)
    owner_id: str | None = Field(None, max_length=64)
    document_ref: str | None = Field(None, max_length=200)
    status: str | None = Field(None, max_length=20)


def _s(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def agreement_out(f: Figures) -> dict[str, Any]:
    a = f.agreement
    return {
        "agreement_id": a.external_id, "account_id": a.account.external_id, "account_name": a.account.name,
        "kind": a.kind, "status": a.status, "start_date": a.start_date, "end_date": a.end_date,
        "committed_amount": f"{a.committed_amount:.2f}", "committed_quantity": _s(a.committed_quantity),
        "product_line": a.product_line, "include_subsidiaries": a.include_subsidiaries,
        "price_terms": a.price_terms, "notice_days": a.notice_days, "notice_date": f.notice_date,
        "owner_id": a.owner.external_id if a.owner else None, "document_ref": a.document_ref,
        "renews_id": a.renews.external_id if a.renews else None, "released": f"{f.released:.2f}",
        "remaining": f"{f.remaining:.2f}", "over_commitment": f"{f.over_commitment:.2f}",
        "expected_to_date": f"{f.expected:.2f}", "consumption": f.consumption,
        "projected_exhaustion": f.projected_exhaustion, "exhausted_on": f.exhausted_on,
    }  # fmt: skip


def _owner(ref: str | None) -> Rep | None:
    if not ref:
        return None
    owner = Rep.objects.filter(external_id=ref).first()
    if owner is None:
        raise RuleViolation(f"Owner: no rep {ref}.", {"field": "owner_id"})
    return owner


class ListFilters(Schema):
    status: str = Field("", max_length=20)
    kind: str = Field("", max_length=20)
    account_id: str = Field("", max_length=64)
    ending_within_days: int | None = Field(None, ge=0, le=3650)
    date: ApiDate | None = None
    limit: int = limit_field(100)
    offset: int = offset_field()


class RenewalFilters(Schema):
    days: int = Field(90, ge=1, le=3650)
    date: ApiDate | None = None


@router.get("/agreements", response=list[AgreementOut])
def agreements(request, query: Query[ListFilters]):
    """The agreements the caller may see, soonest end first, with their figures on `date`."""
    q = query
    filters = AgreementFilters(
        status=q.status, kind=q.kind, search=q.account_id, ending_within=q.ending_within_days
    )
    rows = agreement_list(user=request.user, day=q.date or today(), filters=filters)
    return [agreement_out(f) for f in rows[q.offset : q.offset + q.limit]]


@router.get("/agreements/renewals", response=list[dict])
def renewals(request, query: Query[RenewalFilters]):
    """Active agreements ending in the next `days` days (the CLI's `agreements renewals`)."""
    return renewal_rows(user=request.user, day=query.date or today(), days=query.days)


@router.get("/agreements/{agreement_id}", response=AgreementOut)
def agreement_detail(request, agreement_id: str, date: ApiDate | None = None):
    agreement = agreement_get(user=request.user, agreement_id=agreement_id)
    return agreement_out(agreement_figures(agreement, date or today()))


@router.post("/agreements", response={201: AgreementOut})
def agreement_create(request, payload: AgreementIn):
    """Record an agreement (draft or active) of an account the caller may see."""
    account = account_get(user=request.user, account_id=payload.account_id)
    renews = agreement_get(user=request.user, agreement_id=payload.renews_id) if payload.renews_id else None
    data = services.AgreementInput(
        external_id=payload.agreement_id, kind=payload.kind, start_date=payload.start_date,
        end_date=payload.end_date, committed_amount=payload.committed_amount, owner=_owner(payload.owner_id),
        committed_quantity=payload.committed_quantity, product_line=payload.product_line.strip(),
        include_subsidiaries=payload.include_subsidiaries, price_terms=payload.price_terms,
        notice_days=payload.notice_days, document_ref=payload.document_ref.strip(), status=payload.status,
        renews=renews,
    )  # fmt: skip
    created = services.agreement_create(account=account, data=data, actor=request.user, today=today())
    return Status(201, agreement_out(agreement_figures(created, today())))


@router.patch("/agreements/{agreement_id}", response=AgreementOut)
def agreement_update(request, agreement_id: str, payload: AgreementPatch):
    """Change the fields given; `status` moves the agreement along its lifecycle."""
    agreement = agreement_get(user=request.user, agreement_id=agreement_id)
    changes = payload.dict(exclude_unset=True)
    status = changes.pop("status", None)
    if "owner_id" in changes:
        changes["owner"] = _owner(changes.pop("owner_id"))
    if changes:
        agreement = services.agreement_update(
            agreement=agreement, changes=changes, actor=request.user, today=today()
        )
    if status is not None and status != agreement.status:
        agreement = services.agreement_set_status(agreement=agreement, status=status, actor=request.user)
    return agreement_out(agreement_figures(agreement, today()))
