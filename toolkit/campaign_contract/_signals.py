"""Handing signals to a handler for a while, and putting the previous handlers back."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable
from types import FrameType


def catch_signals(
    handler: Callable[[int, FrameType | None], None], signums: Iterable[int]
) -> Callable[[], None]:
    """Hand ``signums`` to ``handler``; returns what puts the previous handlers back.

    Main thread only (elsewhere nothing is caught). A SIGINT is taken only while it still has
    Python's own handler: one that was set aside (ignored, or a debugger's) is left as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous: dict[int, object] = {}
    for signum in signums:
        if signum == signal.SIGINT and signal.getsignal(signum) is not signal.default_int_handler:
            continue
        previous[signum] = signal.signal(signum, handler)

    def restore() -> None:
        for signum, handling in previous.items():
            signal.signal(signum, handling)  # type: ignore[arg-type]
        previous.clear()

    return restore
