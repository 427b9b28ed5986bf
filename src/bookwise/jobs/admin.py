"""Jobs in the admin: to read (the jobs page is where users follow them); nothing here
changes a job, which only the queue's worker does."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "label", "name", "user", "state", "attempts", "created_at", "finished_at"]
    list_filter = ["state", "name"]
    search_fields = ["label", "user__username"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
