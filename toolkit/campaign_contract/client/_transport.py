"""How a request reaches the server: a ``requests`` session for every host, or sockets of
the transport's own for a plain-HTTP loopback server that no proxy stands in front of.

Both send the same bytes with the same headers (``requests``' defaults under the client's
own) and give back an :class:`Answer`. On a fast loopback mock ``requests``' own machinery
(preparing, merging settings, cookies, hooks) costs about as much again as the exchange itself,
and ``http.client``'s parsing of the answer's headers a third of what is left; for any other
host the session is kept, with its proxies, CA bundle and TLS.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests
import urllib3

from campaign_contract.client._exchange import is_loopback
from campaign_contract.client._http1 import Connection, WireError, chunked, request_bytes


@dataclass(frozen=True)
class Answer:
    """What came back: the status, the headers (one entry per name, repeats joined with ``, ``
    as ``requests`` does), the body as received after content decoding, and the seconds taken."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    elapsed: float

    def header(self, name: str) -> str | None:
        """The value of header ``name``, whatever its case."""
        return header_of(self.headers, name)


def header_of(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header ``name`` in ``headers``, whatever its case."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


@dataclass(frozen=True)
class Outgoing:
    """One request to send: the headers are the client's own (a transport adds its defaults
    under them); ``timeout`` is (connect, read) in seconds."""

    method: str
    url: str
    data: bytes | None
    headers: Mapping[str, str]
    timeout: tuple[float, float]


class Unsendable(Exception):
    """The URL or a header cannot be sent at all: no retry can cure it."""


class NoAnswer(Exception):
    """No answer came (refused, reset, timed out): a retry may get one. ``__cause__`` holds the
    transport's own error."""


class Transport(Protocol):
    def send(self, request: Outgoing) -> Answer: ...

    def close(self) -> None: ...


_UNUSABLE = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
)


class SessionTransport:
    """Sends through a ``requests`` session (its proxies, CA bundle, TLS and adapters)."""

    def __init__(self, session: requests.Session) -> None:
        self.session = session

    def send(self, request: Outgoing) -> Answer:
        try:
            response = self.session.request(
                request.method, request.url, data=request.data, headers=dict(request.headers),
                timeout=request.timeout, allow_redirects=False,
            )  # fmt: skip
        except _UNUSABLE as exc:
            raise Unsendable(str(exc)) from None
        except requests.RequestException as exc:
            raise NoAnswer(str(exc)) from exc
        return Answer(
            response.status_code,
            dict(response.headers),
            response.content,
            response.elapsed.total_seconds(),
        )

    def close(self) -> None:
        self.session.close()


_BODILESS = frozenset({"GET", "HEAD"})
"""Methods ``requests`` sends without a ``Content-Length`` when there is no body."""
MAX_IDLE = 4
"""The most idle connections kept to a loopback server (one per sender thread, as a rule)."""


