"""Request handling: documented-valid requests answer 2xx, schema-invalid ones 4xx (never 2xx,
never 5xx), malformed JSON 4xx; what the page leaves open is recorded."""

from __future__ import annotations

from campaign_contract.checks import pagination as paging
from campaign_contract.checks import request_handling as handling
from campaign_contract.harness._contract import Contract
from campaign_contract.strategies import InvalidRequest, invalid_requests, valid_requests
from hypothesis import example, given


@given(body=valid_requests())
@example(body={"type": "voice"})
@example(body={"type": "sms", "skip": "", "page": "", "limit": ""})
def test_valid_accepted(contract: Contract, body: dict) -> None:
    handling.accepted(contract, body, "generated request")


def test_optional_fields(contract: Contract) -> None:
    handling.optional_fields(contract)


def test_blank_paging(contract: Contract) -> None:
    handling.blank_paging(contract)


@given(bad=invalid_requests())
@handling.with_invalid_samples
def test_invalid_rejected(contract: Contract, bad: InvalidRequest) -> None:
    handling.invalid_rejected(contract, bad)


def test_malformed_json(contract: Contract) -> None:
    handling.malformed_json(contract)


def test_unknown_field(contract: Contract) -> None:
    handling.observe_unknown_field(contract)


def test_paging_edge_values(contract: Contract) -> None:
    paging.observe_edge_values(contract)


def test_unknown_sort_key(contract: Contract) -> None:
    handling.observe_unknown_sort_key(contract)
