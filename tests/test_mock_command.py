"""``campaign-contract mock``: options, fault listing, errors, and a foreground run to Ctrl-C."""

from __future__ import annotations

import argparse
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from campaign_contract import FAULTS, MockServer
from campaign_contract.cli._mock import add_mock_arguments, banner, run_mock
from child_process import interruptible


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="campaign-contract mock")
    add_mock_arguments(parser)
    return parser.parse_args(list(argv))


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_mock(_args(*argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_defaults_match_the_documented_command() -> None:
    args = _args()
    assert (args.host, args.port, args.seed, args.fault, args.list_faults) == (
        "127.0.0.1",
        8080,
        0,
        [],
        False,
    )
    assert _args("--fault", "sort-unstable", "--fault", "id-missing").fault == [
        "sort-unstable",
        "id-missing",
    ]


def test_list_faults_prints_every_fault_and_exits_zero() -> None:
    code, out, err = _run("--list-faults")
    assert code == 0 and err == ""
    assert [line.split()[0] for line in out.splitlines()] == list(FAULTS)


def test_unknown_fault_is_a_usage_error() -> None:
    code, out, err = _run("--fault", "sort-unstable", "--fault", "made-up")
    assert code == 2 and out == ""
    assert "made-up" in err and "--list-faults" in err and err.count("\n") == 1


def test_unreadable_data_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = _run("--port", "0", "--data", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err and "Traceback" not in err


def test_port_in_use_is_a_one_line_error() -> None:
    with MockServer(campaigns=1) as busy:
        code, _, err = _run("--port", str(busy.port), "--campaigns", "1")
    assert code == 1 and "cannot listen" in err and err.count("\n") == 1


SCRIPT = textwrap.dedent(
    """
    import argparse, sys
    from campaign_contract.cli._mock import add_mock_arguments, run_mock
    parser = argparse.ArgumentParser()
    add_mock_arguments(parser)
    sys.exit(run_mock(parser.parse_args(sys.argv[1:]), sys.stdout, sys.stderr))
    """
)


@contextmanager
def _serving(*argv: str) -> Iterator[subprocess.Popen[str]]:
    """``campaign-contract mock`` in a child process, killed on the way out if still running."""
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=interruptible,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _banner(process: subprocess.Popen[str]) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.startswith("Press Ctrl-C"):
            break
    return lines


def test_foreground_run_prints_url_headers_and_curl_then_stops_on_ctrl_c() -> None:
    with _serving(
        "--port", "0", "--token", "tok-123", "--campaigns", "12", "--fault", "id-missing"
    ) as process:
        lines = _banner(process)
        text = "\n".join(lines)
        base = next(line.split(": ", 1)[1] for line in lines if line.startswith("base URL:"))
        assert "  auth: tok-123" in lines and "  iid: st-mock-app" in lines
        assert "  accountid: mock-account" in lines and "curl --location" in text
        assert "id-missing" in text and "12 voice and 12 SMS" in text
        endpoint = f"{base}/campaign/api/v2/public/st-mock-app/campaign/getAllCampaignDetails"
        headers = {"auth": "tok-123", "accountid": "mock-account", "iid": "st-mock-app"}
        answer = requests.post(
            endpoint + "?accountId=mock-account", headers=headers, json={"type": "sms"}, timeout=5
        )
        assert answer.status_code == 200 and answer.json()["data"]["totalResults"] == 12
        assert "id" not in answer.json()["data"]["results"][0]
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped" in out and err == ""


def test_sigterm_stops_the_mock_cleanly() -> None:
    with _serving("--port", "0", "--campaigns", "1") as process:
        assert _banner(process)[-1].startswith("Press Ctrl-C")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0 and "stopped" in out and err == ""


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (("--rate-limit", "sixty"), "e.g. 60/min"),
        (("--latency", "soon"), "latency"),
        (("--client-id", "cs-1"), "go together"),
        (("--client-secret", "s"), "go together"),
        (("--request-deadline", "31"), "--request-deadline"),
        (("--request-deadline", "0"), "--request-deadline"),
        (("--max-connections", "0"), "--max-connections"),
        (("--tenants", "0"), "--tenants"),
    ],
)
def test_bad_option_values_are_one_line_usage_errors(argv: tuple[str, ...], word: str) -> None:
    code, out, err = _run("--port", "0", *argv)
    assert (code, out) == (2, "") and word in err and err.count("\n") == 1


def test_banner_names_every_tenant_its_credentials_and_the_throttling() -> None:
    mock = MockServer(
        campaigns=1,
        tenants=2,
        client_id="cs-1",
        client_secret="secret-SENTINEL",
        rate_limit="60/min",
        latency="50ms±20ms",
    ).start()
    try:
        text = banner(mock)
    finally:
        mock.stop()
    assert "account mock-account, app st-mock-app: JWTs of client id cs-1" in text
    assert "account mock-account-2, app st-mock-app-2: JWTs of client id cs-1-2" in text
    assert "rate limit 60/min per account" in text and "latency 50ms±20ms" in text
    assert "SENTINEL" not in text
