"""After its last retry a throttled client holds the shared pacer and says it was throttled."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import CampaignClient
from campaign_contract.client._client import MAX_HOLD
from campaign_contract.client._exchange import Target
from campaign_contract.client._pacing import SharedPacer
from client_stub import Reply, StubServer

BODY = {"type": "voice", "limit": 1}


def make_client(url: str, **options: Any) -> CampaignClient:
    options.setdefault("retries", 0)
    return CampaignClient(Target(url, "st-app", "acct", "tok"), **options)


def test_last_throttled_answer_holds_every_sender_for_retry_after(
    server: StubServer, tmp_path: Path
) -> None:
    server.script.append(Reply(429, {"Retry-After": "20"}, b""))
    client = make_client(server.url, state_dir=tmp_path)
    exchange = client.post(BODY)
    assert (exchange.status, exchange.throttled) == (429, True)
    (event,) = client.throttle_events
    assert (event.status, event.wait) == (429, 20.0)
    wait = SharedPacer(state_dir=tmp_path).reserve()  # another process sharing the state
    assert 18.0 < wait <= 20.0


def test_hold_is_capped_at_five_minutes(server: StubServer) -> None:
    server.script.append(Reply(503, {"Retry-After": "86400"}, b""))
    client = make_client(server.url)
    assert client.post(BODY).throttled
    assert MAX_HOLD == 300.0 and client.throttle_events[0].wait == MAX_HOLD
    assert MAX_HOLD - 5 < client.pacer.reserve() <= MAX_HOLD


def test_next_request_waits_out_the_hold_and_clears_the_flag(server: StubServer) -> None:
    server.script.append(Reply(429, {"Retry-After": "0.4"}, b""))
    client = make_client(server.url)
    assert client.post(BODY).throttled
    started = time.monotonic()
    exchange = client.post(BODY)
    assert time.monotonic() - started >= 0.35
    assert server.seen[1].at - server.seen[0].at >= 0.35
    assert exchange.status == 200 and not exchange.throttled


def test_without_retry_after_the_hold_is_the_backoff(server: StubServer) -> None:
    server.script.extend([Reply(503, {}, b""), Reply(503, {}, b"")])
    client = make_client(server.url, retries=1, backoff=0.05)
    exchange = client.post(BODY)
    assert exchange.throttled and exchange.attempts == 2
    assert [event.wait for event in client.throttle_events] == [0.05, 0.1]


def test_max_hold_is_a_setting(server: StubServer) -> None:
    server.script.append(Reply(429, {"Retry-After": "3600"}, b""))
    client = make_client(server.url, max_hold=0.2)
    client.post(BODY)
    assert client.throttle_events[0].wait == 0.2


@pytest.mark.parametrize("status", [200, 400, 500])
def test_other_answers_are_not_throttled(server: StubServer, status: int) -> None:
    server.script.append(Reply(status, {"Retry-After": "30"}, b"{}"))
    client = make_client(server.url)
    exchange = client.post(BODY)
    assert exchange.status == status and not exchange.throttled
    assert client.throttle_events == [] and client.pacer.reserve() == 0.0
