"""A failing contract run with sentinel credentials writes them nowhere: not to the console,
not to junit.xml, not to report.json/html or summary.md, not to any other file it leaves."""

from __future__ import annotations

import argparse
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from campaign_contract.cli._verify import add_verify_arguments, run_verify, suite_dir

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


@pytest.mark.slow
def test_sentinel_token_and_secret_appear_in_no_output(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGN_TOKEN", TOKEN)
    texts = run_failing_suite(
        pytester, "--campaign-max-examples=3", f"--campaign-client-secret={SECRET}"
    )
    assert "reproduce: curl" in texts["stdout"] and "auth: ***" in texts["stdout"]
    assert leaks(texts, TOKEN, SECRET, JWT_HEADER) == []


@pytest.mark.slow
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


class _DeepJson(BaseHTTPRequestHandler):
    """Answers every request with JSON nested 5000 deep, past what the parsers take."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"[" * 5000 + b"]" * 5000
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_show_locals_against_a_deep_json_server_prints_no_token(pytester: pytest.Pytester) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DeepJson)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sentinel = "eyJSENTINELTOKENabc123.payload.sig"
    try:
        result = pytester.runpytest_subprocess(
            str(suite_dir()),
            "-p",
            "no:randomly",
            "-l",
            "--tb=long",
            f"--campaign-url=http://127.0.0.1:{server.server_address[1]}",
            "--campaign-app-id=st-app",
            "--campaign-account-id=acc",
            f"--campaign-token={sentinel}",
            "--campaign-max-examples=2",
            f"--campaign-report-dir={pytester.path / 'reports'}",
            "-k",
            "test_schema or auth_missing or skip_past_end or default_limit",
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.ret == 1
    texts = {
        "stdout": result.stdout.str(),
        "stderr": result.stderr.str(),
        **written_files(pytester.path),
    }
    assert "sent_headers" in texts["stdout"] or " = " in texts["stdout"]  # locals were shown
    assert "reports/junit.xml" in texts
    assert leaks(texts, sentinel, sentinel[:12], sentinel[-8:]) == []


OWN_CHECK = """
from campaign_contract.harness._contract import Contract


def test_own_check(contract: Contract) -> None:
    plain = "" + contract.target.token
    long_value = plain * 20
    print("captured", plain)
    assert plain.startswith("nothing"), f"token was {plain}"
"""


@pytest.mark.slow
@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one-process", "xdist"])
def test_a_check_that_shows_the_token_is_scrubbed_in_output_and_junit(
    pytester: pytest.Pytester, workers: tuple[str, ...]
) -> None:
    """A check of one's own in a suite folder (its conftest marks it): its failure text, with
    locals (whole and truncated by saferepr), captured output and junit, shows no token."""
    pytester.makeconftest("CAMPAIGN_CONTRACT_SUITE = True\n")
    pytester.makepyfile(test_own=OWN_CHECK)
    token = "SENTINEL-" + "0123456789abcdef" * 8
    result = pytester.runpytest_subprocess(
        "-p",
        "no:randomly",
        "-l",
        "-rA",
        *workers,
        f"--campaign-token={token}",
        f"--campaign-report-dir={pytester.path / 'reports'}",
    )
    assert result.ret == 1
    texts = {
        "stdout": result.stdout.str(),
        "stderr": result.stderr.str(),
        **written_files(pytester.path),
    }
    assert "long_value = '***" in texts["stdout"] and "captured ***" in texts["stdout"]
    assert "AssertionError: token was ***" in texts["reports/junit.xml"]
    assert leaks(texts, "SENTINEL", token[-12:]) == []
