"""``campaign-contract verify``: run the packaged contract suite with pytest, from anywhere.

The settings are the pytest plugin's without the ``--campaign-`` prefix. Exit status: 0 when
the contract holds, 1 when a check fails, 2 for a usage error, 3 when the run could not
complete (interrupted, internal error).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from campaign_contract._settings import SPECS, SettingsError, check_report_dir, resolve_settings
from campaign_contract._signals import catch_signals
from campaign_contract.harness._stops import SIGNALS, Terminated, interrupted_reason

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
_PYTEST_EXIT = {0: EXIT_OK, 1: EXIT_FAILED, 4: EXIT_USAGE, 5: EXIT_USAGE}
SUITE_PACKAGE = "campaign_contract.suite"
PLUGIN = "campaign_contract.pytest_plugin"
WORKER_EXIT = "campaign_contract.cli._worker_exit"
"""The plugin that lets a worker leave without its interpreter's teardown."""
DISTRIBUTION = "worksteal"
"""How pytest-xdist hands the checks to the workers: each gets a run of neighbours in the plan's
order (the heaviest first; checks that share listings sit side by side, so one worker walks
each listing), and a worker whose queue is empty takes half of another's. With ``load`` a
worker keeps two checks queued that an idle one cannot take, and checks sharing a listing are
split by chance: in six alternating runs of ``benchmarks/bench_suite.py``'s suite on 2 cores,
``load`` took 6.9 to 8.9 s (median 7.35 s) and sent 1,679 to 1,771 requests, ``worksteal`` 6.2
to 8.2 s (median 6.76 s) and 1,638 to 1,640."""
ASSERT_MODE = "plain"
"""pytest's ``--assert`` for the suite. Its tests hold no ``assert`` (a check reports what it
finds as violations), so rewriting them tells nothing; and pytest rewrites every module of
each plugin's distribution on import, hypothesis's included. Plain asserts take a tenth of a
second off the start of a run (ten alternating runs of ``verify -k`` selecting nothing on the
embedded mock, median 1.11 s against 1.23 s) and leave the engine's own asserts as written."""
STORAGE_ENV = "HYPOTHESIS_STORAGE_DIRECTORY"


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``verify``'s options to ``parser``."""
    group = parser.add_argument_group("target and run (each also CAMPAIGN_<NAME> or --config)")
    for spec in SPECS:
        group.add_argument(
            f"--{spec.name}",
            dest=spec.key,
            action="append" if spec.repeat else "store",
            default=None,
            metavar=spec.metavar,
            help=spec.help,
            **spec.flag_arguments(),
        )
    run = parser.add_argument_group("how the suite runs")
    run.add_argument(
        "--hypothesis-seed",
        "--seed",
        dest="seed",
        default=None,
        metavar="N",
        help="replay a run: the seed its summary printed",
    )
    run.add_argument(
        "-n",
        "--workers",
        dest="workers",
        default=None,
        metavar="N",
        help="run the checks in N processes (pytest-xdist), or 'auto'",
    )
    run.add_argument(
        "-k",
        dest="select",
        default=None,
        metavar="EXPR",
        help="run only the checks whose test names match EXPR (pytest -k)",
    )
    run.add_argument(
        "-x", "--exitfirst", action="store_true", help="stop at the first failing check"
    )
    run.add_argument(
        "-v", "--verbose", action="count", default=0, help="name each check as it runs"
    )


