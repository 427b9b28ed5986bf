"""Contact pages: the account page's forms post here and come back to the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bookwise.accounts.selectors import account_get, today
from bookwise.core.errors import ApplicationError, NotFound
from bookwise.people.selectors import rep_get

from . import services
from .forms import ContactForm
from .models import Contact
from .selectors import contact_get, single_threaded


def _back(account_id: str) -> HttpResponse:
    return redirect(f"/accounts/{account_id}/#contacts")


def _contact(request: HttpRequest, contact_id: str) -> Contact:
    try:
        return contact_get(user=request.user, contact_id=contact_id)
    except NotFound:
        raise Http404("No such contact.") from None


def _form_error(request: HttpRequest, form: ContactForm) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        messages.error(request, f"{label}: {' '.join(str(e) for e in errors)}")


@login_required
@require_POST
def contact_add(request: HttpRequest, account_id: str) -> HttpResponse:
    try:
        account = account_get(user=request.user, account_id=account_id)
    except NotFound:
        raise Http404("No such account.") from None
    form = ContactForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(account.external_id)
    try:
        contact = services.contact_create(account=account, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Contact {contact.name} added.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(account.external_id)


@login_required
@require_POST
def contact_edit(request: HttpRequest, contact_id: str) -> HttpResponse:
    contact = _contact(request, contact_id)
    form = ContactForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(contact.account.external_id)
    try:
        services.contact_update(contact=contact, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Contact {contact.name} saved.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(contact.account.external_id)


@login_required
@require_POST
def relationship_add(request: HttpRequest, account_id: str) -> HttpResponse:
    contact = _contact(request, request.POST.get("contact", ""))
    if contact.account.external_id != account_id:
        raise Http404("No such contact.")
    try:
        rep = rep_get(user=request.user, rep_id=request.POST.get("rep", ""))
        services.relationship_set(
            contact=contact, rep=rep, strength=request.POST.get("strength", ""), actor=request.user
        )
        messages.success(request, f"Recorded: {rep.name} knows {contact.name}.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(contact.account.external_id)


@login_required
@require_POST
def relationship_delete(request: HttpRequest, contact_id: str, rep_id: str) -> HttpResponse:
    contact = _contact(request, contact_id)
    try:
        rep = rep_get(user=request.user, rep_id=rep_id)
        services.relationship_remove(contact=contact, rep=rep, actor=request.user)
        messages.success(request, f"Removed: {rep.name}'s relationship with {contact.name}.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(contact.account.external_id)


@login_required
def single_threaded_page(request: HttpRequest) -> HttpResponse:
    day = today()
    rows = single_threaded(user=request.user, day=day)
    return render(request, "contacts/single_threaded.html", {"rows": rows, "day": day})
