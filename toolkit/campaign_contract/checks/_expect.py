"""Small judgements the suite makes on whole exchanges: status codes and the content type."""

from __future__ import annotations

from collections.abc import Container

from campaign_contract.client._exchange import Exchange
from campaign_contract.oracles._registry import register
from campaign_contract.validation._violations import Violation, pointer

JSON_SUFFIX = "+json"


def is_json_type(content_type: str) -> bool:
    """True for ``application/json`` (any parameters) and ``application/*+json``."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith(JSON_SUFFIX)
    )


@register("content-type", family="conformance", kind="suite")
def content_type_violations(exchange: Exchange) -> list[Violation]:
    """The response must say it is JSON."""
    found = exchange.content_type
    if is_json_type(found):
        return []
    shown = repr(found) if found else "no Content-Type header"
    return [
        Violation(
            "", f"HTTP {exchange.status} answered with {shown}; the page documents application/json"
        )
    ]


def status_violations(
    exchange: Exchange, allowed: Container[int], expected: str
) -> list[Violation]:
    """A violation when the status is not among ``allowed`` (described by ``expected``); the
    check that asks names it (:meth:`Contract.require` stamps the running check)."""
    if exchange.status in allowed:
        return []
    return [Violation("", f"expected {expected}; the server answered HTTP {exchange.status}")]


def is_success(exchange: Exchange) -> bool:
    return 200 <= exchange.status < 300


def body_violations(exchange: Exchange) -> list[Violation]:
    """A violation when a response that should carry JSON carries none (unnamed, as above)."""
    if exchange.response_body is not None:
        return []
    return [Violation(pointer(), "the response body is not JSON")]
