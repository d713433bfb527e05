"""The HTTP client against a scripted loopback server: requests, retries, throttling, secrets."""

from __future__ import annotations

import json
import socket
import time
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest
import requests
from campaign_contract import (
    CampaignClient,
    ClientError,
    RequestRefused,
    TargetUnreachable,
)
from campaign_contract.client._client import MAX_TEXT, is_loopback, parse_retry_after
from campaign_contract.client._exchange import Target
from client_stub import ECHO, Reply, StubServer

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhcHBJZCI6ImNzLTEifQ.c2VjcmV0LXNpZ25hdHVyZQ"
APP_ID = "st-0603182c-7ffb-53c3-b307-47ca14b00000"
ACCOUNT_ID = "67777ce93e25326494e00000"
BODY = {"type": "voice", "limit": 5, "sortBy": {"name": "asc", "createdAt": "desc"}}


def make_client(url: str, **options: Any) -> CampaignClient:
    options.setdefault("backoff", 0.01)
    return CampaignClient(Target(url, APP_ID, ACCOUNT_ID, TOKEN), **options)


def test_post_sends_the_documented_request(server: StubServer) -> None:
    exchange = make_client(server.url).post(BODY)
    seen = server.seen[0]
    assert seen.method == "POST"
    assert seen.path == (
        f"/campaign/api/v2/public/{APP_ID}/campaign/getAllCampaignDetails?accountId={ACCOUNT_ID}"
    )
    assert seen.headers["auth"] == TOKEN
    assert seen.headers["iid"] == APP_ID
    assert seen.headers["accountid"] == ACCOUNT_ID
    assert seen.headers["content-type"] == "application/json"
    assert json.loads(seen.body) == BODY
    assert list(json.loads(seen.body)["sortBy"]) == ["name", "createdAt"]
    assert exchange.status == 200
    assert exchange.response_body["data"]["totalResults"] == 0
    assert exchange.request_body == BODY
    assert exchange.attempts == 1


def test_overrides_replace_or_leave_out_auth_account_and_app(server: StubServer) -> None:
    client = make_client(server.url)
    client.post(BODY, auth=None, account_id_query=None, app_id_path="other-app")
    client.post(BODY, auth="wrong-token", drop_headers=["IID"], headers={"X-Extra": "1"})
    client.post(raw=b"{not json", headers={"content-type": "text/plain"})
    client.post()
    first, second, third, fourth = server.seen
    assert "auth" not in first.headers
    assert first.path == "/campaign/api/v2/public/other-app/campaign/getAllCampaignDetails"
    assert second.headers["auth"] == "wrong-token"
    assert "iid" not in second.headers
    assert second.headers["x-extra"] == "1"
    assert third.body == b"{not json"
    assert third.headers["content-type"] == "text/plain"
    assert fourth.body == b""


def test_non_json_response_keeps_the_text_and_no_body(server: StubServer) -> None:
    server.script.append(Reply(502, {"Content-Type": "text/html"}, b"<html>bad gateway</html>"))
    server.script.append(Reply(200, {}, b"x" * (MAX_TEXT + 500)))
    client = make_client(server.url)
    bad = client.post(BODY)
    huge = client.post(BODY)
    assert (bad.status, bad.response_body, bad.response_text) == (
        502,
        None,
        "<html>bad gateway</html>",
    )
    assert bad.content_type == "text/html"
    assert len(huge.response_text) == MAX_TEXT


def test_deeply_nested_json_response_is_kept_as_text_without_a_body(server: StubServer) -> None:
    nested = b"[" * 5000 + b"]" * 5000
    server.script.append(Reply(200, {"Content-Type": "application/json"}, nested))
    server.script.append(Reply(200, {}, b'{"a": NaN}'))
    client = make_client(server.url)
    deep = client.post(BODY)
    constant = client.post(BODY)
    assert (deep.status, deep.response_body, deep.response_text) == (200, None, nested.decode())
    assert (constant.response_body, constant.response_text) == (None, '{"a": NaN}')


def test_header_value_that_cannot_be_sent_is_a_one_line_client_error(server: StubServer) -> None:
    client = make_client(server.url)
    with pytest.raises(ClientError, match="cannot send") as caught:
        client.post(BODY, auth="tok\u2603en")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "\n" not in str(caught.value) and TOKEN not in str(caught.value)
    assert server.seen == []


def test_503_is_retried_then_succeeds(server: StubServer) -> None:
    server.script.extend([Reply(503, {}, b""), Reply(503, {}, b"")])
    client = make_client(server.url)
    exchange = client.post(BODY)
    assert exchange.status == 200
    assert exchange.attempts == 3
    assert not exchange.throttled
    assert len(server.seen) == 3
    assert client.requests_made == 3
    assert [e.status for e in client.throttle_events] == [503, 503]


def test_retries_spent_return_the_last_answer_for_the_caller(server: StubServer) -> None:
    server.script.extend(
        Reply(429, {"Retry-After": "0"}, b'{"message": "slow down"}') for _ in range(3)
    )
    client = make_client(server.url, retries=2)
    exchange = client.post(BODY)
    assert exchange.status == 429
    assert exchange.attempts == 3
    assert exchange.throttled
    assert exchange.response_body == {"message": "slow down"}
    assert [e.status for e in client.throttle_events] == [429, 429, 429]
    assert client.throttle_events[-1].wait == 0.0


