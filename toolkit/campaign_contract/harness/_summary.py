"""The plugin's helpers for seeds, test reports and the lines printed at the end of a run."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from campaign_contract.harness._collect import CheckTally
from campaign_contract.harness._ledger import PROPERTY
from campaign_contract.harness._progress import Progress, is_interactive
from campaign_contract.harness._run_state import RunState, new_seed
from campaign_contract.harness._stops import not_selected_line
from campaign_contract.report import Coverage, Outcome, RunRecord, Verdict

SEED_INPUT = "campaign_contract_seed"
"""The key of the run's seed in a worker's input: its controller's, handed over."""
END_IMPORTS = ("hypothesis.internal.observability", "jinja2")
"""What a controller of workers imports only at the run's end: hypothesis's pytest plugin
reads its observability module for the terminal summary (the whole of hypothesis with it), and
report.html is written with Jinja2."""


def ensure_seed(option: Any, worker_input: Mapping[str, Any] | None = None) -> int:
    """The run's hypothesis seed: ``--hypothesis-seed`` when given, else a fresh one put there
    (before hypothesis reads it) so every check, and every worker, replays the same way. A
    worker takes the seed its controller handed it (:func:`hand_seed_to_workers`)."""
    if worker_input is not None and SEED_INPUT in worker_input:
        option.hypothesis_seed = worker_input[SEED_INPUT]
    given = getattr(option, "hypothesis_seed", None)
    if given is not None:
        try:
            return int(given)
        except (TypeError, ValueError):
            raise pytest.UsageError(
                f"campaign-contract: --hypothesis-seed must be a whole number, not {given!r}"
            ) from None
    seed = new_seed()
    option.hypothesis_seed = str(seed)
    return seed


def hand_seed_to_workers(option: Any) -> None:
    """In a controller of workers, which runs no test: the seed travels in each worker's input
    instead of the options, so hypothesis's plugin finds no option of its own here and
    hypothesis is not imported before the workers start."""
    option.hypothesis_seed = None


def hypothesis_forced_seed() -> Any:
    """The seed hypothesis was forced to before the run (``None`` when not imported yet)."""
    core = sys.modules.get("hypothesis.core")
    return getattr(core, "global_force_seed", None)


def restore_hypothesis_seed(value: Any) -> None:
    """Undo the seed forced for the run (matters when pytest runs in-process several times)."""
    core = sys.modules.get("hypothesis.core")
    if core is not None and hasattr(core, "global_force_seed"):
        setattr(core, "global_force_seed", value)  # noqa: B010


def state_of(config: pytest.Config, key: pytest.StashKey[RunState]) -> RunState:
    state = config.stash.get(key, None)
    if state is None:
        raise pytest.UsageError(
            "campaign-contract: the contract fixtures work only inside the contract suite"
        )
    return state


def make_progress(config: pytest.Config) -> Progress | None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or (config.option.verbose < 0 and not is_interactive()):
        return None
    writer = config.get_terminal_writer()
    capture = config.pluginmanager.get_plugin("capturemanager")
    interactive = is_interactive() and writer.hasmarkup

    def write(text: str) -> None:
        writer.write(text, flush=True)

    return Progress(
        writer,
        _raw_writer(writer, write),
        reporter.write_line,
        interactive=interactive,
        suspend=capture.global_and_fixture_disabled if capture is not None else None,
    )


def _raw_writer(writer: Any, fallback: Any) -> Any:
    """Write control sequences without counting them into the writer's current line."""
    stream = getattr(writer, "_file", None)
    if stream is None:
        return fallback

    def write(text: str) -> None:
        stream.write(text)
        stream.flush()

    return write


def is_check_report(report: pytest.TestReport) -> bool:
    """True for the report of a contract check (it carries the check's name)."""
    return any(name == "check" for name, _ in report.user_properties)


def take_report(state: RunState, report: pytest.TestReport) -> CheckTally:
    props = list(report.user_properties)
    report.user_properties[:] = [(k, v) for k, v in props if not k.startswith(PROPERTY)]
    name = next((str(v) for k, v in props if k == "check"), report.nodeid)
    crash = None
    if report.failed:
        crash = _crash_text(report)
    tally = state.collector.take(
        nodeid=report.nodeid,
        when=report.when or "call",
        outcome=report.outcome,
        duration=float(report.duration or 0.0),
        longrepr=report.longrepr,
        properties=props,
        name=name,
        family="",
        crash=crash,
    )
    if state.progress is not None and report.when == "teardown" and state.state_dir is not None:
        state.show_collected()
    return tally


