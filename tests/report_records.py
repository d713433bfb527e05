"""Run records for the report tests: a passing, a failing, an incomplete and an empty run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from campaign_contract.report import (
    CheckResult,
    Failure,
    Observation,
    RunRecord,
    TargetInfo,
    ThrottleEvent,
)
from campaign_contract.validation._violations import Violation

SENTINEL_TOKEN = "sentinel-token-7f3a9c1e-DO-NOT-LEAK"
CLIENT_SECRET = 'client-secret-<b>&"quoted"</b>'
STARTED = datetime(2025, 12, 8, 9, 17, 21, 90000, tzinfo=UTC)
TARGET = TargetInfo(host="http://127.0.0.1:8765", app_id="st-1234-app", account_id="acc-42")
SETTINGS = {"budget": 400, "rate": 2.0, "profile": "documented", "types": ["voice", "sms"]}
CURL = (
    "curl --location --request POST "
    "'http://127.0.0.1:8765/campaign/api/v2/public/st-1234-app/campaign/getAllCampaignDetails"
    "?accountId=acc-42' --header 'auth: ***' --header 'accountid: acc-42' "
    "--header 'iid: st-1234-app' --header 'Content-Type: application/json' "
    '--data \'{"type": "voice", "filters": {"status": ["Ready"]}}\''
)


def _record(*checks: CheckResult) -> RunRecord:
    record = RunRecord(
        target=TARGET, settings=dict(SETTINGS), seed=1234, started_at=STARTED, title="Contract run"
    )
    record.add_secret(SENTINEL_TOKEN, CLIENT_SECRET)
    for check in checks:
        record.add_check(check)
    return record


def _passing_checks() -> list[CheckResult]:
    return [
        CheckResult(
            "response-schema",
            "contract_tests/test_conformance.py::test_response_schema",
            "conformance",
            "passed",
            1.25,
            40,
            40,
        ),
        CheckResult(
            "page-size",
            "contract_tests/test_pagination.py::test_page_size",
            "pagination",
            "passed",
            0.8,
            25,
            20,
        ),
        CheckResult(
            "sort-order",
            "contract_tests/test_sorting.py::test_sort_order",
            "sorting",
            "passed",
            0.4,
            12,
            12,
        ),
        CheckResult(
            "jwt-expiry",
            "contract_tests/test_auth.py::test_jwt_expiry",
            "auth",
            "skipped",
            skip_reason="no client secret given",
        ),
    ]


def passing_record() -> RunRecord:
    record = _record(*_passing_checks())
    record.add_observation(
        Observation(
            "skip-and-page",
            "S-14",
            "data.skip was skip + (page-1)*limit when both were sent",
            request_body={"type": "voice", "skip": 5, "page": 2, "limit": 10},
        )
    )
    record.finish(STARTED + timedelta(seconds=3.2))
    return record


def failing_record() -> RunRecord:
    record = _record(*_passing_checks())
    record.add_check(
        CheckResult(
            "filter-status",
            "contract_tests/test_filters.py::test_filter_status",
            "filters",
            "failed",
            2.5,
            31,
            30,
            failures=[
                Failure(
                    message=(
                        f"a result's status is outside the filter (sent with {SENTINEL_TOKEN})"
                    ),
                    request_body={"type": "voice", "filters": {"status": ["Ready"]}},
                    response_status=200,
                    response_excerpt='{"status": "success", "data": {"results": '
                    '[{"id": "c1", "status": "Stopped"}]}}',
                    violations=[
                        Violation(
                            "/data/results/0/status",
                            "'Stopped' is not among the filter's statuses ['Ready'] <script>",
                            "filter-status",
                        ),
                        Violation(
                            "/data/results/0/updatedAt",
                            "updatedAt is earlier than createdAt",
                            "timestamp-order",
                            "warning",
                        ),
                    ],
                    curl=CURL,
                    seed=1234,
                    example="status=['Ready']",
                )
            ],
        )
    )
    record.add_check(
        CheckResult(
            "unknown-field",
            "contract_tests/test_request_handling.py::test_unknown_field",
            "request-handling",
            "error",
            0.1,
            1,
            0,
            failures=[Failure(message="ConnectionError: the server closed the connection")],
        )
    )
    record.add_observation(
        Observation("dialing-mode-sms", "S-23", "the server rejected dialingMode with type sms")
    )
    record.add_observation(
        Observation(
            "skip-and-page",
            "S-14",
            "data.skip was skip + (page-1)*limit when both were sent",
            detail="skip=5 page=2 limit=10 → data.skip=15",
        )
    )
    record.add_observation(Observation("zero-limit", "S-20", "limit 0 answered 400"))
    record.add_throttle(ThrottleEvent(STARTED.timestamp() + 1.5, 429, 2.0))
    record.add_throttle(ThrottleEvent(STARTED.timestamp() + 4.0, 503, 1.0))
    record.finish(STARTED + timedelta(seconds=9.7))
    return record


STOPPED = "throttled: 3 checks in a row ended throttled (HTTP 429); the rest of the run is skipped"


def incomplete_record() -> RunRecord:
    """Two checks passed, then the server kept answering 429 and the run stopped."""
    record = _record(*_passing_checks()[:2])
    for name in ("sort-order", "crawl"):
        record.add_check(
            CheckResult(
                name,
                f"contract_tests/test_sorting.py::test_{name.replace('-', '_')}",
                "sorting",
                "skipped",
                skip_reason=STOPPED,
            )
        )
    record.add_throttle(ThrottleEvent(STARTED.timestamp() + 2.0, 429, 0.0))
    record.incomplete_reason = STOPPED
    record.finish(STARTED + timedelta(seconds=4.1))
    return record


def empty_record() -> RunRecord:
    record = _record()
    record.finish(STARTED + timedelta(seconds=0.2))
    return record


RECORDS = {
    "passing": passing_record,
    "failing": failing_record,
    "incomplete": incomplete_record,
    "empty": empty_record,
}


def signable_record() -> RunRecord:
    """A failing run against the embedded mock as a QA lead would sign it: one check failing
    three times with one cause and once with another, drawn inputs, replay, coverage, label."""
    from campaign_contract.harness._coverage import summarise
    from campaign_contract.report import RunInfo

    def failure(skip: int, holds: int, message: str | None = None) -> Failure:
        text = message or (
            f"data.skip {skip}, data.limit 10 and totalResults 25 call for 5 results; "
            f"the page holds {holds}"
        )
        return Failure(
            message=text,
            request_body={"type": "voice", "limit": 10, "skip": skip},
            response_status=200,
            response_excerpt='{"status": "success"}',
            violations=[Violation("/data/results", text, "page-fill")],
            curl=CURL,
            seed=1234,
            inputs=["limit = 10", 'draw 1 (type) = "voice"', f"draw 2 (skip) = {skip}"],
            replay="campaign-contract verify --fault skip-off-by-one --max-examples 50 "
            "--hypothesis-seed 1234 -k test_page_fill",
        )

    record = RunRecord(
        target=TargetInfo(
            "http://127.0.0.1:40267", "st-mock-app", "mock-account", True, ("skip-off-by-one",)
        ),
        settings={"url": "embedded mock", "budget": None, "faults": ["skip-off-by-one"]},
        seed=1234,
        started_at=STARTED,
        run=RunInfo(
            "campaign-contract verify --fault skip-off-by-one --token *** --label 'rc 2.4'",
            "CPython 3.11.7",
            "Linux-6.1-x86_64",
            "rc 2.4",
        ),
    )
    record.add_secret(SENTINEL_TOKEN)
    record.add_check(
        CheckResult(
            "page-fill",
            "contract_tests/test_pagination.py::test_page_fill",
            "pagination",
            "failed",
            1.0,
            30,
            3,
            [
                failure(20, 4),
                failure(10, 9),
                failure(30, 0),
                failure(0, 0, "the request could not be sent: timeout"),
            ],
        )
    )
    record.add_check(CheckResult("schema", "x::test_schema", "conformance", "passed", 0.5, 10, 10))
    record.add_check(CheckResult("crawl", "x::test_crawl", "pagination", "passed", 0.5, 10, 1))
    judged = {"type/voice": ["schema"], "status/Active": ["filter-status"]}
    exercised = {**judged, "status/Paused": ["filter-status"]}
    record.coverage = summarise(exercised, judged, min_percent=50)
    record.finish(STARTED + timedelta(seconds=12))
    return record
