"""Leaving the process once a command has finished, without the interpreter's teardown.

A normal exit frees every object the run built, one by one, before the process ends: after a
suite run that is most of a second (hypothesis's caches, the listings, the ledger), spent on
memory the operating system takes back at once anyway. The console script ends the way mypy's
does: exit handlers run and the standard streams are flushed, then the process leaves. While
a thread other than a daemon is still running, the exit is the usual one, which waits for it.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def leave(code: int) -> NoReturn:
    """End the process with ``code`` once exit handlers have run and output is flushed."""
    waiting = [
        t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon
    ]
    if waiting:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the process was started with it closed
                stream.flush()
        except (OSError, ValueError):  # closed, or a reader that went away
            pass
    os._exit(code)
