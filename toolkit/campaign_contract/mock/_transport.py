"""Misbehaviour on the wire: latency and the transport faults, decided per answer.

The HTTP layer asks :class:`Transport` what to do with each answer: wait (latency, a slow first
byte), replace it with a 503 of a burst, or cut it short (a truncated body, a reset mid-body).
Which answers are hit is deterministic (one in N, counted over the server's life), so a client's
retry always meets a healthy answer sooner or later.
"""

from __future__ import annotations

import enum
import itertools
import random
import threading
from collections.abc import Collection

from campaign_contract.mock._faults import F
from campaign_contract.mock._throttle import Latency

RESET_EVERY = 5
TRUNCATE_EVERY = 5
SLOW_EVERY = 10
SLOW_SECONDS = 2.0
BURST_EVERY = 20
BURST_LENGTH = 2
BURST_RETRY_AFTER = 1


class Cut(enum.Enum):
    """How an answer is cut short."""

    TRUNCATE = "truncate"
    RESET = "reset"


class Transport:
    """Latency and the transport faults of one server."""

    def __init__(self, latency: Latency | None = None, seed: int = 0) -> None:
        self.latency = latency
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._counters = {name: itertools.count(1) for name in _COUNTED}
        self._burst_left = 0

    def _hit(self, fault: F, every: int) -> bool:
        return next(self._counters[fault]) % every == 0

    def burst(self, faults: Collection[str]) -> bool:
        """True when this request is answered 503 as part of a burst."""
        if F.SERVICE_UNAVAILABLE_BURSTS not in faults:
            return False
        with self._lock:
            if self._burst_left > 0:
                self._burst_left -= 1
                return True
            if self._hit(F.SERVICE_UNAVAILABLE_BURSTS, BURST_EVERY):
                self._burst_left = BURST_LENGTH - 1
                return True
        return False

    def delay(self, faults: Collection[str]) -> float:
        """Seconds to wait before the answer's first byte."""
        with self._lock:
            wait = self.latency.delay(self._rng) if self.latency is not None else 0.0
            if F.SLOW_FIRST_BYTE in faults and self._hit(F.SLOW_FIRST_BYTE, SLOW_EVERY):
                wait += SLOW_SECONDS
        return wait

    def cut(self, faults: Collection[str]) -> Cut | None:
        """Whether (and how) this answer is cut short after half its body."""
        with self._lock:
            if F.CONNECTION_RESET_MID_BODY in faults and self._hit(
                F.CONNECTION_RESET_MID_BODY, RESET_EVERY
            ):
                return Cut.RESET
            if F.TRUNCATED_BODY in faults and self._hit(F.TRUNCATED_BODY, TRUNCATE_EVERY):
                return Cut.TRUNCATE
        return None


_COUNTED = (
    F.SERVICE_UNAVAILABLE_BURSTS,
    F.SLOW_FIRST_BYTE,
    F.CONNECTION_RESET_MID_BODY,
    F.TRUNCATED_BODY,
)
