"""The HTTP layer: a stdlib ``ThreadingHTTPServer`` that hands each request to :class:`MockApp`.

It answers every method and every malformed request with JSON, refuses bodies it will not read
(413, 411, 408) without waiting on them, refuses ambiguous framing (conflicting
``Content-Length``, several ``Transfer-Encoding``, or both: 400, RFC 9112 section 6.3), gives
each request an overall deadline for its headers and body, serves at most ``max_connections``
connections at once (503 past it), logs nothing, and can close every open connection. The
transport faults and latency are applied here, on the wire.
"""

from __future__ import annotations

import io
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from campaign_contract.mock._app import JSON_TYPE, MockApp, Reply, error_body
from campaign_contract.mock._transport import BURST_RETRY_AFTER, Cut, Transport

_DRAIN_BYTES = 4 * 1024 * 1024
_DRAIN_SECONDS = 1.0
_BUSY_RETRY_AFTER = 1


@dataclass(frozen=True)
class Limits:
    """What one client may take: body bytes, seconds idle per read, seconds for a whole request
    (headers and body), connections served at once."""

    max_body: int
    request_timeout: float
    request_deadline: float
    max_connections: int


class _DeadlineReader(io.RawIOBase):
    """The connection's bytes, each read bounded by the request's overall deadline, so a client
    trickling a byte a second cannot hold its thread past it."""

    def __init__(self, sock: socket.socket, handler: _Handler) -> None:
        self._sock = sock
        self._handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        handler = self._handler
        remaining = handler.deadline - time.monotonic()
        if remaining <= 0:
            handler.timed_out = True
            raise TimeoutError("the request's deadline passed")
        self._sock.settimeout(min(remaining, handler.server.limits.request_timeout))
        try:
            count = self._sock.recv_into(buffer)
        except TimeoutError:
            handler.timed_out = True
            raise
        handler.received += count
        return count


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "campaign-contract-mock"
    wbufsize = 64 * 1024  # status line, headers and body leave in one write
    server: HTTPServer

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Every method (GET, DELETE, BREW, ...) is answered, never 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def version_string(self) -> str:
        return self.server_version

    deadline = 0.0
    timed_out = False
    received = 0
    answered = False

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.limits.request_timeout)
        self.rfile.close()
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, self))
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def handle_one_request(self) -> None:
        self.deadline = time.monotonic() + self.server.limits.request_deadline
        self.timed_out = self.answered = False
        self.received = 0
        super().handle_one_request()
        if self.timed_out and self.received and not self.answered:
            # headers trickled in past the deadline: say so before closing
            self.close_connection = True
            self.request_version = "HTTP/1.1"
            self.command = self.requestline = ""
            self._send(Reply(408, error_body(self._late()), _json_header()))

    def _late(self) -> str:
        deadline = self.server.limits.request_deadline
        return f"the request did not arrive within {deadline:g} s (headers and body)"

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the mock writes nothing to stderr."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors the stdlib raises itself (bad request line, headers too long) as JSON."""
        self.close_connection = True
        self.request_version = "HTTP/1.1"  # a status line even when the request line was garbage
        self._send(Reply(code, error_body(message or "bad request"), _json_header()))

    def handle_expect_100(self) -> bool:
        if self._oversized():
            self.close_connection = True
            self._send(Reply(413, error_body(self._too_large()), _json_header()))
            return False
        return super().handle_expect_100()

    def _too_large(self) -> str:
        return f"request body is larger than {self.server.limits.max_body} bytes"

    def _oversized(self) -> bool:
        length = self.headers.get("Content-Length", "").strip()
        return length.isascii() and length.isdigit() and int(length) > self.server.limits.max_body

    def _serve(self) -> None:
        try:
            body = self._read_body()
            if body is None:
                return
            headers: dict[str, str] = {}
            for key, value in self.headers.items():
                headers.setdefault(key.lower(), value)
            faults = self.server.app.faults
            if self.server.transport.burst(faults):
                reply = Reply(503, error_body("service unavailable; retry later"), _json_header())
                reply.headers.append(("Retry-After", str(BURST_RETRY_AFTER)))
            else:
                reply = self.server.app.handle(self.command, self.path, headers, body)
            wait = self.server.transport.delay(faults)
            if wait:
                time.sleep(wait)
            cut = self.server.transport.cut(faults)
        except Exception:  # the mock must answer, whatever went wrong inside it
            self.close_connection = True
            reply = Reply(500, error_body("internal error in the mock"), _json_header())
            cut = None
        self._send(reply, cut)

    def _framing_problem(self) -> tuple[int, str] | None:
        """(status, message) when the body's framing is ambiguous or unsupported."""
        encodings = self.headers.get_all("Transfer-Encoding") or []
        lengths = self.headers.get_all("Content-Length") or []
        if len(encodings) > 1:
            return 400, "more than one Transfer-Encoding header"
        if encodings and lengths:
            return 400, "both Transfer-Encoding and Content-Length; send only Content-Length"
        if encodings:
            if "chunked" in encodings[0].lower():
                return 411, "send the body with a Content-Length, not chunked"
            return 400, "Transfer-Encoding is not supported; send a Content-Length"
        values = {value.strip() for length in lengths for value in length.split(",")}
        if len(values) > 1:
            return 400, "conflicting Content-Length values"
        if values and not all(v.isascii() and v.isdigit() for v in values):
            return 400, "Content-Length is not a number"
        return None

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` after answering a request whose body cannot be read."""
        problem = self._framing_problem()
        if problem is not None:
            self._refuse(*problem)
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        size = int(length.split(",")[0])
        if size > self.server.limits.max_body:
            self._refuse(413, self._too_large())
            self._drain(size)
            return None
        try:
            body = self.rfile.read(size)
        except TimeoutError:
            self._refuse(408, self._late())
            return None
        if len(body) < size:
            self.close_connection = True  # the client went away mid-body
            return None
        return body

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True
        self._send(Reply(status, error_body(message), _json_header()))

    def _drain(self, size: int) -> None:
        """Discard a bounded part of an oversized body so the client can read the 413."""
        remaining = min(size, _DRAIN_BYTES)
        self.deadline = time.monotonic() + _DRAIN_SECONDS
        try:
            while remaining > 0:
                chunk = self.rfile.read1(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    def _send(self, reply: Reply, cut: Cut | None = None) -> None:
        self.answered = True
        body = reply.body if self.command != "HEAD" else b""
        if cut is not None:
            body = body[: len(body) // 2]
            self.close_connection = True
        try:
            self.connection.settimeout(self.server.limits.request_timeout)
            self.send_response(reply.status)
            for key, value in reply.headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            if self.close_connection and cut is None:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            if cut is Cut.RESET:
                self.server.reset_on_close(self.connection)
        except OSError:
            self.close_connection = True


def _json_header() -> list[tuple[str, str]]:
    return [("Content-Type", JSON_TYPE)]


def _busy_answer(limit: int) -> bytes:
    body = error_body(f"the server is serving its limit of {limit} connections; retry later")
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        f"Content-Type: {JSON_TYPE}\r\nContent-Length: {len(body)}\r\n"
        f"Retry-After: {_BUSY_RETRY_AFTER}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def _refuse_connection(sock: socket.socket, answer: bytes) -> None:
    """Answer a connection past the cap with 503 and close it without an RST (its request is
    read and discarded for a moment, so the client sees the answer)."""
    try:
        sock.settimeout(0.5)
        sock.sendall(answer)
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline and sock.recv(65536):
            pass
    except OSError:
        pass
    finally:
        sock.close()


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], app: MockApp, limits: Limits, transport: Transport
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self.limits = limits
        self.transport = transport
        self._open: dict[threading.Thread, socket.socket] = {}
        self._open_lock = threading.Lock()
        self._resets: set[socket.socket] = set()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            busy = len(self._open) >= self.limits.max_connections
        if busy:
            answer = _busy_answer(self.limits.max_connections)
            threading.Thread(target=_refuse_connection, args=(request, answer), daemon=True).start()
            return
        thread = threading.Thread(
            target=self._process_tracked, args=(request, client_address), daemon=True
        )
        with self._open_lock:
            self._open[thread] = request
        thread.start()

    def reset_on_close(self, sock: socket.socket) -> None:
        """Close ``sock`` with a TCP reset (SO_LINGER 0, no orderly shutdown) when it is done."""
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with self._open_lock:
            self._resets.add(sock)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            reset = request in self._resets
            self._resets.discard(request)
        if reset:
            request.close()
        else:
            super().shutdown_request(request)

    def _process_tracked(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silent: a client that resets its connection is not the mock's problem."""

    def close_connections(self, timeout: float) -> None:
        """Shut every open client connection and wait (bounded) for its thread."""
        with self._open_lock:
            open_now = list(self._open.items())
        for _, sock in open_now:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for thread, _ in open_now:
            thread.join(max(0.0, deadline - time.monotonic()))
