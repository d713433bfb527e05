"""What a run of the contract suite (or of ``validate``) found, ready to be written as reports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from campaign_contract._secrets import MASK, Scrubber, secret_values, without_secret_names
from campaign_contract.client._pacing import ThrottleEvent
from campaign_contract.validation._violations import Severity, Violation


class Outcome(StrEnum):
    """How one check ended; the harness, the collector and every report speak only these."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"

    @property
    def failing(self) -> bool:
        """Failed or errored: the check found the contract broken (or could not run)."""
        return self in (Outcome.FAILED, Outcome.ERROR)

    def worst(self, other: Outcome) -> Outcome:
        """The more severe of two outcomes (passed < skipped < failed < error): one check
        reported several times (pytest's setup, call and teardown) ends the worst way."""
        return max(self, other, key=_SEVERITY.__getitem__)


class Verdict(StrEnum):
    """What a whole run says: :func:`verdict_of` is the one place it is decided."""

    PASSED = "passed"
    FAILED = "failed"
    INCOMPLETE = "incomplete"
    EMPTY = "empty"


RecordKind = Literal["contract", "validation"]
OUTCOMES: tuple[Outcome, ...] = (Outcome.PASSED, Outcome.FAILED, Outcome.ERROR, Outcome.SKIPPED)
_SEVERITY: dict[Outcome, int] = {
    Outcome.PASSED: 0,
    Outcome.SKIPPED: 1,
    Outcome.FAILED: 2,
    Outcome.ERROR: 3,
}


def verdict_of(outcomes: Iterable[Outcome], incomplete_reason: str | None) -> Verdict:
    """``failed`` if any check failed or errored; else ``incomplete`` if the run stopped early;
    ``empty`` if no check passed (all skipped or none at all); else ``passed``."""
    seen = set(outcomes)
    if any(outcome.failing for outcome in seen):
        return Verdict.FAILED
    if incomplete_reason:
        return Verdict.INCOMPLETE
    if Outcome.PASSED not in seen:
        return Verdict.EMPTY
    return Verdict.PASSED


def _now() -> datetime:
    return datetime.now(UTC)


