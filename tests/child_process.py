"""Starting a child process that a test will interrupt."""

from __future__ import annotations

import signal


def interruptible() -> None:
    """Run in the child before it starts (``preexec_fn``): Ctrl-C as at a terminal, even when
    the tests run in a background job that ignores SIGINT, which a child would inherit (Python
    then leaves a SIGINT it found ignored alone)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
