"""pytest plugin for campaign-contract: options, fixtures and hooks (logic lives in ``_runner``).

The plugin is always loaded (entry point ``pytest11``) but acts only on a contract run: a run
whose tests include the contract suite (its ``conftest.py`` sets ``CAMPAIGN_CONTRACT_SUITE``).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from campaign_contract._lazy import preload
from campaign_contract._settings import (
    SPECS,
    Settings,
    SettingsError,
    check_report_dir,
    resolve_settings,
)
from campaign_contract._signals import catch_signals
from campaign_contract.client._exchange import Target
from campaign_contract.harness import _ledger as ledgers
from campaign_contract.harness import _summary as summary
from campaign_contract.harness._collect import TARGET_PROPERTY
from campaign_contract.harness._collector import CollectorPace
from campaign_contract.harness._custom import custom_reports
from campaign_contract.harness._junit import tidy_junit
from campaign_contract.harness._ledger import StopReason
from campaign_contract.harness._run_state import (
    MARKER,
    STATE_DIR_INPUT,
    RunState,
    in_dirs,
    registered_check,
)
from campaign_contract.harness._run_state import suite_dirs as find_suite_dirs
from campaign_contract.harness._stops import INTERRUPTED_TEARDOWN_FILTER, Terminated
from campaign_contract.harness._throttle import STOP_DETAIL
from campaign_contract.oracles._registry import REGISTRY, ChecksModuleError, load_checks_module

if TYPE_CHECKING:
    from campaign_contract.harness._contract import Contract

STATE = pytest.StashKey[RunState]()
_SAVED_SEED = pytest.StashKey[Any]()
_PACE = pytest.StashKey[CollectorPace]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("campaign-contract", "campaign-contract: the server under contract")
    for spec in SPECS:
        group.addoption(
            spec.pytest_flag,
            dest=spec.pytest_dest,
            action="append" if spec.repeat else "store",
            default=None,
            metavar=spec.metavar,
            help=f"{spec.help} [env {spec.env}]",
            **spec.flag_arguments(),
        )


def _fault_names() -> list[str]:
    from campaign_contract.mock import fault_names

    return list(fault_names())


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(name=None, scale=1.0): a contract check's name and example scale"
    )
    suite = find_suite_dirs(config.pluginmanager.get_plugins())
    if not suite:
        return
    config.addinivalue_line("filterwarnings", INTERRUPTED_TEARDOWN_FILTER)
    cli = {spec.key: config.getoption(spec.pytest_dest) for spec in SPECS}
    try:
        settings = resolve_settings(cli, known_faults=_fault_names)
        if getattr(config, "workerinput", None) is None:
            check_report_dir(settings.report_dir)
        for module in settings.checks_modules:
            load_checks_module(module)
    except (SettingsError, ChecksModuleError) as exc:
        raise pytest.UsageError(f"campaign-contract: {exc}") from None
    worker_input = getattr(config, "workerinput", None)
    seed = summary.ensure_seed(config.option, worker_input)
    distributed = worker_input is None and getattr(config.option, "dist", "no") != "no"
    if distributed:
        summary.hand_seed_to_workers(config.option)
    state = RunState.start(
        settings, seed, suite, worker_input=worker_input, distributed=distributed
    )
    config.stash[STATE] = state
    config.stash[_SAVED_SEED] = summary.hypothesis_forced_seed()
    config.stash[_PACE] = pace = CollectorPace()
    pace.start()
    # put back after every other plugin's cleanup (this configure runs first, and cleanups
    # run last-in first-out): their collections at the end skip the frozen suite
    config.add_cleanup(pace.stop)
    if worker_input is None:
        if getattr(config.option, "xmlpath", "absent") is None:
            config.option.xmlpath = str((settings.report_dir / "junit.xml").resolve())
        junit = getattr(config.option, "xmlpath", None)
        state.junit = Path(junit) if isinstance(junit, str) and junit else None
        config.pluginmanager.register(_JunitTidy(), "campaign-contract-junit")
        controller = _Controller(state)
        config.pluginmanager.register(controller, "campaign-contract-controller")
        controller.catch_signals(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is None:
        return
    state.close()
    summary.restore_hypothesis_seed(config.stash.get(_SAVED_SEED, None))


def pytest_sessionstart(session: pytest.Session) -> None:
    state = session.config.stash.get(STATE, None)
    if state is not None and not state.worker:
        state.progress = summary.make_progress(session.config)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what the collected suite holds; print the plan's estimate before the first
    request."""
    pace = session.config.stash.get(_PACE, None)
    if pace is not None:
        pace.freeze()
    state = session.config.stash.get(STATE, None)
    if state is not None and not state.worker and state.plan is not None:
        summary.print_plan(session.config, state)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Collect the youngest garbage the run left, while pytest still reports the errors of
    finalizers, and freeze the rest: pytest's collections after the session then scan little."""
    pace = session.config.stash.get(_PACE, None)
    if pace is not None:
        pace.settle()


