"""The wizard's upload form: the import kind and a CSV or XLSX of any layout, bounded by
the import limits (the same checks as the /imports/ page)."""

from __future__ import annotations

from typing import Any

from bookwise.imports.forms import UploadForm
from bookwise.imports.parsers import KINDS


class WizardUploadForm(UploadForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = "What the file holds (import order: " + ", ".join(KINDS) + ")"
        self.fields["file"].help_text = "A CRM's or ERP's export, CSV or XLSX (the sheet comes next)"
