"""The printable plan is one page, even when every section is full."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from bookwise.plans.pdf import plan_pdf_bytes
from tests import factories

from .helpers import approved, book

pytestmark = pytest.mark.django_db


def _pages(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def _full_plan(org, words: int):
    a1, _, _ = book(org)
    text = " ".join(f"word{i} — détail" for i in range(words))
    objectives = [
        {"description": f"Objective {i} {text[:120]}", "kind": "department", "target": f"Dept {i}",
         "owner": org["R1"], "due_date": date(2026, 6, 30), "status": "open"}
        for i in range(12)
    ]  # fmt: skip
    actions = [
        {
            "description": f"Action {i} {text[:150]}",
            "owner": org["R1"],
            "due_date": date(2026, 5, 1),
            "done": i % 2 == 0,
        }
        for i in range(15)
    ]
    return approved(
        a1, org["M1"].user, situation=text, growth_strategy=text, risks=text, contacts=text,
        objectives=objectives, actions=actions,
    )  # fmt: skip


def test_a_full_plan_fits_one_page(org):
    plan = _full_plan(org, 120)
    data = plan_pdf_bytes(plan, day=date(2026, 3, 1))
    assert _pages(data) == 1
    text = PdfReader(BytesIO(data)).pages[0].extract_text()
    assert "Account plan 2026: Customer A1 (A1)" in text and "OBJECTIVES" in text and "ACTIONS" in text
    assert "Action 14" in text and "shortened" not in text  # nothing cut


def test_an_oversized_plan_is_cut_to_one_page(org):
    plan = _full_plan(org, 800)
    data = plan_pdf_bytes(plan, day=date(2026, 3, 1))
    assert _pages(data) == 1
    assert "shortened to one page" in PdfReader(BytesIO(data)).pages[0].extract_text()


def test_an_empty_plan_is_one_page(org):
    plan = approved(factories.account("A9", owner=org["R1"]), org["M1"].user, growth_strategy="", risks="")
    assert _pages(plan_pdf_bytes(plan, day=date(2026, 3, 1))) == 1