def as_violation(value: Violation | Mapping[str, Any]) -> Violation:
    """A :class:`Violation` from itself or from its ``as_dict`` form."""
    if isinstance(value, Violation):
        return value
    severity: Severity = "warning" if value.get("severity") == "warning" else "error"
    return Violation(
        str(value.get("pointer", "")),
        str(value.get("message", "")),
        str(value.get("check", "")),
        severity,
    )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _timestamp(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


@dataclass(frozen=True)
class TargetInfo:
    """The server a run talked to. Deliberately has no place for a token."""

    host: str
    app_id: str
    account_id: str
    embedded_mock: bool = False
    """True when the run talked to the embedded mock (started for it), not to a tenant."""
    faults: tuple[str, ...] = ()
    """The faults the embedded mock served."""

    @property
    def described(self) -> str:
        """``embedded mock (faults: …)`` or the tenant's host, for a banner."""
        if not self.embedded_mock:
            return self.host
        faults = ", ".join(self.faults)
        return "embedded mock" + (f" (faults: {faults})" if faults else " (no faults)")


@dataclass(frozen=True)
class RunInfo:
    """How a run was started: the command line (credentials masked), the toolkit, Python and
    platform, and the label the user gave it."""

    command: str = ""
    python: str = ""
    platform: str = ""
    label: str | None = None

    @classmethod
    def here(cls, argv: list[str], label: str | None = None) -> RunInfo:
        import platform
        import shlex

        return cls(
            command=shlex.join(mask_arguments(argv)),
            python=f"{platform.python_implementation()} {platform.python_version()}",
            platform=platform.platform(terse=True),
            label=label,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunInfo:
        return cls(
            str(data.get("command") or ""),
            str(data.get("python") or ""),
            str(data.get("platform") or ""),
            _optional_str(data.get("label")),
        )


def mask_arguments(argv: list[str]) -> list[str]:
    """``argv`` with the value of every credential option (``--token X``, ``--x-secret=Y``,
    ``--campaign-token=Z``) replaced by ``***``."""
    out: list[str] = []
    masking = False
    for arg in argv:
        if masking:
            out.append(MASK)
            masking = False
            continue
        name, eq, _ = arg.partition("=")
        if arg.startswith("--") and _is_credential_flag(name):
            if eq:
                out.append(f"{name}={MASK}")
            else:
                out.append(arg)
                masking = True
            continue
        out.append(arg)
    return out


def _is_credential_flag(name: str) -> bool:
    words = name.lstrip("-").lower().replace("_", "-").split("-")
    return any(w in ("token", "secret", "password", "auth", "authorization") for w in words)


@dataclass
class Failure:
    """One failing example of a check, with everything needed to reproduce it."""

    message: str
    request_body: Any = None
    response_status: int | None = None
    response_excerpt: str = ""
    violations: list[Violation] = field(default_factory=list)
    curl: str = ""
    seed: int | None = None
    example: str | None = None
    inputs: list[str] = field(default_factory=list)
    """The example's drawn inputs, one ``name = value`` each (hypothesis draws included)."""
    replay: str = ""
    """A command that replays this check with the run's seed."""
    unlisted_violations: int = 0
    """Violations of a summarised failure counted but not carried (see :class:`Unlisted`)."""

    def __post_init__(self) -> None:
        self.violations = [as_violation(v) for v in self.violations]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Failure:
        """From plain data (as ``report.json`` or a worker's ledger carries it); violations
        may be :class:`Violation` objects or dicts; unknown keys are ignored."""
        return cls(
            message=str(data.get("message", "")),
            request_body=data.get("request_body"),
            response_status=_optional_int(data.get("response_status")),
            response_excerpt=str(data.get("response_excerpt") or ""),
            violations=[as_violation(v) for v in data.get("violations") or []],
            curl=str(data.get("curl") or ""),
            seed=_optional_int(data.get("seed")),
            example=_optional_str(data.get("example")),
            inputs=[str(i) for i in data.get("inputs") or []],
            replay=str(data.get("replay") or ""),
        )


@dataclass
class CheckResult:
    """The outcome of one check (one pytest test, or one document for ``validate``)."""

    name: str
    nodeid: str = ""
    family: str = ""
    outcome: Outcome = Outcome.PASSED
    duration: float = 0.0
    requests: int = 0
    examples: int = 0
    failures: list[Failure] = field(default_factory=list)
    skip_reason: str | None = None
    reused: int = 0
    """Answers taken from the run's cache instead of being asked again."""
    planned: int | None = None
    """The requests the run's plan gave the check (``None`` without a plan)."""

    def __post_init__(self) -> None:
        self.outcome = Outcome(self.outcome)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        """From plain data; ``check`` is accepted for ``name``; unknown keys are ignored."""
        outcome = str(data.get("outcome", "passed"))
        if outcome not in set(Outcome):
            raise ValueError(f"unknown check outcome {outcome!r}")
        return cls(
            name=str(data.get("name") or data.get("check") or data.get("nodeid") or ""),
            nodeid=str(data.get("nodeid") or ""),
            family=str(data.get("family") or ""),
            outcome=Outcome(outcome),
            duration=float(data.get("duration") or 0.0),
            requests=int(data.get("requests") or 0),
            examples=int(data.get("examples") or 0),
            failures=[
                f if isinstance(f, Failure) else Failure.from_dict(f)
                for f in data.get("failures") or []
            ],
            skip_reason=_optional_str(data.get("skip_reason")),
            reused=int(data.get("reused") or 0),
            planned=_optional_int(data.get("planned")),
        )

    def merge(self, other: CheckResult) -> None:
        """Fold a later report of the same check into this one."""
        self.outcome = self.outcome.worst(other.outcome)
        self.duration += other.duration
        self.requests += other.requests
        self.reused += other.reused
        self.planned = self.planned if self.planned is not None else other.planned
        self.examples += other.examples
        self.failures.extend(other.failures)
        self.skip_reason = self.skip_reason or other.skip_reason
        self.family = self.family or other.family


@dataclass
class Observation:
    """Something a server did where the page allows several readings: recorded, not failed."""

    check: str
    spec_note: str | None
    message: str
    request_body: Any | None = None
    detail: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], check: str | None = None) -> Observation:
        """From plain data; ``check`` fills in a missing ``check`` key."""
        return cls(
            check=str(data.get("check") or check or ""),
            spec_note=_optional_str(data.get("spec_note")),
            message=str(data.get("message", "")),
            request_body=data.get("request_body"),
            detail=_optional_str(data.get("detail")),
        )


