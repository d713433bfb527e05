"""The garbage collector's pace during a contract run.

A run holds many long-lived objects (imports, the collected suite, answers kept by the run's
cache, hypothesis's caches) and makes a great many short-lived ones. With the interpreter's
default thresholds the oldest generation is scanned whole again and again as the heap grows:
on the embedded mock about a tenth of a run's time went to it. During a run the objects that
exist once the suite is collected are frozen (never scanned again), and again those that exist
when it ends (pytest collects at its end); the young generation is collected less often. Both
are put back last, so a run inside a longer process (``pytester``) leaves the collector as it
found it.
"""

from __future__ import annotations

import gc

RUN_THRESHOLDS = (10_000, 50, 100)
"""Allocations before a young collection, and young (then middle) collections before an older
one: about fourteen times fewer collections than the defaults (700, 10, 10)."""


class CollectorPace:
    """Set the run's thresholds (:meth:`start`), freeze what exists (:meth:`freeze`, again
    each time it is called), and put everything back (:meth:`stop`, safe to call more than
    once)."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None
        self._frozen = False

    def start(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(*RUN_THRESHOLDS)

    def freeze(self) -> None:
        if self._saved is not None:
            gc.freeze()
            self._frozen = True

    def stop(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
