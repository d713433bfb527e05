"""Semantic coverage: a value counts only where a check judged it on an answer that could fail."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from campaign_contract.cli._verify import suite_dir
from campaign_contract.harness._coverage import auth_cases, dimensions, facts, summarise
from campaign_contract.oracles import PAIR_CHECKS
from campaign_contract.report import Coverage, RunRecord, TargetInfo, render_markdown
from campaign_contract.report._json import record_to_dict
from campaign_contract.validation._schemas import validator

ALL_PAIR = tuple(PAIR_CHECKS)


def campaign(**fields: Any) -> dict[str, Any]:
    base = {"_id": "cd-1", "name": "A", "status": "Active", "priority": "1"}
    base.update(createdAt="2025-06-01T00:00:00.000Z", updatedAt="2025-06-02T00:00:00.000Z")
    return {**base, **fields}


def answer(results: list[dict[str, Any]], **data: Any) -> dict[str, Any]:
    paging = {"skip": 0, "limit": 10, "hasMore": False, "totalResults": len(results)}
    paging.update(totalPages=1)
    return {"status": "success", "data": {"results": results, **paging, **data}}


def keys(request: Any, response: Any, check: str = "valid-accepted", status: int = 200) -> Any:
    return facts(check, request, status, response, ALL_PAIR)


def test_a_status_counts_only_where_results_of_that_status_came_back() -> None:
    request = {"type": "voice", "filters": {"status": ["Active", "Paused"]}}
    found = keys(request, answer([campaign(status="Active")]))
    assert {"status/Active", "status/Paused"} <= found.exercised
    assert "status/Active" in found.judged and "status/Paused" not in found.judged
    assert keys(request, answer([])).judged & {"status/Active", "status/Paused"} == set()


def test_priority_and_dialing_mode_compare_as_the_page_writes_them() -> None:
    request = {"type": "voice", "filters": {"priority": [1, 4], "dialingMode": ["Preview"]}}
    found = keys(request, answer([campaign(priority="1", dialingMode="Preview")]))
    assert {"priority/1", "dialing-mode/Preview"} <= found.judged
    assert "priority/4" in found.exercised - found.judged
    sms = keys({**request, "type": "sms"}, answer([campaign(dialingMode="Preview")]))
    assert not any(k.startswith("dialing-mode/") for k in sms.exercised)


def test_a_sort_key_counts_only_on_a_page_with_two_distinct_values() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc", "createdAt": "desc"}}
    same_name = [campaign(name="A", createdAt=f"2025-06-0{d}T00:00:00.000Z") for d in (1, 2)]
    found = keys(request, answer(same_name))
    assert {"sort/name asc", "sort/createdAt desc", "sort-keys/2 keys"} <= found.exercised
    assert "sort/name asc" not in found.judged  # one name: the order could not be wrong
    assert {"sort/createdAt desc", "sort-keys/2 keys"} <= found.judged
    distinct = [campaign(name="A"), campaign(name="B")]
    found = keys(request, answer(distinct))
    assert "sort/name asc" in found.judged
    assert "sort/createdAt desc" not in found.judged  # no tie on name for createdAt to decide


def test_paging_shapes_are_read_from_the_page() -> None:
    one = [campaign()]
    first = keys({"type": "voice", "limit": 1}, answer(one, limit=1, hasMore=True, totalResults=3))
    assert "paging/first page" in first.judged
    middle = answer(one, skip=1, limit=1, hasMore=True, totalResults=3)
    assert "paging/middle page" in keys({"type": "voice", "skip": 1}, middle).judged
    last = keys(
        {"type": "voice", "page": 3, "limit": 1}, answer(one, skip=2, limit=1, totalResults=3)
    )
    assert {"paging/last page", "paging/exact multiple of limit", "paging/by page"} <= last.judged
    past = keys({"type": "voice", "skip": 9}, answer([], skip=9, totalResults=3))
    assert {"paging/past the end"} <= past.judged and "paging/by skip" in past.exercised
    assert "paging/by skip" not in past.judged
    blank = keys({"type": "voice", "skip": "", "limit": ""}, answer(one))
    assert 'paging/"" values' in blank.judged


def test_date_window_shapes_and_a_campaign_on_a_bound() -> None:
    bound = "2025-06-01T02:00:00+02:00"
    request = {"type": "voice", "startDate": bound, "endDate": "2025-07-01"}
    found = keys(request, answer([campaign(createdAt="2025-06-01T00:00:00.000Z")]))
    expected = {"both", "date only", "with offset", "campaign on a bound"}
    assert {f"date-window/{v}" for v in expected} <= found.judged
    only = keys({"type": "sms", "endDate": "2025-07-01T00:00:00.000Z"}, answer([]))
    assert "date-window/end only" in only.exercised - only.judged


def test_only_checks_that_judge_a_dimension_count_for_it() -> None:
    request = {"type": "voice", "filters": {"status": ["Active"]}, "sortBy": {"name": "asc"}}
    response = answer([campaign(name="A"), campaign(name="B", _id="cd-2")])
    found = facts("sort-order[name-asc]", request, 200, response, ["sort-order"])
    assert "sort/name asc" in found.judged
    assert "status/Active" in found.exercised and "status/Active" not in found.judged


def test_auth_cases_count_when_an_answer_came_back() -> None:
    for check, case in auth_cases().items():
        assert f"auth/{case}" in facts(check, {"type": "voice"}, 401, None).judged
    assert not facts("schema", {"type": "voice"}, 401, None).exercised


def test_auth_cases_are_the_auth_family_of_the_suite() -> None:
    source = (suite_dir() / "test_auth.py").read_text(encoding="utf-8")
    tests = re.findall(r"^def test_(\w+)\(", source, flags=re.M)
    assert sorted(t.replace("_", "-") for t in tests) == sorted(auth_cases())


def test_summary_percent_and_shortfall() -> None:
    judged = {"type/voice": ["schema"], "type/sms": ["schema"], "auth/missing": ["auth-missing"]}
    exercised = {**judged, "status/Paused": ["filter-status"]}
    coverage = summarise(exercised, judged, min_percent=50)
    by_name = {d.name: d for d in coverage.dimensions}
    assert [d.name for d in coverage.dimensions] == [d.name for d in dimensions()]
    assert by_name["type"].percent == 100 and by_name["auth"].percent == 25
    paused = next(v for v in by_name["status"].values if v.name == "Paused")
    assert (paused.state, paused.checks) == ("exercised", ["filter-status"])
    assert "type" not in coverage.short and {"auth", "status", "sort"} <= set(coverage.short)
    assert coverage.shortfall().startswith("coverage below 50% in: status 0%")
    assert summarise(exercised, judged).short == []


def _record(coverage: Coverage | None) -> RunRecord:
    record = RunRecord(target=TargetInfo("embedded mock", "st-app", "acc"), coverage=coverage)
    record.finish()
    return record


def test_report_json_carries_coverage_valid_against_its_schema() -> None:
    judged = {"type/voice": ["schema"]}
    data = record_to_dict(_record(summarise(judged, judged, min_percent=80)))
    assert list(validator("report").iter_errors(data)) == []
    assert data["coverage"]["met"] is False and "type" in data["coverage"]["short"]
    again = RunRecord.from_dict(json.loads(json.dumps(data)))
    assert again.coverage is not None and again.coverage.short == data["coverage"]["short"]
    assert record_to_dict(_record(None))["coverage"] is None


def test_summary_md_has_one_line_per_dimension() -> None:
    judged = {"type/voice": ["schema"]}
    text = render_markdown(_record(summarise(judged, judged, min_percent=80)))
    for dimension in dimensions():
        assert sum(1 for line in text.splitlines() if dimension.title in line) == 1
    assert "Campaign type | 1/2 (50%) | sms |" in text and "below 80%" in text


SUITE = str(suite_dir())


@pytest.mark.slow
def test_min_coverage_fails_the_run_naming_the_dimensions_short(
    pytester: pytest.Pytester,
) -> None:
    report_dir = pytester.path / "reports"
    result = pytester.runpytest(
        SUITE,
        "-p",
        "no:randomly",
        "--campaign-max-examples=2",
        f"--campaign-report-dir={report_dir}",
        "--campaign-min-coverage=60",
        "-k",
        "auth or test_schema",
    )
    assert result.ret == 1
    text = result.stdout.str()
    assert "verdict: PASSED" in text
    assert (
        "coverage below 60% in: " in text
        and "status 0%" in text
        and "auth" not in (text.split("coverage below 60% in: ", 1)[1].splitlines()[0])
    )
    data = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert list(validator("report").iter_errors(data)) == []
    by_name = {d["name"]: d for d in data["coverage"]["dimensions"]}
    assert by_name["auth"]["percent"] == 100 and by_name["type"]["percent"] >= 50
    assert data["coverage"]["met"] is False and "status" in data["coverage"]["short"]
    assert "Coverage" in (report_dir / "summary.md").read_text(encoding="utf-8")


def test_a_ledger_carries_its_coverage_to_the_controller() -> None:
    from campaign_contract.harness._ledger import Ledger

    ledger = Ledger("filter-status", "filters", "x::test")
    ledger.exercised |= {"status/Paused", "status/Active"}
    ledger.judged |= {"status/Active"}
    again = Ledger.from_property(json.loads(json.dumps(ledger.to_property())))
    assert (again.exercised, again.judged) == (ledger.exercised, ledger.judged)
