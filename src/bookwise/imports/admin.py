"""Saved column mappings in the admin: audited like every editable model; the YAML is
checked as a mapping before it is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from bookwise.core.admin import AuditedAdmin, ReadOnlyAdmin

from .mapping.library import parse_yaml
from .mapping.model import MappingError
from .models import ImportRun, SavedMapping


class SavedMappingForm(forms.ModelForm):
    class Meta:
        model = SavedMapping
        fields = ["name", "kind", "body"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("body") and data.get("kind"):
            try:
                parse_yaml(data["body"], kind=data["kind"])
            except MappingError as error:
                raise forms.ValidationError({"body": error.problems}) from None
        return data


@admin.register(SavedMapping)
class SavedMappingAdmin(AuditedAdmin):
    form = SavedMappingForm
    list_display = ["name", "kind", "saved_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """The wizard's imports, to read (the queue's worker alone writes them)."""

    list_display = ["id", "filename", "kind", "user", "state", "created", "updated", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["filename", "user__username"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]