def _suite_item(item: pytest.Item) -> RunState | None:
    state = item.config.stash.get(STATE, None)
    if state is None or not isinstance(item, pytest.Function):
        return None
    return state if in_dirs(Path(item.path), state.suite) else None


def _names(item: pytest.Item) -> tuple[str, str, float]:
    marker = item.get_closest_marker(MARKER)
    kwargs = marker.kwargs if marker is not None else {}
    override = kwargs.get("name") or (marker.args[0] if marker and marker.args else None)
    module = getattr(item, "module", None)
    callspec = getattr(item, "callspec", None)
    param = callspec.params.get("check") if callspec is not None else None
    module_name = module.__name__ if module is not None else item.path.stem
    name, family = registered_check(item.name, module_name, override, param)
    return name, family, float(kwargs.get("scale", 1.0))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Plan the run over the checks selected (after ``-k`` and ``-m``), and give each hypothesis
    check the suite's settings with its planned examples; a worker of several runs the checks
    planned the most requests first (every worker the same order, as xdist asks)."""
    suite = [(item, state) for item in items if (state := _suite_item(item)) is not None]
    if not suite:
        return
    from campaign_contract.harness import _hypothesis as hypo  # a contract run's only

    state = suite[0][1]
    names = {item: _names(item) for item, _ in suite}
    repeated = {item for item, _ in suite if _is_repeated(item)}
    plan = state.make_plan((names[item][0], item in repeated) for item, _ in suite)
    examples_of: dict[Any, int] = {}
    for item, _ in suite:
        name, _, scale = names[item]
        share = plan.share(name)
        asked = max(1, round(state.settings.examples * scale))
        planned = min(asked, share.examples) if share is not None and plan.budget else asked
        obj = getattr(item, "obj", None)
        examples_of[obj] = max(examples_of.get(obj, 1), planned)
    for item, _ in suite:
        obj = getattr(item, "obj", None)
        hypo.prepare(
            obj, examples_of[obj], getattr(item, "fixturenames", ()), shrink=state.settings.shrink
        )
    state.replays.share(getattr(item, "obj", None) for item in repeated)
    if state.worker:  # workers of one run end close together with the heaviest checks first
        state.leave_names(
            {item.nodeid: names[item][0] for item, _ in suite}, (item.nodeid for item in repeated)
        )
        order = plan.heaviest_first(name for name, _, _ in names.values())
        rank = {name: index for index, name in enumerate(order)}
        items.sort(key=lambda item: rank[names[item][0]] if item in names else len(rank))


def _is_repeated(item: pytest.Item) -> bool:
    """Whether the check runs several examples (a hypothesis test); a suite item only."""
    from campaign_contract.harness._hypothesis import is_hypothesis_test

    return is_hypothesis_test(getattr(item, "obj", None))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """The controller of workers learns the plan from the check names the workers collected."""
    state = node.config.stash.get(STATE, None)
    if state is None or state.plan is not None:
        return
    state.plan_collected(ids)
    summary.print_plan(node.config, state)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    state = _suite_item(item)
    if state is None:
        return
    name, family, _ = _names(item)
    ledger = ledgers.begin(name, family, item.nodeid)
    ledger.share = state.share_of(name)
    state.replays.start(getattr(item, "obj", None), ledger)
    state.started_checks += 1
    state.current_check = name
    state.current_nodeid = item.nodeid
    item.user_properties.append(("check", name))
    if state.streak.stopped():
        pytest.skip(ledger.stopped(StopReason.THROTTLED, STOP_DETAIL))
    if state.plan is not None and state.plan.budget is not None and name in state.plan.unplanned:
        pytest.skip(ledger.stopped(StopReason.UNPLANNED, state.plan.skip_detail()))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    state = _suite_item(item)
    if state is None:
        return report
    if call.when == "call" and report.passed:
        state.replays.passed(getattr(item, "obj", None), ledgers.current())
    if call.when == "teardown":
        _close_ledger(state, item, report)
        state.current_nodeid = ""
    state.scrubber().report(report)
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A later item of a parametrized check replays its first item's examples (True: done);
    hypothesis runs it otherwise (``_replay``)."""
    state = _suite_item(pyfuncitem)
    examples = state.replays.examples(pyfuncitem.obj) if state is not None else None
    if examples is None:
        return None
    from campaign_contract.harness._hypothesis import replay_item

    return replay_item(pyfuncitem.obj, pyfuncitem.funcargs, examples) or None


