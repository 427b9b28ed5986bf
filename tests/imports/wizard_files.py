"""Files for the import wizard's tests, in an ERP's own layout (not Bookwise's): invoice
lines with German dates and decimal commas. `Invoice No` is no usual name for an order id,
so the suggestion leaves order_id unmapped and the user maps it."""

from __future__ import annotations

from io import BytesIO

HEADER = ["Invoice No", "Customer ID", "Invoice Date", "Net Amount (EUR)", "Product Group", "Salesman"]


def invoice_lines(account: str, rep: str, *, bad: bool = False) -> bytes:
    """Two invoice lines for `account` and `rep`; with `bad`, line 3 has an impossible
    date and line 4 an unknown customer."""
    rows = [
        ["INV-9001", account, "15.01.2025", "1.234,50", "Widgets", rep],
        ["INV-9002", account, "31.13.2025" if bad else "03.02.2025", "99,00", "Gadgets", rep],
    ]
    if bad:
        rows.append(["INV-9003", "NO-SUCH-CUSTOMER", "04.02.2025", "10,00", "Gadgets", rep])
    lines = [";".join(HEADER).replace(";", ","), *(",".join(f'"{c}"' for c in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
