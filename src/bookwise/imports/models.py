"""Column mappings saved by name (from the web wizard or `bookwise mapping save`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bookwise.core.models import BaseModel


class SavedMapping(BaseModel):
    """A mapping for one import kind, kept as its YAML (`imports.mapping.model`)."""

    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20)
    body = models.TextField(help_text="The mapping as YAML")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="saved_mapping_name_kind")]
        ordering = ["name", "kind"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"
