"""The bounds of every paged API listing: `limit` and `offset` are query parameters whose
schema says how far they go, so no value reaches the database that it cannot take (an
offset past 2**63 made SQLite answer "datatype mismatch", a 500)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from ninja import Field

MAX_LIMIT = 500
#: far beyond any book (a billion rows), far below what a database's 64-bit integer holds
MAX_OFFSET = 1_000_000_000


def limit_field(default: int) -> Any:
    return Field(default, ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT})")


def offset_field() -> Any:
    return Field(0, ge=0, le=MAX_OFFSET, description=f"Items to skip (0 to {MAX_OFFSET:,})")


#: the dates the API takes, in query strings and bodies: years 1900 to 2999, so date
#: arithmetic (a trailing year, a quarter's start) never leaves Python's range
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)
ApiDate = Annotated[date, Field(ge=FIRST_DATE, le=LAST_DATE)]
