"""The audit page's URLs, mounted by config/urls.py with who may read it."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views


def audit_urls(*, can_read: views.Reader) -> tuple[list[URLPattern], str]:
    """For `include(...)`: the page and its CSV, readable by users for whom `can_read` is true."""
    patterns = [
        path("", views.audit_page, {"can_read": can_read}, name="list"),
        path("export.csv", views.audit_csv, {"can_read": can_read}, name="export"),
    ]
    return patterns, "audit"
