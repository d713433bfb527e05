"""Request pacing and the request budget, shared by every process of one run.

With a ``state_dir`` the pacer keeps its state in a small JSON file there, guarded by a file
lock (:class:`~campaign_contract._files.SharedState`), so pytest-xdist workers pointed at the
same folder share one rate limit and one budget. Without one the state lives in the process.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_contract._files import SharedState

STATE_NAME = "client-state"


class ClientError(Exception):
    """Base of the errors the client raises; messages never carry credentials."""


class BudgetExhausted(ClientError):
    """The run's request budget is spent; raised before anything is sent."""


@dataclass(frozen=True)
class ThrottleEvent:
    """The server asked us to slow down (429) or was unavailable (503).

    ``when`` is the time the response arrived (seconds since the epoch), ``wait`` the seconds
    every sender sharing the pacer was held back afterwards: before the next retry, or after
    the last one, before the next request.
    """

    when: float
    status: int
    wait: float
    url: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThrottleEvent:
        """From plain data: its own fields, or ``report.json``'s (``at`` for ``when``)."""
        when = data["when"] if "when" in data else data["at"]
        return cls(float(when), int(data["status"]), float(data["wait"]), str(data.get("url", "")))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date), else ``None``."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)


class SharedPacer:
    """Spaces sends at most ``rate`` per second and counts them against ``budget``.

    ``rate`` of 0 means no spacing. Slots are reserved under the lock and waited for outside
    it, so processes sharing the state never send closer together than ``1/rate`` seconds.
    """

    def __init__(
        self,
        rate: float = 0.0,
        budget: int | None = None,
        state_dir: Path | None = None,
    ) -> None:
        if rate < 0:
            raise ValueError(f"the rate must be 0 (unlimited) or positive, not {rate}")
        if budget is not None and budget < 0:
            raise ValueError(f"the budget must be 0 or more requests, not {budget}")
        self.rate = rate
        self.budget = budget
        self.state_dir = state_dir
        self._state = SharedState(state_dir, STATE_NAME, lambda: {"next_send": 0.0, "used": 0})

    @property
    def interval(self) -> float:
        return 1.0 / self.rate if self.rate > 0 else 0.0

    def reserve(self) -> float:
        """Take one request from the budget and the next send slot; the seconds to wait for it.

        Raises :class:`BudgetExhausted` (taking nothing) when the budget is spent.
        """
        with self._state.update() as state:
            used = int(state.get("used", 0))
            if self.budget is not None and used >= self.budget:
                raise BudgetExhausted(
                    f"the request budget of {self.budget} is spent; nothing more is sent"
                )
            now = time.time()
            slot = max(now, float(state.get("next_send", 0.0)))
            state["used"] = used + 1
            state["next_send"] = slot + self.interval
        return slot - now

    def acquire(self) -> None:
        """:meth:`reserve` a slot and sleep until it comes."""
        wait = self.reserve()
        if wait > 0:
            time.sleep(wait)

    def defer(self, until: float) -> None:
        """Hold every sender sharing this state back until ``until`` (seconds since the epoch)."""
        with self._state.update() as state:
            if until > float(state.get("next_send", 0.0)):
                state["next_send"] = until

    def used(self) -> int:
        """Requests taken from the budget so far, by every process sharing the state."""
        return int(self._state.read().get("used", 0))
