"""The state of one contract run inside pytest, and the pieces the plugin's hooks call."""

from __future__ import annotations

import random
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from campaign_contract._secrets import Scrubber
from campaign_contract._settings import Settings
from campaign_contract.client._exchange import Target
from campaign_contract.harness._checks_index import read_index, write_index
from campaign_contract.harness._collect import Collector
from campaign_contract.harness._coverage import learn_auth_cases
from campaign_contract.harness._ledger import StopReason
from campaign_contract.harness._plan import Plan, make_plan
from campaign_contract.harness._progress import Progress, Status
from campaign_contract.harness._replay import Replays
from campaign_contract.harness._stops import interrupted_reason, stopped_early_reason
from campaign_contract.harness._throttle import STOP_REASON, ThrottleStreak
from campaign_contract.report import (
    Coverage,
    RunInfo,
    RunRecord,
    TargetInfo,
    Verdict,
    write_reports,
)

if TYPE_CHECKING:  # the HTTP client loads with the first contract, not with the plugin
    from campaign_contract.harness._contract import Contract

SUITE_FLAG = "CAMPAIGN_CONTRACT_SUITE"
"""Set to ``True`` in the suite's ``conftest.py``: running tests under it makes a contract run."""
STATE_DIR_INPUT = "campaign_contract_state_dir"
MARKER = "contract_check"
EMBEDDED_MOCK = "embedded mock"


@dataclass(frozen=True)
class RunStop:
    """Why a run stopped before every check ran: the reason, and the words the reports use."""

    reason: StopReason
    message: str


def suite_dirs(plugins: Iterable[object]) -> list[Path]:
    """The folders of the loaded conftest modules that mark the contract suite."""
    found = []
    for plugin in plugins:
        if getattr(plugin, SUITE_FLAG, False) is True:
            source = getattr(plugin, "__file__", None)
            if source:
                found.append(Path(source).resolve().parent)
    return found


