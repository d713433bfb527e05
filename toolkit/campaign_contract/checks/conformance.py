"""Conformance of whole answers: the content type, and the bodies of error answers.

Only a 2xx must be JSON with a JSON content type: the page documents no error answer at all
(S-17), so what a 4xx carries is recorded, never failed. A 5xx always fails.
"""

from __future__ import annotations

from typing import Any

from campaign_contract.checks._expect import body_violations, content_type_violations, is_success
from campaign_contract.client._exchange import Exchange
from campaign_contract.generation._invalid import InvalidRequest
from campaign_contract.harness._contract import Contract
from campaign_contract.oracles._registry import declare, stamp
from campaign_contract.validation._validators import validate_error
from campaign_contract.validation._violations import Violation

ERROR_NOTE = "S-17"
SCHEMA = declare("schema", family="conformance").name
ERROR_SCHEMA = declare("error-schema", family="conformance").name


def server_error(contract: Contract, exchange: Exchange, what: str) -> None:
    """Fail the check on a 5xx (or any status outside 2xx and 4xx)."""
    __tracebackhide__ = True
    if not (is_success(exchange) or exchange.refused):
        contract.fail(f"{what} answered HTTP {exchange.status}", exchange)


def observe_error_body(contract: Contract, exchange: Exchange, found: list[Violation]) -> None:
    """Record what is unusual about a 4xx answer's body or content type (S-17)."""
    for violation in found:
        where = f" at {violation.pointer}" if violation.pointer else ""
        contract.observe(
            ERROR_NOTE,
            f"a 4xx answer breaks [{violation.check}]{where}: the page documents no error body",
            exchange=exchange,
            detail=violation.message,
        )


def content_type(contract: Contract, body: dict[str, Any]) -> None:
    """A 2xx answer is JSON labelled as JSON; a 4xx is recorded; a 5xx fails."""
    __tracebackhide__ = True
    exchange = contract.post(body)
    server_error(contract, exchange, "a documented-valid request")
    found = content_type_violations(exchange)
    if is_success(exchange):
        found += body_violations(exchange)
        contract.require(found, exchange)
        return
    contract.allowed_refusal(body, exchange, send=False)
    observe_error_body(contract, exchange, found)


def error_schema(contract: Contract, bad: InvalidRequest) -> None:
    """An error answer to an invalid request: a 5xx fails; a 4xx's body is recorded when it is
    not JSON, not labelled JSON, or not an object with string status and message (S-17)."""
    __tracebackhide__ = True
    exchange = contract.post(bad.body)
    if is_success(exchange):
        return  # judged by invalid-rejected
    server_error(contract, exchange, f"a request where {bad.description}")
    found = content_type_violations(exchange)
    if exchange.response_body is None:
        found += stamp(ERROR_SCHEMA, body_violations(exchange))
    else:
        found += validate_error(exchange.response_body)
    observe_error_body(contract, exchange, found)
