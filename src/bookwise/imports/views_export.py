"""/accounts/export.csv: the accounts the user may see, in the accounts.csv import format.

The page sits under /accounts/ (config/urls.py maps it into the accounts namespace as
`accounts:export`) but lives here, with the import formats it writes: the accounts app is
below imports and may not import its exporters."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse

from .exporters import export_rows


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


@login_required
def account_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The visible accounts in the accounts.csv import format (all of them, not one page)."""
    header, rows = export_rows("accounts", user=request.user)
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="accounts.csv"'
    return response