def suite_dir() -> Path:
    """The folder of the installed contract suite."""
    spec = importlib.util.find_spec(SUITE_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise FileNotFoundError("the contract suite is missing from this installation")
    return Path(locations[0]).resolve()


def _settings_args(args: argparse.Namespace) -> list[str]:
    """The settings as pytest options, each ``--campaign-<name>=<value>`` so that a value
    starting with ``-`` (a token, say) is never read as an option."""
    out: list[str] = []
    for spec in SPECS:
        value = getattr(args, spec.key, None)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            out.append(f"{spec.pytest_flag}={item}")
    return out


def _autoload_disabled() -> bool:
    return bool(os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"))


def pytest_arguments(args: argparse.Namespace, suite: Path) -> list[str]:
    """The pytest command line that runs the suite with ``args``' settings."""
    argv = [
        str(suite),
        "--rootdir",
        str(suite),
        "-c",
        os.devnull,
        "-p",
        "no:cacheprovider",
        "--tb=short",
        f"--assert={ASSERT_MODE}",
        "-q" if not args.verbose else "-" + "v" * args.verbose,
    ]
    if _autoload_disabled():
        argv += ["-p", PLUGIN, "-p", "_hypothesis_pytestplugin"]
        if args.workers:
            argv += ["-p", "xdist.plugin"]
    argv += _settings_args(args)
    if args.seed is not None:
        argv += ["--hypothesis-seed", str(args.seed)]
    if args.workers:
        argv += ["-n", str(args.workers), "--dist", DISTRIBUTION, "-p", WORKER_EXIT]
    if args.select:
        argv += ["-k", args.select]
    if args.exitfirst:
        argv.append("-x")
    return argv


def _check_usage(args: argparse.Namespace) -> None:
    """Raise :class:`SettingsError` for settings pytest would reject, before starting it."""
    cli = {spec.key: getattr(args, spec.key, None) for spec in SPECS}
    from campaign_contract.mock import fault_names

    settings = resolve_settings(cli, known_faults=fault_names)
    check_report_dir(settings.report_dir)
    if args.seed is not None:
        try:
            int(str(args.seed))
        except ValueError:
            raise SettingsError(f"the seed must be a whole number, not {args.seed!r}") from None
    if args.workers is not None:
        if str(args.workers) != "auto" and not (
            str(args.workers).isascii() and str(args.workers).isdigit()
        ):
            raise SettingsError(f"workers must be a number or 'auto', not {args.workers!r}")
        if importlib.util.find_spec("xdist") is None:
            raise SettingsError("--workers needs pytest-xdist (pip install pytest-xdist)")


@contextlib.contextmanager
def _streams(out: TextIO, err: TextIO) -> Iterator[None]:
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield


def run_verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the contract suite; 0 holds, 1 a check failed, 2 usage error, 3 incomplete."""
    try:
        _check_usage(args)
        suite = suite_dir()
    except (SettingsError, FileNotFoundError) as exc:
        err.write(f"campaign-contract verify: {exc}\n")
        return EXIT_USAGE
    try:
        with _sigterm_before_pytest():
            import pytest

            argv = pytest_arguments(args, suite)
            with _streams(out, err), _hypothesis_storage():
                code: Any = pytest.main(argv)
    except KeyboardInterrupt as exc:  # before the suite's plugin took the signals over
        by = str(exc) if isinstance(exc, Terminated) else SIGNALS[signal.SIGINT]
        err.write(f"campaign-contract verify: {interrupted_reason(by, 0, 0)}\n")
        return EXIT_INCOMPLETE
    return _PYTEST_EXIT.get(int(code), EXIT_INCOMPLETE)


@contextlib.contextmanager
def _sigterm_before_pytest() -> Iterator[None]:
    """A SIGTERM while pytest starts ends ``verify`` as incomplete, with one line."""

    def handler(signum: int, frame: Any) -> None:
        raise Terminated(signum)

    restore = catch_signals(handler, [signal.SIGTERM])
    try:
        yield
    finally:
        restore()


@contextlib.contextmanager
def _hypothesis_storage() -> Iterator[None]:
    """Keep hypothesis's cache out of the user's directory (unless they chose a place)."""
    if os.environ.get(STORAGE_ENV):
        yield
        return
    os.environ[STORAGE_ENV] = str(Path(tempfile.gettempdir()) / "campaign-contract-hypothesis")
    try:
        yield
    finally:
        os.environ.pop(STORAGE_ENV, None)
