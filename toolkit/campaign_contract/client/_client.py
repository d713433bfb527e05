"""The HTTP client for the endpoint: paced, budgeted, retrying, read-only, never leaking the token.

Every send goes through a :class:`SharedPacer` (rate limit and budget shared across processes
through ``state_dir``). Connection errors, 429 and 503 are retried with exponential backoff,
honouring ``Retry-After``; a 429 or 503 is recorded in ``throttle_events`` and, once retries
are spent, returned as the :class:`Exchange` (``throttled`` set) for the caller to judge —
never raised — while the pacer holds every sender back for the full ``Retry-After``.

Credentials travel as :class:`Secret` values, whose ``repr`` is ``***``: no frame of the
client holds one as a plain string that ``pytest -l`` would print. A response is kept exactly
as it came (its credential headers masked by name); scrubbing known secrets out of what is
shown is the writers' job (``campaign_contract._secrets``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlsplit

import requests

from campaign_contract._json import loads_or_none
from campaign_contract._secrets import Scrubber, mask_headers, secret, secret_headers
from campaign_contract.client._exchange import ENDPOINT_PATH, Exchange, Target, is_loopback
from campaign_contract.client._pacing import (
    BudgetExhausted,
    ClientError,
    SharedPacer,
    ThrottleEvent,
    parse_retry_after,
)
from campaign_contract.client._transport import (
    Answer,
    NoAnswer,
    Outgoing,
    SessionTransport,
    Unsendable,
    transport_for,
)

__all__ = [
    "BudgetExhausted",
    "CampaignClient",
    "ClientError",
    "RequestRefused",
    "TargetUnreachable",
    "ThrottleEvent",
    "is_loopback",
    "parse_retry_after",
]

MAX_TEXT = 64 * 1024
"""Characters of a response's text kept in an :class:`Exchange`."""
MAX_WAIT = 60.0
"""The longest the client waits before one retry, whatever ``Retry-After`` says."""
MAX_HOLD = 300.0
"""The longest the pacer is held back after the last retry, whatever ``Retry-After`` says."""
RETRY_STATUSES = frozenset({429, 503})
_ENDPOINT_RE = re.compile(
    "^" + re.escape(ENDPOINT_PATH).replace(re.escape("{app_id}"), "[^/]*") + "$"
)


class TargetUnreachable(ClientError):
    """The endpoint could not be reached (connection refused, DNS, TLS, timeout) after retries."""


class RequestRefused(ClientError):
    """The client would not send this request: only the read-only POST to the endpoint."""


class _Keep(Enum):
    KEEP = "keep"


class _NoBody(Enum):
    NO_BODY = "no-body"


KEEP: Final = _Keep.KEEP
"""Default of :meth:`CampaignClient.post`'s overrides: use the target's own value."""
NO_BODY: Final = _NoBody.NO_BODY
"""Default body of :meth:`CampaignClient.post`: send no body at all."""


_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")
_OBJECT_PREFIX = re.compile(r"^<[^>]*>:\s*")


def connection_problem(error: BaseException) -> str:
    """The root cause of a failed connection in a few words ("Connection refused", "Name or
    service not known", "Read timed out"), not the wrapped exceptions' long reprs."""
    cause: BaseException = error
    seen = {id(cause)}
    while True:
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException) and cause.args:
            inner = cause.args[0]
        if not isinstance(inner, BaseException) or id(inner) in seen:
            break
        seen.add(id(inner))
        cause = inner
    text = _OBJECT_PREFIX.sub("", str(cause))
    found = _ERRNO.search(text)
    if found:
        return found.group(1).strip()
    text = text.rsplit(": ", 1)[-1].strip() or type(cause).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def _parse_body(content: bytes) -> Any:
    """The JSON value of a response body, or ``None`` when it is empty or not JSON at all.

    Never raises; nesting deeper than ``MAX_DEPTH`` levels counts as not JSON on every Python.
    """
    if not content.strip():
        return None
    return loads_or_none(content)


