"""Reps API: the reps the caller may see and one rep, by rep id (404 outside the scope), with
their current book sizes. In accounts (not people) because the book is accounts held now."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from bookwise.people.models import Rep
from bookwise.people.selectors import rep_get, rep_list

from .schemas_reps import RepListFilters, RepOut, RepPage
from .selectors import book_sizes

router = Router(tags=["people"])
#: the OpenAPI operation ids these endpoints had in people/api.py, kept for generated clients
OPERATION_PREFIX = "bookwise_people_api_"


def rep_out(rep: Rep, book: dict[str, int]) -> dict[str, Any]:
    territory = rep.territory
    return {
        "rep_id": rep.external_id,
        "name": rep.name,
        "email": rep.email,
        "role": rep.role,
        "manager_id": rep.manager.external_id if rep.manager else None,
        "territory": territory.name if territory else None,
        "region": territory.region.name if territory and territory.region else None,
        "hire_date": rep.hire_date,
        "end_date": rep.end_date,
        "capacity": rep.capacity,
        "primary_accounts": book["primary"],
        "secondary_accounts": book["secondary"],
    }


@router.get("/reps", response=RepPage, operation_id=f"{OPERATION_PREFIX}reps")
def reps(request: HttpRequest, query: Query[RepListFilters]) -> dict[str, Any]:
    """The reps the caller may see (themself and their team, all levels; everyone for a
    director or admin), with their current book sizes."""
    qs = rep_list(user=request.user, search=query.search.strip(), role=query.role)
    page = list(qs.select_related("territory__region")[query.offset : query.offset + query.limit])
    sizes = book_sizes(rep_ids=[r.pk for r in page])
    items = [rep_out(r, sizes[r.pk]) for r in page]
    return {"count": qs.count(), "limit": query.limit, "offset": query.offset, "items": items}


@router.get("/reps/{rep_id}", response=RepOut, operation_id=f"{OPERATION_PREFIX}rep")
def rep(request: HttpRequest, rep_id: str) -> dict[str, Any]:
    found = rep_get(user=request.user, rep_id=rep_id)
    return rep_out(found, book_sizes(rep_ids=[found.pk])[found.pk])