def _close_ledger(state: RunState, item: pytest.Item, report: pytest.TestReport) -> None:
    """Attach the check's ledger to its last report and count a throttled ending."""
    ledger = ledgers.end()
    if ledger is not None:
        if (ledger.requests or ledger.reused) and not _is_repeated(item):
            ledger.examples = max(ledger.examples, 1)
        state.streak.end_check(
            throttled=ledger.stop is StopReason.THROTTLED, sent=ledger.requests > 0
        )
        report.user_properties.append((ledgers.PROPERTY, ledger.to_property()))
        report.user_properties.append(("requests", ledger.requests))
        report.user_properties.append(("examples", ledger.examples))
    if state.contract is not None:
        target = state.contract.target
        info = {"host": target.host_root, "app_id": target.app_id, "account_id": target.account_id}
        report.user_properties.append((TARGET_PROPERTY, info))


class _JunitTidy:
    """After every other plugin (junitxml writes its file in ``pytest_sessionfinish``): drop
    hypothesis's statistics blobs from junit.xml and name each case by its check."""

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None, None, None]:
        try:
            yield
        finally:
            junit = getattr(session.config.option, "xmlpath", None)
            if junit:
                tidy_junit(Path(junit))


def _interruption(signum: int) -> KeyboardInterrupt:
    """What a signal raises: Ctrl-C's own ``KeyboardInterrupt``, or :class:`Terminated`."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


class _Controller:
    """Hooks of the process that gathers the results (the only one without xdist)."""

    def __init__(self, state: RunState) -> None:
        self.state = state
        self._restore: Callable[[], None] = lambda: None
        self._reporter: Any = None
        self._terminated: int | None = None
        self._preloading: threading.Thread | None = None

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._terminated = signum
        raise _interruption(signum)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Stop before the next check when a signal's exception was swallowed by the code it
        hit (a finalizer run by the garbage collector reports it and carries on)."""
        if self._terminated is not None:
            raise _interruption(self._terminated)

    def catch_signals(self, config: pytest.Config) -> None:
        """SIGTERM (how CI ends a job past its time) ends the run as Ctrl-C does: incomplete,
        every report written. Both are noted, so that one swallowed on its way still ends the
        run before the next check; under ``--pdb`` or ``--trace`` Ctrl-C is left to the
        debugger."""
        debugging = config.getoption("usepdb", False) or config.getoption("trace", False)
        signums = [signal.SIGTERM] if debugging else [signal.SIGTERM, signal.SIGINT]
        self._restore = catch_signals(self._on_signal, signums)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self._reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if self.state.state_dir is not None and self.state.settings.url is not None:
            self._preflight_for_workers(session)

    def _preflight_for_workers(self, session: pytest.Session) -> None:
        """With several workers, the preflight runs here, once, before any worker starts: a
        worker ending the run on its own would only be replaced by another."""
        from campaign_contract.harness._contract import UNREACHABLE_EXIT

        with self.state.target() as target:
            contract = self.state.make_contract(target)
            try:
                contract.preflight()
            except pytest.exit.Exception:
                self.state.write()
                if self._reporter is not None:
                    summary.print_summary(self._reporter, self.state, None)
                raise pytest.exit.Exception(
                    "campaign-contract: the preflight ended the run (see the verdict above)",
                    returncode=UNREACHABLE_EXIT,
                ) from None
            finally:
                contract.client.close()
                self.state.contract = None

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self._restore()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.state.planned = sum(1 for item in session.items if _suite_item(item) is not None)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.state.planned = max(self.state.planned, len(ids))

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.state.not_selected += sum(1 for item in items if _suite_item(item) is not None)

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """Name the signal that ended the run, and leave the reason to the run's summary (it
        prints it once, whole): no ``!!! KeyboardInterrupt !!!`` line and no frame of the
        socket call that was waiting."""
        error = excinfo.value
        if isinstance(error, Terminated):
            self.state.interrupted_by = str(error)
        elif isinstance(error, KeyboardInterrupt) and type(error) is KeyboardInterrupt:
            self.state.interrupted_by = "Ctrl-C (SIGINT)"
        reporter = self._reporter
        if reporter is not None and hasattr(reporter, "_report_keyboardinterrupt"):
            setattr(reporter, "_report_keyboardinterrupt", lambda: None)  # noqa: B010

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """Once the first of the workers is done, a core is free: what the run's end imports
        loads there, not after the last worker is done (:data:`summary.END_IMPORTS`)."""
        if self._preloading is None:
            self._preloading = preload(*summary.END_IMPORTS)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[summary.SEED_INPUT] = str(self.state.seed)
        if self.state.state_dir is not None:
            node.workerinput[STATE_DIR_INPUT] = str(self.state.state_dir)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not summary.is_check_report(report):
            return
        self.state.scrubber().report(report)
        if self.state.progress is not None:
            self.state.progress.clear()
        summary.take_report(self.state, report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self._preloading is not None:  # its imports end inside pytest's warning filters
            self._preloading.join()
        if self.state.progress is not None:
            self.state.progress.clear()
        maxfail = int(getattr(session.config.option, "maxfail", 0) or 0)
        failed = sum(1 for t in self.state.collector.checks.values() if t.outcome.failing)
        self.state.stopped_early = bool(maxfail) and failed >= maxfail
        self._report_custom_checks(session)
        interrupted = session.exitstatus == pytest.ExitCode.INTERRUPTED
        if interrupted and self.state.stopped_early and not self.state.interrupted_by:
            # xdist ends a run that reached -x / --maxfail as interrupted; one process, as failed
            interrupted = False
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        self.state.write(interrupted=interrupted)
        # The exit status follows the verdict: incomplete (throttled, budget spent) is
        # "interrupted"; a check that failed before the server became unreachable is "failed".
        if self.state.verdict == "incomplete" and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.INTERRUPTED
        elif self.state.verdict == "failed" and self.state.unreachable and interrupted:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        elif self.state.verdict == "failed" and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a user's check failed
        if self.state.coverage_short and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED  # below --min-coverage

    def _report_custom_checks(self, session: pytest.Session) -> None:
        """One row per check a user registered, before junit.xml and the reports are written
        (these hooks run first): pytest's hooks take them as they take every test's reports."""
        collector = self.state.collector
        if not collector.checks:
            return
        names = dict.fromkeys([*REGISTRY.names("pair", builtin=False), *collector.custom])
        for report in custom_reports(names, collector.custom, self.state.seed):
            session.config.hook.pytest_runtest_logreport(report=report)

    def pytest_terminal_summary(self, terminalreporter: Any, config: pytest.Config) -> None:
        summary.print_summary(terminalreporter, self.state, getattr(config.option, "xmlpath", None))


@pytest.fixture(scope="session")
def campaign_settings(pytestconfig: pytest.Config) -> Settings:
    """The run's resolved settings (credentials hidden from ``repr``)."""
    return summary.state_of(pytestconfig, STATE).settings


@pytest.fixture(scope="session")
def campaign_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    """The server under test: ``--campaign-url``'s, or the embedded mock for the session."""
    with summary.state_of(pytestconfig, STATE).target() as target:
        yield target


@pytest.fixture(scope="session")
def contract(pytestconfig: pytest.Config, campaign_target: Target) -> Iterator[Contract]:
    """The suite's handle on the server: send with ``post``, judge with ``require``."""
    handle = summary.state_of(pytestconfig, STATE).make_contract(campaign_target)
    handle.preflight()
    try:
        yield handle
    finally:
        handle.client.close()
