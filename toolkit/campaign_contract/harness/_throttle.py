"""Stopping a run that a server keeps throttling.

A check ends *throttled* when the server still answered 429 after the client's retries (the
check is skipped). After :data:`STOP_AFTER` checks in a row end that way, every remaining check
is skipped without sending anything. With a ``state_dir`` the count is shared by every process
of the run (pytest-xdist workers), so the whole run stops.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from filelock import FileLock

from campaign_contract._files import write_atomically
from campaign_contract.harness._ledger import StopReason

STOP_AFTER = 3
STOP_DETAIL = (
    f"{STOP_AFTER} checks in a row ended throttled (HTTP 429); the rest of the run is skipped"
)
STOP_REASON = f"{StopReason.THROTTLED}: {STOP_DETAIL}"
"""Why a run that kept being throttled is incomplete (and each check it skipped, skipped)."""
STREAK_FILE = "throttle-streak.json"
STREAK_LOCK = "throttle-streak.lock"


class ThrottleStreak:
    """Counts the checks in a row that ended throttled, in memory or under ``state_dir``."""

    def __init__(self, state_dir: Path | None = None, stop_after: int = STOP_AFTER) -> None:
        self.state_dir = state_dir
        self.stop_after = stop_after
        self._count = 0
        self._lock = threading.Lock()
        self._file_lock = FileLock(str(state_dir / STREAK_LOCK)) if state_dir else None

    def _read(self) -> int:
        if self.state_dir is None:
            return self._count
        try:
            value = json.loads((self.state_dir / STREAK_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def _write(self, count: int) -> None:
        if self.state_dir is None:
            self._count = count
            return
        write_atomically(self.state_dir / STREAK_FILE, json.dumps(count))

    def count(self) -> int:
        with self._lock:
            if self._file_lock is None:
                return self._read()
            with self._file_lock:
                return self._read()

    def stopped(self) -> bool:
        """True once enough checks in a row ended throttled: the run sends nothing more."""
        return self.count() >= self.stop_after

    def end_check(self, *, throttled: bool, sent: bool) -> None:
        """Count a check that ended throttled; one that got its answers resets the count;
        one that sent nothing changes nothing. Once stopped, the run stays stopped."""
        if not sent:
            return
        with self._lock:
            if self._file_lock is None:
                self._update(throttled)
                return
            with self._file_lock:
                self._update(throttled)

    def _update(self, throttled: bool) -> None:
        current = self._read()
        if current < self.stop_after:
            self._write(current + 1 if throttled else 0)
