"""Gathering the checks' results on the controller and turning them into a run record.

Test reports arrive from this process or from pytest-xdist workers alike; each carries its
check's ledger in ``user_properties``. The :class:`Collector` keeps one result per check and,
at the end, builds the :class:`RunRecord` the report writers take.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from campaign_contract.harness._coverage import merge_keys, summarise
from campaign_contract.harness._ledger import PROPERTY, Judged, Ledger, StopReason
from campaign_contract.report import (
    CheckResult,
    Coverage,
    Failure,
    Outcome,
    RunRecord,
    TargetInfo,
)

TARGET_PROPERTY = "campaign_contract_target"


@dataclass
class CheckTally:
    """What the controller knows of one check so far."""

    nodeid: str
    name: str
    family: str
    outcome: Outcome = Outcome.PASSED
    duration: float = 0.0
    skip_reason: str | None = None
    stop: StopReason | None = None
    """Why the run stopped the check, when it did (the check is then skipped)."""
    crash: str | None = None
    ledger: Ledger | None = None


def phase_outcome(when: str, outcome: str) -> Outcome:
    """A check's outcome from one phase of pytest's report: a failing setup or teardown is an
    error."""
    if outcome == Outcome.FAILED and when != "call":
        return Outcome.ERROR
    return Outcome(outcome)


def skip_reason(longrepr: Any) -> str | None:
    """The reason pytest gives for a skip (its longrepr is ``(path, line, reason)``)."""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason.removeprefix("Skipped: ")
    return None


@dataclass
class Collector:
    """Receives test reports of contract checks and builds the run record."""

    checks: dict[str, CheckTally] = field(default_factory=dict)
    target: dict[str, str] | None = None
    custom: dict[str, Judged] = field(default_factory=dict)
    """What each check a user registered found over every check's pairs, by name."""

    def take(
        self,
        *,
        nodeid: str,
        when: str,
        outcome: str,
        duration: float,
        longrepr: Any,
        properties: list[tuple[str, Any]],
        name: str,
        family: str,
        crash: str | None = None,
    ) -> CheckTally:
        """Fold one phase's report into the check's tally; returns the tally."""
        tally = self.checks.get(nodeid)
        if tally is None:
            tally = self.checks[nodeid] = CheckTally(nodeid, name, family)
        result = phase_outcome(when, outcome)
        tally.outcome = tally.outcome.worst(result)
        tally.duration += duration
        if result.failing and crash and tally.crash is None:
            tally.crash = crash
        if result is Outcome.SKIPPED:
            tally.skip_reason = tally.skip_reason or skip_reason(longrepr)
        for key, value in properties:
            if key == PROPERTY and isinstance(value, dict):
                tally.ledger = Ledger.from_property(value)
                tally.name = tally.ledger.check or tally.name
                tally.family = tally.ledger.family or tally.family
                tally.stop = tally.ledger.stop
                for custom, judged in tally.ledger.custom.items():
                    self.custom.setdefault(custom, Judged()).add(judged)
            elif key == TARGET_PROPERTY and isinstance(value, dict) and self.target is None:
                self.target = {str(k): str(v) for k, v in value.items()}
        return tally

    def interrupt(
        self, nodeid: str, name: str, reason: str, stop: StopReason = StopReason.UNREACHABLE
    ) -> None:
        """Mark the check that was running when the server became unreachable as skipped for
        ``reason`` (the run is incomplete; the check found nothing wrong), unless it had
        already failed."""
        tally = self.checks.get(nodeid)
        if tally is None:
            tally = self.checks[nodeid] = CheckTally(nodeid, name, "")
        if not tally.outcome.failing:
            tally.outcome = Outcome.SKIPPED
            tally.skip_reason = reason
            tally.stop = stop

    def stopped_by(self, reason: StopReason) -> int:
        """How many checks the run stopped (skipped) for ``reason``."""
        return sum(
            1 for t in self.checks.values() if t.outcome is Outcome.SKIPPED and t.stop is reason
        )

    def requests(self) -> int:
        return sum(t.ledger.requests for t in self.checks.values() if t.ledger is not None)

    def throttle_wait(self) -> tuple[int, float]:
        events = [e for t in self.checks.values() if t.ledger for e in t.ledger.throttling]
        return len(events), sum(e.wait for e in events)

    def record(
        self,
        *,
        settings: dict[str, Any],
        seed: int | None,
        secrets: Iterable[str],
        fallback_target: TargetInfo,
        started_at: datetime | None = None,
        incomplete_reason: str | None = None,
        min_coverage: float | None = None,
        replay: Callable[[str], str] | None = None,
    ) -> RunRecord:
        """The run record of every check seen, observations deduplicated; ``incomplete_reason``
        says why the run stopped before every check ran (``None`` when it finished);
        ``replay`` gives the command replaying a check (by node id) for its failures."""
        target = fallback_target
        if self.target is not None:
            target = TargetInfo(
                host=self.target.get("host", fallback_target.host),
                app_id=self.target.get("app_id", fallback_target.app_id),
                account_id=self.target.get("account_id", fallback_target.account_id),
            )
        record = RunRecord(
            target=target, settings=settings, seed=seed, incomplete_reason=incomplete_reason
        )
        if started_at is not None:
            record.started_at = started_at
        record.add_secret(*secrets)
        seen: set[tuple[str | None, str]] = set()
        for tally in self.checks.values():
            record.add_check(self._result(tally, seed, replay))
            ledger = tally.ledger
            if ledger is None:
                continue
            for note in ledger.observations:
                key = (note.spec_note, note.message)
                if key in seen:
                    continue
                seen.add(key)
                record.add_observation(replace(note, check=tally.name))
            record.extend(throttling=ledger.throttling)
        record.coverage = self.coverage(min_coverage)
        record.finish()
        return record

    def coverage(self, min_percent: float | None = None) -> Coverage:
        """The run's semantic coverage from every check's ledger."""
        exercised: dict[str, set[str]] = {}
        judged: dict[str, set[str]] = {}
        for tally in self.checks.values():
            if tally.ledger is not None:
                merge_keys(exercised, tally.ledger.exercised, tally.name)
                merge_keys(judged, tally.ledger.judged, tally.name)
        return summarise(exercised, judged, min_percent=min_percent)

    def _result(
        self, tally: CheckTally, seed: int | None, replay: Callable[[str], str] | None
    ) -> CheckResult:
        ledger = tally.ledger
        again = replay(tally.nodeid) if replay is not None else ""
        failures = []
        if ledger is not None and tally.outcome.failing:
            failures = [replace(f, seed=seed, replay=again) for f in ledger.failures]
        if not failures and tally.outcome.failing:
            message = tally.crash or f"{tally.name} {tally.outcome}"
            failures = [Failure(message=message, seed=seed, replay=again)]
        return CheckResult(
            name=tally.name,
            nodeid=tally.nodeid,
            family=tally.family,
            outcome=tally.outcome,
            duration=tally.duration,
            requests=ledger.requests if ledger is not None else 0,
            reused=ledger.reused if ledger is not None else 0,
            planned=ledger.share if ledger is not None else None,
            examples=ledger.examples if ledger is not None else 0,
            failures=failures,
            skip_reason=tally.skip_reason if tally.outcome is Outcome.SKIPPED else None,
        )
