"""Throttling: ``rate_limit`` answers 429 with Retry-After past N requests per window, per account.

The window slides (checked with a clock the test moves); another account keeps its own
allowance; and the contract suite against a throttling mock ends passed or incomplete, never
failed.
"""

from __future__ import annotations

from typing import Any

import pytest
from campaign_contract import MockServer
from campaign_contract.mock import OptionError, RateLimit
from campaign_contract.mock._throttle import SlidingWindow
from mock_support import call, outcomes, run_suite

BODY = {"type": "sms", "limit": 2}


@pytest.mark.parametrize(
    ("text", "requests", "window"),
    [("60/min", 60, 60.0), ("5/s", 5, 1.0), ("1000/hour", 1000, 3600.0), (" 2 / sec ", 2, 1.0)],
)
def test_rate_limits_parse(text: str, requests: int, window: float) -> None:
    assert RateLimit.parse(text) == RateLimit(requests, window)


@pytest.mark.parametrize("text", ["60", "0/min", "-1/s", "5/fortnight", "five/min", ""])
def test_bad_rate_limits_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(OptionError, match=r"e\.g\. 60/min"):
        RateLimit.parse(text)


def test_the_window_slides() -> None:
    now = [100.0]
    window = SlidingWindow(RateLimit(2, 10.0), clock=lambda: now[0])
    assert window.admit("a") == 0
    now[0] = 104.0
    assert window.admit("a") == 0
    now[0] = 106.0
    assert window.admit("a") == pytest.approx(4.0)  # the first request leaves the window at 110
    now[0] = 110.0
    assert window.admit("a") == 0  # one slot freed, not the whole window reset
    assert window.admit("a") == pytest.approx(4.0)  # the second leaves at 114
    assert window.admit("b") == 0  # another key has its own allowance


def test_past_the_limit_is_429_with_retry_after_and_a_json_reason() -> None:
    with MockServer(campaigns=3, rate_limit="3/min") as mock:
        statuses = [call(mock, BODY).status_code for _ in range(3)]
        throttled = call(mock, BODY)
    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60
    body: dict[str, Any] = throttled.json()
    assert body["status"] == "error" and "rate limit of 3/min" in body["message"]


def test_each_account_has_its_own_allowance_and_refusals_are_not_counted() -> None:
    with MockServer(campaigns=3, tenants=2, rate_limit="2/min") as mock:
        assert call(mock, BODY, headers={"auth": "wrong"}).status_code == 401
        assert [call(mock, BODY).status_code for _ in range(3)] == [200, 200, 429]
        other = mock.tenants[1]
        second = [
            call(mock, BODY, url=mock.url(1), headers=mock.headers(1)).status_code for _ in range(3)
        ]
        assert second == [200, 200, 429], other.account_id


def test_off_by_default() -> None:
    with MockServer(campaigns=2) as mock:
        assert {call(mock, BODY).status_code for _ in range(30)} == {200}


@pytest.mark.slow
def test_the_suite_against_a_throttling_mock_ends_passed_or_incomplete_never_failed(
    pytester: pytest.Pytester,
) -> None:
    # low enough that a run on a slow, loaded machine still meets the limit
    with MockServer(rate_limit="10/s") as mock:
        code, record = run_suite(
            pytester,
            "-k",
            "test_schema or test_auth_wrong or test_crawl_skip_vs_page or test_default_limit",
            target=mock.target(),
            seed=2,
        )
    assert code in (0, 3), outcomes(record)
    assert record["verdict"] in ("passed", "incomplete")
    assert not {"failed", "error"} & set(outcomes(record).values())
    assert record["totals"]["throttle_events"] > 0  # the mock did throttle the run
