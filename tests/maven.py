"""The Maven CRM sample (../shared/data/maven-crm beside the repository) loaded through the
command line, as a user would: `bookwise convert maven-crm` then `bookwise import` of each
file (in-process with call_command, so a test's database and live server see it)."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = [
    Path(os.environ.get("BOOKWISE_MAVEN_SAMPLE", ROOT / "missing")),
    ROOT.parent / "shared" / "data" / "maven-crm",
    ROOT.parent.parent / "shared" / "data" / "maven-crm",  # a worktree in wt/
]
SAMPLE = next((p for p in _CANDIDATES if (p / "sales_pipeline.csv").is_file()), _CANDIDATES[1])
needs_maven = pytest.mark.skipif(not SAMPLE.is_dir(), reason="the Maven CRM sample is not on this machine")
KINDS = ("reps", "accounts", "opportunities", "orders")


def load_maven(work: Path) -> None:
    """Convert the sample into `work` and import the four files, in order."""
    out = StringIO()
    call_command("convert", "maven-crm", str(SAMPLE), str(work), stdout=out, skip_checks=True)
    for kind in KINDS:
        call_command("import", kind, str(work / f"{kind}.csv"), stdout=out, skip_checks=True)
