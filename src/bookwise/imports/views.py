"""The import page (/imports/, admins only): upload, see the dry run, confirm."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bookwise.core import background
from bookwise.people.selectors import scope_for

from .forms import UploadForm
from .services import import_file
from .uploads import upload_discard, upload_get, upload_release, upload_store

SHOW_ERRORS = 200


def admin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(request.user).admin:
            raise PermissionDenied("Only administrators import data.")
        return view(request, *args, **kwargs)

    return wrapped


@admin_only
def upload_page(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "imports/upload.html", {"form": form})
    kind = form.cleaned_data["kind"]
    token = upload_store(session=request.session, upload=form.cleaned_data["file"], kind=kind)
    entry = upload_get(session=request.session, token=token)
    assert entry is not None
    report = import_file(kind=kind, path=entry["path"], filename=entry["name"], dry_run=True)
    if not report.ok:
        upload_discard(session=request.session, token=token)
        token = ""
    context = {
        "form": UploadForm(),
        "report": report,
        "errors": report.error_lines(SHOW_ERRORS),
        "token": token,
    }
    return render(request, "imports/upload.html", context)


@require_POST
@admin_only
def confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    entry = upload_get(session=request.session, token=token)
    if entry is None:
        messages.error(request, "That upload has expired or was already imported; upload it again.")
        return redirect("imports:upload")
    queued = _enqueue(request, token, entry)
    if queued is not None:
        return queued
    try:
        report = import_file(kind=entry["kind"], path=entry["path"], filename=entry["name"])
    finally:
        upload_discard(session=request.session, token=token)
    if report.ok:
        messages.success(request, f"Imported {entry['name']}: {report.summary()}")
        return redirect("imports:upload")
    context = {"form": UploadForm(), "report": report, "errors": report.error_lines(SHOW_ERRORS), "token": ""}
    return render(request, "imports/upload.html", context)


def _enqueue(request: HttpRequest, token: str, entry: dict[str, str]) -> HttpResponse | None:
    """Hand the confirmed import to the job queue when there is one (the jobs page follows
    it); None when there is none and the request does the import itself."""
    params = {"kind": entry["kind"], "path": entry["path"], "filename": entry["name"]}
    label = f"Import {entry['name']}"
    queued = background.enqueue("import_file", user=request.user, label=label, params=params)
    if queued is None:
        return None
    upload_release(session=request.session, token=token)
    messages.success(request, f"Importing {entry['name']} in the background: follow it here.")
    return redirect(queued.page)


@require_POST
@admin_only
def cancel(request: HttpRequest) -> HttpResponse:
    upload_discard(session=request.session, token=request.POST.get("token", ""))
    messages.info(request, "Upload discarded; nothing was imported.")
    return redirect("imports:upload")
