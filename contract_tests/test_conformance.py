"""Conformance: every answer is JSON; success bodies fit the schema of the requested type."""

from __future__ import annotations

from campaign_contract import validate_error, validate_response
from campaign_contract._runner.contract import Contract
from campaign_contract._runner.expect import content_type_violations, is_success
from campaign_contract.strategies import InvalidRequest, invalid_requests, valid_requests
from hypothesis import given


@given(body=valid_requests())
def test_schema(contract: Contract, body: dict) -> None:
    exchange = contract.ok(body)
    contract.require(validate_response(exchange.response_body, body["type"]), exchange)


@given(body=valid_requests())
def test_content_type(contract: Contract, body: dict) -> None:
    exchange = contract.post(body)
    contract.require(content_type_violations(exchange), exchange)


@given(bad=invalid_requests())
def test_error_schema(contract: Contract, bad: InvalidRequest) -> None:
    exchange = contract.post(bad.body)
    if is_success(exchange):
        return  # judged by invalid-rejected
    found = content_type_violations(exchange) + validate_error(exchange.response_body)
    contract.require(found, exchange, what=f"error answer to a request where {bad.description}")
