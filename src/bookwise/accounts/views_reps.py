"""Rep pages (/reps/, namespace `people`): the reps a user may see, and one rep (facts,
chain, reports, accounts).

They live in accounts, not people, because they show each rep's book (accounts held now),
and people is below accounts. Read through the permission-scoped selectors; a rep outside
the user's scope is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from bookwise.core.errors import NotFound
from bookwise.people.models import Rep, Role
from bookwise.people.selectors import chain_of_command, manager_map, rep_get, rep_list, scope_for

from .selectors import book_sizes, rep_current_accounts

PAGE = 50


@login_required
def rep_list_page(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:200]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    page = Paginator(rep_list(user=request.user, search=search, role=role), PAGE).get_page(
        request.GET.get("page")
    )
    reps = list(page.object_list)
    sizes = book_sizes(rep_ids=[r.pk for r in reps])
    context = {
        "page_obj": page,
        "rows": [{"rep": r, "book": sizes[r.pk]} for r in reps],
        "roles": Role.choices,
        "search": search,
        "role": role,
        "filtered": bool(search or role),
    }
    return render(request, "accounts/rep_list.html", context)


def _rep(request: HttpRequest, rep_id: str) -> Rep:
    try:
        return rep_get(user=request.user, rep_id=rep_id)
    except NotFound:
        raise Http404("No such rep.") from None


@login_required
def rep_detail_page(request: HttpRequest, rep_id: str) -> HttpResponse:
    rep = _rep(request, rep_id)
    scope = scope_for(request.user)
    chain_ids = chain_of_command(rep.pk, manager_map())
    by_id = Rep.objects.in_bulk(chain_ids)
    chain = [{"rep": by_id[pk], "visible": scope.covers(pk)} for pk in chain_ids if pk in by_id]
    reports = list(rep.reports.select_related("territory").order_by("name"))
    sizes = book_sizes(rep_ids=[rep.pk] + [r.pk for r in reports])
    accounts = Paginator(rep_current_accounts(rep=rep), PAGE).get_page(request.GET.get("page"))
    context = {
        "rep": rep,
        "chain": chain,
        "reports": [{"rep": r, "book": sizes[r.pk]} for r in reports],
        "book": sizes[rep.pk],
        "page_obj": accounts,
    }
    return render(request, "accounts/rep_detail.html", context)