class CampaignClient:
    """Sends requests to the target's endpoint and records each as an :class:`Exchange`.

    ``rate`` is requests per second: ``None`` picks the default for the host (1 per second,
    unlimited on loopback), ``0`` means unlimited. ``budget`` caps the requests sent (retries
    included) across every process sharing ``state_dir``. ``max_wait`` caps the wait before one
    retry, ``max_hold`` the time the pacer is held after the last one.

    Only a POST to the documented path is sent, on every host, unless ``allow_any_method`` is
    true (for checking a local server's answer to other methods).
    """

    def __init__(
        self,
        target: Target,
        *,
        rate: float | None = None,
        budget: int | None = None,
        timeout: tuple[float, float] = (5, 30),
        retries: int = 3,
        backoff: float = 0.5,
        max_wait: float = MAX_WAIT,
        max_hold: float = MAX_HOLD,
        state_dir: Path | None = None,
        session: requests.Session | None = None,
        allow_any_method: bool = False,
    ) -> None:
        if retries < 0:
            raise ValueError(f"retries must be 0 or more, not {retries}")
        self.target = target
        self.loopback = is_loopback(target.url)
        if rate is None:
            rate = 0.0 if self.loopback else 1.0
        self.pacer = SharedPacer(rate, budget, state_dir)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_hold = max_hold
        self.allow_any_method = allow_any_method
        if session is not None:
            session.verify = True
        self.transport = transport_for(target.url, session)
        self.requests_made = 0
        self.throttle_events: list[ThrottleEvent] = []

    @property
    def rate(self) -> float:
        return self.pacer.rate

    @property
    def budget(self) -> int | None:
        return self.pacer.budget

    def requests_used(self) -> int:
        """Requests sent by every process sharing this client's ``state_dir`` (else this one)."""
        return self.pacer.used() if self.pacer.state_dir is not None else self.requests_made

    def __repr__(self) -> str:
        return (
            f"CampaignClient({self.target!r}, rate={self.rate}, budget={self.budget}, "
            f"requests_made={self.requests_made})"
        )

    @property
    def session(self) -> requests.Session | None:
        """The ``requests`` session sending (``None`` when urllib3's pool sends to loopback)."""
        return self.transport.session if isinstance(self.transport, SessionTransport) else None

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> CampaignClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(
        self,
        *,
        account_id_query: str | _Keep | None = KEEP,
        app_id_path: str | _Keep | None = KEEP,
    ) -> str:
        """The endpoint URL, optionally with another (or no) app id in the path or account id."""
        app_id = self.target.app_id if app_id_path is KEEP else (app_id_path or "")
        url = self.target.host_root + ENDPOINT_PATH.format(app_id=quote(app_id, safe=""))
        account = self.target.account_id if account_id_query is KEEP else account_id_query
        if account is not None:
            url += f"?accountId={quote(account, safe='')}"
        return url

    def headers(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        drop_headers: Iterable[str] = (),
        auth: str | _Keep | None = KEEP,
    ) -> dict[str, str]:
        """The headers to send: the target's, overridden and pruned; credentials as Secrets."""
        merged = self.target.headers()
        if auth is None:
            merged.pop("auth")
        elif not isinstance(auth, _Keep):
            merged["auth"] = secret(auth)
        for key, value in secret_headers(headers or {}).items():
            for existing in [k for k in merged if k.lower() == key.lower()]:
                del merged[existing]
            merged[key] = value
        dropped = {name.lower() for name in drop_headers}
        return {k: v for k, v in merged.items() if k.lower() not in dropped}

    def _guard(self, method: str, url: str) -> None:
        if self.allow_any_method:
            return
        path = urlsplit(url).path
        root_path = urlsplit(self.target.host_root).path.rstrip("/")
        endpoint = path[len(root_path) :] if path.startswith(root_path) else path
        if method != "POST" or not _ENDPOINT_RE.match(endpoint):
            raise RequestRefused(
                f"refusing {method} {urlsplit(url).path}: only POST to getAllCampaignDetails "
                "is sent (allow_any_method=True lifts this for a local server)"
            )

    def _scrubber(self, auth: str | _Keep | None) -> Scrubber:
        """Masks the credentials one request carries (the target's token, any ``auth``
        given) in the messages of errors raised about it."""
        return Scrubber((self.target.token, auth if isinstance(auth, str) else None))

    def post(
        self,
        body: Any = NO_BODY,
        *,
        raw: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        drop_headers: Iterable[str] = (),
        auth: str | _Keep | None = KEEP,
        account_id_query: str | _Keep | None = KEEP,
        app_id_path: str | _Keep | None = KEEP,
        method: str = "POST",
    ) -> Exchange:
        """Send one request to the endpoint and return what happened.

        ``body`` is sent as JSON (``None`` sends ``null``; leave it out to send no body);
        ``raw`` sends bytes as they are instead. ``auth``, ``account_id_query`` and
        ``app_id_path`` replace the target's values (``None`` leaves them out);
        ``headers`` adds or replaces headers and ``drop_headers`` removes them.

        A 429 or 503 the retries did not get past is returned with ``throttled`` set, after
        holding the pacer for its ``Retry-After`` (at most
        ``max_hold`` seconds) so that no sender sharing it hammers the server.

        Raises :class:`BudgetExhausted` before sending when the budget is spent,
        :class:`TargetUnreachable` when no response came after the retries,
        :class:`RequestRefused` for anything but the read-only POST to the endpoint (unless
        the client allows any method), and :class:`ClientError` when the request cannot be
        sent at all.
        """
        if isinstance(auth, str):
            auth = secret(auth)
        if headers is not None:
            headers = secret_headers(headers)
        method = method.upper()
        url = self.url(account_id_query=account_id_query, app_id_path=app_id_path)
        self._guard(method, url)
        sent_headers = self.headers(headers=headers, drop_headers=drop_headers, auth=auth)
        if raw is not None:
            data: bytes | None = raw
        elif body is NO_BODY:
            data = None
        else:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        request_body = None if body is NO_BODY or raw is not None else body
        shown_raw = raw if raw is not None else (b"null" if body is None else None)

        def scrub(text: str) -> str:
            return self._scrubber(auth).text(text)

        outgoing = Outgoing(method, url, data, sent_headers, self.timeout)
        attempt = 0
        while True:
            attempt += 1
            self.pacer.acquire()
            self.requests_made += 1
            try:
                answer = self.transport.send(outgoing)
            except Unsendable as exc:
                raise ClientError(
                    f"cannot send to {self.target.host_root}: {scrub(str(exc))}"
                ) from None
            except NoAnswer as exc:
                if attempt > self.retries:
                    cause = scrub(connection_problem(exc.__cause__ or exc))
                    raise TargetUnreachable(
                        f"no response from {self.target.host_root} after {attempt} attempts: "
                        f"{cause}"
                    ) from None
                self.pacer.defer(time.time() + self._backoff(attempt))
                continue
            except Exception as exc:  # e.g. a header value outside Latin-1
                raise ClientError(
                    f"cannot send to {self.target.host_root}: {type(exc).__name__}: "
                    f"{scrub(str(exc))}"
                ) from None
            exchange = self._exchange(method, url, sent_headers, request_body, shown_raw, answer)
            exchange.attempts = attempt
            if answer.status not in RETRY_STATUSES:
                return exchange
            last = attempt > self.retries
            wait = self._retry_wait(answer, attempt, self.max_hold if last else self.max_wait)
            event = ThrottleEvent(time.time(), answer.status, wait, exchange.url)
            self.throttle_events.append(event)
            self.pacer.defer(time.time() + wait)
            if last:
                exchange.throttled = True
                return exchange

    def _backoff(self, attempt: int) -> float:
        return float(min(self.max_wait, self.backoff * 2 ** (attempt - 1)))

    def _retry_wait(self, answer: Answer, attempt: int, cap: float) -> float:
        told = parse_retry_after(answer.header("Retry-After"))
        wait = told if told is not None else self._backoff(attempt)
        return float(min(cap, wait))

    def _exchange(
        self,
        method: str,
        url: str,
        sent_headers: Mapping[str, str],
        request_body: Any,
        raw: bytes | None,
        answer: Answer,
    ) -> Exchange:
        content = answer.content
        return Exchange(
            method=method,
            url=url,
            request_headers=mask_headers(sent_headers),
            request_body=request_body,
            status=answer.status,
            response_headers=mask_headers(answer.headers),
            response_body=_parse_body(content),
            response_text=content[: MAX_TEXT * 4].decode("utf-8", "replace")[:MAX_TEXT],
            elapsed=answer.elapsed,
            raw_request_body=raw,
        )