def test_429_with_retry_after_is_honoured_and_recorded(server: StubServer, tmp_path: Path) -> None:
    server.script.append(Reply(429, {"Retry-After": "1"}, b""))
    client = make_client(server.url, state_dir=tmp_path)
    started = time.monotonic()
    exchange = client.post(BODY)
    assert exchange.status == 200
    assert server.seen[1].at - server.seen[0].at >= 0.95
    assert time.monotonic() - started >= 0.95
    (event,) = client.throttle_events
    assert (event.status, event.wait) == (429, 1.0)


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = time.time()
    assert parse_retry_after("3", now=now) == 3.0
    assert parse_retry_after(" 0 ", now=now) == 0.0
    assert parse_retry_after(formatdate(now + 10, usegmt=True), now=now) == pytest.approx(10, abs=1)
    assert parse_retry_after(formatdate(now - 10, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


def test_retry_after_is_capped(server: StubServer) -> None:
    server.script.append(Reply(503, {"Retry-After": "3600"}, b""))
    client = make_client(server.url, max_wait=0.05)
    assert client.post(BODY).status == 200
    assert client.throttle_events[0].wait == 0.05


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_target_raises_without_the_token() -> None:
    client = make_client(f"http://127.0.0.1:{free_port()}", retries=1)
    with pytest.raises(TargetUnreachable) as caught:
        client.post(BODY)
    assert "after 2 attempts" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert caught.value.__cause__ is None
    assert client.requests_made == 2


def test_unusable_url_fails_at_once_with_a_clear_error() -> None:
    client = make_client("platform.example.without.scheme")
    with pytest.raises(ClientError, match=r"cannot send to platform\.example") as caught:
        client.post(BODY)
    assert not isinstance(caught.value, TargetUnreachable)
    assert client.requests_made == 1


def test_token_never_appears_in_reprs_exchanges_or_reproductions(server: StubServer) -> None:
    server.script.append(Reply(401, {"Content-Type": "application/json"}, ECHO))
    client = make_client(server.url)
    exchange = client.post(BODY)
    assert server.seen[0].headers["auth"] == TOKEN
    assert exchange.request_headers["auth"] == "***"
    for text in (repr(client), repr(client.target), repr(exchange), exchange.curl()):
        assert TOKEN not in text
    assert "'auth: ***'" in exchange.curl()


def test_a_response_is_kept_as_it_came_even_when_it_echoes_the_token(server: StubServer) -> None:
    """What is judged is what the server sent: masking is for what is shown, later."""
    server.script.append(Reply(401, {"Content-Type": "application/json"}, ECHO))
    exchange = make_client(server.url).post(BODY)
    assert exchange.response_body["headers"]["auth"] == TOKEN
    assert TOKEN in exchange.response_text


def test_other_methods_are_refused_even_on_loopback(server: StubServer) -> None:
    client = make_client(server.url)
    for method in ("get", "PUT", "DELETE"):
        with pytest.raises(RequestRefused, match="only POST"):
            client.post(method=method)
    assert server.seen == [] and client.requests_made == 0


def test_allow_any_method_lets_a_405_be_checked(server: StubServer) -> None:
    exchange = make_client(server.url, allow_any_method=True).post(method="get")
    assert (server.seen[0].method, exchange.status) == ("GET", 405)


class RecordingSession(requests.Session):
    """Answers every request with 200 without touching the network."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, bool]] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        verify = kwargs.get("verify")
        self.sent.append((str(method), str(url), bool(self.verify if verify is None else verify)))
        response = requests.Response()
        response.status_code = 200
        response._content = b"{}"
        response.elapsed = __import__("datetime").timedelta(0)
        return response


def test_remote_hosts_get_only_the_read_only_post() -> None:
    session = RecordingSession()
    client = CampaignClient(
        Target("https://platform.example", APP_ID, ACCOUNT_ID, TOKEN), rate=0, session=session
    )
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        with pytest.raises(RequestRefused, match="only POST"):
            client.post(BODY, method=method)
    assert client.post(BODY, app_id_path="another").status == 200
    assert session.sent == [
        (
            "POST",
            "https://platform.example/campaign/api/v2/public/another/campaign/"
            f"getAllCampaignDetails?accountId={ACCOUNT_ID}",
            True,
        )
    ]


def test_default_rate_is_one_per_second_remotely_and_unlimited_on_loopback() -> None:
    def rate(url: str, given: float | None = None) -> float:
        return CampaignClient(Target(url, APP_ID, ACCOUNT_ID), rate=given).rate

    assert rate("https://platform.kore.ai") == 1.0
    assert rate("http://127.0.0.1:8080") == 0.0
    assert rate("http://localhost:8080") == 0.0
    assert rate("http://[::1]:8080") == 0.0
    assert rate("https://platform.kore.ai", 0) == 0.0
    assert rate("http://127.0.0.1:8080", 5) == 5.0
    assert not is_loopback("https://10.0.0.1")


def test_own_session_reads_proxies_and_ca_bundle_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/company.pem")
    client = CampaignClient(Target("https://platform.example", APP_ID, ACCOUNT_ID, TOKEN), rate=0)
    session = client.session
    assert session.proxies.get("https") == "http://proxy.example:3128"
    assert session.verify == "/etc/ssl/company.pem"
    assert session.trust_env is False  # not re-read per request, and no ~/.netrc credentials


def test_no_proxy_is_honoured_for_the_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "platform.example")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    client = CampaignClient(Target("https://platform.example", APP_ID, ACCOUNT_ID, TOKEN), rate=0)
    assert "https" not in client.session.proxies
    assert client.session.verify is True
