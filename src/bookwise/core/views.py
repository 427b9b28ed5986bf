"""The audit page (/audit/): the trail with filters, paged with a total, and the filtered
rows as CSV. Who may read it is decided where the page is mounted (config/urls.py passes
`can_read`), so core needs no knowledge of roles."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from .audit_labels import action_label
from .audit_query import AuditFilterForm, audit_entries, csv_rows, describe, known_actions

Reader = Callable[[Any], bool]
PER_PAGE = 50


def _filtered(request: HttpRequest, can_read: Reader) -> tuple[AuditFilterForm, Any]:
    if not can_read(request.user):
        raise PermissionDenied("Only administrators and directors may read the audit trail.")
    form = AuditFilterForm(request.GET)
    form.is_valid()  # the filters that are right apply; a wrong one is shown with its message
    filters = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    return form, audit_entries(filters)


@login_required
def audit_page(request: HttpRequest, can_read: Reader) -> HttpResponse:
    form, entries = _filtered(request, can_read)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(e, action_label(e.action), describe(e.data)) for e in page.object_list]
    actions = [(a, action_label(a)) for a in known_actions()]
    context = {"form": form, "page_obj": page, "rows": rows, "actions": actions}
    return render(request, "core/audit.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


@login_required
def audit_csv(request: HttpRequest, can_read: Reader) -> StreamingHttpResponse:
    _, entries = _filtered(request, can_read)
    response = StreamingHttpResponse(_lines(csv_rows(entries)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response
