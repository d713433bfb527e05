"""The suite's machinery on its own: ledgers, the collector, progress, the contract handle."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from _pytest._code.code import (
    ExceptionChainRepr,
    ReprEntry,
    ReprFileLocation,
    ReprFuncArgs,
    ReprLocals,
    ReprTraceback,
)
from campaign_contract._secrets import Scrubber
from campaign_contract.checks._crawl import crawl
from campaign_contract.checks._recall import check_recall, surely_matches
from campaign_contract.client._exchange import Target
from campaign_contract.harness import _contract
from campaign_contract.harness import _ledger as ledgers
from campaign_contract.harness._collect import Collector
from campaign_contract.harness._contract import ANSWERS, Contract
from campaign_contract.harness._hypothesis import suite_settings
from campaign_contract.harness._ledger import Ledger, StopReason
from campaign_contract.harness._progress import Progress, Status, is_interactive
from campaign_contract.harness._run_state import check_name, family_name
from campaign_contract.harness._throttle import ThrottleStreak
from campaign_contract.mock import start_mock
from campaign_contract.report import Failure, Observation, TargetInfo, ThrottleEvent
from hypothesis import Phase


def test_check_and_family_names_come_from_the_tests() -> None:
    assert check_name("test_metamorphic_sort_reverse") == "metamorphic-sort-reverse"
    assert check_name("test_sort_order[name-asc]") == "sort-order[name-asc]"
    assert check_name("test_page[has-more]", param="has-more") == "has-more"
    assert check_name("test_anything", override="custom") == "custom"
    assert family_name("campaign_contract.suite.test_request_handling") == "request-handling"


def test_ledger_travels_as_plain_json_and_keeps_the_final_failure() -> None:
    ledger = Ledger("schema", "conformance", "suite/test_conformance.py::test_schema")
    ledger.requests, ledger.examples = 5, 3
    ledger.add_failure(Failure("while shrinking"), final=False)
    ledger.add_failure(Failure("shrunk", request_body={"type": "sms"}), final=True)
    ledger.observe(Observation("schema", "S-14", "skip wins"))
    ledger.observe(Observation("schema", "S-14", "skip wins"))
    ledger.throttling.append(ThrottleEvent(1.0, 429, 0.5))
    data = json.loads(json.dumps(ledger.to_property()))
    back = Ledger.from_property(data)
    assert [f.message for f in back.failures] == ["shrunk"]
    assert len(back.observations) == 1 and back.throttling[0].status == 429
    assert (back.requests, back.examples) == (5, 3)
    only_provisional = Ledger("c", "f", "n")
    only_provisional.add_failure(Failure("latest"), final=False)
    assert [f.message for f in only_provisional.reported_failures()] == ["latest"]


def _take(collector: Collector, when: str, outcome: str, props: list[tuple[str, object]]) -> None:
    longrepr = ("file", 1, "Skipped: budget spent: gone") if outcome == "skipped" else None
    collector.take(
        nodeid="n",
        when=when,
        outcome=outcome,
        duration=0.25,
        longrepr=longrepr,
        properties=props,
        name="n",
        family="",
        crash="boom" if outcome == "failed" else None,
    )


def test_collector_merges_phases_and_builds_the_record() -> None:
    collector = Collector()
    ledger = Ledger("schema", "conformance", "n", requests=4, examples=2)
    ledger.observe(Observation("schema", "S-15", "default limit 10"))
    _take(collector, "setup", "passed", [("check", "schema")])
    _take(collector, "call", "failed", [("check", "schema")])
    _take(collector, "teardown", "passed", [("campaign_contract", ledger.to_property())])
    record = collector.record(
        settings={"token": "tok-SECRET", "budget": 3},
        seed=9,
        secrets=["tok-SECRET"],
        fallback_target=TargetInfo("embedded mock", "a", "b"),
    )
    (check,) = record.checks
    assert (check.name, check.family, check.outcome) == ("schema", "conformance", "failed")
    assert check.requests == 4 and check.duration == pytest.approx(0.75)
    assert check.failures[0].message == "boom" and check.failures[0].seed == 9
    assert "token" not in record.settings and "tok-SECRET" in record.secrets
    assert [o.spec_note for o in record.observations] == ["S-15"]
    skipped = Collector()
    _take(skipped, "setup", "skipped", [("check", "x")])
    assert skipped.checks["n"].skip_reason == "budget spent: gone"
    errored = Collector()
    _take(errored, "setup", "failed", [("check", "x")])
    assert errored.checks["n"].outcome == "error"


def test_the_check_running_when_the_server_went_away_is_skipped_unless_it_failed() -> None:
    reason = "no response from http://127.0.0.1:9"
    target = TargetInfo("embedded mock", "a", "b")
    stopped = Collector()
    _take(stopped, "setup", "passed", [("check", "n")])
    stopped.interrupt("n", "n", reason)
    assert (stopped.checks["n"].outcome, stopped.checks["n"].skip_reason) == ("skipped", reason)
    record = stopped.record(
        settings={}, seed=1, secrets=[], fallback_target=target, incomplete_reason=reason
    )
    assert (record.verdict, record.incomplete_reason) == ("incomplete", reason)
    failed = Collector()
    _take(failed, "call", "failed", [("check", "n")])
    failed.interrupt("n", "n", reason)
    assert failed.checks["n"].outcome == "failed"
    record = failed.record(
        settings={}, seed=1, secrets=[], fallback_target=target, incomplete_reason=reason
    )
    assert record.verdict == "failed"


class _Writer:
    fullwidth = 60
    width_of_current_line = 20


def test_progress_draws_beside_pytest_output_when_interactive() -> None:
    out = io.StringIO()
    progress = Progress(_Writer(), out.write, out.write, interactive=True)
    progress.show(Status("crawl", 12, 100, 0, 0.0))
    assert out.getvalue().startswith("\x1b7\x1b[K  crawl · 12/100 requests")
    assert out.getvalue().endswith("\x1b8")
    progress.clear()
    assert out.getvalue().endswith("\x1b[K")


def test_progress_prints_plain_lines_in_ci_when_throttled() -> None:
    lines: list[str] = []
    progress = Progress(_Writer(), lines.append, lines.append, interactive=False)
    progress.show(Status("crawl", 1, None, 0, 0.0))
    assert lines == []
    progress.show(Status("crawl", 2, None, 1, 2.5))
    assert lines == ["campaign-contract: crawl · 2 requests · throttled 1× (2.5 s waited)"]
    assert not is_interactive(io.StringIO(), {"CI": "true"})


def test_progress_shows_check_k_of_n_the_budget_and_the_time_left() -> None:
    status = Status("crawl", 40, 180, 0, 0.0, position=(12, 53), eta=95.0)
    assert status.text() == "check 12 of 53: crawl · 40/180 requests · about 1 min 35 s left"


def test_recall_needs_every_reading_to_match() -> None:
    item = {
        "id": "c1",
        "status": "Ready",
        "priority": "5",
        "createdAt": "2025-12-02T00:00:00.000Z",
        "updatedAt": "2025-12-03T00:00:00.000Z",
    }
    inside = {
        "type": "voice",
        "startDate": "2025-12-01T23:59:59.999Z",
        "endDate": "2025-12-03T00:00:00.001Z",
    }
    on_bounds = {**inside, "startDate": item["createdAt"], "endDate": item["updatedAt"]}
    assert surely_matches(item, on_bounds) is False  # an exclusive bound leaves it out (S-09)
    assert surely_matches(item, {**inside, "filters": {"status": ["Ready"], "priority": [5]}})
    assert surely_matches(item, {**inside, "filters": {"status": []}})
    assert not surely_matches(item, {**inside, "filters": {"priority": [4]}})
    assert not surely_matches(item, {**inside, "endDate": "2025-12-02T12:00:00.000Z"})
    assert surely_matches(item, {"type": "voice", "startDate": "2025-12-02"}) is None
    found = check_recall(inside, [item], [])
    assert found and found[0].check == "filter-recall" and "c1" in found[0].message
    assert check_recall(inside, [item], [item]) == []


@pytest.fixture
def mock_contract() -> Iterator[Contract]:
    with start_mock() as mock:
        yield Contract(mock.target(), rate=0.0, budget=None)


def test_crawl_walks_until_has_more_is_false(mock_contract: Contract) -> None:
    walk = crawl(mock_contract, {"type": "sms", "filters": {"status": ["Ready"]}}, limit=7)
    total = walk.pages[0]["data"]["totalResults"]
    assert walk.complete and len(walk.ids) == total
    assert all(e.request_body.get("skip") is not None for e in walk.exchanges)


def test_contract_counts_requests_in_the_running_ledger(mock_contract: Contract) -> None:
    ledger = ledgers.begin("schema", "conformance", "n")
    try:
        mock_contract.post({"type": "voice"})
        mock_contract.post({"type": "sms"})
    finally:
        ledgers.end()
    assert ledger.requests == 2


def test_an_observation_is_recorded_once_and_its_excerpt_worked_out_once(
    mock_contract: Contract, monkeypatch: pytest.MonkeyPatch
) -> None:
    excerpts: list[int] = []
    real = _contract.excerpt

    def counted(exchange: Any, limit: int = 600) -> str:
        excerpts.append(exchange.status)
        return real(exchange, limit)

    monkeypatch.setattr(_contract, "excerpt", counted)
    ledger = ledgers.begin("schema", "conformance", "n")
    try:
        first = mock_contract.post({"type": "voice"})
        second = mock_contract.post({"type": "voice", "limit": 0})
        mock_contract.observe("S-15", "default limit", exchange=first)
        mock_contract.observe("S-15", "default limit", exchange=second)
        mock_contract.observe("S-15", "another reading", exchange=second)
    finally:
        ledgers.end()
    assert [o.message for o in ledger.observations] == ["default limit", "another reading"]
    assert ledger.observations[0].detail is not None
    assert ledger.observations[0].detail.startswith(f"HTTP {first.status}:")
    assert excerpts == [first.status, second.status]


def test_spent_budget_skips_the_check() -> None:
    with start_mock() as mock:
        contract = Contract(mock.target(), rate=0.0, budget=1)
        ledger = ledgers.begin("schema", "conformance", "n")
        try:
            contract.post({"type": "voice"})
            with pytest.raises(pytest.skip.Exception, match="budget spent"):
                contract.post({"type": "sms"})
        finally:
            ledgers.end()
    assert ledger.skip_reason and ledger.requests == 1


def test_an_identical_request_is_answered_from_the_run_cache_unless_fresh() -> None:
    with start_mock() as mock:
        contract = Contract(mock.target(), rate=0.0, budget=None)
        ledger = ledgers.begin("schema", "conformance", "n")
        try:
            first = contract.post({"type": "voice", "limit": 2})
            again = contract.post({"type": "voice", "limit": 2})
            reordered = contract.post({"limit": 2, "type": "voice"})
            with contract.fresh():
                asked = contract.post({"type": "voice", "limit": 2})
            refused = contract.post({"type": "voice", "limit": 2}, auth=None)
        finally:
            ledgers.end()
    assert again is first and asked is not first
    assert reordered is not first  # member order is part of the request (sort-key priority)
    assert refused.status == 401
    assert (ledger.requests, ledger.reused) == (4, 1)


class _Throttling(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(429)
        self.send_header("Retry-After", "0")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_that_keeps_throttling_skips_the_check_and_records_it() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Throttling)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        contract = Contract(Target(url, "app", "acc", "tok"), rate=0.0, budget=None)
        ledger = ledgers.begin("schema", "conformance", "n")
        try:
            with pytest.raises(pytest.skip.Exception, match="throttled"):
                contract.post({"type": "voice"})
        finally:
            ledgers.end()
    finally:
        server.shutdown()
        server.server_close()
    assert ledger.skip_reason and ledger.skip_reason.startswith("throttled")
    assert len(ledger.throttling) == ledger.requests == 4
    assert {t.status for t in ledger.throttling} == {429}


def test_failure_message_carries_the_reproduction_and_masks_the_token(
    mock_contract: Contract,
) -> None:
    exchange = mock_contract.post({"type": "voice", "limit": 1})
    ledger = ledgers.begin("schema", "conformance", "n")
    try:
        with pytest.raises(AssertionError) as caught:
            mock_contract.fail("made up", exchange)
    finally:
        ledgers.end()
    text = str(caught.value)
    assert "reproduce: curl" in text and "auth: ***" in text
    assert mock_contract.target.token not in text
    assert ledger.failures[0].curl.startswith("curl ")


def test_scrubber_masks_secrets_whole_and_cut_by_a_truncated_repr() -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.payload-SENTINEL.signature"
    scrubber = Scrubber([token, None, ""])
    assert scrubber.text(f"auth: {token}!") == "auth: ***!"
    cut = f"{{'auth': '{token[:20]}...{token[-9:]}', 'iid': 'st-app'}}"
    shown = scrubber.text(cut)
    assert token[:8] not in shown and token[-8:] not in shown and "'iid': 'st-app'" in shown
    assert scrubber.text("short...text") == "short...text"
    assert not Scrubber([None, ""])


def test_scrubber_walks_a_pytest_failure_report() -> None:
    token = "tok-SENTINEL-0123456789"
    entry = ReprEntry(
        lines=[f">   send({token!r})"],
        reprfuncargs=ReprFuncArgs([("auth", repr(token))]),
        reprlocals=ReprLocals([f"headers = {{'auth': '{token[:12]}...'}}"]),
        reprfileloc=ReprFileLocation("x.py", 1, f"ValueError: {token}"),
        style="long",
    )
    longrepr = ExceptionChainRepr(
        [(ReprTraceback([entry], None, "long"), ReprFileLocation("x.py", 1, token), None)]
    )
    report = pytest.TestReport(
        "n", ("x.py", 1, "n"), {}, "failed", longrepr, "call", [("Captured", token)]
    )
    report.user_properties.append(("campaign_contract", {"failures": [{"curl": token}]}))
    Scrubber([token]).report(report)
    assert "SENTINEL" not in str(report.longrepr) and "tok-SENTINEL" not in repr(report.sections)
    assert "SENTINEL" not in repr(report.user_properties)
    assert report.longrepr.reprcrash is not None  # still a traceback, not flattened text
    assert "SENTINEL" not in report.longrepr.reprcrash.message


def test_throttle_streak_stops_after_three_throttled_checks_in_a_row(tmp_path: Path) -> None:
    for streak, other in ((ThrottleStreak(), None), (ThrottleStreak(tmp_path), tmp_path)):
        streak.end_check(throttled=True, sent=True)
        streak.end_check(throttled=True, sent=True)
        streak.end_check(throttled=False, sent=True)  # got its answers: the count starts over
        streak.end_check(throttled=True, sent=True)
        streak.end_check(throttled=False, sent=False)  # sent nothing: no change
        streak.end_check(throttled=True, sent=False)  # skipped by a stopped run: no change
        streak.end_check(throttled=True, sent=True)
        assert not streak.stopped()
        streak.end_check(throttled=True, sent=True)
        assert streak.stopped()
        streak.end_check(throttled=False, sent=True)
        assert streak.stopped()
        if other is not None:  # shared through the folder with the other processes
            assert ThrottleStreak(other).stopped()


def test_why_a_check_stopped_travels_in_its_ledger_as_a_field() -> None:
    ledger = Ledger("schema", "conformance", "n")
    message = ledger.stopped(StopReason.BUDGET, "the request budget of 4 ran out")
    assert message == "budget spent: the request budget of 4 ran out"
    back = Ledger.from_property(json.loads(json.dumps(ledger.to_property())))
    assert (back.stop, back.skip_reason) == (StopReason.BUDGET, message)
    collector = Collector()
    _take(collector, "setup", "skipped", [("check", "schema")])
    _take(collector, "teardown", "passed", [("campaign_contract", ledger.to_property())])
    assert collector.stopped_by(StopReason.BUDGET) == 1
    assert collector.stopped_by(StopReason.THROTTLED) == 0
    ledger.resume()
    assert Ledger.from_property(ledger.to_property()).stop is None
    assert StopReason.read("no such reason") is None


def test_remote_runs_do_not_shrink() -> None:
    assert Phase.shrink in suite_settings(5).phases
    remote = suite_settings(5, shrink=False)
    assert Phase.shrink not in remote.phases and Phase.explicit in remote.phases
    assert remote.max_examples == 5


@pytest.mark.parametrize("rate, budget", [(5000.0, None), (0.0, 10_000)])
def test_paced_or_counted_workers_share_the_answers_through_the_state_folder(
    tmp_path: Path, rate: float, budget: int | None
) -> None:
    with start_mock() as mock:
        first = Contract(mock.target(), rate=rate, budget=budget, state_dir=tmp_path)
        second = Contract(mock.target(), rate=rate, budget=budget, state_dir=tmp_path)
        sent = first.post({"type": "sms", "limit": 3})
        ledger = ledgers.begin("crawl", "pagination", "n")
        try:
            shared = second.post({"type": "sms", "limit": 3})
        finally:
            ledgers.end()
    assert (ledger.requests, ledger.reused) == (0, 1)
    assert shared.response_body == sent.response_body and shared.status == sent.status
    assert shared.curl() == sent.curl()


def test_unpaced_workers_write_no_answers_for_each_other(tmp_path: Path) -> None:
    """On a fast server with no rate and no budget, a request costs less than the file that
    would share its answer: each worker keeps its answers to itself."""
    with start_mock() as mock:
        first = Contract(mock.target(), rate=0.0, budget=None, state_dir=tmp_path)
        second = Contract(mock.target(), rate=0.0, budget=None, state_dir=tmp_path)
        first.post({"type": "sms", "limit": 3})
        ledger = ledgers.begin("crawl", "pagination", "n")
        try:
            second.post({"type": "sms", "limit": 3})
        finally:
            ledgers.end()
    assert (ledger.requests, ledger.reused) == (1, 0)
    assert not (tmp_path / ANSWERS).exists()
