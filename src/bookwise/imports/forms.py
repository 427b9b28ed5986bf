from __future__ import annotations

from pathlib import Path

from django import forms

from .limits import too_big_message, upload_limit_bytes
from .parsers import KINDS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS], help_text="Import order: " + ", ".join(KINDS))
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX with the header row of IMPORT_FORMATS.md")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > upload_limit_bytes():
            raise forms.ValidationError(too_big_message(upload.size))
        return upload
