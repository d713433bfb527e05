"""How a request reaches the server: sockets of the transport's own for plain-HTTP loopback, a
``requests`` session everywhere else, and the same request and answer either way."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import zlib

import pytest
from campaign_contract import CampaignClient
from campaign_contract.client._exchange import Target
from campaign_contract.client._transport import (
    Answer,
    LoopbackTransport,
    NoAnswer,
    Outgoing,
    SessionTransport,
    Unsendable,
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


class _RawCapture:
    """A loopback socket server that keeps each request's bytes as they arrived and answers
    them from ``answers`` in order (the last one again once they run out); it keeps a
    connection open for the next request unless the answer closes it (``close_after``)."""

    def __init__(self, *answers: bytes, close_after: bool = True) -> None:
        self.answers = list(answers)
        self.close_after = close_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.received: list[bytes] = []
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                peer, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            with peer:
                while self._answer_one(peer) and not self.close_after:
                    pass

    def _answer_one(self, peer: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            more = peer.recv(65536)
            if not more:
                return False
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            (int(line.split(b":")[1]) for line in head.split(b"\r\n")
             if line.lower().startswith(b"content-length:")),
            0,
        )  # fmt: skip
        while len(body) < length:
            body += peer.recv(65536)
        self.received.append(head + b"\r\n\r\n" + body)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        peer.sendall(answer)
        return True

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize(
    "send",
    [
        {"body": BODY},
        {},
        {"headers": {"Accept-Encoding": "gzip", "X-Extra": "1"}, "drop_headers": ["User-Agent"]},
        {"body": BODY, "headers": {"content-length": "1"}},
    ],
    ids=["json", "no-body", "defaults-replaced", "length-given"],
)
def test_both_ways_write_the_same_bytes_in_the_same_order(send: dict) -> None:
    capture = _RawCapture(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    try:
        target = Target(capture.url, "st-app", "account", "token-value")
        CampaignClient(target).post(**send)
        CampaignClient(target, session=environment_session(capture.url)).post(**send)
    finally:
        capture.close()
    straight, through_session = capture.received
    assert straight == through_session


def _sent_raw(capture: _RawCapture, times: int = 1) -> list[Answer]:
    transport = LoopbackTransport(capture.url)
    url = capture.url + "/campaign"
    try:
        return [
            transport.send(Outgoing("POST", url, b"{}", {"X-Try": str(n)}, (2.0, 2.0)))
            for n in range(times)
        ]
    finally:
        transport.close()
        capture.close()


@pytest.mark.parametrize(
    ("answer", "body"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", b"hello"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nX-Trailer: t\r\n\r\n",
            b"hello",
        ),
        (b"HTTP/1.0 200 OK\r\n\r\nhello", b"hello"),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", b"ok"),
        (b"HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", b""),
        (b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok", b"ok"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"
         b"2\r\nok\r\n0\r\n\r\n", b"ok"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\nok", b"ok"),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: deflate\r\n\r\n"
         + zlib.compress(gzip.compress(b"hello")), b"hello"),
        (b"HTTP/1.1 200 OK\r\nX-A: 1\r\nnot a header\r\nContent-Length: 1\r\n\r\nbody", b"body"),
        (b"HTTP/1.1 200 OK", b""),
    ],
    ids=["content-length", "chunked", "until-close", "interim-1xx", "no-content", "bare-newlines",
         "first-transfer-encoding", "chunked-exactly", "encodings-in-order",
         "a-non-header-ends-them", "cut-status-line"],
)  # fmt: skip
def test_an_answer_is_framed_as_http_client_frames_it(answer: bytes, body: bytes) -> None:
    (got,) = _sent_raw(_RawCapture(answer))
    assert got.content == body


def test_an_interim_answer_other_than_100_continue_is_the_answer() -> None:
    (got,) = _sent_raw(_RawCapture(b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"))
    assert got.status == 103 and got.content == b""


def test_a_body_too_large_for_the_server_gets_the_answer_it_sent_before_closing() -> None:
    from campaign_contract.mock import start_mock

    with start_mock() as mock:
        target = Target(mock.base_url, mock.app_id, mock.account_id, mock.token)
        client = CampaignClient(target)
        assert isinstance(client.transport, LoopbackTransport)
        assert client.post(raw=b" " * (8 << 20)).status == 413
        assert client.post({"type": "sms"}).status == 200  # on a connection of its own


def test_repeated_and_folded_headers_read_as_requests_reads_them() -> None:
    answer = (
        b"HTTP/1.1 200 OK\r\nX-Many: a\r\nx-many: b\r\nX-Folded: one\r\n\ttwo\r\n"
        b"X-Spaced:   value \r\nContent-Length: 0\r\n\r\n"
    )
    (got,) = _sent_raw(_RawCapture(answer))
    assert got.headers["X-Many"] == "a, b"
    assert got.headers["X-Folded"] == "one two"
    assert got.header("x-spaced") == "value "


def test_a_kept_alive_connection_carries_the_next_request() -> None:
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    capture = _RawCapture(ok, close_after=False)
    assert [a.status for a in _sent_raw(capture, times=3)] == [200, 200, 200]
    assert capture.connections == 1
    closing = _RawCapture(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
    assert [a.status for a in _sent_raw(closing, times=2)] == [200, 200]
    assert closing.connections == 2


@pytest.mark.parametrize(
    "answer",
    [
        b"",
        b"SMTP ready\r\n\r\n",
        b"HTTP/2 200\r\n\r\n",
        b"HTTP/1.1 abc OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope",
        b"HTTP/1.1 20\xb2 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\nok\r\n0\r\n\r\n",
    ],
    ids=["nothing", "not-http", "http2", "bad-status", "truncated", "bad-chunk", "too-many-headers",
         "bad-gzip", "non-ascii-digit", "two-lengths", "negative-chunk"],
)  # fmt: skip
def test_a_malformed_answer_is_no_answer(answer: bytes) -> None:
    with pytest.raises(NoAnswer):
        _sent_raw(_RawCapture(answer))


@pytest.mark.parametrize(
    "headers",
    [{"X-Bad": "a\r\nInjected: 1"}, {"X:Colon": "1"}, {"X-Wide": "\u2603"}, {"X-Lead": " v"}],
)
def test_a_header_that_cannot_be_written_is_unsendable(headers: dict[str, str]) -> None:
    transport = LoopbackTransport("http://127.0.0.1:9")
    with pytest.raises(Unsendable):
        transport.send(Outgoing("POST", "http://127.0.0.1:9/x", b"{}", headers, (1.0, 1.0)))


def test_a_refused_connection_is_no_answer() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    transport = LoopbackTransport(f"http://127.0.0.1:{port}")
    with pytest.raises(NoAnswer):
        transport.send(Outgoing("POST", f"http://127.0.0.1:{port}/x", b"{}", {}, (1.0, 1.0)))
