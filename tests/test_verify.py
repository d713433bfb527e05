"""``campaign-contract verify``: the packaged suite run through pytest, from any directory."""

from __future__ import annotations

import argparse
import io
import json
import os
from pathlib import Path

import pytest
from campaign_contract.cli._verify import (
    EXIT_FAILED,
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    WORKER_EXIT,
    add_verify_arguments,
    pytest_arguments,
    run_verify,
    suite_dir,
)
from campaign_contract.validation._schemas import validator
from fake_vendor import ACCOUNT, APP, TOKEN, Vendor, served


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_verify_arguments(parser)
    return parser.parse_args(argv)


def verify(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_verify(parse(*argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_suite_ships_as_a_package_with_its_marker_conftest() -> None:
    suite = suite_dir()
    assert (suite / "conftest.py").is_file()
    assert {p.name for p in suite.glob("test_*.py")} >= {
        "test_conformance.py",
        "test_pagination.py",
        "test_filters.py",
        "test_sorting.py",
        "test_request_handling.py",
        "test_auth.py",
    }


def test_settings_are_forwarded_without_the_prefix_and_no_outside_config() -> None:
    args = parse(
        "--url",
        "https://x.example",
        "--app-id",
        "a",
        "--account-id",
        "b",
        "--token",
        "t",
        "--fault",
        "f1",
        "--fault",
        "f2",
        "--max-examples",
        "3",
        "--seed",
        "5",
        "-n",
        "2",
    )
    argv = pytest_arguments(args, Path("/suite"))
    assert argv[0] == "/suite"
    assert argv[argv.index("-c") + 1] == os.devnull
    assert argv[argv.index("--rootdir") + 1] == "/suite"
    assert "--campaign-url=https://x.example" in argv
    assert [a for a in argv if a.startswith("--campaign-fault")] == [
        "--campaign-fault=f1",
        "--campaign-fault=f2",
    ]
    assert ["--hypothesis-seed", "5"] == argv[argv.index("--hypothesis-seed") :][:2]
    assert ["-n", "2", "--dist", "worksteal"] == argv[argv.index("-n") :][:4]
    assert WORKER_EXIT == argv[argv.index("-n") + 5]
    assert "--campaign-max-examples=3" in argv
    assert "--assert=plain" in argv


def test_a_token_starting_with_a_dash_reaches_the_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    token = "--looks-like-an-option-SENTINEL"
    args = parse(f"--token={token}", "-k", "auth_missing")
    assert f"--campaign-token={token}" in pytest_arguments(args, Path("/suite"))
    monkeypatch.chdir(tmp_path)
    code, out, err = verify(f"--token={token}", "-k", "auth_missing or test_schema")
    assert code == EXIT_OK == 0, out + err
    assert "verdict: PASSED" in out and "SENTINEL" not in out + err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--budget", "many"), "budget must be a whole number"),
        (("--fault", "no-such-fault"), "unknown fault 'no-such-fault'"),
        (("--url", "https://x.example"), "app-id and account-id"),
        (("--seed", "abc"), "seed must be a whole number"),
        (("--workers", "two"), "workers must be a number"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: tuple[str, ...], message: str) -> None:
    code, out, err = verify(*argv)
    assert code == EXIT_USAGE == 2
    assert message in err and err.count("\n") == 1
    assert out == ""


def test_passing_run_from_another_directory_exits_0(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = verify("-k", "auth or test_schema", "--max-examples", "2")
    assert code == EXIT_OK == 0, out
    assert "verdict: PASSED" in out
    record = json.loads((tmp_path / "reports" / "report.json").read_text(encoding="utf-8"))
    assert record["verdict"] == "passed"
    assert (tmp_path / "reports" / "junit.xml").is_file()
    assert not (tmp_path / ".hypothesis").exists()
    assert not (tmp_path / ".pytest_cache").exists()


def test_a_fault_makes_verify_exit_1(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = verify(
        "-k", "auth", "--fault", "auth-not-checked", "--report-dir", "out", "--seed", "1"
    )
    assert code == EXIT_FAILED == 1
    assert "verdict: FAILED" in out and "auth-missing" in out
    assert (tmp_path / "out" / "report.html").is_file()


def test_selecting_no_check_is_a_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = verify("-k", "no_check_has_this_name")
    assert code == EXIT_USAGE == 2


@pytest.mark.slow
def test_unreachable_server_ends_the_run_as_incomplete(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = verify(
        "--url",
        "http://127.0.0.1:9",
        "--app-id",
        "a",
        "--account-id",
        "b",
        "--token",
        "token-for-nobody",
        "-k",
        "test_schema",
    )
    assert code == EXIT_INCOMPLETE == 3
    assert "verdict: INCOMPLETE — no response from http://127.0.0.1:9" in out
    assert "Traceback" not in out
    record = json.loads((tmp_path / "reports" / "report.json").read_text(encoding="utf-8"))
    assert record["verdict"] == "incomplete"
    assert record["incomplete_reason"].startswith("no response from http://127.0.0.1:9")
    assert [c["outcome"] for c in record["checks"]] == ["skipped"]
    assert validator("report").is_valid(record)


def test_a_server_that_always_throttles_leaves_an_incomplete_report(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    with served(Vendor(throttling=True)) as url:
        code, out, _ = verify(
            *("--url", url, "--app-id", APP, "--account-id", ACCOUNT, "--token", TOKEN),
            *("-k", "auth or malformed or unknown_field or default_limit"),
        )
    assert code == EXIT_INCOMPLETE == 3
    assert "verdict: INCOMPLETE — throttled: 3 checks in a row" in out
    reports = tmp_path / "reports"
    record = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert record["verdict"] == "incomplete"
    assert record["incomplete_reason"].startswith("throttled: 3 checks in a row")
    assert validator("report").is_valid(record)
    assert {c["outcome"] for c in record["checks"]} == {"skipped"}
    assert 'data-verdict="incomplete"' in (reports / "report.html").read_text(encoding="utf-8")
    assert "Verdict: **incomplete**" in (reports / "summary.md").read_text(encoding="utf-8")
    totals = record["totals"]
    assert totals["throttle_events"] == totals["requests"] == 4 + 3 * 4  # the probe, 3 checks
