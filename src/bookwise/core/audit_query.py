"""Reading the audit trail: the filters of the audit page (who, what, account, dates), how
an entry's before/after reads in one line, and its rows for the CSV export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.utils import timezone

from .audit_labels import action_label, actions_matching
from .models import AuditEntry

CSV_HEADER = [
    "When (UTC)", "Who", "Username", "Via", "What", "Action", "Object", "Account", "Details", "Data"
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DETAIL_CHARS = 600


class AuditFilterForm(forms.Form):
    who = forms.CharField(label="Who", required=False, help_text="name or username")
    action = forms.CharField(
        label="What", required=False, help_text="what was done (Transfer completed), or its name (transfer.)"
    )
    account = forms.CharField(label="Account", required=False, help_text="name or id")
    start = forms.DateField(label="From", required=False)
    end = forms.DateField(label="To", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", f"To ({end}) must not be before From ({start}).")
        return cleaned


def audit_entries(filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The entries matching the cleaned filters, newest first."""
    qs = AuditEntry.objects.select_related("actor")
    if who := (filters.get("who") or "").strip():
        qs = qs.filter(Q(actor_name__icontains=who) | Q(actor__username__iexact=who))
    if action := (filters.get("action") or "").strip():
        labelled = actions_matching(action, known_actions())
        qs = qs.filter(Q(action__istartswith=action) | Q(action__in=labelled))
    if account := (filters.get("account") or "").strip():
        match = Q(account_label__icontains=account)
        if account.isdigit():
            match |= Q(account_ref=int(account))
        qs = qs.filter(match)
    if start := filters.get("start"):
        qs = qs.filter(at__date__gte=start)
    if end := filters.get("end"):
        qs = qs.filter(at__date__lte=end)
    return qs.order_by("-at", "-id")


def known_actions() -> list[str]:
    """The raw names of the actions the trail holds."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_text(v)}" for k, v in value.items())
    return "—" if value in (None, "") else str(value)


def describe(data: dict[str, Any]) -> str:
    """An entry's data in one line: `field: before → after` for each change, then the other
    facts (`key: value`); long texts are cut."""
    before, after = data.get("before"), data.get("after")
    parts: list[str] = []
    if isinstance(before, dict) and isinstance(after, dict):
        parts += [f"{k}: {_text(before.get(k))} → {_text(after.get(k))}" for k in after]
        parts += [f"{k}: {_text(v)} → —" for k, v in before.items() if k not in after]
    else:
        parts += [f"{k}: {_text(data[k])}" for k in ("before", "after") if k in data]
    skip = {"before", "after", "changes", "command", "os_user"}
    parts += [f"{k}: {_text(v)}" for k, v in data.items() if k not in skip]
    text = " · ".join(parts)
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a quote first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[str]]:
    yield CSV_HEADER
    for e in entries.iterator(chunk_size=2000):
        row = [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.actor.username if e.actor else e.data.get("os_user", ""),
            e.get_via_display(),
            action_label(e.action),
            e.action,
            e.object_label or f"{e.object_type} {e.object_id}",
            e.account_label,
            describe(e.data),
            json.dumps(e.data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True),
        ]
        yield [csv_safe(cell) for cell in row]
