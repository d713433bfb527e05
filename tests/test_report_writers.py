"""report.json, report.html and summary.md for passing, failing, incomplete and empty runs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from campaign_contract.report import (
    CheckResult,
    Failure,
    RunRecord,
    render_json,
    report_paths,
    write_reports,
)
from campaign_contract.validation._schemas import validator
from campaign_contract.validation._violations import Violation
from report_records import RECORDS, STARTED, STOPPED, failing_record, incomplete_record


def _schema_errors(doc: Any, profile: str = "documented") -> list[str]:
    found = validator("report", profile).iter_errors(doc)  # type: ignore[arg-type]
    return [f"{list(e.absolute_path)}: {e.message}" for e in found]


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_every_report_is_written_and_json_fits_the_schema(kind: str, tmp_path: Path) -> None:
    paths = write_reports(RECORDS[kind](), tmp_path)
    assert set(paths) == {"json", "html", "md"}
    assert [p.name for p in paths.values()] == ["report.json", "report.html", "summary.md"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths.values())
    assert not list(tmp_path.glob("*.tmp"))
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert _schema_errors(doc) == []
    assert _schema_errors(doc, "strict") == []
    verdicts = {"passing": "passed", "failing": "failed", "incomplete": "incomplete"}
    assert doc["verdict"] == verdicts.get(kind, "empty")
    assert (doc["incomplete_reason"] is not None) == (kind == "incomplete")


def test_failing_report_carries_everything_needed_to_reproduce(tmp_path: Path) -> None:
    doc = json.loads(write_reports(failing_record(), tmp_path, ("json",))["json"].read_text())
    assert doc["target"] == {
        "host": "http://127.0.0.1:8765",
        "app_id": "st-1234-app",
        "account_id": "acc-42",
        "embedded_mock": False,
        "faults": [],
    }
    assert doc["seed"] == 1234
    assert doc["started_at"] == "2025-12-08T09:17:21.090Z"
    assert doc["totals"]["failed"] == 1 and doc["totals"]["error"] == 1
    assert doc["totals"]["requests"] == 109
    assert doc["totals"]["duration"] == pytest.approx(9.7)
    failed = next(c for c in doc["checks"] if c["outcome"] == "failed")
    failure = failed["failures"][0]
    assert failure["request_body"] == {"type": "voice", "filters": {"status": ["Ready"]}}
    assert failure["response_status"] == 200
    assert '"Stopped"' in failure["response_excerpt"]
    assert failure["violations"][0] == {
        "pointer": "/data/results/0/status",
        "message": "'Stopped' is not among the filter's statuses ['Ready'] <script>",
        "check": "filter-status",
        "severity": "error",
    }
    assert "--header 'auth: ***'" in failure["curl"]
    assert [o["spec_note"] for o in doc["observations"]] == ["S-23", "S-14", "S-20"]
    assert list(doc["spec_notes"]) == ["S-14", "S-20", "S-23"]
    assert "skip" in doc["spec_notes"]["S-14"]["point"]
    assert [t["status"] for t in doc["throttling"]] == [429, 503]
    assert doc["throttling"][0]["at_iso"] == "2025-12-08T09:17:22.590Z"


def test_report_json_reads_back_into_the_same_record() -> None:
    first = render_json(failing_record())
    again = render_json(RunRecord.from_dict(json.loads(first)))
    assert again == first


def test_schema_rejects_a_token_in_settings_and_an_unknown_verdict() -> None:
    doc = json.loads(render_json(failing_record()))
    with_token = copy.deepcopy(doc)
    with_token["settings"]["token"] = "x"
    assert _schema_errors(with_token)
    bad_verdict = copy.deepcopy(doc)
    bad_verdict["verdict"] = "ok"
    assert _schema_errors(bad_verdict)
    bad_pointer = copy.deepcopy(doc)
    bad_pointer["checks"][4]["failures"][0]["violations"][0]["pointer"] = "data/results"
    assert _schema_errors(bad_pointer)


def test_verdict_is_failed_on_any_failure_or_error_and_empty_when_nothing_ran() -> None:
    record = RunRecord(target=None, started_at=STARTED)
    assert record.verdict == "empty"
    record.add_check(CheckResult("a", "t::a", outcome="skipped", skip_reason="no secret"))
    assert record.verdict == "empty"
    record.add_check(CheckResult("b", "t::b", outcome="passed"))
    assert record.verdict == "passed"
    record.add_check(CheckResult("c", "t::c", outcome="error"))
    assert record.verdict == "failed"


def test_a_run_stopped_early_is_incomplete_unless_a_check_failed() -> None:
    record = RunRecord(target=None, started_at=STARTED)
    record.incomplete_reason = "budget spent: 2 checks skipped"
    assert record.verdict == "incomplete"
    record.add_check(CheckResult("b", "t::b", outcome="passed"))
    assert record.verdict == "incomplete"
    record.add_check(CheckResult("c", "t::c", outcome="failed"))
    assert record.verdict == "failed"


def test_incomplete_run_says_so_and_why_in_every_report(tmp_path: Path) -> None:
    paths = write_reports(incomplete_record(), tmp_path)
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert (doc["verdict"], doc["incomplete_reason"]) == ("incomplete", STOPPED)
    assert _schema_errors(doc) == []
    assert RunRecord.from_dict(doc).verdict == "incomplete"
    html = paths["html"].read_text(encoding="utf-8")
    assert 'class="banner incomplete"' in html and 'data-verdict="incomplete"' in html
    assert f"Stopped before every check ran: {STOPPED}" in html
    text = paths["md"].read_text(encoding="utf-8")
    assert text.startswith("## Contract run: Incomplete\n")
    assert "Verdict: **incomplete**" in text
    assert "Stopped before every check ran: throttled: 3 checks in a row" in text


def test_schema_wants_a_reason_for_an_incomplete_verdict() -> None:
    doc = json.loads(render_json(incomplete_record()))
    for reason in (None, ""):
        without = copy.deepcopy(doc)
        without["incomplete_reason"] = reason
        assert _schema_errors(without)
    missing = copy.deepcopy(doc)
    del missing["incomplete_reason"]
    assert _schema_errors(missing)


def test_phases_of_one_test_merge_into_one_check() -> None:
    record = RunRecord(target=None)
    record.add_check(CheckResult("page-size", "t::p", "pagination", "passed", 0.5, 3, 3))
    record.add_check(
        CheckResult("page-size", "t::p", outcome="error", duration=0.25, failures=[Failure("x")])
    )
    assert len(record.checks) == 1
    merged = record.checks[0]
    assert (merged.outcome, merged.duration, merged.requests, len(merged.failures)) == (
        "error",
        0.75,
        3,
        1,
    )
    assert merged.family == "pagination"


def test_results_from_plain_data_as_workers_send_them() -> None:
    check = CheckResult.from_dict(
        {
            "check": "filter-status",
            "nodeid": "t::f",
            "family": "filters",
            "outcome": "failed",
            "requests": 4,
            "failures": [
                {
                    "message": "m",
                    "violations": [{"pointer": "/a", "message": "bad", "check": "filter-status"}],
                    "unknown": 1,
                }
            ],
        }
    )
    assert check.name == "filter-status"
    assert check.failures[0].violations == [Violation("/a", "bad", "filter-status")]
    with pytest.raises(ValueError, match="outcome"):
        CheckResult.from_dict({"name": "x", "outcome": "crashed"})


def test_summary_markdown_names_the_verdict_failures_and_reports(tmp_path: Path) -> None:
    paths = write_reports(failing_record(), tmp_path)
    text = paths["md"].read_text(encoding="utf-8")
    assert text.startswith("## Contract run: Failed\n")
    assert "| Failed | 1 |" in text and "| Errors | 1 |" in text
    assert "**filter-status**" in text
    assert "`/data/results/0/status`" in text
    assert "\\<script\\>" in text and "<script>" not in text
    assert "```sh\n  curl --location" in text and "auth: ***" in text
    assert "Observations: 3 (doc discrepancies met: S-14, S-20, S-23)" in text
    assert str(paths["html"]) in text and str(paths["json"]) in text


def test_summary_markdown_of_an_empty_run_says_no_checks_ran(tmp_path: Path) -> None:
    text = write_reports(RECORDS["empty"](), tmp_path, ("md",))["md"].read_text()
    assert text.startswith("## Contract run: No checks ran\n")
    assert "Verdict: **empty**" in text
    assert "### Failed" not in text


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        report_paths(tmp_path, ("json", "pdf"))
    assert not list(tmp_path.iterdir())


def test_the_report_keeps_the_clients_own_throttle_events() -> None:
    from campaign_contract import ThrottleEvent as ClientThrottleEvent
    from campaign_contract.report import ThrottleEvent as ReportThrottleEvent

    assert ClientThrottleEvent is ReportThrottleEvent

    record = RunRecord(target=None)
    record.add_throttle(ClientThrottleEvent(STARTED.timestamp(), 429, 1.5, "http://x"))
    assert [(t.when, t.status, t.wait) for t in record.throttling] == [
        (STARTED.timestamp(), 429, 1.5)
    ]
    assert record.totals().throttle_wait == 1.5
