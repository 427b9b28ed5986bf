"""The new and edit forms' handling: the form's types, then the services' rules, each
refusal shown on the field it names."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bookwise.accounts.selectors import account_get, today
from bookwise.core.errors import ApplicationError, NotFound
from bookwise.people.models import Rep

from . import services
from .forms import AgreementForm
from .models import Agreement
from .selectors import agreement_get

FORM_FIELD = {
    "agreement_id": "agreement_id",
    "owner_id": "owner",
    "renews_id": "renews",
    "account_id": "account",
}


def _refuse(form: AgreementForm, exc: ApplicationError) -> None:
    field = FORM_FIELD.get(exc.extra.get("field", ""), exc.extra.get("field"))
    form.add_error(field if field in form.fields else None, exc.message)


def _owner(form: AgreementForm) -> Rep | None:
    ref = form.cleaned_data.get("owner") or ""
    return Rep.objects.filter(external_id=ref).first() if ref else None


def _input(request: HttpRequest, form: AgreementForm) -> tuple[Any, services.AgreementInput]:
    data = form.cleaned_data
    try:
        account = account_get(user=request.user, account_id=data["account"])
    except NotFound:
        raise ApplicationError(
            f"Account id: no account {data['account']} in your book.", {"field": "account"}
        ) from None
    renews = None
    if data["renews"]:
        try:
            renews = agreement_get(user=request.user, agreement_id=data["renews"])
        except NotFound:
            raise ApplicationError(f"Renews: no agreement {data['renews']}.", {"field": "renews"}) from None
    values = services.AgreementInput(
        external_id=data["agreement_id"], kind=data["kind"], start_date=data["start_date"],
        end_date=data["end_date"], committed_amount=data["committed_amount"], owner=_owner(form),
        committed_quantity=data["committed_quantity"], product_line=data["product_line"],
        include_subsidiaries=data["include_subsidiaries"], price_terms=data["price_terms"],
        notice_days=data["notice_days"], document_ref=data["document_ref"], status=data["status"],
        renews=renews,
    )  # fmt: skip
    return account, values


def create_from_form(request: HttpRequest, owners: list[tuple[str, str]]) -> HttpResponse:
    initial = {"account": request.GET.get("account", "")[:64]}
    form = AgreementForm(request.POST or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account, values = _input(request, form)
            created = services.agreement_create(
                account=account, data=values, actor=request.user, today=today()
            )
            return redirect("agreements:detail", agreement_id=created.external_id)
        except ApplicationError as exc:
            _refuse(form, exc)
    return render(request, "agreements/edit.html", {"form": form, "agreement": None})


def edit_from_form(request: HttpRequest, agreement: Agreement, owners: list[tuple[str, str]]) -> HttpResponse:
    form = AgreementForm(
        request.POST or None, owners=owners, editing=True, initial=AgreementForm.initial_for(agreement)
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        changes["owner"] = _owner(form)
        try:
            services.agreement_update(agreement=agreement, changes=changes, actor=request.user, today=today())
            return redirect("agreements:detail", agreement_id=agreement.external_id)
        except ApplicationError as exc:
            _refuse(form, exc)
    return render(request, "agreements/edit.html", {"form": form, "agreement": agreement})
