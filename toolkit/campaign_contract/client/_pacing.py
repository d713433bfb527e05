"""Request pacing and the request budget, shared by every process of one run.

With a ``state_dir`` the pacer keeps its state in a small JSON file there, guarded by a file
lock (:class:`~campaign_contract._files.SharedState`), so pytest-xdist workers pointed at the
same folder share one rate limit and one budget. Without one the state lives in the process.

Headroom: a server counting requests in a sliding window must never see more than the rate's
count in any window of its period (``rate`` 5: at most 5 in any second; ``rate`` 0.5: at most
1 in any two seconds), whatever the jitter between the sender's clock and the server's. So the
pacer plans slightly under the rate (:data:`HEADROOM`), spaces sends from the moment each was
actually let go (a late wake-up moves the next slot on, it does not shorten the gap after it),
and keeps the times of the last sends so that no window of the period, widened by
:data:`JITTER`, holds more than the count.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_contract._files import SharedState

STATE_NAME = "client-state"
HEADROOM = 0.9
"""Sends are planned at this share of the rate: 0.9 requests per second for a rate of 1."""
JITTER = 0.05
"""Seconds by which each sliding window is widened, for arrival jitter at the server."""


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


COUNT_EVERY = 16
"""An unpaced, unbudgeted pacer adds its sends to the shared count this many at a time."""


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
        self._unpaced = rate == 0 and budget is None and state_dir is not None
        self._pending = 0
        """Sends of an unpaced pacer not yet added to the shared count."""

    @property
    def interval(self) -> float:
        """Seconds between two sends: the rate's spacing with :data:`HEADROOM`."""
        return 1.0 / (self.rate * HEADROOM) if self.rate > 0 else 0.0

    @property
    def window(self) -> tuple[float, int]:
        """The sliding window the rate stands for: its period in seconds (at least one) and
        the most sends it may hold (``rate`` 5: 5 in 1 s; ``rate`` 0.5: 1 in 2 s)."""
        if self.rate <= 0:
            return (0.0, 0)
        period = max(1.0, 1.0 / self.rate)
        return (period, max(1, math.floor(self.rate * period + 1e-9)))

    def reserve(self) -> float:
        """Take one request from the budget and the next send slot; the seconds to wait for it.

        Raises :class:`BudgetExhausted` (taking nothing) when the budget is spent.
        """
        return self._reserve()[1]

    def _reserve(self) -> tuple[float, float]:
        """:meth:`reserve`, returning the slot (seconds since the epoch) and the wait."""
        if self._unpaced:
            return self._reserve_unpaced()
        with self._state.update() as state:
            used = int(state.get("used", 0))
            if self.budget is not None and used >= self.budget:
                raise BudgetExhausted(
                    f"the request budget of {self.budget} is spent; nothing more is sent"
                )
            now = time.time()
            slot = max(now, float(state.get("next_send", 0.0)))
            period, count = self.window
            recent = [float(t) for t in state.get("recent", [])]
            if count and len(recent) >= count:
                slot = max(slot, recent[-count] + period + JITTER)
            state["used"] = used + 1
            state["next_send"] = slot + self.interval
            if count:
                state["recent"] = [*recent, slot][-count:]
        return slot, slot - now

    def _reserve_unpaced(self) -> tuple[float, float]:
        """Without a rate or a budget nothing needs the lock per send: only a hold-back another
        process set (:meth:`defer`) is honoured, and the count is shared every
        :data:`COUNT_EVERY` sends."""
        now = time.time()
        slot = max(now, float(self._state.peek().get("next_send", 0.0)))
        self._pending += 1
        if self._pending >= COUNT_EVERY:
            self._flush()
        return slot, slot - now

    def _flush(self) -> None:
        pending, self._pending = self._pending, 0
        with self._state.update() as state:
            state["used"] = int(state.get("used", 0)) + pending

    def acquire(self) -> None:
        """:meth:`reserve` a slot, sleep until it comes, and note when the send was let go."""
        slot, wait = self._reserve()
        if wait > 0:
            time.sleep(wait)
        if self.rate > 0:
            self._sent(slot, time.time())

    def _sent(self, slot: float, moment: float) -> None:
        """The send reserved for ``slot`` was let go at ``moment``: a late wake-up moves the
        window and the next slot on (another process's slots are left as they are)."""
        with self._state.update() as state:
            recent = [float(t) for t in state.get("recent", [])]
            if slot in recent and moment > slot:
                recent[recent.index(slot)] = moment
                state["recent"] = sorted(recent)
            state["next_send"] = max(float(state.get("next_send", 0.0)), moment + self.interval)

    def defer(self, until: float) -> None:
        """Hold every sender sharing this state back until ``until`` (seconds since the epoch)."""
        with self._state.update() as state:
            if until > float(state.get("next_send", 0.0)):
                state["next_send"] = until

    def used(self) -> int:
        """Requests taken from the budget so far, by every process sharing the state (without
        a rate or a budget, other processes' last few sends may not be counted yet)."""
        return int(self._state.peek().get("used", 0)) + self._pending
