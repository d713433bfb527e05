"""One HTTP/1.1 exchange at a time over a kept-alive plain socket, for a loopback server.

``http.client`` (beneath urllib3 and ``requests``) parses every answer's headers through the
``email`` package, about a third of the time a fast loopback exchange takes on the client's
side. Here a request goes out as one write and the answer is read from one buffer: the status
line, the header lines split by hand (a line that is not a header ends them, as in the
``email`` parser), then the body framed as ``http.client`` frames it, by the first value of each
framing header — chunked, ``Content-Length``, or everything until the server closes; none for
``HEAD``, 1xx, 204 and 304. A ``100 Continue`` is skipped; any other 1xx is the answer. The
limits are ``http.client``'s (a line of 64 KiB, 100 headers). A server that stops reading the
request and closes (a body too large for it) may still have answered: the answer is read, as
urllib3 reads it. A connection is kept for the next request only when the answer says it may
be (``Connection`` and the HTTP version, as ``http.client`` decides) and its body was framed;
one the server closed while idle is noticed before it is used again.

Everything that goes wrong on the wire raises :class:`WireError` (a malformed answer) or
:class:`OSError` (refused, reset, timed out); a request that cannot be written at all raises
:class:`ValueError`.
"""

from __future__ import annotations

import re
import select
import socket
from collections.abc import Iterable
from dataclasses import dataclass

MAX_LINE = 65536
MAX_HEADERS = 100
_READ = 65536
_NO_BODY_STATUSES = frozenset({204, 304})
# what requests accepts in a header it is given: a name without colons or line breaks that does
# not start with whitespace, a value on one line that does not start with whitespace
_LEGAL_NAME = re.compile(rb"[^:\s][^:\r\n]*\Z")
_LEGAL_VALUE = re.compile(rb"(\S[^\r\n]*)?\Z")
_ILLEGAL_TARGET = re.compile(r"[\x00-\x20\x7f]")
# a header line as the email parser reads one: a name of printable characters but the colon
_HEADER_LINE = re.compile(r"[\x21-\x39\x3b-\x7e]+:")
_CONTINUE = 100


class WireError(Exception):
    """The server's bytes are not an HTTP/1.x answer (or it closed before one was complete)."""


