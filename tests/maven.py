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
# ../shared beside the repository or beside its folder of worktrees; a clone elsewhere on this
# machine (CI's) finds the workplace's copy; BOOKWISE_MAVEN_SAMPLE names any other place
_CANDIDATES = [
    *([Path(os.environ["BOOKWISE_MAVEN_SAMPLE"])] if os.environ.get("BOOKWISE_MAVEN_SAMPLE") else []),
    *(folder / "shared" / "data" / "maven-crm" for folder in ROOT.parents),
    Path("/work/shared/data/maven-crm"),
]
SAMPLE = next((p for p in _CANDIDATES if (p / "sales_pipeline.csv").is_file()), Path("/nonexistent"))
needs_maven = pytest.mark.skipif(not SAMPLE.is_dir(), reason="the Maven CRM sample is not on this machine")
KINDS = ("reps", "accounts", "opportunities", "orders")


def load_maven(work: Path) -> None:
    """Convert the sample into `work` and import the four files, in order."""
    out = StringIO()
    call_command("convert", "maven-crm", str(SAMPLE), str(work), stdout=out, skip_checks=True)
    for kind in KINDS:
        call_command("import", kind, str(work / f"{kind}.csv"), stdout=out, skip_checks=True)
