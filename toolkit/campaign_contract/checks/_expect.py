"""Small judgements the suite makes on whole exchanges: status codes and the content type."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from campaign_contract.client._exchange import Exchange
from campaign_contract.oracles._registry import register
from campaign_contract.validation._violations import Violation, pointer

if TYPE_CHECKING:
    from campaign_contract.harness._contract import Contract

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
    """A 2xx that does not refuse in its body (S-46)."""
    return exchange.succeeded


def refused_in_body(contract: Contract, exchange: Exchange, what: str) -> bool:
    """True, and recorded (S-46), when ``exchange`` refuses ``what`` under a 2xx, in its body
    (:func:`~campaign_contract.client._exchange.error_envelope`): a refusal the page allows,
    as it documents no error status."""
    if not exchange.refuses_in_body:
        return False
    contract.observe(
        "S-46",
        f"{what} answered {exchange.answer}: the server refuses in the body, not the status",
        exchange=exchange,
    )
    return True


def body_violations(exchange: Exchange) -> list[Violation]:
    """A violation when a response that should carry JSON carries none (unnamed, as above)."""
    if exchange.response_body is not None:
        return []
    return [Violation(pointer(), "the response body is not JSON")]
