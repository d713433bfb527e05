"""Stopping a run that a server keeps throttling.

A check ends *throttled* when the server still answered 429 after the client's retries (the
check is skipped). After :data:`STOP_AFTER` checks in a row end that way, every remaining check
is skipped without sending anything. With a ``state_dir`` the count is shared by every process
of the run (pytest-xdist workers), so the whole run stops.
"""

from __future__ import annotations

from pathlib import Path

from campaign_contract._files import SharedState
from campaign_contract.harness._ledger import StopReason

STOP_AFTER = 3
STOP_DETAIL = (
    f"{STOP_AFTER} checks in a row ended throttled (HTTP 429); the rest of the run is skipped"
)
STOP_REASON = f"{StopReason.THROTTLED}: {STOP_DETAIL}"
"""Why a run that kept being throttled is incomplete (and each check it skipped, skipped)."""
STREAK_NAME = "throttle-streak"


class ThrottleStreak:
    """Counts the checks in a row that ended throttled, in memory or under ``state_dir``."""

    def __init__(self, state_dir: Path | None = None, stop_after: int = STOP_AFTER) -> None:
        self.state_dir = state_dir
        self.stop_after = stop_after
        self._state = SharedState(state_dir, STREAK_NAME, lambda: {"count": 0})

    def count(self) -> int:
        value = self._state.read().get("count", 0)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def stopped(self) -> bool:
        """True once enough checks in a row ended throttled: the run sends nothing more."""
        return self.count() >= self.stop_after

    def end_check(self, *, throttled: bool, sent: bool) -> None:
        """Count a check that ended throttled; one that got its answers resets the count;
        one that sent nothing changes nothing. Once stopped, the run stays stopped."""
        if not sent:
            return
        with self._state.update() as state:
            current = state.get("count", 0)
            current = current if isinstance(current, int) and not isinstance(current, bool) else 0
            if current < self.stop_after:
                state["count"] = current + 1 if throttled else 0
