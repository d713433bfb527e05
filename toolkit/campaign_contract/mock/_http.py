"""The HTTP layer: a stdlib ``ThreadingHTTPServer`` that hands each request to :class:`MockApp`.

It answers every method and every malformed request with JSON, refuses bodies it will not read
(413, 411, 408) without waiting on them, logs nothing, and can close every open connection.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from campaign_contract.mock._app import MockApp, Reply, error_body

_DRAIN_BYTES = 4 * 1024 * 1024
_DRAIN_SECONDS = 1.0


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

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.request_timeout)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

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
        return f"request body is larger than {self.server.max_body} bytes"

    def _oversized(self) -> bool:
        length = self.headers.get("Content-Length", "").strip()
        return length.isascii() and length.isdigit() and int(length) > self.server.max_body

    def _serve(self) -> None:
        try:
            body = self._read_body()
            if body is None:
                return
            headers: dict[str, str] = {}
            for key, value in self.headers.items():
                headers.setdefault(key.lower(), value)
            reply = self.server.app.handle(self.command, self.path, headers, body)
        except Exception:  # the mock must answer, whatever went wrong inside it
            self.close_connection = True
            reply = Reply(500, error_body("internal error in the mock"), _json_header())
        self._send(reply)

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` after answering a request whose body cannot be read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "send the body with a Content-Length, not chunked")
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not (length.strip().isascii() and length.strip().isdigit()):
            self._refuse(400, "Content-Length is not a number")
            return None
        size = int(length)
        if size > self.server.max_body:
            self._refuse(413, self._too_large())
            self._drain(size)
            return None
        try:
            body = self.rfile.read(size)
        except TimeoutError:
            self._refuse(408, "timed out reading the request body")
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
        deadline = time.monotonic() + _DRAIN_SECONDS
        try:
            self.connection.settimeout(0.2)
            while remaining > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read1(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            for key, value in reply.headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


def _json_header() -> list[tuple[str, str]]:
    return [("Content-Type", "application/json")]


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        app: MockApp,
        *,
        max_body: int,
        request_timeout: float,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self.max_body = max_body
        self.request_timeout = request_timeout
        self._open: dict[threading.Thread, socket.socket] = {}
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._process_tracked, args=(request, client_address), daemon=True
        )
        with self._open_lock:
            self._open[thread] = request
        thread.start()

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
