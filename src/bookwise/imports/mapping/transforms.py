"""The transforms a column mapping applies to a source value (pure, no Django): each takes
the text and gives the text Bookwise's own format holds (ISO dates, `1234.56` money), or
raises ValueError with a message that names the value. An empty value stays empty (only
`default` fills it). docs/imports.md, "Column mappings", lists them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

Step = Callable[[str], str]

DATE_TOKENS = {"YYYY": r"(?P<y>\d{4})", "MM": r"(?P<m>\d{2})", "DD": r"(?P<d>\d{2})"}
DATE_TOKENS |= {"M": r"(?P<m>\d{1,2})", "D": r"(?P<d>\d{1,2})", "YY": r"(?P<yy>\d{2})"}
DATE_FORMATS = ("YYYY-MM-DD", "MM/DD/YYYY", "M/D/YYYY", "DD/MM/YYYY", "D/M/YYYY", "DD.MM.YYYY", "D.M.YYYY")
EXCEL = "excel"
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?)?"
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it counts 1900-02-29, which never was)
CURRENCY = re.compile(r"^(?:[A-Z]{3}\s*)|(?:\s*[A-Z]{3})$|[$€£¥₹₽₩₺₪₫฿₴₦₱]|\s+")
ID_IN_PARENTHESES = r"\(([^()]+)\)\s*$"


def _regex(fmt: str) -> re.Pattern[str]:
    parts = re.split(r"(YYYY|YY|MM|DD|M|D)", fmt)
    body = "".join(DATE_TOKENS[p] if p in DATE_TOKENS else re.escape(p) for p in parts)
    return re.compile(body + _TIME)


def date_step(formats: str | list[str]) -> Step:
    """A date in one of `formats` (tokens YYYY, YY, MM, DD, M, D and any separators; or
    `excel`, an Excel serial day number), with or without a time after it, as ISO."""
    wanted = [formats] if isinstance(formats, str) else list(formats)
    patterns = [None if f == EXCEL else _regex(f) for f in wanted]
    shown = " or ".join(wanted)

    def parse(value: str) -> str:
        for pattern in patterns:
            found = _excel(value) if pattern is None else _match_date(pattern, value)
            if found is not None:
                return _plausible(found, value).isoformat()
        raise ValueError(f"{value!r} is not a date in the format {shown}")

    return parse


def _match_date(pattern: re.Pattern[str], value: str) -> date | None:
    match = pattern.fullmatch(value)
    if match is None:
        return None
    parts = match.groupdict()
    year = int(parts["y"]) if parts.get("y") else 2000 + int(parts["yy"])
    try:
        return date(year, int(parts["m"]), int(parts["d"]))
    except ValueError:
        return None


def _excel(value: str) -> date | None:
    if not re.fullmatch(r"\d{1,6}(?:\.\d+)?", value):
        return None
    day = int(float(value))
    return _EXCEL_EPOCH + timedelta(days=day) if 0 < day < 2958466 else None


def _plausible(day: date, value: str) -> date:
    if not 1900 <= day.year <= 2100:
        raise ValueError(f"{value!r} is out of range (a year from 1900 to 2100)")
    return day


def number_step(options: dict[str, Any] | None) -> Step:
    """A number written with `decimal` ("." or ",") and `thousands` ("," "." " " "'" or
    empty) separators, currency symbols and codes ($, €, EUR...) and a trailing or
    bracketed minus allowed, as a plain `-1234.56`."""
    options = options or {}
    decimal_mark = str(options.get("decimal", "."))
    thousands = str(options.get("thousands", "," if decimal_mark == "." else "."))

    def parse(value: str) -> str:
        text = CURRENCY.sub("", value)
        negative = text.startswith("(") and text.endswith(")") or text.endswith("-") or text.startswith("-")
        text = text.strip("()-+")
        if thousands:
            text = text.replace(thousands, "")
        text = text.replace("\u00a0", "").replace(decimal_mark, ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number (decimal mark {decimal_mark!r})") from None
        if not number.is_finite():
            raise ValueError(f"{value!r} is not a number")
        return _plain(-number if negative else number)

    return parse


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def map_step(values: dict[str, Any], other: str = "error") -> Step:
    """The source's names to Bookwise's (`Closed Won: won`), compared without case and
    surrounding spaces; a value not in the map is an error naming the known ones, or kept
    as it is (`other: keep`), or left empty (`other: empty`)."""
    table = {str(k).strip().casefold(): "" if v is None else str(v) for k, v in values.items()}
    known = ", ".join(repr(str(k)) for k in values)

    def parse(value: str) -> str:
        key = value.strip().casefold()
        if key in table:
            return table[key]
        if other == "keep":
            return value
        if other == "empty":
            return ""
        raise ValueError(f"{value!r} is not a value the mapping knows ({known})")

    return parse


def extract_step(pattern: str) -> Step:
    """The first group (or the whole match) of `pattern` found in the value: `id` takes the
    id out of `Acme (ACC-001)`."""
    regex = re.compile(ID_IN_PARENTHESES if pattern == "id" else pattern)

    def parse(value: str) -> str:
        match = regex.search(value)
        if match is None:
            raise ValueError(f"{value!r} does not hold what the mapping extracts ({regex.pattern})")
        return (match.group(1) if regex.groups else match.group(0)).strip()

    return parse


def slug(value: str) -> str:
    """A stable id from a display name: `Acme Corporation` -> `acme-corporation`."""
    return re.sub(r"[^a-z0-9]+", "-", value.strip().lower()).strip("-")


CASES: dict[str, Step] = {"upper": str.upper, "lower": str.lower, "title": str.title}


def case_step(name: str) -> Step:
    return CASES[name]


def replace_step(pairs: dict[str, Any]) -> Step:
    """Every occurrence of each key replaced by its value (`{"GTXPro": "GTX Pro"}`)."""

    def parse(value: str) -> str:
        for old, new in pairs.items():
            value = value.replace(str(old), "" if new is None else str(new))
        return value

    return parse


# name -> (builder from the YAML argument); order of application is the order written
BUILDERS: dict[str, Callable[[Any], Step]] = {
    "date": date_step,
    "number": number_step,
    "money": number_step,
    "map": map_step,
    "extract": extract_step,
    "case": case_step,
    "replace": replace_step,
    "slug": lambda _arg: slug,
}
