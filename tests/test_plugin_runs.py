"""The pytest plugin driving the contract suite against the embedded mock (via ``pytester``)."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from campaign_contract.cli._verify import suite_dir
from campaign_contract.harness._coverage import auth_cases
from campaign_contract.validation._schemas import validator
from oracle_samples import page

SUITE = str(suite_dir())
FAST = ("-p", "no:randomly", "--campaign-max-examples=2")


def run_suite(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    report_dir = pytester.path / "reports"
    return pytester.runpytest(SUITE, *FAST, f"--campaign-report-dir={report_dir}", *args)


def outcomes_by_check(report_dir: Path) -> dict[str, str]:
    data = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return {check["name"]: check["outcome"] for check in data["checks"]}


def test_options_form_one_group_with_the_campaign_prefix(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    text = result.stdout.str()
    assert "campaign-contract: the server under contract:" in text
    for flag in ("url", "app-id", "account-id", "token", "client-id", "client-secret", "rate"):
        assert f"--campaign-{flag}" in text
    for flag in ("budget", "report-dir", "config", "max-examples"):
        assert f"--campaign-{flag}" in text
    assert "CAMPAIGN_URL" in text


def test_plugin_stays_out_of_runs_without_the_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    assert True\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    assert "verdict:" not in result.stdout.str()
    assert not (pytester.path / "reports").exists()


def test_clean_mock_passes_and_every_report_is_written(pytester: pytest.Pytester) -> None:
    result = run_suite(pytester, "-k", "conformance or auth or test_crawl")
    assert result.ret == 0
    reports = pytester.path / "reports"
    for name in ("junit.xml", "report.json", "report.html", "summary.md"):
        assert (reports / name).is_file(), name
    text = result.stdout.str()
    assert "verdict: PASSED" in text
    assert f"reports: {reports / 'junit.xml'}" in text
    assert "seed: " in text
    assert any(line.startswith("schema ") and "passed" in line for line in result.outlines)
    record = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert list(validator("report").iter_errors(record)) == []
    checks = {c["name"]: c for c in record["checks"]}
    assert checks["schema"]["requests"] >= 2 and checks["schema"]["examples"] >= 2
    assert checks["auth-missing"]["family"] == "auth"
    cases = ET.parse(reports / "junit.xml").getroot().iter("testcase")
    assert {case.get("name") for case in cases} >= {"schema", "auth-missing"}
    junit = (reports / "junit.xml").read_text(encoding="utf-8")
    assert "hypothesis-statistics" not in junit


def test_failing_check_shows_curl_seed_and_example(pytester: pytest.Pytester) -> None:
    result = run_suite(
        pytester, "-k", "test_schema", "--campaign-fault=priority-as-number", "--hypothesis-seed=3"
    )
    assert result.ret == 1
    text = result.stdout.str()
    assert "reproduce: curl" in text and "auth: ***" in text
    assert "seed: 3 (replay with --hypothesis-seed=3)" in text
    assert "test_schema(" in text  # hypothesis's shrunk example
    assert "verdict: FAILED — 1 of 1 checks failed: schema" in text
    junit = (pytester.path / "reports" / "junit.xml").read_text(encoding="utf-8")
    assert "reproduce: curl" in junit and '<property name="check" value="schema"' in junit
    assert "campaign_contract_target" not in junit and "response_excerpt" not in junit
    record = json.loads((pytester.path / "reports" / "report.json").read_text(encoding="utf-8"))
    failure = record["checks"][0]["failures"][0]
    assert failure["curl"].startswith("curl ") and failure["seed"] == 3
    assert failure["violations"] and failure["response_status"] == 200


def test_environment_and_config_file_reach_the_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = pytester.path / "campaign.yaml"
    config.write_text("max-examples: 3\nbudget: 500\n")
    monkeypatch.setenv("CAMPAIGN_CONFIG", str(config))
    monkeypatch.setenv("CAMPAIGN_BUDGET", "400")
    report_dir = pytester.path / "reports"
    result = pytester.runpytest(
        SUITE, "-p", "no:randomly", "-k", "test_schema", f"--campaign-report-dir={report_dir}"
    )
    assert result.ret == 0
    settings = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))["settings"]
    assert settings["max_examples"] == 3
    assert settings["budget"] == 400


def test_bad_setting_is_a_usage_error_on_one_line(pytester: pytest.Pytester) -> None:
    result = run_suite(pytester, "--campaign-budget=lots")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.errlines if "campaign-contract" in line]
    assert errors == ["ERROR: campaign-contract: budget must be a whole number, not 'lots'"]


def test_spent_budget_skips_the_remaining_checks_and_the_run_is_incomplete(
    pytester: pytest.Pytester,
) -> None:
    result = run_suite(pytester, "-k", "auth or conformance", "--campaign-budget=4")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # verify: exit 3, incomplete
    reports = pytester.path / "reports"
    outcomes = outcomes_by_check(reports)
    assert "skipped" in outcomes.values() and "passed" in outcomes.values()
    assert "failed" not in outcomes.values()
    skipped = list(outcomes.values()).count("skipped")
    reason = f"budget spent: the request budget of 4 ran out; {skipped} checks were skipped"
    assert f"verdict: INCOMPLETE — {reason}" in result.stdout.str()
    record = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert (record["verdict"], record["incomplete_reason"]) == ("incomplete", reason)
    assert f"Stopped before every check ran: {reason}" in (reports / "summary.md").read_text()


def test_a_failure_outranks_a_spent_budget_and_the_reports_say_both(
    pytester: pytest.Pytester,
) -> None:
    selection = ("-k", "auth", "--campaign-fault=auth-not-checked", "--campaign-budget=3")
    result = run_suite(pytester, *selection)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    text = result.stdout.str()
    assert "verdict: FAILED — " in text and "(and the run stopped early: budget spent" in text
    record = json.loads((pytester.path / "reports" / "report.json").read_text(encoding="utf-8"))
    assert record["verdict"] == "failed"
    assert record["incomplete_reason"].startswith("budget spent: the request budget of 3 ran out")
    assert validator("report").is_valid(record)


def test_user_junit_path_is_kept(pytester: pytest.Pytester) -> None:
    mine = pytester.path / "mine.xml"
    result = run_suite(pytester, "-k", "auth_missing", f"--junitxml={mine}")
    assert result.ret == 0
    assert mine.is_file()
    assert not (pytester.path / "reports" / "junit.xml").exists()
    assert f"reports: {mine}" in result.stdout.str()


def test_observations_of_doc_silent_behaviour_are_recorded_not_failed(
    pytester: pytest.Pytester,
) -> None:
    result = run_suite(pytester, "-k", "unknown_field or edge_values or agentless or together")
    assert result.ret == 0
    record = json.loads((pytester.path / "reports" / "report.json").read_text(encoding="utf-8"))
    notes = {o["spec_note"] for o in record["observations"]}
    assert {"S-04", "S-14", "S-20", "S-21"} <= notes


@pytest.mark.slow
def test_xdist_gives_the_same_verdicts(pytester: pytest.Pytester) -> None:
    selection = ("-k", "filter or sort_order", "--campaign-fault=sort-desc-ignored")
    seed = "--hypothesis-seed=11"
    single = run_suite(pytester, *selection, seed)
    alone = outcomes_by_check(pytester.path / "reports")
    spread = run_suite(pytester, *selection, seed, "-n", "2")
    assert (single.ret, spread.ret) == (1, 1)
    assert outcomes_by_check(pytester.path / "reports") == alone
    assert "failed" in alone.values()


def test_the_same_seed_replays_the_same_failure(pytester: pytest.Pytester) -> None:
    selection = ("-k", "test_filter and status", "--campaign-fault=status-filter-ignored")
    failures = []
    for _ in range(2):
        result = run_suite(pytester, *selection, "--hypothesis-seed=21")
        assert result.ret == 1
        record = json.loads((pytester.path / "reports" / "report.json").read_text("utf-8"))
        failures.append([f["request_body"] for c in record["checks"] for f in c["failures"]])
    assert failures[0] and failures[0] == failures[1]


class _ThrottlesAfterTheProbe(BaseHTTPRequestHandler):
    """Answers the first request with an empty page, every later one with 429."""

    answered = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).answered += 1
        first = type(self).answered == 1
        body = json.dumps(page([], limit=1)).encode() if first else b""
        self.send_response(200 if first else 429)
        self.send_header("Content-Type", "application/json")
        self.send_header("Retry-After", "0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_three_throttled_checks_in_a_row_stop_the_run(pytester: pytest.Pytester) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ThrottlesAfterTheProbe)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run_suite(
            pytester,
            f"--campaign-url=http://127.0.0.1:{server.server_address[1]}",
            "--campaign-app-id=st-app",
            "--campaign-account-id=acc",
            "--campaign-token=tok",
            "-k",
            "auth or malformed or unknown_field or default_limit",
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.ret == pytest.ExitCode.INTERRUPTED  # verify: exit 3, incomplete
    assert "verdict: INCOMPLETE — throttled: 3 checks in a row" in result.stdout.str()
    record = json.loads((pytester.path / "reports" / "report.json").read_text("utf-8"))
    assert record["verdict"] == "incomplete"
    assert record["incomplete_reason"].startswith("throttled: 3 checks in a row")
    assert validator("report", "documented").is_valid(record)
    reasons = [c["skip_reason"] for c in record["checks"]]
    assert len(reasons) == 7 and all(r and r.startswith("throttled") for r in reasons)
    assert [r.startswith("throttled: the server still answered 429") for r in reasons] == [
        True
    ] * 3 + [False] * 4
    assert _ThrottlesAfterTheProbe.answered == 1 + 3 * 4  # the probe, then 4 attempts a check


@pytest.mark.slow
def test_live_profile_plans_before_sending_and_the_report_keeps_the_plan(
    pytester: pytest.Pytester,
) -> None:
    result = pytester.runpytest(
        SUITE,
        "-p",
        "no:randomly",
        "--hypothesis-seed=1",
        f"--campaign-report-dir={pytester.path / 'reports'}",
        "--campaign-live",
        "--campaign-rate=0",
        "-k",
        "filter or page",
    )
    assert result.ret == pytest.ExitCode.OK
    text = result.stdout.str()
    assert "campaign-contract: plan: " in text and "of a budget of 180" in text
    record = json.loads((pytester.path / "reports" / "report.json").read_text(encoding="utf-8"))
    assert validator("report").is_valid(record)
    plan = record["plan"]
    assert plan["budget"] == 180 and record["settings"]["live"] is True
    assert set(plan["shares"]) == {check["name"] for check in record["checks"]}
    assert record["totals"]["requests"] <= 180
    assert sum(check["reused"] for check in record["checks"]) > 0
    assert all(check["planned"] is not None for check in record["checks"])


def run_with_recorder(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, recorder: str, *args: str
) -> pytest.RunResult:
    """The suite in a pytest process of its own with ``recorder`` (a plugin's source) loaded
    in it and in its workers."""
    pytester.makepyfile(recorder=recorder)
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))  # the workers' too
    report_dir = f"--campaign-report-dir={pytester.path / 'reports'}"
    return pytester.runpytest_subprocess(SUITE, *FAST, report_dir, "-p", "recorder", *args)


ORDER_RECORDER = """
import json, pathlib

def pytest_collection_finish(session):
    worker = getattr(session.config, "workerinput", {}).get("workerid", "alone")
    names = [item.name for item in session.items]
    pathlib.Path(f"order-{worker}.json").write_text(json.dumps(names))
"""


def test_workers_run_the_heaviest_checks_first_and_one_process_keeps_collection_order(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    selection = ("-k", "auth_missing or test_crawl or default_limit")
    assert run_with_recorder(pytester, monkeypatch, ORDER_RECORDER, *selection).ret == 0
    alone = json.loads((pytester.path / "order-alone.json").read_text())
    assert alone.index("test_auth_missing") < alone.index("test_crawl")
    assert run_with_recorder(pytester, monkeypatch, ORDER_RECORDER, *selection, "-n", "2").ret == 0
    orders = [json.loads(p.read_text()) for p in sorted(pytester.path.glob("order-gw*.json"))]
    assert len(orders) == 2 and orders[0] == orders[1] and sorted(orders[0]) == sorted(alone)
    assert orders[0][0] == "test_crawl" and orders[0] != alone


SEED_RECORDER = """
import json, pathlib, sys

def pytest_sessionstart(session):
    worker = getattr(session.config, "workerinput", {}).get("workerid", "controller")
    core = sys.modules.get("hypothesis.core")
    seen = {"imported": core is not None, "seed": getattr(core, "global_force_seed", None)}
    pathlib.Path(f"seed-{worker}.json").write_text(json.dumps(seen))
"""


def test_a_controller_of_workers_hands_them_the_seed_and_imports_no_hypothesis(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    selection = ("-k", "auth_missing or default_limit", "-n", "2", "--hypothesis-seed=4242")
    result = run_with_recorder(pytester, monkeypatch, SEED_RECORDER, *selection)
    assert result.ret == 0
    seen = {p.stem: json.loads(p.read_text()) for p in pytester.path.glob("seed-*.json")}
    assert seen["seed-controller"] == {"imported": False, "seed": None}
    assert seen["seed-gw0"] == seen["seed-gw1"] == {"imported": True, "seed": 4242}
    assert "seed: 4242 (replay with --hypothesis-seed=4242)" in result.stdout.str()


CHECKS_RECORDER = """
import json, pathlib, sys

def pytest_unconfigure(config):
    worker = getattr(config, "workerinput", {}).get("workerid", "controller")
    seen = {"checks imported": "campaign_contract.checks" in sys.modules}
    pathlib.Path(f"checks-{worker}.json").write_text(json.dumps(seen))
"""


def test_a_controller_of_workers_plans_and_covers_as_its_workers_without_the_checks(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = pytester.makepyfile(test_mine="def test_thing():\n    pass\n")
    selection = ("-k", "auth_missing or test_filter or test_thing", str(mine))
    reports = pytester.path / "reports"
    assert run_with_recorder(pytester, monkeypatch, CHECKS_RECORDER, *selection).ret == 0
    alone = json.loads((reports / "report.json").read_text())["plan"]
    assert run_with_recorder(pytester, monkeypatch, CHECKS_RECORDER, *selection, "-n", "2").ret == 0
    seen = {p.stem: json.loads(p.read_text()) for p in pytester.path.glob("checks-*.json")}
    assert seen["checks-controller"] == {"checks imported": False}
    assert seen["checks-gw0"] == seen["checks-gw1"] == {"checks imported": True}
    record = json.loads((reports / "report.json").read_text())
    assert record["plan"]["shares"] == alone["shares"]  # the workers' plan, as one process's
    assert {"filter-status", "result-type", "auth-missing"} <= set(alone["shares"])
    assert "thing" not in alone["shares"] and alone["shares"]["auth-missing"]["examples"] == 1
    (auth,) = (d for d in record["coverage"]["dimensions"] if d["name"] == "auth")
    assert [v["name"] for v in auth["values"]] == list(auth_cases().values())
