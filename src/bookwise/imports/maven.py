"""Convert the Maven Analytics "CRM Sales Opportunities" sample into Bookwise import files
(`bookwise convert maven-crm`; the `maven-crm` column mapping preset imports the sample's
files directly: `bookwise import KIND FILE --mapping maven-crm`).

Pure (no Django): reads sales_teams.csv, accounts.csv, products.csv and
sales_pipeline.csv, writes reps.csv, accounts.csv, opportunities.csv and orders.csv.
Mapping and the handling of the sample's quirks: docs/imports.md ("Migrating from
another CRM: the Maven CRM sample")."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .parsers import SPECS

STAGES = {"Prospecting": "prospecting", "Engaging": "engaging", "Won": "won", "Lost": "lost"}


def slug(name: str) -> str:
    """A stable external id from a display name: `Acme Corporation` -> `acme-corporation`."""
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")


def _product_key(name: str) -> str:
    """Products compare without spaces or case (the pipeline spells `GTX Pro` as `GTXPro`)."""
    return re.sub(r"\s+", "", name).lower()


COLUMNS = {
    "sales_teams.csv": ("sales_agent", "manager", "regional_office"),
    "accounts.csv": ("account", "sector", "subsidiary_of"),
    "sales_pipeline.csv": ("opportunity_id", "sales_agent", "product", "account", "deal_stage", "close_date")
    + ("close_value",),
    "products.csv": ("product", "series"),
}


def _key(header: str | None) -> str:
    """Headers compare without case or surrounding spaces (`SALES_AGENT`, ` Sales Agent`)."""
    return re.sub(r"[\s-]+", "_", (header or "").strip().lower())


def _read(path: Path) -> list[dict[str, str]]:
    """The file's rows by normalised header; ValueError naming the file and the missing columns."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        found = {_key(h) for h in rows.fieldnames or []}
        missing = [c for c in COLUMNS.get(path.name, ()) if c not in found]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        return [{_key(k): (v or "").strip() for k, v in row.items()} for row in rows]


@dataclass
class Conversion:
    """The rows of every output file, plus what was left out and why."""

    files: dict[str, list[list[str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {kind: len(rows) for kind, rows in self.files.items()}


def _reps(teams: list[dict[str, str]]) -> list[list[str]]:
    offices: dict[str, str] = {}
    for row in teams:
        offices.setdefault(row["manager"], row["regional_office"])
    rows = [
        [slug(m), m, "", "sales_manager", "", office, office, "", "", ""] for m, office in offices.items()
    ]
    for row in teams:
        office = row["regional_office"]
        rows.append(
            [
                slug(row["sales_agent"]),
                row["sales_agent"],
                "",
                "account_manager",
                slug(row["manager"]),
                office,
            ]
            + [office, "", "", ""]
        )
    return rows


def _owners(deals: list[dict[str, str]]) -> dict[str, str]:
    """account -> the agent with the most won deals on it (ties: larger won value, then name)."""
    won: dict[str, Counter[str]] = defaultdict(Counter)
    value: dict[tuple[str, str], float] = defaultdict(float)
    for deal in deals:
        if deal["deal_stage"] == "Won" and deal["account"]:
            won[deal["account"]][deal["sales_agent"]] += 1
            value[(deal["account"], deal["sales_agent"])] += float(deal["close_value"] or 0)
    return {
        account: min(agents, key=lambda a: (-agents[a], -value[(account, a)], a))
        for account, agents in won.items()
    }


def _parents_first(accounts: list[dict[str, str]]) -> list[dict[str, str]]:
    names = {a["account"] for a in accounts}
    done: set[str] = set()
    ordered: list[dict[str, str]] = []
    pending = sorted(accounts, key=lambda a: a["account"])
    while pending:
        ready = [a for a in pending if not a["subsidiary_of"] or a["subsidiary_of"] in done]
        ready = ready or [a for a in pending if a["subsidiary_of"] not in names] or pending[:1]
        for a in ready:
            done.add(a["account"])
            ordered.append(a)
        pending = [a for a in pending if a["account"] not in done]
    return ordered


def _accounts(
    accounts: list[dict[str, str]], deals: list[dict[str, str]], office: dict[str, str]
) -> list[list[str]]:
    owners = _owners(deals)
    first_won: dict[str, str] = {}
    for deal in deals:
        if deal["deal_stage"] == "Won" and deal["account"] and deal["close_date"]:
            first_won[deal["account"]] = min(first_won.get(deal["account"], "9999"), deal["close_date"])
    names = {a["account"] for a in accounts}
    rows = []
    for a in _parents_first(accounts):
        owner = owners.get(a["account"], "")
        parent = a["subsidiary_of"] if a["subsidiary_of"] in names else ""
        rows.append(
            [
                slug(a["account"]),
                a["account"],
                a["sector"],
                office.get(owner, ""),
                slug(owner) if owner else "",
            ]
            + ["", slug(parent) if parent else "", first_won.get(a["account"], ""), "", "active", "", ""]
        )
    return rows


def _opportunities(deals: list[dict[str, str]], products: dict[str, str]) -> tuple[list[list[str]], int]:
    rows, skipped = [], 0
    for d in deals:
        if not d["account"]:
            skipped += 1
            continue
        stage = STAGES[d["deal_stage"]]
        closed = stage in ("won", "lost")
        rows.append(
            [d["opportunity_id"], slug(d["account"]), slug(d["sales_agent"])]
            + [products.get(_product_key(d["product"]), d["product"]), stage]
            + [d["close_value"] if stage == "won" else "", "", d["close_date"] if closed else ""]
        )
    return rows, skipped


def _orders(deals: list[dict[str, str]], series: dict[str, str]) -> list[list[str]]:
    return [
        [d["opportunity_id"], slug(d["account"]), d["close_date"], d["close_value"], ""]
        + [series.get(_product_key(d["product"]), ""), slug(d["sales_agent"]), "new"]
        for d in deals
        if d["deal_stage"] == "Won" and d["account"]
    ]


def convert(source: Path) -> Conversion:
    teams = _read(source / "sales_teams.csv")
    accounts = _read(source / "accounts.csv")
    deals = _read(source / "sales_pipeline.csv")
    products = _read(source / "products.csv")
    series = {_product_key(p["product"]): p["series"] for p in products}
    names = {_product_key(p["product"]): p["product"] for p in products}
    office = {row["sales_agent"]: row["regional_office"] for row in teams}
    result = Conversion()
    result.files["reps"] = _reps(teams)
    result.files["accounts"] = _accounts(accounts, deals, office)
    result.files["opportunities"], skipped = _opportunities(deals, names)
    result.files["orders"] = _orders(deals, series)
    result.notes.append(f"{skipped} open opportunities without an account were left out")
    unowned = sum(1 for row in result.files["accounts"] if not row[4])
    if unowned:
        result.notes.append(f"{unowned} accounts have no won deal, hence no owner")
    return result


def write_files(conversion: Conversion, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, rows in conversion.files.items():
        paths[kind] = out / f"{kind}.csv"
        _write_csv(paths[kind], SPECS[kind].header, rows)
    return paths


def _write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
