"""The progress of a long run in the terminal: a live status when interactive, plain lines in CI.

Interactive: a status (check, requests made / budget, throttling waits) is drawn to the right
of pytest's own output with the cursor saved and restored, and erased before pytest writes
again. Not interactive (CI, a pipe): a plain line now and then, and whenever the server
throttles.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Protocol, TextIO

SAVE, RESTORE, CLEAR_TO_END = "\x1b7", "\x1b8", "\x1b[K"
REDRAW_EVERY = 0.1
PLAIN_EVERY = 30.0


class Writer(Protocol):
    """The part of pytest's TerminalWriter used here."""

    @property
    def fullwidth(self) -> int: ...

    @property
    def width_of_current_line(self) -> int: ...


@dataclass
class Status:
    """What the progress line shows."""

    check: str
    requests: int
    budget: int | None
    throttled: int
    waited: float
    position: tuple[int, int] | None = None
    """Check k of n."""
    eta: float | None = None
    """Seconds the plan expects the rest of the run to take at the rate (None: unpaced)."""

    def text(self) -> str:
        made = f"{self.requests}/{self.budget}" if self.budget is not None else str(self.requests)
        line = f"{self.check} · {made} requests"
        if self.position is not None:
            done, total = self.position
            line = f"check {min(done, total)} of {total}: " + line
        if self.eta is not None:
            line += f" · about {_duration(self.eta)} left"
        if self.throttled:
            line += f" · throttled {self.throttled}× ({self.waited:.1f} s waited)"
        return line


def _duration(seconds: float) -> str:
    minutes, rest = divmod(max(0, round(seconds)), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def is_interactive(stream: TextIO | None = None, env: dict[str, str] | None = None) -> bool:
    """True for a terminal a person watches: a TTY, and not a CI runner."""
    environ = os.environ if env is None else env
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    out = sys.stdout if stream is None else stream
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Draws the status; ``suspend`` is a context in which writing reaches the terminal."""

    def __init__(
        self,
        writer: Writer,
        write: Callable[[str], None],
        write_line: Callable[[str], None],
        *,
        interactive: bool,
        suspend: Callable[[], AbstractContextManager[object]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.writer = writer
        self.write = write
        self.write_line = write_line
        self.interactive = interactive
        self.suspend = suspend or nullcontext
        self.clock = clock
        self.drawn = False
        self.last_draw = 0.0
        self.last_plain = clock()
        self.last_throttled = 0

    def show(self, status: Status, *, force: bool = False) -> None:
        """Show ``status`` (at most ten times a second unless ``force``)."""
        now = self.clock()
        if self.interactive:
            if force or now - self.last_draw >= REDRAW_EVERY:
                self.last_draw = now
                self._draw(status.text())
            return
        if status.throttled > self.last_throttled or now - self.last_plain >= PLAIN_EVERY:
            self.last_throttled = status.throttled
            self.last_plain = now
            with self.suspend():
                self.write_line(f"campaign-contract: {status.text()}")

    def _draw(self, text: str) -> None:
        room = self.writer.fullwidth - self.writer.width_of_current_line - 3
        if room < 12:
            self.clear()
            return
        if len(text) > room:
            text = text[: room - 1] + "…"
        with self.suspend():
            self.write(f"{SAVE}{CLEAR_TO_END}  {text}{RESTORE}")
        self.drawn = True

    def clear(self) -> None:
        """Erase the status so pytest's next output is not garbled."""
        if self.interactive and self.drawn:
            with self.suspend():
                self.write(CLEAR_TO_END)
            self.drawn = False
