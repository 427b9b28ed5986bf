"""The size of a web upload, bounded before its body is read.

`UploadLimitMiddleware` refuses any request whose declared body (Content-Length) is over
settings.BOOKWISE["import_max_upload_mb"]: Django would otherwise read the whole body (to
a temporary file) while checking the CSRF token, before any view runs. A refused upload to
the import page (or the import wizard) goes back to it with a message naming the limit;
anything else gets 413.
The body is read and thrown away 64 KB at a time (memory flat) up to twice the limit, so
that a browser still sending it reads the answer instead of a reset connection; a larger
body is not read at all. The upload form checks the file's size again (a body sent
without a length)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

MB = 1024 * 1024
FORM_FIELDS_SLACK = 64 * 1024  # the other fields of the form around the file
CHUNK = 64 * 1024


def upload_limit_bytes() -> int:
    return int(str(settings.BOOKWISE.get("import_max_upload_mb", 20))) * MB


def too_big_message(size: int) -> str:
    limit = upload_limit_bytes()
    return (
        f"The file is {size / MB:,.1f} MB; uploads are limited to {limit // MB} MB (the "
        "import_max_upload_mb setting). Split the file, or import it on the server with "
        "`bookwise import`."
    )


def _discard_body(request: HttpRequest, size: int) -> None:
    if size > 2 * upload_limit_bytes():
        return
    while request.read(CHUNK):
        pass


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size <= upload_limit_bytes() + FORM_FIELDS_SLACK:
            return self.get_response(request)
        _discard_body(request, size)
        upload_pages = (reverse("imports:upload"), reverse("imports:wizard"))
        if request.path in upload_pages and hasattr(request, "_messages"):
            messages.error(request, too_big_message(size))
            return HttpResponseRedirect(request.path, status=303)
        return HttpResponse(too_big_message(size), status=413, content_type="text/plain; charset=utf-8")
