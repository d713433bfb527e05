"""report.html looked at in headless Chromium, as a person would: passing, failing, incomplete,
empty."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from campaign_contract.report import RunRecord, write_reports
from report_records import RECORDS, signable_record

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@dataclass
class Opened:
    """A report page, with every URL it fetched and every script error it raised."""

    page: Any
    fetched: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


Opener = Callable[[RunRecord, Path], Opened]


@pytest.fixture
def open_report(browser: Any) -> Iterator[Opener]:
    """Writes a record's reports into a directory and opens its report.html."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )

    def opener(record: RunRecord, report_dir: Path) -> Opened:
        paths = write_reports(record, report_dir)
        opened = Opened(context.new_page())
        opened.page.on("request", lambda request: opened.fetched.append(request.url))
        opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
        opened.page.on(
            "console",
            lambda message: opened.errors.append(message.text) if message.type == "error" else None,
        )
        opened.page.goto(paths["html"].resolve().as_uri())
        return opened

    yield opener
    context.close()


def _finish(opened: Opened, report_dir: Path) -> None:
    """Screenshot into the report directory; the page fetched nothing and raised nothing."""
    shot = report_dir / "report.png"
    opened.page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert opened.errors == []
    assert [url for url in opened.fetched if not url.startswith("file://")] == []


def _visible_rows(page: Any) -> list[str]:
    rows = page.locator("[data-testid=check-row]:visible")
    return [rows.nth(i).get_attribute("data-outcome") for i in range(rows.count())]


def test_failing_report_in_a_browser(open_report: Opener, tmp_path: Path) -> None:
    record = RECORDS["failing"]()
    opened = open_report(record, tmp_path)
    page = opened.page
    verdict = page.get_by_test_id("verdict")
    assert verdict.get_attribute("data-verdict") == "failed"
    assert verdict.inner_text() == "Failed"
    assert page.get_by_test_id("failure-count").inner_text() == "2"
    assert len(_visible_rows(page)) == 6

    page.get_by_test_id("filter-failed").click()
    assert _visible_rows(page) == ["failed"]
    assert page.get_by_test_id("filter-failed").get_attribute("aria-pressed") == "true"
    page.get_by_test_id("filter-error").click()
    assert _visible_rows(page) == ["error"]
    page.get_by_test_id("filter-all").click()
    assert len(_visible_rows(page)) == 6

    failure = page.get_by_test_id("failure").first
    curl = failure.get_by_test_id("curl")
    assert not curl.is_visible()
    failure.locator("summary").click()
    assert curl.is_visible()
    assert "auth: ***" in curl.inner_text()
    assert curl.inner_text().startswith("curl --location --request POST")
    assert "statuses ['Ready'] <script>" in failure.get_by_test_id("violation").first.inner_text()
    button = failure.get_by_test_id("copy-curl")
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == curl.inner_text()
    _finish(opened, tmp_path)


def test_passing_report_in_a_browser(open_report: Opener, tmp_path: Path) -> None:
    opened = open_report(RECORDS["passing"](), tmp_path)
    page = opened.page
    assert page.get_by_test_id("verdict").get_attribute("data-verdict") == "passed"
    assert page.get_by_test_id("verdict").inner_text() == "Passed"
    assert page.get_by_test_id("failure-count").inner_text() == "0"
    assert page.get_by_test_id("failure").count() == 0
    page.get_by_test_id("filter-passed").click()
    assert _visible_rows(page) == ["passed"] * 3
    page.get_by_test_id("filter-failed").click()
    assert _visible_rows(page) == []
    assert page.get_by_test_id("no-match").is_visible()
    page.get_by_test_id("filter-skipped").click()
    assert _visible_rows(page) == ["skipped"]
    assert not page.get_by_test_id("no-match").is_visible()
    _finish(opened, tmp_path)


