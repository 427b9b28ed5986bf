"""The import wizard's pages (/imports/wizard/, administrators and sales ops): upload ->
map -> preview -> confirm; the result pages are `views_wizard_runs`. The upload and the
mapping being edited stay server-side (`wizard.state`); every step checks them again."""

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

from .mapping import store
from .mapping.model import MappingError
from .wizard import form, preview, runs, state, steps
from .wizard.access import may_import
from .wizard.forms import WizardUploadForm
from .wizard.steps import StepError, Table

SHOW_ERRORS = 500
RECENT_RUNS = 10


def importers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_import(request.user):
            raise PermissionDenied("Only administrators and sales ops import data.")
        return view(request, *args, **kwargs)

    return wrapped


def _gone(request: HttpRequest) -> HttpResponse:
    messages.error(request, "That upload has expired or was already imported; upload it again.")
    return redirect("imports:wizard")


@importers_only
def wizard_start(request: HttpRequest) -> HttpResponse:
    upload = WizardUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        token = state.store(
            session=request.session, upload=upload.cleaned_data["file"], kind=upload.cleaned_data["kind"]
        )
        return redirect("imports:wizard-map", token=token)
    recent = runs.runs_for(request.user)[:RECENT_RUNS]
    return render(request, "imports/wizard_upload.html", {"form": upload, "runs": recent})


@importers_only
def wizard_map(request: HttpRequest, token: str) -> HttpResponse:
    entry = state.get(session=request.session, token=token)
    if entry is None:
        return _gone(request)
    try:
        table = steps.read_source(entry["path"], entry["sheet"])
    except StepError as error:
        state.discard(session=request.session, token=token)
        messages.error(request, f"{entry['name']} cannot be read: " + "; ".join(error.problems))
        return redirect("imports:wizard")
    if not entry["yaml"]:
        text, source = steps.start_from("suggestion", entry["kind"], table)
        entry = state.update(session=request.session, token=token, yaml=text, source=source)
    problems: list[str] = []
    if request.method == "POST":
        try:
            done = _act(request, token, entry, table)
        except StepError as error:
            problems = error.problems
        else:
            return done
    entry = state.get(session=request.session, token=token) or entry
    return render(request, "imports/wizard_map.html", _map_context(token, entry, table, problems))


def _map_context(token: str, entry: dict[str, Any], table: Table, problems: list[str]) -> dict[str, Any]:
    kind = entry["kind"]
    try:
        steps.mapping_of(entry["yaml"], kind)
        incomplete: list[str] = []
    except MappingError as error:
        incomplete = error.problems
    return {
        "token": token,
        "entry": entry,
        "table": table,
        "problems": problems,
        "incomplete": incomplete,
        "rows": form.field_rows(kind, steps.load(entry["yaml"]), steps.suggestion(kind, table)),
        "starts": steps.starting_points(kind),
        "date_choices": form.DATE_CHOICES,
        "decimals": form.DECIMALS.items(),
        "cases": form.CASES,
    }


def _act(request: HttpRequest, token: str, entry: dict[str, Any], table: Table) -> HttpResponse:
    """One action of the mapping page; StepError when the input is refused."""
    action, post, kind = request.POST.get("action", ""), request.POST, entry["kind"]
    here = redirect("imports:wizard-map", token=token)
    if action == "sheet":
        sheet = post.get("sheet", "")
        if sheet not in table.sheets:
            raise StepError([f"sheet: {sheet!r} is not a sheet of {entry['name']}"])
        text, source = steps.start_from("suggestion", kind, steps.read_source(entry["path"], sheet))
        state.update(session=request.session, token=token, sheet=sheet, yaml=text, source=source)
        return here
    if action == "start":
        text, source = steps.start_from(post.get("start", ""), kind, table)
        state.update(session=request.session, token=token, yaml=text, source=source)
        messages.info(request, f"Mapping: starting from {source.replace(':', ' ')}.")
        return here
    if action == "yaml":
        text = steps.mapping_from_text(post.get("yaml", ""), kind)
        state.update(session=request.session, token=token, yaml=text, source="yaml")
        return here
    if action not in ("fields", "save", "preview"):
        raise StepError([f"{action!r} is not something this page does"])
    data = form.apply_edits(kind, steps.load(entry["yaml"]), post, table.header)
    state.update(session=request.session, token=token, yaml=steps.dump(data))
    if action == "save":
        _save(request, post.get("name", ""), steps.dump(data), kind)
    if action == "preview":
        return redirect("imports:wizard-preview", token=token)
    return here


def _save(request: HttpRequest, name: str, text: str, kind: str) -> None:
    try:
        saved = store.save_mapping(name, steps.mapping_of(text, kind), request.user)
    except MappingError as error:
        raise StepError([f"save: {problem}" for problem in error.problems]) from None
    text = f"Saved the mapping {saved.name!r} for {kind}: pick it next time under Start from."
    messages.success(request, text)


@importers_only
def wizard_preview(request: HttpRequest, token: str) -> HttpResponse:
    entry = state.get(session=request.session, token=token)
    if entry is None:
        return _gone(request)
    try:
        mapping = steps.mapping_of(entry["yaml"], entry["kind"])
    except MappingError as error:
        messages.error(request, "The mapping is not complete: " + "; ".join(error.problems))
        return redirect("imports:wizard-map", token=token)
    first = preview.first_rows(entry, mapping)
    report, rows = preview.dry_run(entry, mapping)
    entry = state.update(
        session=request.session, token=token, checked=state.fingerprint(entry), ok=report.ok, rows=rows
    )
    errors = [e.render(entry["name"]) for e in runs.report_errors(report)]
    context = {
        "token": token,
        "entry": entry,
        "first": first,
        "report": report,
        "rows": rows,
        "errors": errors[:SHOW_ERRORS],
        "more": max(0, len(errors) - SHOW_ERRORS),
    }
    return render(request, "imports/wizard_preview.html", context)


@require_POST
@importers_only
def wizard_confirm(request: HttpRequest, token: str) -> HttpResponse:
    entry = state.get(session=request.session, token=token)
    if entry is None:
        return _gone(request)
    if not state.checked_ok(entry):
        messages.error(
            request,
            "Nothing was imported: preview this file with this mapping first; "
            "it can be imported only when the preview finds no error.",
        )
        return redirect("imports:wizard-preview", token=token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing was imported: tick “I understand” to confirm the import.")
        return redirect("imports:wizard-preview", token=token)
    run = runs.create_run(user=request.user, entry=entry)
    state.release(session=request.session, token=token)
    label = f"Import {entry['name']} ({entry['kind']}, wizard)"
    if background.enqueue("import_mapped", user=request.user, label=label, params={"run_id": run.pk}) is None:
        runs.run_import(run.pk)
    return redirect("imports:wizard-run", run_id=run.pk)


@require_POST
@importers_only
def wizard_cancel(request: HttpRequest, token: str) -> HttpResponse:
    state.discard(session=request.session, token=token)
    messages.info(request, "Upload discarded; nothing was imported.")
    return redirect("imports:wizard")