def in_dirs(path: Path, dirs: Iterable[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == d or d in resolved.parents for d in dirs)


def check_name(test_name: str, override: str | None = None, param: object = None) -> str:
    """The check's name: the marker's, else a ``check`` parameter's, else the test's name
    without ``test_`` in kebab-case (``test_sort_order[name-asc]`` → ``sort-order[name-asc]``)."""
    if override:
        return override
    if isinstance(param, str) and param:
        return param
    base, bracket, rest = test_name.partition("[")
    return base.removeprefix("test_").replace("_", "-") + bracket + rest


def plan_name(nodeid: str) -> str:
    """A check's name from its node id alone (a controller of workers sees only those): a
    ``check`` parameter the registry knows stands for itself (``test_filter[filter-status]``)."""
    from campaign_contract.checks import REGISTRY

    test = nodeid.rsplit("::", 1)[-1]
    param = test.partition("[")[2].removesuffix("]")
    plain = check_name(test)
    return param if REGISTRY.row(param) is not None and REGISTRY.row(plain) is None else plain


def family_name(module_name: str) -> str:
    """The family a suite module holds (``test_request_handling`` → ``request-handling``)."""
    return module_name.rsplit(".", 1)[-1].removeprefix("test_").replace("_", "-")


def registered_check(
    test_name: str, module_name: str, override: str | None = None, param: object = None
) -> tuple[str, str]:
    """``(name, family)`` of the check a suite test runs: the name as :func:`check_name` reads
    it, the family the registry gives it. A test of one's own that no registration names keeps
    its name and takes the family of its module."""
    from campaign_contract.checks import REGISTRY

    name = check_name(test_name, override, param)
    found = REGISTRY.row(name)
    return name, found.family if found is not None else family_name(module_name)


def select_expression(nodeid: str, others: Iterable[str] = ()) -> str:
    """A ``-k`` expression selecting the test ``nodeid`` names and, among ``others``, no test
    whose name merely contains it (``test_crawl`` against ``test_crawl_skip_vs_page``)."""
    name = nodeid.rpartition("::")[2] or nodeid
    clash = sorted({o.rpartition("::")[2] for o in others} - {name})
    return " and not ".join([name, *(o for o in clash if name in o)])


def replay_command(settings: Settings, seed: int, nodeid: str, others: Iterable[str] = ()) -> str:
    """The command that replays one check of the run: the same target (credentials from the
    environment or ``--config``, never on the command line), examples and seed; ``others``
    are the run's other tests, which the selection must leave out."""
    argv = ["campaign-contract", "verify"]
    if settings.url is not None:
        argv += ["--url", settings.url]
        argv += ["--app-id", settings.app_id or "", "--account-id", settings.account_id or ""]
        if settings.client_id:
            argv += ["--client-id", settings.client_id]
    else:
        for fault in settings.faults:
            argv += ["--fault", fault]
        if settings.app_id:
            argv += ["--app-id", settings.app_id]
        if settings.account_id:
            argv += ["--account-id", settings.account_id]
    if settings.config is not None:
        argv += ["--config", str(settings.config)]
    argv += ["--max-examples", str(settings.examples), "--hypothesis-seed", str(seed)]
    argv += ["-k", select_expression(nodeid, others)]
    return shlex.join(argv)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


@dataclass
class RunState:
    """Everything one process knows about the contract run it takes part in."""

    settings: Settings
    seed: int
    suite: list[Path]
    worker: bool = False
    state_dir: Path | None = None
    own_state_dir: bool = False
    collector: Collector = field(default_factory=Collector)
    progress: Progress | None = None
    contract: Contract | None = None
    current_check: str = ""
    current_nodeid: str = ""
    """The check under way ("" between checks)."""
    report_paths: dict[str, Path] = field(default_factory=dict)
    report_error: str | None = None
    record: RunRecord | None = None
    """The run's record, built once when the run ends; its verdict is the run's."""
    junit: Path | None = None
    """Where pytest writes junit.xml (listed in summary.md beside the other reports)."""
    planned: int = 0
    """Checks collected and selected for the run (0 when not known)."""
    not_selected: int = 0
    """Checks ``-k`` or ``-m`` left out."""
    interrupted_by: str | None = None
    """The signal that ended the run (``SIGTERM``, ``Ctrl-C (SIGINT)``), when one did."""
    stopped_early: bool = False
    """``-x`` or ``--maxfail`` ended the run after a failure."""
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    streak: ThrottleStreak = field(default_factory=ThrottleStreak)
    plan: Plan | None = None
    """How the budget is shared among the checks (made once the checks are collected)."""
    started_checks: int = 0
    replays: Replays = field(default_factory=Replays)
    """What the later items of a parametrized check replay from its first."""
    _scrubber: tuple[tuple[str | None, ...], Scrubber] | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        settings: Settings,
        seed: int,
        suite: list[Path],
        *,
        worker_input: Mapping[str, Any] | None,
        distributed: bool,
    ) -> RunState:
        """The run's state in this process; a controller of several workers makes the shared
        folder through which their client pacers share the rate limit and the budget."""
        if worker_input is not None:
            shared = worker_input.get(STATE_DIR_INPUT)
            state_dir = Path(shared) if shared else None
            return cls(
                settings,
                seed,
                suite,
                worker=True,
                state_dir=state_dir,
                streak=ThrottleStreak(state_dir),
            )
        state_dir = Path(tempfile.mkdtemp(prefix="campaign-contract-")) if distributed else None
        return cls(
            settings,
            seed,
            suite,
            state_dir=state_dir,
            own_state_dir=state_dir is not None,
            streak=ThrottleStreak(state_dir),
        )

    def make_plan(self, checks: Iterable[tuple[str, bool]]) -> Plan:
        """The run's plan for ``checks`` (name, whether it runs several examples)."""
        examples = self.settings.examples
        self.plan = make_plan(
            ((name, examples if repeated else 1) for name, repeated in checks),
            self.settings.effective_budget,
            self.settings.effective_rate,
        )
        return self.plan

    def plan_collected(self, node_ids: Iterable[str]) -> Plan:
        """A controller of workers plans from the node ids they collected: the suite's checks
        as the workers named them, and whether each runs several examples
        (:mod:`._checks_index`), so that its plan is theirs; without the workers' index, every
        id as the registry names it."""
        index = read_index(self.state_dir)
        if index is None:
            return self.make_plan((plan_name(i), True) for i in node_ids)
        learn_auth_cases(index.auth_cases)
        named = [i for i in node_ids if i in index.names]
        return self.make_plan((index.names[i], i in index.repeated) for i in named)

    def leave_names(self, names: Mapping[str, str], repeated: Iterable[str]) -> None:
        """A worker leaves the names it gave the suite's tests (node id → check name) and the
        ids of those that run several examples where its controller reads them
        (:mod:`._checks_index`); the plugin calls it in workers only."""
        if self.state_dir is not None:
            write_index(self.state_dir, names, repeated)

    def share_of(self, check: str) -> int | None:
        """The requests the plan gives ``check`` when there is a budget to share."""
        if self.plan is None or self.plan.budget is None:
            return None
        share = self.plan.share(check)
        return share.allowance if share is not None else None

    def status(self, check: str, requests: int, throttled: int, waited: float) -> Status:
        """The progress line: check k of n, requests of the budget, and the time left."""
        plan = self.plan
        eta = None
        if plan is not None:
            eta = plan.seconds(max(0, plan.estimate - requests))
        return Status(
            check,
            requests,
            self.settings.effective_budget,
            throttled,
            waited,
            position=(self.started_checks, plan.checks) if plan is not None else None,
            eta=eta,
        )

    def scrubber(self) -> Scrubber:
        """Masks every credential this process knows: the settings' and the token it sends
        (a token this process signed from a client secret included)."""
        token = self.contract.target.token if self.contract is not None else None
        secrets = (*self.settings.secrets(), token)
        if self._scrubber is None or self._scrubber[0] != secrets:
            self._scrubber = (secrets, Scrubber(secrets))
        return self._scrubber[1]

    def close(self) -> None:
        if self.own_state_dir and self.state_dir is not None:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    @contextmanager
    def target(self) -> Iterator[Target]:
        """The server under test: the configured one, or the embedded mock for the session."""
        settings = self.settings
        if settings.url is not None:
            from campaign_contract.client._auth import resolve_token

            assert settings.app_id is not None and settings.account_id is not None
            yield Target(
                settings.url,
                settings.app_id,
                settings.account_id,
                resolve_token(settings.token, settings.client_id, settings.client_secret),
            )
            return
        from campaign_contract.mock import start_mock

        options: dict[str, Any] = {"faults": settings.faults, "seed": 0}
        if settings.app_id:
            options["app_id"] = settings.app_id
        if settings.account_id:
            options["account_id"] = settings.account_id
        signs = bool(settings.client_id and settings.client_secret)
        if signs:  # the mock verifies the JWTs the client signs
            options["client_id"] = settings.client_id
            options["client_secret"] = settings.client_secret
        if settings.token:
            options["token"] = settings.token
        with start_mock(**options) as mock:
            if not signs:
                yield mock.target()
                return
            from campaign_contract.client._auth import resolve_token

            token = resolve_token(settings.token, settings.client_id, settings.client_secret)
            yield Target(mock.base_url, mock.app_id, mock.account_id, token)

    def make_contract(self, target: Target) -> Contract:
        from campaign_contract.harness._contract import Contract

        self.contract = Contract(
            target,
            rate=self.settings.effective_rate,
            budget=self.settings.effective_budget,
            state_dir=self.state_dir,
            seed=self.seed,
            secrets=self.settings.secrets(),
            on_request=self._on_request if self.progress is not None else None,
            live=self.settings.is_live,
        )
        return self.contract

    def _on_request(self, contract: Contract) -> None:
        if self.progress is None:
            return
        events = contract.client.throttle_events
        self.progress.show(
            self.status(
                self.current_check,
                contract.requests_used(),
                len(events),
                sum(e.wait for e in events),
            )
        )

    def show_collected(self) -> None:
        """Progress from the reports a controller of workers has received."""
        if self.progress is None:
            return
        throttled, waited = self.collector.throttle_wait()
        self.started_checks = len(self.collector.checks)
        self.progress.show(
            self.status("checks done", self.collector.requests(), throttled, waited),
            force=True,
        )

    def fallback_target(self) -> TargetInfo:
        s = self.settings
        return TargetInfo(s.url or EMBEDDED_MOCK, s.app_id or "", s.account_id or "")

    @property
    def coverage(self) -> Coverage | None:
        """The run's coverage once its record is built."""
        return self.record.coverage if self.record is not None else None

    @property
    def coverage_short(self) -> bool:
        """True when a dimension fell below ``--min-coverage`` (the run then fails)."""
        return self.coverage is not None and not self.coverage.met

    @property
    def unreachable(self) -> str | None:
        """Why the run stopped early: the server could not be reached."""
        return self.contract.down if self.contract is not None else None

    @property
    def not_run(self) -> int:
        """Selected checks that never reported (0 when the number planned is not known)."""
        finished = sum(1 for nodeid in self.collector.checks if nodeid != self.current_nodeid)
        return max(0, self.planned - finished) if self.planned else 0

    def stop(self, *, interrupted: bool = False) -> RunStop | None:
        """Why the run stopped before every check ran, or ``None`` when it finished: a signal
        ended it, the server could not be reached or the preflight found it refusing, it kept
        throttling, the request budget ran out before some checks (they were skipped),
        pytest's session was interrupted (``interrupted``), or -x / --maxfail stopped it."""
        if self.interrupted_by:
            message = interrupted_reason(self.interrupted_by, self.not_run, self.planned)
            return RunStop(StopReason.INTERRUPTED, message)
        if self.unreachable:
            return RunStop(self.contract_stop, self.unreachable)
        if self.streak.stopped():
            return RunStop(StopReason.THROTTLED, STOP_REASON)
        spent = self.collector.stopped_by(StopReason.BUDGET) + self.collector.stopped_by(
            StopReason.UNPLANNED
        )
        if spent:
            checks = "1 check was" if spent == 1 else f"{spent} checks were"
            budget = self.settings.effective_budget
            message = (
                f"{StopReason.BUDGET}: the request budget of {budget} ran out; {checks} skipped"
            )
            return RunStop(StopReason.BUDGET, message)
        if interrupted:
            message = interrupted_reason(None, self.not_run, self.planned)
            return RunStop(StopReason.INTERRUPTED, message)
        if self.stopped_early and self.not_run:
            message = stopped_early_reason(self.not_run, self.planned)
            return RunStop(StopReason.INTERRUPTED, message)
        return None

    @property
    def contract_stop(self) -> StopReason:
        """Why the contract ended the run: the server unreachable, or refusing (preflight)."""
        if self.contract is not None and self.contract.down_reason is not None:
            return self.contract.down_reason
        return StopReason.UNREACHABLE

    @property
    def verdict(self) -> Verdict | None:
        """The run's verdict once its record is built."""
        return self.record.verdict if self.record is not None else None

    def build_record(self, *, interrupted: bool = False) -> RunRecord:
        """The run record of what the collector holds, with why the run stopped, if it did."""
        stop = self.stop(interrupted=interrupted)
        if stop is not None and (self.unreachable or self.interrupted_by) and self.current_nodeid:
            self.collector.interrupt(
                self.current_nodeid, self.current_check, stop.message, stop.reason
            )
        record = self.collector.record(
            settings=self.settings.public(),
            seed=self.seed,
            secrets=self.settings.secrets(),
            fallback_target=self.fallback_target(),
            started_at=self.started_at,
            incomplete_reason=stop.message if stop is not None else None,
            min_coverage=self.settings.min_coverage,
            replay=lambda nodeid: replay_command(
                self.settings, self.seed, nodeid, self.collector.checks
            ),
        )
        if self.plan is not None:
            record.plan = self.plan.as_dict()
        if self.contract is not None:
            record.add_secret(self.contract.target.token)
        record.run = RunInfo.here([Path(sys.argv[0]).name, *sys.argv[1:]], self.settings.label)
        if self.settings.uses_mock and record.target is not None:
            record.target = replace(record.target, embedded_mock=True, faults=self.settings.faults)
        return record

    def write(self, *, interrupted: bool = False) -> None:
        """Build the run record and write report.json/html and summary.md; ``interrupted``
        when pytest's session ended interrupted (the run is then incomplete)."""
        self.record = record = self.build_record(interrupted=interrupted)
        try:
            also = {"junit": self.junit} if self.junit is not None else {}
            self.report_paths = write_reports(record, self.settings.report_dir, also=also)
        except OSError as exc:
            self.report_error = (
                f"could not write reports to {self.settings.report_dir}: {exc.strerror or exc}"
            )
