"""Throttling and latency: ``--rate-limit 60/min`` per account, ``--latency 50ms±20ms``."""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

_PER = {"s": 1.0, "sec": 1.0, "second": 1.0, "min": 60.0, "minute": 60.0, "h": 3600.0}
_PER.update({"hour": 3600.0})
_RATE = re.compile(r"\s*([0-9]+)\s*/\s*([a-z]+)\s*")
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(ms|s)")
_LATENCY = re.compile(r"\s*(?P<base>[^±+]+?)\s*(?:(?:±|\+-|\+/-)\s*(?P<jitter>.+?))?\s*")


class OptionError(ValueError):
    """A ``--rate-limit`` or ``--latency`` value the mock cannot read, with a one-line reason."""


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` in any ``window`` seconds."""

    requests: int
    window: float

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """``60/min``, ``5/s``, ``1000/hour``."""
        match = _RATE.fullmatch(text.lower())
        if match is None or match.group(2) not in _PER or int(match.group(1)) < 1:
            raise OptionError(
                f"rate limit {text!r} is not N/s, N/min or N/hour with N at least 1 (e.g. 60/min)"
            )
        return cls(int(match.group(1)), _PER[match.group(2)])

    def __str__(self) -> str:
        unit = {1.0: "s", 60.0: "min", 3600.0: "hour"}.get(self.window, f"{self.window:g}s")
        return f"{self.requests}/{unit}"


class SlidingWindow:
    """Per-key sliding-window log: admits a request or says how long until one would be."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, key: str) -> float:
        """0 when ``key`` may send now (the request is counted), else seconds to wait."""
        now = self._clock()
        with self._lock:
            times = self._seen.setdefault(key, deque())
            while times and times[0] <= now - self.limit.window:
                times.popleft()
            if len(times) < self.limit.requests:
                times.append(now)
                return 0.0
            return max(times[0] + self.limit.window - now, 0.001)


def retry_after(wait: float) -> str:
    """The ``Retry-After`` value (whole seconds, at least 1) for ``wait`` seconds."""
    return str(max(1, math.ceil(wait)))


def _seconds(text: str, what: str) -> float:
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise OptionError(f"latency {what} {text!r} is not a duration such as 50ms or 0.2s")
    value = float(match.group(1))
    return value / 1000 if match.group(2) == "ms" else value


@dataclass(frozen=True)
class Latency:
    """Wait ``base`` seconds, give or take up to ``jitter`` (uniformly), before each answer."""

    base: float
    jitter: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Latency:
        """``50ms``, ``50ms±20ms`` (or ``50ms+-20ms``), ``0.2s``."""
        match = _LATENCY.fullmatch(text)
        if match is None:
            raise OptionError(f"latency {text!r} is not a duration such as 50ms or 50ms±20ms")
        base = _seconds(match.group("base"), "base")
        jitter = _seconds(match.group("jitter"), "jitter") if match.group("jitter") else 0.0
        if base > 60 or jitter > base:
            raise OptionError(f"latency {text!r}: at most 60 s, and the jitter at most the base")
        return cls(base, jitter)

    def delay(self, rng: random.Random) -> float:
        return max(0.0, self.base + rng.uniform(-self.jitter, self.jitter))

    def __str__(self) -> str:
        base = f"{self.base * 1000:g}ms"
        return base + (f"±{self.jitter * 1000:g}ms" if self.jitter else "")