def _crash_text(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    text = str(message) if message else report.longreprtext
    return text[:2000]


def print_plan(config: pytest.Config, state: RunState) -> None:
    """The plan's estimate, one line, before the first request."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and state.plan is not None:
        reporter.write_line(f"campaign-contract: {state.plan.text()}")


def print_summary(reporter: Any, state: RunState, junit: str | None) -> None:
    """Per check its outcome, requests and examples; then the verdict and the report paths."""
    checks = list(state.collector.checks.values())
    reporter.write_sep("=", "campaign-contract")
    if checks:
        width = max(len("check"), *(len(t.name) for t in checks)) + 2
        reporter.write_line(f"{'check':<{width}}{'outcome':<9}{'requests':>9}{'examples':>9}")
        stopped = state.record.incomplete_reason if state.record is not None else None
        for tally in checks:
            reporter.write_line(_check_line(tally, width, stopped))
    for line in verdict_lines(state, junit):
        reporter.write_line(line)


def _check_line(tally: CheckTally, width: int, stopped: str | None = None) -> str:
    """One row of the table; a check skipped for the run's own stop reason says so briefly
    (the verdict line gives the reason, once)."""
    ledger = tally.ledger
    requests = ledger.requests if ledger else 0
    examples = ledger.examples if ledger else 0
    line = f"{tally.name:<{width}}{tally.outcome:<9}{requests:>9}{examples:>9}"
    if tally.outcome is Outcome.SKIPPED and tally.skip_reason:
        line += (
            "  (the run stopped here)"
            if tally.skip_reason == stopped
            else (f"  ({tally.skip_reason})")
        )
    return line


def coverage_line(coverage: Coverage) -> str:
    """The run's coverage in one line; what fell short of ``--min-coverage`` when it did."""
    judged = f"{coverage.judged} of {coverage.values} values judged"
    line = f"coverage: {coverage.percent:.0f}% ({judged})"
    if coverage.min_percent is not None:
        if coverage.short:
            line += f"; FAILED — {coverage.shortfall()}"
        else:
            line += f"; every dimension at least {coverage.min_percent:g}%"
    return line


def verdict_lines(state: RunState, junit: str | None) -> list[str]:
    """The verdict, the run's totals, its seed and where the reports went."""
    record = state.record or state.build_record()
    totals = record.totals()
    lines = [headline(record)]
    if record.coverage is not None:
        lines.append(coverage_line(record.coverage))
    if state.not_selected:
        lines.append(not_selected_line(state.not_selected))
    lines += [
        f"requests: {totals.requests}, examples: {totals.examples}, "
        f"observations: {totals.observations}, "
        f"throttled: {totals.throttle_events} ({totals.throttle_wait:.1f} s waited)",
        f"seed: {state.seed} (replay with --hypothesis-seed={state.seed})",
    ]
    paths = [str(p) for p in state.report_paths.values()]
    if junit and Path(junit).is_file():
        paths.insert(0, str(junit))
    if paths:
        lines.append("reports: " + ", ".join(paths))
    if state.report_error:
        lines.append(f"reports: {state.report_error}")
    return lines


def headline(record: RunRecord) -> str:
    """The verdict line: what the record's :class:`Verdict` says, with its figures."""
    totals = record.totals()
    verdict = record.verdict
    if verdict is Verdict.FAILED:
        failing = [c.name for c in record.checks if c.outcome.failing]
        head = f"verdict: FAILED — {len(failing)} of {totals.checks} checks failed: " + ", ".join(
            failing
        )
        if record.incomplete_reason:
            head += f" (and the run stopped early: {record.incomplete_reason})"
        return head
    if verdict is Verdict.INCOMPLETE:
        return f"verdict: INCOMPLETE — {record.incomplete_reason}"
    if verdict is Verdict.PASSED:
        skipped = f", {totals.skipped} skipped" if totals.skipped else ""
        return f"verdict: PASSED — the contract holds ({totals.passed} checks passed{skipped})"
    return "verdict: EMPTY — no check ran"