@dataclass
class CoverageValue:
    """One value of a coverage dimension: whether a request asked for it (``exercised``),
    whether a check judged it on an answer where it could have failed (``judged``), and the
    checks that did (those that exercised it when none judged it)."""

    name: str
    exercised: bool = False
    judged: bool = False
    checks: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        """``judged``, ``exercised`` (asked for, never judged) or ``missing``."""
        return "judged" if self.judged else "exercised" if self.exercised else "missing"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageValue:
        return cls(
            str(data.get("name", "")),
            bool(data.get("exercised")),
            bool(data.get("judged")),
            [str(c) for c in data.get("checks") or []],
        )


@dataclass
class CoverageDimension:
    """One dimension (type, status, sort key × direction, paging shapes, …) and its values."""

    name: str
    title: str
    values: list[CoverageValue] = field(default_factory=list)

    @property
    def judged(self) -> int:
        return sum(1 for v in self.values if v.judged)

    @property
    def percent(self) -> float:
        """Judged values out of all, in percent (100 for a dimension without values)."""
        return 100.0 * self.judged / len(self.values) if self.values else 100.0

    def missing(self) -> list[str]:
        """The values not judged."""
        return [v.name for v in self.values if not v.judged]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoverageDimension:
        return cls(
            str(data.get("name", "")),
            str(data.get("title", "")),
            [CoverageValue.from_dict(v) for v in data.get("values") or []],
        )


@dataclass
class Coverage:
    """What a contract run covered, by dimension; ``short`` names the dimensions below
    ``min_percent`` (the run then fails)."""

    dimensions: list[CoverageDimension] = field(default_factory=list)
    min_percent: float | None = None
    short: list[str] = field(default_factory=list)

    @property
    def values(self) -> int:
        return sum(len(d.values) for d in self.dimensions)

    @property
    def judged(self) -> int:
        return sum(d.judged for d in self.dimensions)

    @property
    def percent(self) -> float:
        return 100.0 * self.judged / self.values if self.values else 100.0

    @property
    def met(self) -> bool:
        return not self.short

    def shortfall(self) -> str:
        """One line naming the dimensions below the minimum, with their percentages."""
        parts = [f"{d.name} {d.percent:.0f}%" for d in self.dimensions if d.name in set(self.short)]
        return f"coverage below {self.min_percent:g}% in: " + ", ".join(parts)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Coverage:
        minimum = data.get("min_percent")
        return cls(
            [CoverageDimension.from_dict(d) for d in data.get("dimensions") or []],
            None if minimum is None else float(minimum),
            [str(s) for s in data.get("short") or []],
        )


@dataclass(frozen=True)
class Totals:
    """Counts over a run."""

    checks: int
    passed: int
    failed: int
    error: int
    skipped: int
    requests: int
    examples: int
    failures: int
    observations: int
    throttle_events: int
    throttle_wait: float
    duration: float

    @property
    def failing(self) -> int:
        """Checks that failed or errored."""
        return self.failed + self.error

    def as_dict(self) -> dict[str, int | float]:
        return {
            "checks": self.checks,
            "passed": self.passed,
            "failed": self.failed,
            "error": self.error,
            "skipped": self.skipped,
            "requests": self.requests,
            "examples": self.examples,
            "failures": self.failures,
            "observations": self.observations,
            "throttle_events": self.throttle_events,
            "throttle_wait": round(self.throttle_wait, 3),
            "duration": round(self.duration, 3),
        }


@dataclass
class Unlisted:
    """What a summarised record counts but does not carry: a large ``validate`` run keeps the
    first documents of each outcome in full for report.html and summary.md, and counts the
    rest here (report.json, streamed, lists every one)."""

    checks: dict[Outcome, int] = field(default_factory=dict)
    failures: int = 0
    observations: int = 0

    def add_check(self, check: CheckResult) -> None:
        self.checks[check.outcome] = self.checks.get(check.outcome, 0) + 1
        self.failures += len(check.failures)

    def count(self, outcome: Outcome) -> int:
        return self.checks.get(outcome, 0)

    def __bool__(self) -> bool:
        return bool(sum(self.checks.values()) or self.observations)


