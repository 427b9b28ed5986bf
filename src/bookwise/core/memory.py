"""Pausing Python's cyclic garbage collector around bulk reads (the team scorecards, the
recommendation's rep facts)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a read builds hundreds of thousands of
    small tuples, lists and dicts: every automatic collection would walk them all again (a
    third of the CPU time of the scorecards on the whole book). They hold no reference cycles,
    so reference counting frees them as usual; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
