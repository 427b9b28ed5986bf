"""Writes of the commissions app: plan loading, runs, disputes (one module each)."""

from .disputes import dispute_open, dispute_resolve
from .plans import plan_file_load, plan_version_create
from .runs import run_approve, run_compute

__all__ = [
    "dispute_open",
    "dispute_resolve",
    "plan_file_load",
    "plan_version_create",
    "run_approve",
    "run_compute",
]