@dataclass
class RunRecord:
    """Everything a run found. Fill it from hooks, then hand it to ``write_reports``.

    ``settings`` must already be sanitised; keys that name a credential are dropped anyway
    and their values remembered as secrets. ``add_secret`` registers further values (the token,
    the client secret); they are never serialised. Every writer renders :meth:`scrubbed`, a
    copy with credential-named values masked and known secrets masked in every string.
    ``incomplete_reason`` says why the run stopped before every check ran (throttling, an
    unreachable server, a spent budget); ``None`` for a run that finished.
    """

    target: TargetInfo | None
    settings: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    started_at: datetime = field(default_factory=_now)
    finished_at: datetime | None = None
    tool_version: str = ""
    title: str = "Contract run"
    kind: RecordKind = "contract"
    checks: list[CheckResult] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    throttling: list[ThrottleEvent] = field(default_factory=list)
    incomplete_reason: str | None = None
    plan: dict[str, Any] | None = None
    """The run's plan: the budget, the estimate and each check's share (None without one)."""
    coverage: Coverage | None = None
    run: RunInfo | None = None
    unlisted: Unlisted = field(default_factory=Unlisted)
    _secrets: set[str] = field(default_factory=set, init=False, repr=False, compare=False)
    _clean: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.tool_version:
            from campaign_contract import __version__

            self.tool_version = __version__
        self.settings = self.safe_settings()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunRecord:
        """A record back from ``report.json`` data (e.g. to render it again)."""
        target = data.get("target")
        kind: RecordKind = "validation" if data.get("kind") == "validation" else "contract"
        record = cls(
            target=None
            if not target
            else TargetInfo(
                str(target["host"]),
                str(target["app_id"]),
                str(target["account_id"]),
                bool(target.get("embedded_mock")),
                tuple(str(f) for f in target.get("faults") or ()),
            ),
            settings=dict(data.get("settings") or {}),
            seed=_optional_int(data.get("seed")),
            started_at=_timestamp(data.get("started_at")) or _now(),
            finished_at=_timestamp(data.get("finished_at")),
            tool_version=str(data.get("tool_version") or ""),
            title=str(data.get("title") or "Contract run"),
            kind=kind,
            incomplete_reason=_optional_str(data.get("incomplete_reason")) or None,
            plan=data.get("plan") if isinstance(data.get("plan"), dict) else None,
            coverage=Coverage.from_dict(data["coverage"]) if data.get("coverage") else None,
            run=RunInfo.from_dict(data["run"]) if data.get("run") else None,
        )
        record.extend(
            checks=(CheckResult.from_dict(c) for c in data.get("checks") or []),
            observations=(Observation.from_dict(o) for o in data.get("observations") or []),
            throttling=(ThrottleEvent.from_dict(t) for t in data.get("throttling") or []),
        )
        return record

    def add_secret(self, *values: str | None) -> None:
        """Remember values that must never be written (empty values are ignored)."""
        self._secrets.update(v for v in values if isinstance(v, str) and v)

    @property
    def secrets(self) -> frozenset[str]:
        return frozenset(self._secrets)

    def safe_settings(self) -> dict[str, Any]:
        """``settings`` without credential-named keys (whose values become secrets)."""
        self.add_secret(*secret_values(self.settings))
        cleaned = without_secret_names(self.settings)
        return cleaned if isinstance(cleaned, dict) else {}

    def scrubbed(self) -> RunRecord:
        """A copy fit to be written: credential-named values masked in request bodies and
        settings, every known secret masked in every string (see ``_secrets``). Idempotent:
        the copy of a copy is the copy itself."""
        if self._clean:
            return self
        s = Scrubber(self.secrets)
        copy = RunRecord(
            target=None
            if self.target is None
            else TargetInfo(
                s.text(self.target.host),
                s.text(self.target.app_id),
                s.text(self.target.account_id),
                self.target.embedded_mock,
                tuple(s.text(f) for f in self.target.faults),
            ),
            settings=s.data(self.safe_settings()),
            seed=self.seed,
            started_at=self.started_at,
            finished_at=self.finished_at,
            tool_version=s.text(self.tool_version),
            title=s.text(self.title),
            kind=self.kind,
            checks=[scrubbed_check(c, s) for c in self.checks],
            observations=[scrubbed_observation(o, s) for o in self.observations],
            throttling=list(self.throttling),
            unlisted=self.unlisted,
            plan=self.plan,
            incomplete_reason=None
            if self.incomplete_reason is None
            else s.text(self.incomplete_reason),
            coverage=self.coverage,
            run=None
            if self.run is None
            else dataclasses.replace(
                self.run,
                command=s.text(self.run.command),
                label=None if self.run.label is None else s.text(self.run.label),
            ),
        )
        copy._clean = True
        return copy

    def add_check(self, result: CheckResult) -> CheckResult:
        """Add a check's result; a second result for the same ``nodeid`` is merged into the first.

        Returns the stored result (so hooks can keep adding to it).
        """
        if result.nodeid:
            for existing in self.checks:
                if existing.nodeid == result.nodeid:
                    existing.merge(result)
                    return existing
        self.checks.append(result)
        return result

    def add_observation(self, observation: Observation) -> None:
        self.observations.append(observation)

    def add_throttle(self, event: ThrottleEvent) -> None:
        """Record a throttling answer, as the client met it."""
        self.throttling.append(event)

    def extend(
        self,
        checks: Iterable[CheckResult] = (),
        observations: Iterable[Observation] = (),
        throttling: Iterable[ThrottleEvent] = (),
    ) -> None:
        for check in checks:
            self.add_check(check)
        self.observations.extend(observations)
        for event in throttling:
            self.add_throttle(event)

    def finish(self, at: datetime | None = None) -> None:
        """Stamp the end of the run (now, unless ``at`` is given)."""
        self.finished_at = at or _now()

    def totals(self) -> Totals:
        count = {outcome: self.unlisted.count(outcome) for outcome in OUTCOMES}
        for check in self.checks:
            count[check.outcome] += 1
        if self.finished_at is not None:
            duration = max((self.finished_at - self.started_at).total_seconds(), 0.0)
        else:
            duration = sum(check.duration for check in self.checks)
        return Totals(
            checks=sum(count.values()),
            passed=count[Outcome.PASSED],
            failed=count[Outcome.FAILED],
            error=count[Outcome.ERROR],
            skipped=count[Outcome.SKIPPED],
            requests=sum(check.requests for check in self.checks),
            examples=sum(check.examples for check in self.checks),
            failures=sum(len(check.failures) for check in self.checks) + self.unlisted.failures,
            observations=len(self.observations) + self.unlisted.observations,
            throttle_events=len(self.throttling),
            throttle_wait=sum(event.wait for event in self.throttling),
            duration=duration,
        )

    @property
    def verdict(self) -> Verdict:
        """The run's :class:`Verdict` (:func:`verdict_of` its checks' outcomes)."""
        unlisted = [outcome for outcome in OUTCOMES if self.unlisted.count(outcome)]
        return verdict_of([*(c.outcome for c in self.checks), *unlisted], self.incomplete_reason)

    def spec_note_ids(self) -> list[str]:
        """The SPEC_NOTES ids the observations relate to, in order of id."""
        ids = {o.spec_note for o in self.observations if o.spec_note}
        return sorted(ids, key=_note_sort_key)


