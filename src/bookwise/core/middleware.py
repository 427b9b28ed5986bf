"""Pages render the application's errors the same way everywhere: NotFound is a 404,
Forbidden a 403 (Django's own pages), any other ApplicationError an error page with its
message and status. The API has its own handlers (config/api.py). While a request is
served, the audit trail attributes what it records to the request's user (core/actor.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .actor import serving
from .errors import ApplicationError, Forbidden, NotFound


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message)
        if isinstance(exception, ApplicationError):
            context = {"message": exception.message, "extra": exception.extra}
            return render(request, "error.html", context, status=exception.status_code)
        return None