@dataclass(frozen=True)
class Reply:
    """An answer as read: the status, the header lines as (name, value) in order, and the body
    as sent (content encodings not undone)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def request_bytes(
    method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes | None
) -> bytes:
    """The request as written to the socket: the request line, the headers in the order given
    (names and values checked as ``http.client`` checks them, Latin-1), a blank line, the
    body."""
    if _ILLEGAL_TARGET.search(target) or _ILLEGAL_TARGET.search(method):
        raise ValueError(f"can't send a request target with control characters: {target!r}")
    lines = [f"{method} {target} HTTP/1.1".encode("ascii")]
    for name, value in headers:
        raw_name, raw_value = name.encode("ascii"), value.encode("latin-1")
        if not _LEGAL_NAME.match(raw_name):
            raise ValueError(f"invalid header name {name!r}")
        if not _LEGAL_VALUE.match(raw_value):
            raise ValueError(f"invalid header value for {name!r}")
        lines.append(raw_name + b": " + raw_value)
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


def chunked(body: bytes) -> bytes:
    """``body`` in chunked transfer coding: one chunk (if any), then the last."""
    return (b"%x\r\n%b\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"


class Connection:
    """One socket to the server, and what has been read from it but not yet consumed."""

    def __init__(self, host: str, port: int, connect_timeout: float) -> None:
        self.sock = socket.create_connection((host, port), timeout=connect_timeout)
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            self.sock.close()
            raise
        self.buffer = bytearray()

    def close(self) -> None:
        self.sock.close()

    def dropped(self) -> bool:
        """Whether the server closed the idle connection (or sent something unasked)."""
        if self.buffer:
            return True
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def exchange(self, method: str, raw: bytes, read_timeout: float) -> tuple[Reply, bool]:
        """Write one request, read its answer; whether the connection may carry another."""
        self.sock.settimeout(read_timeout)
        sent = True
        try:
            self.sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            sent = False  # the server stopped reading: what it answered before is read below
        while True:
            version, status = self._status_line()
            headers = self._headers()
            if status != _CONTINUE:
                break
        fields: dict[str, str] = {}
        for name, value in headers:
            fields.setdefault(name.lower(), value)  # the first, as http.client reads them
        keep = sent and status >= 200 and _keeps_alive(version, fields)
        if method == "HEAD" or status in _NO_BODY_STATUSES or status < 200:
            return Reply(status, headers, b""), keep
        if fields.get("transfer-encoding", "").lower() == "chunked":
            return Reply(status, headers, self._chunked()), keep
        lengths = {v.strip() for k, v in headers if k.lower() == "content-length"}
        if len(lengths) > 1:
            raise WireError(f"the answer gives several lengths: {', '.join(sorted(lengths))}")
        length = _content_length(fields.get("content-length"))
        if length is None:
            return Reply(status, headers, self._until_close()), False
        return Reply(status, headers, self._exactly(length)), keep

    def _fill(self) -> bool:
        data = self.sock.recv(_READ)
        self.buffer += data
        return bool(data)

    def _line(self) -> bytes:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                if end >= MAX_LINE:
                    raise WireError("got a line longer than 65536 bytes")
                line = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                return line
            if len(self.buffer) > MAX_LINE:
                raise WireError("got a line longer than 65536 bytes")
            if not self._fill():  # closed: what came of the line is the line
                line = bytes(self.buffer)
                self.buffer.clear()
                return line

    def _status_line(self) -> tuple[int, int]:
        line = self._line()
        if not line:
            raise WireError("the server closed the connection without an answer")
        parts = line.decode("latin-1").rstrip("\r\n").split(None, 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise WireError(f"not an HTTP status line: {line[:80]!r}")
        if not parts[0].startswith("HTTP/1."):
            raise WireError(f"not an HTTP/1.x answer: {parts[0][:20]!r}")
        version = 10 if parts[0] == "HTTP/1.0" else 11
        code = parts[1]
        if len(code) != 3 or not (code.isascii() and code.isdigit()) or int(code) < 100:
            raise WireError(f"not an HTTP status: {code[:20]!r}")
        return version, int(code)

    def _headers(self) -> list[tuple[str, str]]:
        headers: list[tuple[str, str]] = []
        lines = 0
        ended = False  # a line that is not a header: the email parser reads no more of them
        while True:
            line = self._line()
            if line in (b"\r\n", b"\n", b""):
                return headers
            lines += 1
            if lines > MAX_HEADERS:
                raise WireError(f"got more than {MAX_HEADERS} headers")
            text = line.decode("latin-1").rstrip("\r\n")
            if ended:
                continue
            if text[:1] in (" ", "\t"):  # an obsolete folded continuation
                if headers:
                    name, value = headers[-1]
                    headers[-1] = (name, f"{value} {text.strip()}")
                continue
            if not _HEADER_LINE.match(text):
                ended = True
                continue
            name, _, value = text.partition(":")
            headers.append((name, value.lstrip(" \t")))

    def _exactly(self, length: int) -> bytes:
        while len(self.buffer) < length:
            if not self._fill():
                raise WireError(
                    f"the server closed the connection {length - len(self.buffer)} bytes "
                    "before the end of the body"
                )
        body = bytes(self.buffer[:length])
        del self.buffer[:length]
        return body

    def _until_close(self) -> bytes:
        while self._fill():
            pass
        body = bytes(self.buffer)
        self.buffer.clear()
        return body

    def _chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size_line = self._line().split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16) if size_line.isalnum() else -1
            except ValueError:
                size = -1
            if size < 0:
                raise WireError(f"not a chunk size: {size_line[:20]!r}")
            if size == 0:
                while self._line() not in (b"\r\n", b"\n", b""):
                    pass  # trailer fields, not kept
                return b"".join(parts)
            parts.append(self._exactly(size))
            if self._line() not in (b"\r\n", b"\n"):
                raise WireError("a chunk's data runs past its size")


def _content_length(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


def _keeps_alive(version: int, fields: dict[str, str]) -> bool:
    connection = fields.get("connection", "").lower()
    if "close" in connection:
        return False
    if version == 11:
        return True
    return "keep-alive" in connection or bool(fields.get("keep-alive"))