def _note_sort_key(note: str) -> tuple[str, int, str]:
    prefix, _, number = note.partition("-")
    return (prefix, int(number), note) if number.isascii() and number.isdigit() else (note, 0, note)


def _scrubbed_violation(v: Violation, s: Scrubber) -> Violation:
    return Violation(s.text(v.pointer), s.text(v.message), s.text(v.check), v.severity)


def _scrubbed_failure(f: Failure, s: Scrubber) -> Failure:
    return Failure(
        message=s.text(f.message),
        request_body=s.data(f.request_body),
        response_status=f.response_status,
        response_excerpt=s.text(f.response_excerpt),
        violations=[_scrubbed_violation(v, s) for v in f.violations],
        curl=s.text(f.curl),
        seed=f.seed,
        example=None if f.example is None else s.text(f.example),
        inputs=[s.text(i) for i in f.inputs],
        replay=s.text(f.replay),
        unlisted_violations=f.unlisted_violations,
    )


def scrubbed_check(c: CheckResult, s: Scrubber) -> CheckResult:
    """``c`` with its strings scrubbed by ``s`` and its request bodies masked by structure
    (``c`` itself when there is nothing to mask: no known secret and no request body)."""
    if not s and all(f.request_body is None for f in c.failures):
        return c
    return dataclasses.replace(
        c,
        name=s.text(c.name),
        nodeid=s.text(c.nodeid),
        family=s.text(c.family),
        failures=[_scrubbed_failure(f, s) for f in c.failures],
        skip_reason=None if c.skip_reason is None else s.text(c.skip_reason),
    )


def scrubbed_observation(o: Observation, s: Scrubber) -> Observation:
    return Observation(
        check=s.text(o.check),
        spec_note=o.spec_note,
        message=s.text(o.message),
        request_body=s.data(o.request_body),
        detail=None if o.detail is None else s.text(o.detail),
    )
