"""What one check did while it ran: requests, examples, observations, failures, throttling.

A :class:`Ledger` lives for one test. It travels from a pytest-xdist worker to the controller
as plain JSON-like data in the test report's ``user_properties`` (see :func:`to_property`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from campaign_contract.report import Failure, Observation, ThrottleEvent

PROPERTY = "campaign_contract"
"""The ``user_properties`` name under which a ledger travels in a test report."""


class StopReason(StrEnum):
    """Why a check stopped before it could judge the server: the run, not the contract, ended
    it (the check is skipped and the run is incomplete). The value starts its skip message."""

    BUDGET = "budget spent"
    UNPLANNED = "not in the plan"
    """The budget could not cover the check's first example (the run's plan left it out)."""
    THROTTLED = "throttled"
    UNREACHABLE = "unreachable"
    REFUSED = "refused credentials"
    INTERRUPTED = "interrupted"

    @classmethod
    def read(cls, value: Any) -> StopReason | None:
        """The reason named by ``value`` (as a ledger carries it), else ``None``."""
        try:
            return cls(value)
        except ValueError:
            return None


@dataclass
class Judged:
    """What one check a user registered found while another check ran: how many pairs it
    judged, and its first failure."""

    pairs: int = 0
    failure: Failure | None = None

    def add(self, other: Judged) -> None:
        self.pairs += other.pairs
        self.failure = self.failure or other.failure

    def to_property(self) -> dict[str, Any]:
        failure = _plain(asdict(self.failure)) if self.failure is not None else None
        return {"pairs": self.pairs, "failure": failure}

    @classmethod
    def from_property(cls, data: Any) -> Judged:
        if not isinstance(data, dict):
            return cls()
        failure = data.get("failure")
        return cls(
            int(data.get("pairs", 0)),
            Failure.from_dict(failure) if isinstance(failure, dict) else None,
        )


@dataclass
class Ledger:
    """The running tally of one check."""

    check: str
    family: str
    nodeid: str
    requests: int = 0
    reused: int = 0
    """Answers this check took from the run's cache instead of sending the request again."""
    examples: int = 0
    finished: int = 0
    """Examples that ran to the end (not set aside)."""
    explicit: int = 0
    """Of the examples, how many the test names itself (``@example``); they run first."""
    share: int | None = None
    """The requests the run's plan gives this check (``None``: no plan, no limit)."""
    example: str | None = None
    failures: list[Failure] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    throttling: list[ThrottleEvent] = field(default_factory=list)
    skip_reason: str | None = None
    stop: StopReason | None = None
    """Why the run stopped this check (``skip_reason`` says it in words), else ``None``."""
    provisional: Failure | None = None
    inputs: list[str] = field(default_factory=list)
    """The running example's drawn inputs (``name = value``, hypothesis draws included)."""
    exercised: set[str] = field(default_factory=set)
    """Coverage keys (``dimension/value``) a request of this check asked for."""
    judged: set[str] = field(default_factory=set)
    """Coverage keys this check judged on an answer where it could have failed."""
    custom: dict[str, Judged] = field(default_factory=dict)
    """By name, what each check a user registered found on the pairs this check judged."""
    recording: list[Any] | None = None
    """The examples run, while the first item of a parametrized check records them
    (:mod:`._replay`)."""

    def judged_by(self, name: str, failure: Failure | None) -> None:
        """Count a pair the user's check ``name`` judged, and its failure if it found one."""
        self.custom.setdefault(name, Judged()).add(Judged(1, failure))

    def share_spent(self) -> bool:
        """True once an example would send beyond the check's planned share after one example
        was judged to the end (so a check always judges at least one)."""
        return (
            self.share is not None and self.finished > self.explicit and self.requests >= self.share
        )

    def stopped(self, reason: StopReason, detail: str) -> str:
        """Record that the run stopped this check for ``reason``; returns the skip message,
        ``"<reason>: <detail>"``."""
        self.stop = reason
        self.skip_reason = f"{reason}: {detail}"
        return self.skip_reason

    def resume(self) -> None:
        """Forget a stop that did not end the check after all."""
        self.stop = self.skip_reason = None

    def add_failure(self, note: Failure, *, final: bool) -> None:
        """Record a failing example. Hypothesis replays the shrunk example last, marked final;
        failures seen while searching and shrinking only stand in until one does."""
        if final:
            self.failures.append(note)
        else:
            self.provisional = note

    def reported_failures(self) -> list[Failure]:
        """The final failures, else the latest provisional one."""
        if self.failures:
            return list(self.failures)
        return [self.provisional] if self.provisional is not None else []

    def observed(self, spec_note: str | None, message: str) -> bool:
        """Whether an observation of ``spec_note`` with ``message`` is already recorded."""
        return any(o.spec_note == spec_note and o.message == message for o in self.observations)

    def observe(self, note: Observation) -> None:
        """Add an observation unless the same one is already recorded."""
        if not self.observed(note.spec_note, note.message):
            self.observations.append(note)

    def to_property(self) -> dict[str, Any]:
        """The ledger as JSON-like data, fit for ``user_properties``."""
        return {
            "check": self.check,
            "family": self.family,
            "nodeid": self.nodeid,
            "requests": self.requests,
            "reused": self.reused,
            "share": self.share,
            "examples": self.examples,
            "failures": [_plain(asdict(f)) for f in self.reported_failures()],
            "observations": [_plain(asdict(o)) for o in self.observations],
            "throttling": [asdict(t) for t in self.throttling],
            "skip_reason": self.skip_reason,
            "stop": self.stop.value if self.stop is not None else None,
            "exercised": sorted(self.exercised),
            "judged": sorted(self.judged),
            "custom": {name: judged.to_property() for name, judged in self.custom.items()},
        }

    @classmethod
    def from_property(cls, data: dict[str, Any]) -> Ledger:
        return cls(
            check=str(data.get("check", "")),
            family=str(data.get("family", "")),
            nodeid=str(data.get("nodeid", "")),
            requests=int(data.get("requests", 0)),
            reused=int(data.get("reused", 0)),
            examples=int(data.get("examples", 0)),
            share=data.get("share"),
            failures=[Failure.from_dict(f) for f in data.get("failures", [])],
            observations=[Observation.from_dict(o) for o in data.get("observations", [])],
            throttling=[ThrottleEvent.from_dict(t) for t in data.get("throttling", [])],
            skip_reason=data.get("skip_reason"),
            stop=StopReason.read(data.get("stop")),
            exercised={str(k) for k in data.get("exercised", [])},
            judged={str(k) for k in data.get("judged", [])},
            custom={
                str(name): Judged.from_property(judged)
                for name, judged in (data.get("custom") or {}).items()
            },
        )


def _plain(value: Any) -> Any:
    """``value`` reduced to what execnet and JSON carry (dict, list, str, int, float, bool)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return repr(value)


_current: Ledger | None = None


def begin(check: str, family: str, nodeid: str) -> Ledger:
    """Open the ledger of the test about to run in this process."""
    global _current
    _current = Ledger(check, family, nodeid)
    return _current


def current() -> Ledger | None:
    """The ledger of the test running in this process, if any."""
    return _current


def end() -> Ledger | None:
    """Close and return the current ledger."""
    global _current
    ledger, _current = _current, None
    return ledger
