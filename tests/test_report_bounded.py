"""Reports of large runs stay bounded: report.json lists everything (streamed), report.html and
summary.md show the first documents of each outcome in full and count the rest."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from campaign_contract.report import (
    CheckResult,
    Failure,
    Outcome,
    RunRecord,
    ValidationReport,
    write_reports,
)
from campaign_contract.report._markdown import MAX_LINES
from campaign_contract.report._validation import LISTED_PER_OUTCOME
from campaign_contract.validation._schemas import validator


def _document(number: int, violations: int) -> dict[str, Any]:
    errors = [
        {
            "pointer": f"/data/results/{i}/priority",
            "message": "5 is not of type 'string'",
            "check": "schema",
            "severity": "error",
        }
        for i in range(violations)
    ]
    return {"source": "big.har", "entry": number, "valid": not errors, "errors": errors}


class _TestIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v or "" for k, v in attrs if k == "data-testid"]


def _testids(text: str) -> list[str]:
    parser = _TestIds()
    parser.feed(text)
    return parser.ids


def test_a_large_validate_run_is_listed_whole_in_json_and_summarised_elsewhere(
    tmp_path: Path,
) -> None:
    report = ValidationReport()
    for number in range(450):
        report.add(_document(number, 0 if number % 3 == 0 else 25))
    paths = report.write(tmp_path)
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert list(validator("report").iter_errors(doc)) == []  # type: ignore[arg-type]
    assert len(doc["checks"]) == 450 and doc["totals"]["checks"] == 450
    assert (doc["totals"]["passed"], doc["totals"]["failed"]) == (150, 300)
    assert doc["verdict"] == "failed" and doc["totals"]["failures"] == 300
    assert len(doc["checks"][1]["failures"][0]["violations"]) == 25
    ids = _testids(paths["html"].read_text(encoding="utf-8"))
    assert ids.count("check-row") == 2 * LISTED_PER_OUTCOME
    assert ids.count("failure") == LISTED_PER_OUTCOME
    assert ids.count("violation") == LISTED_PER_OUTCOME * 20
    assert ids.count("unlisted-violations") == LISTED_PER_OUTCOME
    assert {"unlisted-checks", "unlisted-failures"} <= set(ids)
    html = paths["html"].read_text(encoding="utf-8")
    assert "250 more documents not listed here (50 passed, 200 failed)" in html
    assert "Violations (25)" in html
    summary = paths["md"].read_text(encoding="utf-8")
    assert len(summary.splitlines()) <= MAX_LINES
    assert "| Documents | 450 |" in summary and "more failing" in summary
    report.close()


def test_summary_md_stays_short_whatever_the_number_of_failing_checks(tmp_path: Path) -> None:
    record = RunRecord(target=None)
    curl = "curl --data '{\n" + "\n".join(f'"k{i}": {i},' for i in range(30)) + "\n}'"
    for number in range(300):
        record.add_check(
            CheckResult(
                f"check-{number}",
                f"t.py::test_{number}",
                outcome=Outcome.FAILED,
                failures=[Failure(f"failed {number}\nsecond line", curl=curl)],
            )
        )
    write_reports(record, tmp_path, ("md",))
    lines = (tmp_path / "summary.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_LINES
    assert "| Failed | 300 |" in lines
    assert any(line.startswith("… and ") and "more failing" in line for line in lines)


def test_a_small_run_is_listed_in_full_everywhere(tmp_path: Path) -> None:
    report = ValidationReport()
    for number in range(5):
        report.add(_document(number, number))
    paths = report.write(tmp_path)
    ids = _testids(paths["html"].read_text(encoding="utf-8"))
    assert ids.count("check-row") == 5 and "unlisted-checks" not in ids
    assert "more failing" not in paths["md"].read_text(encoding="utf-8")
    report.close()
