"""Conformance: success answers are JSON that fits the schema of the requested type; what the
page leaves open about error answers is recorded."""

from __future__ import annotations

from campaign_contract import validate_response
from campaign_contract.checks import conformance
from campaign_contract.harness._contract import Contract
from campaign_contract.strategies import InvalidRequest, invalid_requests, valid_requests
from hypothesis import example, given

EMPTY_PAGE = {
    "type": "voice",
    "startDate": "2000-01-01T00:00:00.000Z",
    "endDate": "2000-01-02T00:00:00.000Z",
    "limit": 5,
}
"""A documented-valid request whose page is empty on any tenant: the schema of an empty page."""


@given(body=valid_requests())
@example(body=EMPTY_PAGE)
def test_schema(contract: Contract, body: dict) -> None:
    exchange = contract.ok(body)
    contract.require(validate_response(exchange.response_body, body["type"]), exchange)


@given(body=valid_requests())
def test_content_type(contract: Contract, body: dict) -> None:
    conformance.content_type(contract, body)


@given(bad=invalid_requests())
def test_error_schema(contract: Contract, bad: InvalidRequest) -> None:
    conformance.error_schema(contract, bad)