class LoopbackTransport:
    """Sends to a plain-HTTP loopback server over kept-alive sockets of its own
    (:mod:`._http1`), writing what urllib3 beneath a ``requests`` session writes: the
    ``Host`` line, the session's default headers (``User-Agent``, ``Accept``,
    ``Accept-Encoding``, ``Connection``) under the client's own, a ``Content-Length``; and, as
    ``requests`` does, following no redirect, retrying no read, undoing content encodings."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or 80
        shown = f"[{self.host}]" if ":" in self.host else self.host
        self.host_header = shown if self.port == 80 else f"{shown}:{self.port}"
        self.defaults = dict(requests.utils.default_headers())
        self.user_agent = f"python-urllib3/{getattr(urllib3, '__version__', '')}"
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def send(self, request: Outgoing) -> Answer:
        url = request.url
        if not url.startswith(self.root + "/"):
            raise Unsendable(f"{url} is not on {self.root}")
        try:
            raw = self._written(request)
        except ValueError as exc:
            raise Unsendable(str(exc)) from None
        started = time.perf_counter()
        try:
            connection = self._connection(request.timeout[0])
        except OSError as exc:
            raise NoAnswer(str(exc)) from exc
        try:
            reply, reusable = connection.exchange(request.method, raw, request.timeout[1])
            headers = _joined(reply.headers)
            content = _decoded(reply.body, headers)
        except (OSError, WireError, urllib3.exceptions.HTTPError) as exc:
            connection.close()
            raise NoAnswer(str(exc) or type(exc).__name__) from exc
        except BaseException:
            connection.close()
            raise
        self._done_with(connection, reusable)
        return Answer(reply.status, headers, content, time.perf_counter() - started)

    def _done_with(self, connection: Connection, reusable: bool) -> None:
        with self._lock:
            if reusable and not self._closed and len(self._idle) < MAX_IDLE:
                self._idle.append(connection)
                return
        connection.close()

    def _written(self, request: Outgoing) -> bytes:
        # as requests merges them: a default the client overrides keeps its place
        merged = {name.lower(): (name, value) for name, value in self.defaults.items()}
        merged.update((name.lower(), (name, value)) for name, value in request.headers.items())
        if request.data:  # requests writes a body's own length over any given
            merged["content-length"] = ("Content-Length", str(len(request.data)))
        elif "content-length" not in merged and request.method not in _BODILESS:
            merged["content-length"] = ("Content-Length", "0")
        headers = dict(merged.values())
        names = merged.keys()
        sent: list[tuple[str, str]] = []
        if "host" not in names:
            sent.append(("Host", self.host_header))
        if "accept-encoding" not in names:
            sent.append(("Accept-Encoding", "identity"))
        if "user-agent" not in names:
            sent.append(("User-Agent", self.user_agent))
        sent.extend(headers.items())
        body = request.data
        if "transfer-encoding" in names and "content-length" not in names:
            body = chunked(body or b"")
        target = request.url[len(self.root) :]
        return request_bytes(request.method, target, sent, body)

    def _connection(self, connect_timeout: float) -> Connection:
        with self._lock:
            while self._idle:
                connection = self._idle.pop()
                if not connection.dropped():
                    return connection
                connection.close()
        return Connection(self.host, self.port, connect_timeout)

    def close(self) -> None:
        """Close the idle connections; one still busy is closed once its answer is in."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _joined(lines: list[tuple[str, str]]) -> dict[str, str]:
    """One entry per header name (the case first seen), repeats joined with ``, ``."""
    joined: dict[str, str] = {}
    names: dict[str, str] = {}
    for name, value in lines:
        first = names.setdefault(name.lower(), name)
        joined[first] = f"{joined[first]}, {value}" if first in joined else value
    return joined


def _decoded(body: bytes, headers: Mapping[str, str]) -> bytes:
    """``body`` with the content encodings of ``headers`` (repeats joined) undone, by urllib3's
    own decoders (as ``requests`` undoes them); a body with none is returned as it came."""
    encoding = header_of(headers, "Content-Encoding") or ""
    if encoding.strip().lower() in ("", "identity"):
        return body
    response = urllib3.HTTPResponse(
        body=io.BytesIO(body),
        headers={"Content-Encoding": encoding},
        preload_content=True,
        decode_content=True,
        enforce_content_length=False,
    )
    return bytes(response.data)


def environment_session(url: str) -> requests.Session:
    """A session with the environment's proxies and CA bundle for ``url`` read once.

    ``requests`` otherwise re-reads every proxy variable on each request (a tenth of a fast
    loopback run's time). ``~/.netrc`` is not consulted: the endpoint's credentials are the
    ``auth`` header, and a netrc ``Authorization`` header must not ride along with them.
    """
    session = requests.Session()
    session.proxies = dict(requests.utils.get_environ_proxies(url))
    session.verify = (
        os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    )
    session.trust_env = False
    return session


def transport_for(url: str, session: requests.Session | None = None) -> Transport:
    """``session`` when one is given; sockets of the transport's own for plain HTTP to a
    loopback host that the environment's proxies leave alone; otherwise a session with the
    environment's settings."""
    if session is not None:
        return SessionTransport(session)
    if urlsplit(url).scheme == "http" and is_loopback(url):
        if not requests.utils.get_environ_proxies(url):
            return LoopbackTransport(url)
    return SessionTransport(environment_session(url))
