"""How a contract run stops: the preflight, endpoint URLs, usage errors before work, signals,
-x / --maxfail / -k. Each case ends with one line naming what to fix and reports that say so."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from campaign_contract import start_mock
from campaign_contract._settings import SettingsError, resolve_settings
from campaign_contract.cli._mock import add_mock_arguments, run_mock
from campaign_contract.cli._verify import (
    EXIT_FAILED,
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    add_verify_arguments,
    run_verify,
)
from campaign_contract.harness._stops import INTERRUPTED_TEARDOWN_FILTER
from campaign_contract.validation._schemas import validator
from child_process import interruptible

TOKEN = "preflight-test-token-0123456789"
ENDPOINT = "/campaign/api/v2/public/st-mock-app/campaign/getAllCampaignDetails"


def verify(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_verify_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = run_verify(parser.parse_args(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def record(directory: Path) -> dict[str, object]:
    data = json.loads((directory / "report.json").read_text(encoding="utf-8"))
    assert validator("report").is_valid(data)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def mock() -> Iterator[str]:
    with start_mock(token=TOKEN) as server:
        yield server.base_url


def target(url: str, **given: str) -> list[str]:
    settings = {"app-id": "st-mock-app", "account-id": "mock-account", "token": TOKEN} | given
    return ["--url", url, *(f"--{key}={value}" for key, value in settings.items())]


# --- preflight ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"token": "a-wrong-token-0123456789"}, "the server refused the credentials (HTTP 401)"),
        ({"account-id": "another-account"}, "refused account another-account or app st-mock-app"),
        ({"app-id": "st-another-app"}, "no endpoint at /campaign/api/v2/public/st-another-app/"),
    ],
)
def test_refused_credentials_or_access_end_the_run_with_one_line(
    pytester: pytest.Pytester, mock: str, tmp_path: Path, given: dict[str, str], reason: str
) -> None:
    code, out, err = verify(*target(mock, **given), "--report-dir", str(tmp_path))
    assert code == EXIT_INCOMPLETE == 3, out + err
    assert out.count(reason) == 1, out
    assert "a documented-valid request answered" not in out
    assert "checks failed" not in out and "!!!" not in out and "Exit:" not in out + err
    data = record(tmp_path)
    assert data["verdict"] == "incomplete"
    assert reason in str(data["incomplete_reason"])
    assert [c["outcome"] for c in data["checks"]] == ["skipped"]  # type: ignore[union-attr]


@contextmanager
def not_found_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_path_the_server_does_not_know_is_named_by_the_preflight(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    with not_found_server() as url:
        code, out, _ = verify(*target(url), "--report-dir", str(tmp_path))
    assert code == EXIT_INCOMPLETE
    assert out.count(f"no endpoint at {ENDPOINT}?") == 0
    assert out.count(f"preflight: no endpoint at {ENDPOINT} (HTTP 404)") == 1
    assert "host root" in record(tmp_path)["incomplete_reason"]  # type: ignore[operator]


def test_an_unreachable_server_is_named_once_with_its_cause(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    code, out, err = verify(*target("http://127.0.0.1:9"), "--report-dir", str(tmp_path))
    assert code == EXIT_INCOMPLETE
    assert out.count("Connection refused") == 1, out
    assert "_pytest.outcomes.Exit" not in out + err and "…" not in out
    assert "Connection refused" in str(record(tmp_path)["incomplete_reason"])


def test_working_credentials_run_the_auth_checks_in_full(
    pytester: pytest.Pytester, mock: str, tmp_path: Path
) -> None:
    code, out, _ = verify(*target(mock), "-k", "auth", "--report-dir", str(tmp_path))
    assert code == EXIT_OK, out
    names = {c["name"]: c["outcome"] for c in record(tmp_path)["checks"]}  # type: ignore[union-attr]
    assert names == dict.fromkeys(
        ["auth-missing", "auth-wrong", "auth-other-account", "auth-wrong-iid"], "passed"
    )


# --- the url setting ------------------------------------------------------------------------


def test_the_endpoint_url_from_the_page_gives_the_app_and_account() -> None:
    url = f"https://platform.kore.ai{ENDPOINT}?accountId=67777ce93e"
    settings = resolve_settings({"url": url, "token": TOKEN}, env={})
    assert (settings.url, settings.app_id, settings.account_id) == (
        "https://platform.kore.ai",
        "st-mock-app",
        "67777ce93e",
    )
    same = resolve_settings(
        {"url": url, "token": TOKEN, "app_id": "st-mock-app", "account_id": "67777ce93e"}, env={}
    )
    assert same == settings


def test_an_endpoint_url_that_disagrees_with_a_given_id_is_refused() -> None:
    url = f"https://platform.kore.ai{ENDPOINT}?accountId=67777ce93e"
    with pytest.raises(SettingsError, match="account-id 'other' disagrees"):
        resolve_settings({"url": url, "token": TOKEN, "account_id": "other"}, env={})


def test_an_endpoint_url_runs_the_suite(
    pytester: pytest.Pytester, mock: str, tmp_path: Path
) -> None:
    url = f"{mock}{ENDPOINT}?accountId=mock-account"
    code, out, _ = verify("--url", url, "--token", TOKEN, "-k", "auth_missing", "--report-dir",
                          str(tmp_path))  # fmt: skip
    assert code == EXIT_OK, out


@pytest.mark.parametrize("path", ["/campaign/api/v2", "/api", "/campaign/api/v2/public/x/y"])
def test_any_other_path_is_a_usage_error_naming_the_host_root(path: str) -> None:
    code, out, err = verify(*target(f"https://platform.kore.ai{path}"))
    assert code == EXIT_USAGE and out == ""
    assert err.count("\n") == 1
    assert f"url path {path} is not the endpoint's" in err
    assert "give the host root https://platform.kore.ai " in err


# --- usage errors before work ---------------------------------------------------------------


def test_a_report_dir_that_cannot_be_made_stops_before_any_request(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    code, out, err = verify("--report-dir", str(blocker / "reports"))
    assert code == EXIT_USAGE
    assert out == "" and err.count("\n") == 1
    assert f"report-dir {blocker / 'reports'} cannot be created: Not a directory" in err


def test_the_plugin_checks_the_report_dir_before_the_run(pytester: pytest.Pytester) -> None:
    pytester.makefile(".txt", blocker="x")
    pytester.makeconftest("CAMPAIGN_CONTRACT_SUITE = True")
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest("--campaign-report-dir=blocker.txt/r")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*report-dir * cannot be created*"])


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (("--port", "99999"), "--port must be from 0 to 65535"),
        (("--port", "-1"), "--port must be from 0 to 65535"),
        (("--campaigns", "-3"), "--campaigns must be 0 or more, not -3"),
    ],
)
def test_each_range_error_names_its_option(argv: tuple[str, ...], named: str) -> None:
    parser = argparse.ArgumentParser()
    add_mock_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    assert run_mock(parser.parse_args(argv), out, err) == 2
    assert named in err.getvalue() and err.getvalue().count("\n") == 1


# --- -x, --maxfail, -k ----------------------------------------------------------------------


def test_exitfirst_says_how_many_checks_did_not_run(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    code, out, _ = verify("-x", "-k", "auth", "--fault", "auth-not-checked", "--report-dir",
                          str(tmp_path))  # fmt: skip
    assert code == EXIT_FAILED
    verdict = next(line for line in out.splitlines() if line.startswith("verdict:"))
    assert "stopped early" in verdict and "3 of 4 checks did not run" in verdict
    data = record(tmp_path)
    assert data["verdict"] == "failed"
    assert "3 of 4 checks did not run" in str(data["incomplete_reason"])


def test_exitfirst_with_workers_is_a_failure_not_an_interruption(tmp_path: Path) -> None:
    code, out, err = verify("-x", "-n", "2", "-k", "sort_order or crawl", "--fault",
                            "sort-desc-ignored", "--report-dir", str(tmp_path))  # fmt: skip
    assert code == EXIT_FAILED, out + err
    verdict = next(line for line in out.splitlines() if line.startswith("verdict:"))
    assert verdict.startswith("verdict: FAILED") and "interrupted" not in verdict
    data = record(tmp_path)
    assert data["verdict"] == "failed"
    assert "interrupted" not in str(data.get("incomplete_reason"))


def test_a_selection_says_how_many_checks_it_left_out(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    code, out, _ = verify("-k", "auth_missing", "--report-dir", str(tmp_path))
    assert code == EXIT_OK
    assert "verdict: PASSED — the contract holds (1 checks passed)" in out
    left = next(line for line in out.splitlines() if line.startswith("not run:"))
    count = int(left.split()[2])
    assert count > 40 and left == f"not run: {count} checks not selected (-k)"


# --- signals --------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_run_as_incomplete_with_every_report(tmp_path: Path, signum: int) -> None:
    reports = tmp_path / "reports"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    main = "from campaign_contract.cli import main; raise SystemExit(main())"
    command = [sys.executable, "-c", main, "verify", "-v", "--report-dir",
               str(reports), "-k", "auth or crawl or sort_order"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, cwd=tmp_path, preexec_fn=interruptible)  # fmt: skip
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # wait until the first check has passed
        seen.append(line)
        if "PASSED" in line:
            break
    process.send_signal(signum)
    rest, err = process.communicate(timeout=120)
    out = "".join(seen) + rest
    assert process.returncode == EXIT_INCOMPLETE, out + err
    by = "SIGTERM" if signum == signal.SIGTERM else "Ctrl-C (SIGINT)"
    assert out.count(f"interrupted by {by}") == 1, out
    assert "KeyboardInterrupt" not in out + err and "socket.py" not in out + err
    assert "Traceback" not in out + err
    assert {p.name for p in reports.iterdir()} >= {
        "junit.xml",
        "report.json",
        "report.html",
        "summary.md",
    }
    data = record(reports)
    assert data["verdict"] == "incomplete"
    assert str(data["incomplete_reason"]).startswith(f"interrupted by {by}: ")
    assert "checks did not run" in str(data["incomplete_reason"])


def test_with_workers_the_preflight_runs_once_before_them(
    pytester: pytest.Pytester, mock: str, tmp_path: Path
) -> None:
    given = {"token": "a-wrong-token-0123456789"}
    code, out, err = verify(*target(mock, **given), "-n", "2", "--report-dir", str(tmp_path))
    assert code == EXIT_INCOMPLETE, out + err
    assert out.count("the server refused the credentials (HTTP 401)") == 1
    assert "node down" not in out + err
    assert record(tmp_path)["verdict"] == "incomplete"


@pytest.mark.parametrize("raised", ["KeyboardInterrupt", "Terminated(15)"])
def test_an_interrupt_inside_a_report_hook_leaves_no_warning_behind(
    pytester: pytest.Pytester, raised: str
) -> None:
    """Ctrl-C (or SIGTERM) can land while hypothesis's old-style report wrapper is unwinding:
    pluggy then warns about the teardown before the interrupt ends the run. The run says it was
    interrupted once; the warning repeating it is dropped."""
    pytester.makeconftest(
        "from campaign_contract.harness._stops import Terminated\n"
        "CAMPAIGN_CONTRACT_SUITE = True\n"
        "def pytest_runtest_makereport(item, call):\n"
        "    if call.when == 'call':\n"
        f"        raise {raised}\n"
    )
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    out = result.stdout.str() + result.stderr.str()
    assert "interrupted" in out, out
    assert "PluggyTeardownRaisedWarning" not in out and "warnings summary" not in out, out
    assert "1 warning" not in out, out


def test_the_check_table_keeps_its_columns_for_names_shorter_than_its_header(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest("CAMPAIGN_CONTRACT_SUITE = True")
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    lines = result.stdout.lines
    header = next(at for at, line in enumerate(lines) if "outcome" in line)
    head, row = lines[header : header + 2]
    assert head.startswith("check  outcome") and row.startswith("x      passed"), (head, row)


def test_the_teardown_warning_filter_drops_interrupts_only() -> None:
    from _pytest.config import parse_warning_filter

    action, message, category, _, _ = parse_warning_filter(
        INTERRUPTED_TEARDOWN_FILTER, escape=False
    )
    assert (action, category.__name__) == ("ignore", "PluggyTeardownRaisedWarning")

    def teardown(error: str) -> str:  # pluggy's message for a wrapper whose teardown raised
        return (
            "A plugin raised an exception during an old-style hookwrapper teardown.\n"
            f"Plugin: hypothesispytest, Hook: pytest_runtest_makereport\n{error}\n"
            "For more information see https://pluggy.readthedocs.io/en/stable/api_reference.html"
        )

    matches = re.compile(message, re.IGNORECASE).match  # as the warnings module reads it
    assert matches(teardown("KeyboardInterrupt: ")) and matches(teardown("Terminated: SIGTERM"))
    assert not matches(teardown("ValueError: x\nterminated by peer"))
    assert not matches(teardown("RuntimeError: KeyboardInterrupt: nested"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_swallowed_on_its_way_still_stops_the_run_before_the_next_check(
    signum: int,
) -> None:
    from campaign_contract.harness._stops import Terminated
    from campaign_contract.pytest_plugin import _Controller

    controller = _Controller(state=None)  # type: ignore[arg-type]
    raised = Terminated if signum == signal.SIGTERM else KeyboardInterrupt
    with pytest.raises(raised):  # e.g. inside a finalizer, which reports it and carries on
        controller._on_signal(signum, None)
    with pytest.raises(raised) as stopped:
        controller.pytest_runtest_setup(None)  # type: ignore[arg-type]
    assert (type(stopped.value) is KeyboardInterrupt) == (signum == signal.SIGINT)


def test_a_sigint_set_aside_is_left_as_it_is_and_the_others_are_put_back() -> None:
    from campaign_contract._signals import catch_signals

    def handler(signum: int, frame: object) -> None:
        pass

    before_term = signal.getsignal(signal.SIGTERM)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        restore = catch_signals(handler, [signal.SIGTERM, signal.SIGINT])
        assert signal.getsignal(signal.SIGTERM) is handler
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        restore()
        assert signal.getsignal(signal.SIGTERM) is before_term
    finally:
        signal.signal(signal.SIGINT, previous)
