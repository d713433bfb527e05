"""Fuzzing the mock: no input makes its parser raise, or its server answer 5xx or hang."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from campaign_contract import MockServer, validate_request, validate_response
from campaign_contract.mock._request import RequestError, parse_query, parse_request
from campaign_contract.oracles import check_crawl, check_pair
from campaign_contract.strategies import valid_requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mock_support import call

FIELDS = ["type", "skip", "page", "limit", "startDate", "endDate", "sortBy", "filters", "other"]
json_scalars = (
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats() | st.text(max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from([*FIELDS, "name", "status", "x"]), inner, max_size=4)
    ),
    max_leaves=12,
)

# Field values around the edges of the request schema, valid and invalid.
counts = st.sampled_from([0, 1, 2, 5, 100, 101, -1, "", "3", 1.0, 2.5, True, None, [], {}])
dates = st.sampled_from(
    [
        "2025-12-01",
        "2025-12-01T00:00:00.000Z",
        "2025-12-01T10:30+05:30",
        "2025-12-01T10:30:15.123456789-0200",
        "2025-12-01T10:30",
        "2025-12-01 10:30",
        "12/01/2025",
        "",
        7,
        None,
    ]
)
sort_keys = st.sampled_from(["name", "createdAt", "updatedAt", "status", "Name"])
sort_dirs = st.sampled_from(["asc", "desc", "ASC", "up", 1, None])
statuses = st.sampled_from(["Active", "Ready", "Stopped", "Rescheduled", "ready", "Running", 3])
priorities = st.sampled_from([1, 3, 5, 0, 6, "5", 2.0, 2.5, True])
modes = st.sampled_from(["Progressive", "Preview", "Agentless", "progressive", 1])
filters = st.dictionaries(
    st.sampled_from(["status", "priority", "dialingMode", "state"]),
    st.one_of(
        st.lists(statuses, max_size=3),
        st.lists(priorities, max_size=3),
        st.lists(modes, max_size=3),
        st.just("Ready"),
    ),
    max_size=3,
)
edge_bodies = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["voice", "sms", "VOICE", "fax", 1, None]),
        "skip": counts,
        "page": counts,
        "limit": counts,
        "startDate": dates,
        "endDate": dates,
        "sortBy": st.dictionaries(sort_keys, sort_dirs, max_size=3) | st.just("name"),
        "filters": filters | st.just([]),
        "extra": json_scalars,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_parser_only_ever_raises_request_error_on_bytes(raw: bytes) -> None:
    try:
        parse_request(raw)
    except RequestError as exc:
        assert exc.status == 400 and exc.message


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_parser_only_ever_raises_request_error_on_json(value: Any) -> None:
    try:
        parse_request(json.dumps(value).encode())
        accepted = True
    except RequestError as exc:
        assert exc.status == 400 and exc.message
        accepted = False
    assert accepted == (not validate_request(value)), json.dumps(value)


@settings(max_examples=400, deadline=None)
@given(edge_bodies)
def test_parser_accepts_exactly_what_the_request_schema_accepts(body: dict[str, Any]) -> None:
    try:
        parse_query(body)
        accepted = True
    except RequestError:
        accepted = False
    assert accepted == (not validate_request(body)), json.dumps(body)


def test_parser_refuses_impossible_calendar_dates_the_schema_pattern_lets_through() -> None:
    body = {"type": "voice", "startDate": "2025-02-30T10:00:00Z"}
    assert not validate_request(body)
    with pytest.raises(RequestError, match="startDate"):
        parse_query(body)


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(campaigns=60) as server:
        yield server


header_values = st.one_of(st.none(), st.sampled_from(["", "x", "st-mock-app", "mock-account"]))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(st.binary(max_size=120), json_values.map(lambda v: json.dumps(v).encode())),
    auth=st.one_of(st.none(), st.just("campaign-contract-mock-token"), st.text(max_size=5)),
    iid=header_values,
    account=header_values,
    method=st.sampled_from(["POST", "POST", "GET", "PUT"]),
)
def test_server_never_answers_5xx_to_anything(
    mock: MockServer,
    body: bytes,
    auth: str | None,
    iid: str | None,
    account: str | None,
    method: str,
) -> None:
    headers = {"auth": auth, "iid": iid, "accountid": account}
    safe = {  # values an HTTP client can send at all (printable ASCII, no leading space)
        k: v
        for k, v in headers.items()
        if v is None or (v.isascii() and v.isprintable() and v == v.lstrip())
    }
    response = call(mock, raw=body, headers=safe, method=method)
    assert response.status_code < 500
    assert response.headers["Content-Type"] == "application/json"
    assert isinstance(response.json()["status"], str)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(valid_requests(sms_dialing_mode=True, empty_filters=True))
def test_clean_answers_to_valid_requests_pass_the_schema_and_check_pair(
    mock: MockServer, body: dict[str, Any]
) -> None:
    response = call(mock, body)
    assert response.status_code == 200, response.text
    doc = response.json()
    assert validate_response(doc, body["type"]) == []
    assert check_pair(body, doc, status_code=200) == []


@pytest.mark.parametrize(
    "body",
    [
        {"type": "voice", "sortBy": {"name": "asc", "createdAt": "desc"}},
        {"type": "sms", "sortBy": {"updatedAt": "desc"}, "filters": {"status": ["Ready"]}},
        {"type": "voice", "filters": {"priority": [1, 2]}, "startDate": "2025-05-01"},
    ],
)
def test_clean_crawls_pass_check_crawl(mock: MockServer, body: dict[str, Any]) -> None:
    pages: list[Any] = []
    session = requests.Session()
    for skip in range(0, 200, 3):
        doc = call(mock, {**body, "skip": skip, "limit": 3}, session=session).json()
        pages.append(doc)
        if not doc["data"]["hasMore"]:
            break
    assert len(pages) > 1
    assert check_crawl(body, pages) == []
