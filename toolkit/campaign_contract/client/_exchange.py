"""The target of a run and one recorded request/response exchange with it."""

from __future__ import annotations

import ipaddress
import json
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from campaign_contract._secrets import mask_headers, secret

ENDPOINT_PATH = "/campaign/api/v2/public/{app_id}/campaign/getAllCampaignDetails"
_ENDPOINT_HEAD, _ENDPOINT_TAIL = ENDPOINT_PATH.split("{app_id}")


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class EndpointUrlError(ValueError):
    """A URL that is neither a host root nor the documented endpoint; one line, naming the
    host root to use instead."""


@dataclass(frozen=True)
class EndpointUrl:
    """What a URL given for the target says: its host root and, when it is the full endpoint
    URL copied from the page's curl, the app id in its path and the ``accountId`` in its query."""

    host_root: str
    app_id: str | None = None
    account_id: str | None = None


def split_endpoint_url(url: str) -> EndpointUrl:
    """``url`` as a host root (``https://platform.kore.ai``) or the documented endpoint URL
    (``…/public/{streamId}/campaign/getAllCampaignDetails?accountId=…``). Any other path, or a
    query or fragment on a host root, is an :class:`EndpointUrlError` naming the host root."""
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path
    if path.rstrip("/") == "":
        if parts.query or parts.fragment:
            raise EndpointUrlError(
                f"url must be the host root only, without a query or fragment: use {root}"
            )
        return EndpointUrl(root)
    app_id = _endpoint_app_id(path)
    if app_id is None:
        raise EndpointUrlError(
            f"url path {path} is not the endpoint's: give the host root {root} (the path "
            f"{ENDPOINT_PATH} is built from it) or the full endpoint URL from the page"
        )
    accounts = parse_qs(parts.query).get("accountId", [])
    if len(set(accounts)) > 1:
        raise EndpointUrlError("the endpoint URL names more than one accountId")
    return EndpointUrl(root, app_id, accounts[0].strip() or None if accounts else None)


def _endpoint_app_id(path: str) -> str | None:
    """The ``streamId`` of an endpoint path, or ``None`` when ``path`` is not the endpoint's."""
    path = path.rstrip("/")
    if not (path.startswith(_ENDPOINT_HEAD) and path.endswith(_ENDPOINT_TAIL)):
        return None
    middle = path[len(_ENDPOINT_HEAD) : len(path) - len(_ENDPOINT_TAIL)]
    if not middle or "/" in middle:
        return None
    return unquote(middle)


def error_envelope(body: Any) -> bool:
    """True for an answer that refuses in its body: an object whose ``status`` is ``error``
    (the envelope's "typically success or error", S-16) and that carries no ``data``. The page
    documents no error status, so a server may refuse so under HTTP 200 (S-46)."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("status"), str)
        and body["status"].casefold() == "error"
        and body.get("data") is None
    )


@dataclass(frozen=True)
class Target:
    """Where the endpoint lives and who is asking. The token never appears in ``repr``.

    The token is kept as a :class:`Secret`, so it shows as ``***`` wherever it is printed.
    """

    url: str
    app_id: str
    account_id: str
    token: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "token", secret(self.token))

    @property
    def host_root(self) -> str:
        return self.url.rstrip("/")

    def endpoint(self) -> str:
        """The documented URL, with ``accountId`` in the query."""
        path = ENDPOINT_PATH.format(app_id=quote(self.app_id, safe=""))
        return f"{self.host_root}{path}?accountId={quote(self.account_id, safe='')}"

    def headers(self) -> dict[str, str]:
        """The documented headers, credentials included (log only ``mask_headers`` of them)."""
        return {
            "auth": self.token,
            "accountid": self.account_id,
            "iid": self.app_id,
            "Content-Type": "application/json",
        }


@dataclass
class Exchange:
    """One request sent and the response received, as it came; credential headers masked.

    The response body is kept unmasked, for the checks to judge; its ``repr`` is left out
    (a server may echo the token), and writers scrub what they show of it.
    """

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: Any
    status: int
    response_headers: dict[str, str]
    response_body: Any = field(repr=False)
    response_text: str = field(repr=False)
    elapsed: float = 0.0
    attempts: int = 1
    raw_request_body: bytes | None = None
    throttled: bool = False
    """The answer is a 429 or 503 that the client's retries did not get past."""

    @property
    def refuses_in_body(self) -> bool:
        """A 2xx that refuses in its body (:func:`error_envelope`, S-46)."""
        return 200 <= self.status < 300 and error_envelope(self.response_body)

    @property
    def succeeded(self) -> bool:
        """A 2xx that does not refuse in its body."""
        return 200 <= self.status < 300 and not self.refuses_in_body

    @property
    def refused(self) -> bool:
        """A 4xx, or a 2xx that refuses in its body."""
        return 400 <= self.status < 500 or self.refuses_in_body

    @property
    def answer(self) -> str:
        """The answer's status as a message shows it: ``HTTP 400``, or ``HTTP 200 with status
        "error"`` for a 2xx that refuses in its body."""
        if self.refuses_in_body:
            return f'HTTP {self.status} with status "error"'
        return f"HTTP {self.status}"

    @property
    def content_type(self) -> str:
        for key, value in self.response_headers.items():
            if key.lower() == "content-type":
                return value
        return ""

    def curl(self) -> str:
        """A shell command that repeats the request, with credentials masked."""
        parts = ["curl", "--location", "--request", self.method, shlex.quote(self.url)]
        for key, value in mask_headers(self.request_headers).items():
            parts += ["--header", shlex.quote(f"{key}: {value}")]
        if self.raw_request_body is not None:
            data = self.raw_request_body.decode("utf-8", "replace")
        elif self.request_body is not None:
            data = json.dumps(self.request_body, ensure_ascii=False)
        else:
            data = None
        if data is not None:
            parts += ["--data", shlex.quote(data)]
        return " ".join(parts)
