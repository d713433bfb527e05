"""Latency and the transport faults, seen on the wire with raw sockets; the suite rides them out.

Each transport fault hits one answer in N, so any N answers in a row include exactly one hit;
the contract suite's client retries through each of them and the run still passes. (Several at
once can line up four bad answers in a row, after which the client rightly gives up.)
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest
from campaign_contract import MockServer
from campaign_contract.mock import FAULTS, Latency, OptionError
from campaign_contract.mock._transport import BURST_EVERY, RESET_EVERY, TRUNCATE_EVERY
from mock_support import outcomes, run_suite

BODY = b'{"type": "voice", "limit": 20}'


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(campaigns=30) as server:
        yield server


@pytest.fixture(autouse=True)
def clean(mock: MockServer) -> Iterator[None]:
    mock.faults = ()
    yield
    mock.faults = ()


def _request(mock: MockServer) -> bytes:
    target = mock.target()
    head = (
        f"POST {target.endpoint().removeprefix(mock.base_url)} HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(BODY)}\r\n"
        + "".join(f"{key}: {value}\r\n" for key, value in target.headers().items())
        + "\r\n"
    )
    return head.encode() + BODY


def _exchange(mock: MockServer) -> tuple[bytes, bool]:
    """(every byte the mock sent on one connection, whether it ended with a reset)."""
    chunks = []
    with socket.create_connection(("127.0.0.1", mock.port), timeout=5) as sock:
        sock.sendall(_request(mock))
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
                if _complete(b"".join(chunks)):
                    break
        except ConnectionResetError:
            return b"".join(chunks), True
    return b"".join(chunks), False


def _complete(raw: bytes) -> bool:
    head, _, body = raw.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def _declared_and_sent(raw: bytes) -> tuple[int, int]:
    head, _, body = raw.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    return length, len(body)


@pytest.mark.parametrize(
    ("text", "base", "jitter"),
    [("50ms", 0.05, 0.0), ("50ms±20ms", 0.05, 0.02), ("0.2s+-0.1s", 0.2, 0.1), ("1s", 1.0, 0)],
)
def test_latencies_parse(text: str, base: float, jitter: float) -> None:
    assert Latency.parse(text) == Latency(base, jitter)


@pytest.mark.parametrize("text", ["fast", "50", "50ms±", "10ms±20ms", "2min", "61s"])
def test_bad_latencies_are_refused(text: str) -> None:
    with pytest.raises(OptionError, match="latency"):
        Latency.parse(text)


def test_latency_delays_every_answer_by_at_least_its_floor() -> None:
    with MockServer(campaigns=2, latency="120ms±20ms") as mock:
        for _ in range(3):
            started = time.monotonic()
            raw, _ = _exchange(mock)
            assert raw.startswith(b"HTTP/1.1 200")
            assert time.monotonic() - started >= 0.1


def test_connection_reset_mid_body_sends_headers_and_half_a_body_then_a_reset(
    mock: MockServer,
) -> None:
    mock.faults = {"connection-reset-mid-body"}
    answers = [_exchange(mock) for _ in range(RESET_EVERY)]
    reset = [raw for raw, was_reset in answers if was_reset or not _complete(raw)]
    assert len(reset) == 1
    declared, sent = _declared_and_sent(reset[0])
    assert reset[0].startswith(b"HTTP/1.1 200") and 0 < sent < declared


def test_truncated_body_announces_the_whole_body_and_closes_after_half(mock: MockServer) -> None:
    mock.faults = {"truncated-body"}
    answers = [_exchange(mock) for _ in range(TRUNCATE_EVERY)]
    short = [raw for raw, _ in answers if not _complete(raw)]
    assert len(short) == 1
    declared, sent = _declared_and_sent(short[0])
    assert sent == declared // 2


def test_service_unavailable_bursts_are_503_with_retry_after(mock: MockServer) -> None:
    mock.faults = {"service-unavailable-bursts"}
    statuses = [_exchange(mock)[0].split(b"\r\n", 1)[0] for _ in range(BURST_EVERY + 1)]
    unavailable = [i for i, line in enumerate(statuses) if b" 503 " in line]
    assert len(unavailable) == 2 and unavailable[1] == unavailable[0] + 1
    raw = [_exchange(mock)[0] for _ in range(BURST_EVERY)]
    burst = next(r for r in raw if r.startswith(b"HTTP/1.1 503"))
    assert b"Retry-After: 1\r\n" in burst and json.loads(burst.partition(b"\r\n\r\n")[2])


def test_transport_faults_are_listed_with_what_they_exercise() -> None:
    transport = [fault for fault in FAULTS.values() if fault.transport]
    assert {str(f.name) for f in transport} == {
        "connection-reset-mid-body",
        "truncated-body",
        "service-unavailable-bursts",
        "slow-first-byte",
    }
    assert all(fault.exercises.startswith("the client") for fault in transport)


@pytest.mark.slow
@pytest.mark.parametrize("fault", [str(f.name) for f in FAULTS.values() if f.transport])
def test_the_suite_rides_out_each_transport_fault(pytester: pytest.Pytester, fault: str) -> None:
    with MockServer(faults=[fault], latency="5ms±5ms") as mock:
        code, record = run_suite(
            pytester,
            "-k",
            "test_schema or test_page or test_crawl_skip_vs_page or test_auth_missing",
            target=mock.target(),
            seed=4,
        )
    assert (code, record["verdict"]) == (0, "passed"), outcomes(record)
    if fault == "service-unavailable-bursts":
        assert record["totals"]["throttle_events"] > 0  # the bursts were met and retried
