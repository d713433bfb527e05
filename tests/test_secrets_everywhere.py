"""A failing contract run with sentinel credentials writes them nowhere: not to the console,
not to junit.xml, not to report.json/html or summary.md, not to any other file it leaves."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from campaign_contract._verify import add_verify_arguments, run_verify, suite_dir

TOKEN = "SENTINEL-TOKEN-d41d8cd9"
SECRET = "SENTINEL-SECRET-8f00b204"
JWT_HEADER = "eyJhbGciOiJIUzI1NiIs"
"""The start of every HS256 JWT: no signed token may be written either."""
FAILING = ("--campaign-fault=auth-not-checked", "--campaign-fault=priority-as-number")
SELECTION = ("-k", "auth or conformance or test_crawl or skip_and_page")


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_verify_arguments(parser)
    return parser.parse_args(argv)


def leaks(texts: dict[str, str], *needles: str) -> list[str]:
    return [
        f"{needle} in {where}"
        for where, text in texts.items()
        for needle in needles
        if needle in text
    ]


def written_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): path.read_bytes().decode("utf-8", "replace")
        for path in root.rglob("*")
        if path.is_file()
    }


def assert_failed_with_reports(root: Path) -> None:
    record = json.loads((root / "reports" / "report.json").read_text(encoding="utf-8"))
    assert record["verdict"] == "failed"
    assert any(c["failures"] for c in record["checks"])
    assert (root / "reports" / "junit.xml").is_file()


def run_failing_suite(pytester: pytest.Pytester, *options: str) -> dict[str, str]:
    """Run the failing selection of the suite; its console output and every file it wrote."""
    result = pytester.runpytest_subprocess(
        str(suite_dir()),
        "-p",
        "no:randomly",
        *options,
        "--campaign-client-id=sentinel-client",
        f"--campaign-report-dir={pytester.path / 'reports'}",
        *FAILING,
        *SELECTION,
    )
    assert result.ret == 1
    assert_failed_with_reports(pytester.path)
    return {
        "stdout": result.stdout.str(),
        "stderr": result.stderr.str(),
        **written_files(pytester.path),
    }


def test_sentinel_token_and_secret_appear_in_no_output(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGN_TOKEN", TOKEN)
    texts = run_failing_suite(
        pytester, "--campaign-max-examples=3", f"--campaign-client-secret={SECRET}"
    )
    assert "reproduce: curl" in texts["stdout"] and "auth: ***" in texts["stdout"]
    assert leaks(texts, TOKEN, SECRET, JWT_HEADER) == []


def test_signed_token_from_client_secret_appears_in_no_output(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pytester.path)
    out, err = io.StringIO(), io.StringIO()
    args = parse("--client-id", "sentinel-client", "--client-secret", SECRET, "--max-examples", "3")
    args.fault = ["auth-not-checked", "priority-as-number"]
    args.select = SELECTION[1]
    assert run_verify(args, out, err) == 1
    assert_failed_with_reports(pytester.path)
    texts = {"stdout": out.getvalue(), "stderr": err.getvalue(), **written_files(pytester.path)}
    assert leaks(texts, SECRET, JWT_HEADER) == []


@pytest.mark.slow
def test_no_secret_leaks_from_xdist_workers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGN_CLIENT_SECRET", SECRET)
    texts = run_failing_suite(
        pytester, "-n", "2", "--campaign-max-examples=2", f"--campaign-token={TOKEN}"
    )
    assert leaks(texts, TOKEN, SECRET, JWT_HEADER) == []
