"""The one-page plan as a PDF (fpdf2, no browser): A4 portrait, always one page.

The page is laid out at 9 pt; if it would run over, it is laid out again at 8, 7 and 6 pt;
at 6 pt whatever still does not fit is cut with a note to see the full plan in Bookwise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from .actuals import PlanActual, plan_actual
from .models import AccountPlan
from .selectors import primary_owners
from .services import template_sections

SIZES = (9, 8, 7, 6)
MAX_CHARS = 3000  # per section: more could never fit on the page anyway
MARGIN = 10
# Letter is 279 mm tall, A4 297: keeping the content within 279 - 2 x 10 mm fits both.
USABLE_HEIGHT = 279 - MARGIN


class Overflow(Exception):
    pass


def _latin(text: Any) -> str:
    return (
        str(text).replace("\u2014", "-").replace("\u2013", "-").encode("latin-1", "replace").decode("latin-1")
    )


def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _ratio(value: Decimal | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


class PlanPage:
    def __init__(self, plan: AccountPlan, actual: PlanActual, size: int, strict: bool) -> None:
        self.plan, self.actual, self.size, self.strict = plan, actual, size, strict
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.add_page()
        self.line = size * 0.45
        self.cut = False

    def _room(self, height: float) -> bool:
        if self.pdf.get_y() + height <= USABLE_HEIGHT:
            return True
        if self.strict:
            raise Overflow
        return False

    def text(self, body: str, *, bold: bool = False, size: int | None = None) -> None:
        if self.cut:
            return
        self.pdf.set_x(self.pdf.l_margin)
        self.pdf.set_font("helvetica", "B" if bold else "", size or self.size)
        lines: list[str] = self.pdf.multi_cell(0, self.line, _latin(body), dry_run=True, output="LINES")  # type: ignore[assignment]
        for line in lines:
            if not self._room(self.line):
                self._cut()
                return
            self.pdf.cell(0, self.line, line, new_x="LMARGIN", new_y="NEXT")

    def _cut(self) -> None:
        self.cut = True
        self.pdf.set_y(USABLE_HEIGHT)
        self.pdf.set_font("helvetica", "I", 6)
        self.pdf.cell(0, 3, "(shortened to one page - see the full plan in Bookwise)")

    def heading(self, label: str) -> None:
        if not self.cut and self._room(self.line * 2.5):
            self.pdf.ln(self.line * 0.4)
            self.text(label.upper(), bold=True)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _header(page: PlanPage, owner: str) -> None:
    plan, actual = page.plan, page.actual
    page.text(
        f"Account plan {plan.year}: {plan.account.name} ({plan.account.external_id})",
        bold=True,
        size=page.size + 4,
    )
    page.text(
        f"Owner: {owner or '-'}   Status: {plan.get_status_display()} (version {plan.version})   "
        f"Cadence: {plan.get_cadence_display()}   As of {actual.day.isoformat()}"
    )
    page.text(
        f"Revenue YTD {_money(actual.revenue)} against pro-rated target {_money(actual.revenue_target)} "
        f"({_ratio(actual.revenue_ratio)}, {actual.status_label}); "
        f"gross profit YTD {_money(actual.gross_profit)} "
        f"against {_money(actual.gp_target)};  objectives done {_ratio(actual.completion)}"
    )


def _objectives(plan: AccountPlan) -> str:
    rows = []
    for o in plan.objectives.select_related("owner"):
        owner = o.owner.name if o.owner else "-"
        due = o.due_date.isoformat() if o.due_date else "-"
        rows.append(
            f"- {o.description} [{o.get_kind_display()}: {o.target}] "
            f"owner {owner}, due {due}, {o.get_status_display()}"
        )
    return "\n".join(rows) or "-"


def _actions(plan: AccountPlan) -> str:
    rows = []
    for a in plan.actions.select_related("owner"):
        mark = "[x]" if a.done else "[ ]"
        due = a.due_date.isoformat() if a.due_date else "-"
        rows.append(f"{mark} {a.description} (owner {a.owner.name if a.owner else '-'}, due {due})")
    return "\n".join(rows) or "-"


def _section_body(plan: AccountPlan, key: str) -> str:
    if key == "objectives":
        return _objectives(plan)
    if key == "actions":
        return _actions(plan)
    if key == "revenue_target":
        return f"Revenue {_money(plan.revenue_target)}; gross profit {_money(plan.gp_target)}"
    return getattr(plan, key, "") or "-"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 3] + "..."


def _render(owner: str, sections: list[tuple[str, str]], page: PlanPage) -> bytes:
    _header(page, owner)
    for label, body in sections:
        page.heading(label)
        page.text(body)
    return page.output()


def plan_pdf_bytes(plan: AccountPlan, *, day: date) -> bytes:
    """The plan on one page, at the largest font size that fits."""
    actual = plan_actual(plan, day=day)
    owner = primary_owners([plan.account_id], day).get(plan.account_id)
    name = owner[2] if owner else ""
    sections = [(s["label"], _clip(_section_body(plan, s["key"]))) for s in template_sections(plan)]
    for size in SIZES:
        try:
            return _render(name, sections, PlanPage(plan, actual, size, strict=True))
        except Overflow:
            continue
    return _render(name, sections, PlanPage(plan, actual, SIZES[-1], strict=False))
