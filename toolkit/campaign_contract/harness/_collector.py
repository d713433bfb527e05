"""The garbage collector's pace during a contract run.

A run holds many long-lived objects (imports, the collected suite, answers kept by the run's
cache, hypothesis's caches) and makes a great many short-lived ones. With the interpreter's
default thresholds the oldest generation is scanned whole again and again as the heap grows:
on the embedded mock about a tenth of a run's time went to it. During a run the objects that
exist once the suite is collected are frozen (never scanned again) and collections come less
often; both are put back when the run ends, so a run inside a longer process (``pytester``)
leaves the collector as it found it. At the run's end (:meth:`CollectorPace.settle`) the
youngest generation is collected, while pytest still listens for the errors of finalizers, and
everything left is frozen too, so that pytest's own full collection after the session is
short. The older generations are not scanned a last time (a tenth of a second on the embedded
mock, for memory that a process leaving at once never needs); whatever garbage they hold is
collected as usual once the run puts the collector back.

A process whose collector is already off, or that froze objects of its own, is left alone.
"""

from __future__ import annotations

import gc

RUN_THRESHOLDS = (10_000, 50, 100)
"""Allocations before a young collection (about fourteen times fewer young collections than
the default 700), then young collections before a middle one and middle ones before a full
one (50 and 100 against 10 and 10: full collections are some seven hundred times rarer)."""


class CollectorPace:
    """Set the run's thresholds (:meth:`start`), freeze what exists (:meth:`freeze`), collect
    the youngest and freeze again at the end (:meth:`settle`), and put everything back
    (:meth:`stop`, safe to call more than once)."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None
        self._frozen = False

    def start(self) -> None:
        if self._saved is not None or not gc.isenabled() or gc.get_freeze_count():
            return
        saved = gc.get_threshold()
        if saved[0] == 0:  # automatic collection is off
            return
        self._saved = saved
        gc.set_threshold(*RUN_THRESHOLDS)

    def freeze(self) -> None:
        if self._saved is not None:
            gc.freeze()
            self._frozen = True

    def settle(self) -> None:
        if self._saved is not None:
            gc.collect(0)
            self.freeze()

    def stop(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
