"""A check of one's own, registered with ``@campaign_contract.check``: in the contract suite,
in ``validate`` for HAR pairs, and in every report under its own name."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import PAIR_CHECKS, Violation, check, check_pair, load_checks_module
from campaign_contract.checks import REGISTRY
from campaign_contract.cli import main
from campaign_contract.cli._verify import suite_dir
from campaign_contract.validation._schemas import validator

SUITE = str(suite_dir())
CAPTURE = Path(__file__).parent / "fixtures" / "capture.har"

PRIORITY_IS_TEXT = '''
import campaign_contract
from campaign_contract import Violation


@campaign_contract.check
def priority_is_text(request, response):
    """Our integration reads priority as a string, as the page's response table says."""
    for index, item in enumerate(response["data"].get("results") or []):
        if not isinstance(item.get("priority"), str):
            yield Violation(f"/data/results/{index}/priority", f"priority {item.get('priority')!r}")
'''


@pytest.fixture
def registered() -> Iterator[list[str]]:
    """Names registered by the test, forgotten afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        REGISTRY.remove(name)


def test_a_registered_check_runs_in_check_pair_under_its_name(registered: list[str]) -> None:
    @check(name="no-empty-page")
    def no_empty_page(request: Any, response: Any) -> Iterator[Violation]:
        assert request == {"type": "voice", "skip": ""}  # as sent, "" kept
        if not response["data"]["results"]:
            yield Violation("/data/results", "the page is empty")

    registered.append("no-empty-page")

    @check
    def _broken_check(request: Any, response: Any) -> list[Violation]:
        raise KeyError("results")

    registered.append("broken-check")
    empty = {"data": {"results": [], "skip": 0, "totalResults": 0, "hasMore": False}}
    found = check_pair({"type": "voice", "skip": ""}, empty)
    assert [(v.check, v.message) for v in found] == [
        ("no-empty-page", "the page is empty"),
        ("broken-check", "the check raised KeyError: 'results'"),
    ]
    assert "no-empty-page" in PAIR_CHECKS and REGISTRY["no-empty-page"].family == "custom"
    assert check_pair({"type": "voice"}, empty, status_code=500) == []
    with pytest.raises(ValueError, match="already registered"):
        check(name="page-fill")(no_empty_page)


def outcomes(report_dir: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert list(validator("report").iter_errors(data)) == []
    return {c["name"]: c for c in data["checks"]}


def junit_cases(report_dir: Path) -> dict[str, ET.Element]:
    root = ET.parse(report_dir / "junit.xml").getroot()
    return {case.get("name", ""): case for case in root.iter("testcase")}


def run_suite(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        SUITE,
        "-p",
        "no:randomly",
        "--campaign-max-examples=2",
        "-k",
        "test_page or test_schema",
        f"--campaign-report-dir={pytester.path / 'reports'}",
        *args,
    )


@pytest.mark.slow
def test_a_check_of_ones_own_fails_on_a_fault_and_passes_on_the_clean_mock(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(my_checks=PRIORITY_IS_TEXT)
    reports = pytester.path / "reports"
    faulty = run_suite(
        pytester,
        "-n",
        "2",
        "--campaign-checks-module=my_checks.py",
        "--campaign-fault=priority-as-number",
    )
    assert faulty.ret == 1
    rows = outcomes(reports)
    mine = rows["priority-is-text"]
    assert (mine["outcome"], mine["family"]) == ("failed", "custom")
    assert mine["examples"] > 0
    (violation,) = mine["failures"][0]["violations"][:1]
    assert violation["check"] == "priority-is-text" and violation["pointer"].endswith("/priority")
    assert rows["page-fill"]["outcome"] == "passed"  # its own row: the others are not failed by it
    assert junit_cases(reports)["priority-is-text"].find("failure") is not None
    for name in ("summary.md", "report.html"):
        assert "priority-is-text" in (reports / name).read_text(encoding="utf-8")
    assert "checks failed: schema, priority-is-text" in faulty.stdout.str()

    clean = run_suite(pytester, "-p", "my_checks")  # loaded as a pytest plugin this time
    assert clean.ret == 0, clean.stdout.str()
    assert outcomes(reports)["priority-is-text"]["outcome"] == "passed"
    case = junit_cases(reports)["priority-is-text"]
    assert case.find("failure") is None and case.find("skipped") is None


def test_a_checks_module_that_cannot_load_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = run_suite(pytester, "--campaign-checks-module=missing_checks.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "checks module 'missing_checks.py': no such file" in result.stderr.str()


def test_validate_judges_har_pairs_with_a_checks_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], registered: list[str]
) -> None:
    module = tmp_path / "har_checks.py"
    module.write_text(
        "from campaign_contract import Violation, check\n\n\n"
        "@check(name='at-most-one-result')\n"
        "def at_most_one(request, response):\n"
        "    if len(response['data'].get('results') or []) > 1:\n"
        "        yield Violation('/data/results', 'more than one result')\n",
        encoding="utf-8",
    )
    registered.append("at-most-one-result")
    code = main(["validate", "--format", "json", "--checks-module", str(module), str(CAPTURE)])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    documents = json.loads(out)["documents"]
    found = [e for d in documents for e in d["errors"] if e["check"] == "at-most-one-result"]
    assert found and all(e["message"] == "more than one result" for e in found)
    assert main(["validate", "--checks-module", "no_such_module_here", str(CAPTURE)]) == 2
    assert "no_such_module_here" in capsys.readouterr().err


def test_loading_a_module_by_name_registers_its_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registered: list[str]
) -> None:
    (tmp_path / "named_checks.py").write_text(PRIORITY_IS_TEXT, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    load_checks_module("named_checks")
    registered.append("priority-is-text")
    assert REGISTRY["priority-is-text"].builtin is False
