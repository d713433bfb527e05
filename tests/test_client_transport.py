"""How a request reaches the server: urllib3's pool straight for plain-HTTP loopback, a
``requests`` session everywhere else, and the same request and answer either way."""

from __future__ import annotations

import gzip
import json

import pytest
from campaign_contract import CampaignClient
from campaign_contract.client._exchange import Target
from campaign_contract.client._transport import (
    LoopbackTransport,
    SessionTransport,
    environment_session,
    transport_for,
)
from client_stub import Reply, StubServer

BODY = {"type": "sms", "limit": 3, "filters": {"status": ["Ready"]}}
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:8080", LoopbackTransport),
        ("http://localhost:8080", LoopbackTransport),
        ("http://[::1]:8080", LoopbackTransport),
        ("https://127.0.0.1:8443", SessionTransport),
        ("https://platform.kore.ai", SessionTransport),
        ("http://10.0.0.1:8080", SessionTransport),
    ],
)
def test_only_plain_http_to_loopback_skips_the_session(url: str, kind: type) -> None:
    assert isinstance(transport_for(url), kind)


def test_a_proxy_for_loopback_keeps_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    transport = transport_for("http://127.0.0.1:8080")
    assert isinstance(transport, SessionTransport)
    assert transport.session.proxies["http"] == "http://proxy.example:3128"
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert isinstance(transport_for("http://127.0.0.1:8080"), LoopbackTransport)


def test_a_session_given_is_the_one_that_sends() -> None:
    session = environment_session("http://127.0.0.1:8080")
    client = CampaignClient(Target("http://127.0.0.1:8080", "a", "b"), session=session)
    assert client.session is session
    assert CampaignClient(Target("http://127.0.0.1:8080", "a", "b")).session is None


def _both(server: StubServer) -> tuple[CampaignClient, CampaignClient]:
    target = Target(server.url, "st-app", "account", "token-value")
    straight = CampaignClient(target)
    through_session = CampaignClient(target, session=environment_session(server.url))
    assert isinstance(straight.transport, LoopbackTransport)
    assert isinstance(through_session.transport, SessionTransport)
    return straight, through_session


@pytest.mark.parametrize(
    "send",
    [
        {"body": BODY},
        {},
        {"raw": b"{not json", "headers": {"Content-Type": "text/plain"}},
        {"body": BODY, "drop_headers": ["iid"], "headers": {"User-Agent": "mine"}},
    ],
    ids=["json", "no-body", "raw", "headers-changed"],
)
def test_both_ways_send_the_same_request(server: StubServer, send: dict) -> None:
    for client in _both(server):
        client.post(**send)
    straight, through_session = server.seen
    assert straight.method == through_session.method == "POST"
    assert straight.path == through_session.path
    assert straight.headers == through_session.headers
    assert straight.body == through_session.body


def test_both_ways_read_the_same_answer(server: StubServer) -> None:
    page = json.dumps({"data": {"totalResults": 0, "campaigns": []}}).encode()
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip", "X-Seen": "1"}
    exchanges = []
    for client in _both(server):
        server.script.append(Reply(200, headers, gzip.compress(page)))
        exchanges.append(client.post(BODY))
    straight, through_session = exchanges
    assert straight.response_body == through_session.response_body == json.loads(page)
    assert straight.response_text == through_session.response_text
    assert straight.attempts == through_session.attempts == 1

    def without_date(exchange_headers: dict[str, str]) -> dict[str, str]:
        return {k.lower(): v for k, v in exchange_headers.items() if k.lower() != "date"}

    assert without_date(straight.response_headers) == without_date(through_session.response_headers)


def test_a_connection_the_server_closed_is_replaced_by_a_new_one(server: StubServer) -> None:
    # the stub speaks HTTP/1.0 and closes after every answer: each request needs a new connection
    straight, _ = _both(server)
    assert [straight.post(BODY).status for _ in range(3)] == [200, 200, 200]
    assert len(server.seen) == 3
