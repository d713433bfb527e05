"""HTTP hardening, with raw sockets: ambiguous framing, trickling clients, too many connections,
numbers too large to echo, and a damaged database.
"""

from __future__ import annotations

import argparse
import io
import json
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from campaign_contract import MockServer
from campaign_contract.cli._mock import add_mock_arguments, run_mock
from mock_support import call, raw_exchange

BODY = b'{"type": "sms", "limit": 1}'


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(campaigns=5, request_deadline=1.5, max_connections=4) as server:
        yield server


def _head(mock: MockServer, *framing: str) -> bytes:
    target = mock.target()
    lines = [
        f"POST {target.endpoint().removeprefix(mock.base_url)} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        *(f"{key}: {value}" for key, value in target.headers().items()),
        *framing,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status_and_message(raw: bytes) -> tuple[int, str]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    message: str = json.loads(body)["message"] if body else ""
    return status, message


@pytest.mark.parametrize(
    ("framing", "body", "word"),
    [
        (("Content-Length: 27", "Content-Length: 5"), BODY, "conflicting Content-Length"),
        (("Content-Length: 27, 5",), BODY, "conflicting Content-Length"),
        (
            ("Transfer-Encoding: identity", "Transfer-Encoding: chunked"),
            b"1b\r\n" + BODY + b"\r\n0\r\n\r\n",
            "more than one Transfer-Encoding",
        ),
        (
            ("Transfer-Encoding: chunked", "Content-Length: 27"),
            b"1b\r\n" + BODY + b"\r\n0\r\n\r\n",
            "both Transfer-Encoding and Content-Length",
        ),
        (("Content-Length: 27", "Transfer-Encoding: gzip"), BODY, "both Transfer-Encoding"),
        (("Transfer-Encoding: gzip",), BODY, "Transfer-Encoding is not supported"),
    ],
)
def test_ambiguous_framing_is_400(
    mock: MockServer, framing: tuple[str, ...], body: bytes, word: str
) -> None:
    status, message = _status_and_message(raw_exchange(mock, _head(mock, *framing) + body))
    assert (status, word in message) == (400, True), message


def test_repeated_identical_content_lengths_are_one_length(mock: MockServer) -> None:
    raw = raw_exchange(mock, _head(mock, "Content-Length: 27", "Content-Length: 27") + BODY)
    assert raw.startswith(b"HTTP/1.1 200")


def _trickle(mock: MockServer, head: bytes, data: bytes, pause: float) -> tuple[bytes, float]:
    """Send ``head`` at once and then ``data`` a byte at a time, reading as it goes; (what the
    mock answered, seconds until it closed or the bytes ran out)."""
    started = time.monotonic()
    received = b""
    with socket.create_connection(("127.0.0.1", mock.port), timeout=10) as sock:
        sock.settimeout(pause)
        sock.sendall(head)
        for byte in data:
            try:
                sock.sendall(bytes([byte]))
                chunk = sock.recv(4096)
            except TimeoutError:
                continue  # nothing yet: the mock is still waiting for the request
            except OSError:
                break
            received += chunk
            if not chunk or received.endswith(b"}"):
                break
    return received, time.monotonic() - started


def test_a_client_trickling_its_headers_is_answered_408_and_closed_at_the_deadline(
    mock: MockServer,
) -> None:
    head = _head(mock, f"Content-Length: {len(BODY)}")
    received, took = _trickle(mock, b"", head, 0.1)  # ten bytes a second: each read is quick
    assert took < 6, "the trickling client was not cut off"
    status, message = _status_and_message(received)
    assert status == 408 and "1.5 s" in message


def test_a_client_trickling_its_body_is_answered_408(mock: MockServer) -> None:
    head = _head(mock, f"Content-Length: {len(BODY)}")
    received, _ = _trickle(mock, head, BODY, 0.2)
    assert _status_and_message(received)[0] == 408


def test_connections_past_the_cap_get_a_clear_503() -> None:
    # A server of its own, whose deadlines outlast a slow machine: the four connections must
    # still be held when the fifth comes (the server accepts them in order, one by one).
    with MockServer(campaigns=5, request_deadline=30, max_connections=4) as mock:
        idle = [socket.create_connection(("127.0.0.1", mock.port), timeout=5) for _ in range(4)]
        try:
            for sock in idle:
                sock.sendall(b"POST / HTTP/1.1\r\n")  # each holds a thread, mid-request
            raw = raw_exchange(mock, _head(mock, f"Content-Length: {len(BODY)}") + BODY)
            status, message = _status_and_message(raw)
            assert status == 503 and "limit of 4 connections" in message
            assert b"Retry-After: 1\r\n" in raw
        finally:
            for sock in idle:
                sock.close()
        assert _served_again(mock)


def _served_again(mock: MockServer, within: float = 30.0) -> bool:
    """Whether the mock serves a request again once the held connections are closed (their
    threads notice the close in their own time)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if call(mock, {"type": "sms"}).status_code == 200:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("field", ["page", "skip", "limit"])
def test_numbers_too_large_to_echo_are_400_naming_the_field(mock: MockServer, field: str) -> None:
    raw = b'{"type": "voice", "%s": %s}' % (field.encode(), b"9" * 4299)
    response = call(mock, raw=raw)
    assert response.status_code == 400
    assert response.json()["message"].startswith(f"{field} is too large")


def test_a_large_but_finite_number_is_still_served(mock: MockServer) -> None:
    response = call(mock, {"type": "voice", "skip": 10**300})
    assert response.status_code == 200 and response.json()["data"]["skip"] == 10**300


def _mock_command(*argv: str) -> tuple[int, str]:
    """``campaign-contract mock --port 0 ARGV`` up to the point it would serve: (code, stderr)."""
    parser = argparse.ArgumentParser(prog="campaign-contract mock")
    add_mock_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = run_mock(parser.parse_args(["--port", "0", *argv]), out, err)
    return code, err.getvalue()


def _damaged_database(path: Path) -> None:
    with MockServer(campaigns=300, db=path):
        pass
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page but the header's
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["pages", "not-a-database"])
def test_a_damaged_database_is_one_clean_line_and_exit_1(tmp_path: Path, damage: str) -> None:
    db = tmp_path / "campaigns.db"
    if damage == "pages":
        _damaged_database(db)
    else:
        db.write_bytes(b"this is no SQLite file" * 300)
    code, err = _mock_command("--db", str(db))
    lines = err.splitlines()
    assert code == 1 and len(lines) == 1, err
    assert lines[0].startswith("campaign-contract mock: cannot use ") and str(db) in lines[0]


def test_a_database_of_another_shape_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE campaigns (seq INTEGER PRIMARY KEY, doc TEXT)")
    code, err = _mock_command("--db", str(db))
    assert code == 1 and "another shape" in err
