"""A report someone can sign: what it ran against, how it was started, failures by cause,
replay commands, settings in words, every report listed, junit named by checks."""

from __future__ import annotations

import json
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

from campaign_contract._settings import Settings
from campaign_contract.harness._junit import tidy_junit
from campaign_contract.harness._run_state import replay_command, select_expression
from campaign_contract.report import render_html, render_markdown, write_reports
from campaign_contract.report._format import value_text
from campaign_contract.report._html import failure_groups, family_rows
from campaign_contract.report._json import record_to_dict
from campaign_contract.report._model import mask_arguments
from campaign_contract.validation._schemas import validator
from report_records import SENTINEL_TOKEN, failing_record, signable_record


def test_failures_with_one_cause_form_one_group_with_their_count() -> None:
    groups = failure_groups(signable_record())
    assert [(g.check.name, len(g.failures)) for g in groups] == [("page-fill", 3), ("page-fill", 1)]
    assert groups[0].anchor == "check-0" and groups[1].anchor == "check-0-1"
    assert "N" in groups[0].shape and "20" not in groups[0].shape


def test_families_are_summarised_with_crawl_on_its_own() -> None:
    rows = {r.name: r for r in family_rows(signable_record())}
    assert list(rows) == ["pagination", "conformance", "crawl"]
    assert rows["pagination"].counts["failed"] == 1 and rows["pagination"].outcome == "failed"
    assert rows["crawl"].total == 1 and rows["conformance"].outcome == "passed"


def test_settings_read_not_set_and_dash_instead_of_null_and_empty() -> None:
    assert value_text(None) == "not set"
    assert value_text([]) == "—" and value_text("") == "—"
    assert value_text(["voice", "sms"]) == "voice, sms"
    html = render_html(signable_record())
    assert ">null<" not in html and ">[]<" not in html


def test_command_line_is_masked_whatever_the_flag_form() -> None:
    argv = [
        "verify",
        "--token",
        "abc",
        "--client-secret=xyz",
        "--campaign-token=q",
        "--app-id",
        "a",
    ]
    assert mask_arguments(argv) == [
        "verify",
        "--token",
        "***",
        "--client-secret=***",
        "--campaign-token=***",
        "--app-id",
        "a",
    ]


def test_replay_command_names_target_seed_and_one_check_never_a_secret() -> None:
    live = Settings(
        url="https://platform.kore.ai",
        app_id="st-1",
        account_id="acc",
        token=SENTINEL_TOKEN,
        client_id="cs-1",
        client_secret="s3cret",
    )
    others = ["a::test_crawl", "a::test_crawl_skip_vs_page", "a::test_schema"]
    command = replay_command(live, 42, "a::test_crawl", others)
    assert SENTINEL_TOKEN not in command and "s3cret" not in command
    argv = shlex.split(command)
    assert argv[:2] == ["campaign-contract", "verify"]
    assert argv[argv.index("--url") + 1] == "https://platform.kore.ai"
    assert argv[argv.index("--hypothesis-seed") + 1] == "42"
    assert argv[argv.index("--max-examples") + 1] == str(live.examples)
    assert argv[argv.index("-k") + 1] == "test_crawl and not test_crawl_skip_vs_page"
    mock = replay_command(Settings(faults=("skip-off-by-one",)), 7, "a::test_sort_order[name-asc]")
    assert "--fault skip-off-by-one" in mock and "--url" not in mock
    assert select_expression("a::test_sort_order[name-asc]") == "test_sort_order[name-asc]"


def test_report_json_carries_run_target_kind_inputs_and_replay() -> None:
    data = record_to_dict(signable_record())
    assert list(validator("report").iter_errors(data)) == []
    assert data["target"]["embedded_mock"] is True
    assert data["target"]["faults"] == ["skip-off-by-one"]
    assert data["run"]["label"] == "rc 2.4" and data["run"]["python"].startswith("CPython")
    failure = data["checks"][0]["failures"][0]
    assert failure["inputs"][0] == "limit = 10" and "--hypothesis-seed 1234" in failure["replay"]


def test_banner_says_embedded_mock_with_its_faults_or_the_tenants_host() -> None:
    html = render_html(signable_record())
    assert "embedded mock (faults: skip-off-by-one)" in html
    tenant = failing_record()
    tenant_html = render_html(tenant)
    assert 'data-testid="target-kind">http://127.0.0.1:8765<' in tenant_html


def test_summary_md_lists_every_report(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    paths = write_reports(signable_record(), tmp_path, also={"junit": junit})
    text = paths["md"].read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("Reports:"))
    for name in ("junit.xml", "report.json", "report.html", "summary.md"):
        assert name in line
    assert render_markdown(signable_record()).count("Reports:") == 0


def test_junit_cases_take_their_check_names_and_lose_hypothesis_blobs(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
        '<properties><property name="hypothesis-statistics-x" value="eyJh"/></properties>'
        '<testcase classname="test_sorting" name="test_sort_order[name-asc]">'
        '<properties><property name="check" value="sort-order[name-asc]"/></properties>'
        "</testcase></testsuite></testsuites>",
        encoding="utf-8",
    )
    assert tidy_junit(path)
    root = ET.parse(path).getroot()
    assert [c.get("name") for c in root.iter("testcase")] == ["sort-order[name-asc]"]
    assert "hypothesis-statistics" not in path.read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text("<testsuites", encoding="utf-8")
    assert not tidy_junit(broken)


def test_a_record_read_back_renders_the_same(tmp_path: Path) -> None:
    record = signable_record()
    from campaign_contract.report import RunRecord

    again = RunRecord.from_dict(json.loads(json.dumps(record_to_dict(record))))
    assert render_html(again) == render_html(record)