def test_incomplete_report_in_a_browser(open_report: Opener, tmp_path: Path) -> None:
    opened = open_report(RECORDS["incomplete"](), tmp_path)
    page = opened.page
    verdict = page.get_by_test_id("verdict")
    assert verdict.get_attribute("data-verdict") == "incomplete"
    assert verdict.inner_text() == "Incomplete"
    reason = page.get_by_test_id("incomplete-reason")
    assert reason.is_visible()
    assert reason.inner_text().startswith("Stopped before every check ran: throttled: 3 checks")
    background = page.get_by_test_id("verdict-banner").evaluate(
        "e => getComputedStyle(e).backgroundImage"
    )
    assert "rgb(154, 103, 0)" in background  # the amber of the incomplete banner
    page.get_by_test_id("filter-skipped").click()
    assert _visible_rows(page) == ["skipped"] * 2
    _finish(opened, tmp_path)


def test_empty_report_in_a_browser(open_report: Opener, tmp_path: Path) -> None:
    opened = open_report(RECORDS["empty"](), tmp_path)
    page = opened.page
    assert page.get_by_test_id("verdict").get_attribute("data-verdict") == "empty"
    assert page.get_by_test_id("verdict").inner_text() == "No checks ran"
    assert page.get_by_test_id("failure-count").inner_text() == "0"
    assert page.get_by_test_id("check-count").inner_text() == "0"
    assert page.get_by_test_id("no-checks").is_visible()
    assert page.get_by_test_id("check-row").count() == 0
    _finish(opened, tmp_path)


def test_report_to_sign_in_a_browser(open_report: Opener, tmp_path: Path) -> None:
    """Coverage matrix, families, failures grouped by cause with their count, drawn inputs and
    the replay command beside the curl, the run block; no console error."""
    from campaign_contract.harness._coverage import dimensions

    opened = open_report(signable_record(), tmp_path)
    page = opened.page
    assert (
        "embedded mock (faults: skip-off-by-one)" in page.get_by_test_id("target-kind").inner_text()
    )
    assert page.get_by_test_id("label").inner_text() == "rc 2.4"

    matrix = page.get_by_test_id("coverage-matrix")
    expect(matrix).to_be_visible()
    rows = page.get_by_test_id("coverage-row")
    assert rows.count() == len(dimensions())
    status = page.locator("[data-testid=coverage-row][data-dimension=status]")
    states = status.get_by_test_id("coverage-cell")
    by_value = {
        states.nth(i).inner_text(): states.nth(i).get_attribute("data-state")
        for i in range(states.count())
    }
    assert by_value["Active"] == "judged" and by_value["Paused"] == "exercised"
    assert by_value["Ready"] == "missing"
    judged = page.locator("[data-state=judged]").first
    assert judged.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(218, 251, 225)"
    assert "status" in page.get_by_test_id("coverage-short").inner_text()

    families = page.get_by_test_id("family-row")
    assert [families.nth(i).get_attribute("data-family") for i in range(families.count())] == [
        "pagination",
        "conformance",
        "crawl",
        "observations",
    ]

    groups = page.get_by_test_id("failure-group")
    assert groups.count() == 2
    expect(groups.first.get_by_test_id("group-count")).to_have_text("× 3")
    failure = groups.first.get_by_test_id("failure")
    replay = failure.get_by_test_id("replay")
    curl = failure.get_by_test_id("curl")
    assert not replay.is_visible()
    failure.locator("summary").click()
    expect(replay).to_be_visible()
    expect(curl).to_be_visible()
    assert replay.inner_text().startswith("campaign-contract verify ")
    assert "--hypothesis-seed 1234 -k test_page_fill" in replay.inner_text()
    replay_box, curl_box = replay.bounding_box(), curl.bounding_box()
    assert abs(replay_box["y"] - curl_box["y"]) < 5 and replay_box["x"] < curl_box["x"]
    inputs = failure.get_by_test_id("inputs")
    expect(inputs).to_be_visible()
    assert 'draw 1 (type) = "voice"' in inputs.inner_text()
    button = failure.get_by_test_id("copy-replay")
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == replay.inner_text()
    more = groups.first.get_by_test_id("more-failures")
    more.locator("summary").click()
    assert "holds 9" in more.inner_text() and "holds 0" in more.inner_text()

    run = page.get_by_test_id("run")
    expect(run).to_be_visible()
    assert "--token ***" in page.get_by_test_id("run-command").inner_text()
    assert "CPython 3.11.7" in run.inner_text()
    _finish(opened, tmp_path)
