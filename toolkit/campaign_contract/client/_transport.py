"""How a request reaches the server: a ``requests`` session for every host, or urllib3's
connection pool straight for a plain-HTTP loopback server that no proxy stands in front of.

Both send the same bytes with the same headers (``requests``' defaults under the client's
own) and give back an :class:`Answer`. On a fast loopback mock ``requests``' own machinery
(preparing, merging settings, cookies, hooks) costs about as much again as the exchange itself;
for any other host the session is kept, with its proxies, CA bundle and TLS.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests
import urllib3

from campaign_contract.client._exchange import is_loopback


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
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


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


class LoopbackTransport:
    """Sends to a plain-HTTP loopback server through one urllib3 connection pool, with the
    headers a ``requests`` session would add (``User-Agent``, ``Accept``, ``Accept-Encoding``,
    ``Connection``) under the client's own, and as ``requests`` does, no redirect followed and
    no retry of a read."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.root = f"{parts.scheme}://{parts.netloc}"
        self.pool = urllib3.HTTPConnectionPool(parts.hostname or "localhost", parts.port or 80)
        self.defaults = dict(requests.utils.default_headers())

    def send(self, request: Outgoing) -> Answer:
        method, url, data, timeout = request.method, request.url, request.data, request.timeout
        if not url.startswith(self.root + "/"):
            raise Unsendable(f"{url} is not on {self.root}")
        given = {name.lower() for name in request.headers}
        sent = {k: v for k, v in self.defaults.items() if k.lower() not in given}
        sent.update(request.headers)
        if "content-length" not in given and (data is not None or method not in _BODILESS):
            sent["Content-Length"] = str(len(data or b""))
        started = time.perf_counter()
        try:
            response = self.pool.urlopen(
                method,
                url[len(self.root) :],
                body=data,
                headers=sent,
                retries=urllib3.Retry(0, read=False, redirect=False),
                redirect=False,
                timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]),
            )
        except urllib3.exceptions.LocationParseError as exc:
            raise Unsendable(str(exc)) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise NoAnswer(str(exc)) from exc
        return Answer(
            response.status, dict(response.headers), response.data, time.perf_counter() - started
        )

    def close(self) -> None:
        self.pool.close()


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
    """``session`` when one is given; urllib3's pool for plain HTTP to a loopback host that the
    environment's proxies leave alone; otherwise a session with the environment's settings."""
    if session is not None:
        return SessionTransport(session)
    if urlsplit(url).scheme == "http" and is_loopback(url):
        if not requests.utils.get_environ_proxies(url):
            return LoopbackTransport(url)
    return SessionTransport(environment_session(url))
