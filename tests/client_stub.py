"""A scripted HTTP server on loopback for the client's tests."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from oracle_samples import page

ECHO = b"<echo the request headers>"
OK_BODY = json.dumps(page([], limit=10)).encode()


@dataclass
class Seen:
    """One request as the server received it."""

    at: float
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    body: bytes = OK_BODY


class StubServer(ThreadingHTTPServer):
    """Answers from ``script`` in order, then 200 with an empty page (405 for non-POST)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: deque[Reply] = deque()
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def reply(self, method: str) -> Reply:
        with self.lock:
            if self.script:
                return self.script.popleft()
        return Reply() if method == "POST" else Reply(405, {}, b"")


class _Handler(BaseHTTPRequestHandler):
    server: StubServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.server.lock:
            self.server.seen.append(Seen(time.time(), self.command, self.path, headers, body))
        reply = self.server.reply(self.command)
        payload = json.dumps({"headers": headers}).encode() if reply.body == ECHO else reply.body
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass
