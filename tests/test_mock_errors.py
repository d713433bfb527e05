"""Every bad request gets a 4xx with a JSON body naming what is wrong; nothing gets a 5xx."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from campaign_contract import MockServer, validate_error
from mock_support import call, raw_exchange


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(campaigns=20, account_id="acc-1", app_id="st-app-1", token="secret-t") as m:
        yield m


def _error(response: requests.Response, status: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    doc: dict[str, Any] = response.json()
    assert doc["status"] == "error" and not validate_error(doc)
    for word in words:
        assert word in doc["message"], doc["message"]
    return doc


@pytest.mark.parametrize(
    ("headers", "status", "word"),
    [
        ({"auth": None}, 401, "auth"),
        ({"auth": "wrong"}, 401, "auth"),
        ({"auth": ""}, 401, "auth"),
        ({"accountid": None}, 400, "accountid"),
        ({"accountid": "acc-2"}, 403, "account"),
        ({"iid": None}, 400, "iid"),
        ({"iid": "st-other"}, 403, "iid"),
    ],
)
def test_header_problems(
    mock: MockServer, headers: dict[str, str | None], status: int, word: str
) -> None:
    doc = _error(call(mock, {"type": "voice"}, headers=headers), status, word)
    assert "secret-t" not in json.dumps(doc)


def test_account_query_parameter_is_required_and_must_be_ours(mock: MockServer) -> None:
    path = mock.url().split("?")[0]
    _error(call(mock, {"type": "voice"}, url=path), 400, "accountId")
    _error(call(mock, {"type": "voice"}, url=path + "?accountId=acc-2"), 403, "account")
    _error(call(mock, {"type": "voice"}, url=path + "?accountId="), 400, "accountId")


def test_unknown_app_id_in_the_path_is_404(mock: MockServer) -> None:
    url = mock.url().replace("st-app-1", "st-app-2")
    _error(call(mock, {"type": "voice"}, url=url, headers={"iid": "st-app-2"}), 404, "application")


def test_iid_must_match_the_path_even_when_it_names_our_app(mock: MockServer) -> None:
    url = mock.url().replace("st-app-1", "st-app-2")
    _error(call(mock, {"type": "voice"}, url=url), 403, "iid")


BAD_BODIES: list[tuple[bytes, str]] = [
    (b"", "empty"),
    (b"{", "not valid JSON"),
    (b'{"type": "voice",}', "not valid JSON"),
    (b"\xff\xfe{}", "UTF-8"),
    (b'{"type": "voice", "skip": NaN}', "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nests deeper"),
    (b'{"type": "voice", "sortBy": ' + b'{"a": ' * 50_000, "nests deeper"),
    (b'"voice"', "JSON object"),
    (b"[]", "JSON object"),
    (b"{}", "type is required"),
    (b'{"type": "voice", "limit": 1e400}', "limit"),
    (b'{"type": "voice", "skip": 1' + b"0" * 5000 + b"}", "not valid JSON"),
]


@pytest.mark.parametrize(("raw", "word"), BAD_BODIES, ids=lambda v: repr(v)[:30])
def test_unreadable_bodies(mock: MockServer, raw: bytes, word: str) -> None:
    _error(call(mock, raw=raw), 400, word)


BAD_FIELDS: list[tuple[dict[str, Any], str]] = [
    ({"type": "fax"}, "type"),
    ({"type": 1}, "type"),
    ({"type": None}, "type"),
    ({"type": "voice", "skip": -1}, "skip"),
    ({"type": "voice", "skip": 1.5}, "skip"),
    ({"type": "voice", "skip": "3"}, "skip"),
    ({"type": "voice", "skip": True}, "skip"),
    ({"type": "voice", "page": 0}, "page"),
    ({"type": "voice", "page": -2}, "page"),
    ({"type": "voice", "limit": 0}, "limit"),
    ({"type": "voice", "limit": 2.5}, "limit"),
    ({"type": "voice", "limit": None}, "limit"),
    ({"type": "voice", "startDate": "yesterday"}, "startDate"),
    ({"type": "voice", "startDate": "2025-02-30"}, "startDate"),
    ({"type": "voice", "endDate": "2025-12-01T25:00:00Z"}, "endDate"),
    ({"type": "voice", "endDate": 1733011200000}, "endDate"),
    ({"type": "voice", "sortBy": "name"}, "sortBy"),
    ({"type": "voice", "sortBy": {"status": "asc"}}, "sortBy.status"),
    ({"type": "voice", "sortBy": {"name": "up"}}, "sortBy.name"),
    ({"type": "voice", "sortBy": {"name": "ASC"}}, "sortBy.name"),
    ({"type": "voice", "sortBy": {"createdAt": 1}}, "sortBy.createdAt"),
    ({"type": "voice", "filters": []}, "filters"),
    ({"type": "voice", "filters": {"state": ["Ready"]}}, "filters.state"),
    ({"type": "voice", "filters": {"status": "Ready"}}, "filters.status"),
    ({"type": "voice", "filters": {"status": ["Running"]}}, "filters.status[0]"),
    ({"type": "voice", "filters": {"status": ["ready"]}}, "filters.status[0]"),
    ({"type": "voice", "filters": {"priority": [6]}}, "filters.priority[0]"),
    ({"type": "voice", "filters": {"priority": [1, "5"]}}, "filters.priority[1]"),
    ({"type": "voice", "filters": {"priority": [True]}}, "filters.priority[0]"),
    ({"type": "voice", "filters": {"dialingMode": ["Agentless"]}}, "filters.dialingMode[0]"),
    ({"type": "sms", "filters": {"dialingMode": [1]}}, "filters.dialingMode[0]"),
]


@pytest.mark.parametrize(("body", "word"), BAD_FIELDS, ids=lambda v: json.dumps(v)[:40])
def test_invalid_fields_are_400_naming_the_field(
    mock: MockServer, body: dict[str, Any], word: str
) -> None:
    _error(call(mock, body), 400, word)


def test_integral_floats_count_as_whole_numbers(mock: MockServer) -> None:
    response = call(mock, {"type": "voice", "limit": 5.0, "filters": {"priority": [5.0]}})
    assert response.status_code == 200 and response.json()["data"]["limit"] == 5


def test_oversized_body_is_413_without_reading_it_all(mock: MockServer) -> None:
    started = time.monotonic()
    _error(call(mock, raw=b" " * (3 * 1024 * 1024)), 413, "larger")
    assert time.monotonic() - started < 5
    answer = raw_exchange(
        mock, b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{", timeout=3
    )
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_expect_100_continue_with_an_oversized_body_gets_413_first(mock: MockServer) -> None:
    target = urlsplit(mock.url())
    request = (
        f"POST {target.path}?{target.query} HTTP/1.1\r\n"
        "Host: x\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n"
    )
    answer = raw_exchange(mock, request.encode(), timeout=3)
    assert answer.startswith(b"HTTP/1.1 413 ") and b"larger" in answer


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_other_methods_are_405_with_allow_post(mock: MockServer, method: str) -> None:
    response = call(mock, {"type": "voice"}, method=method)
    _error(response, 405, method)
    assert response.headers["Allow"] == "POST"


def test_head_is_405_without_a_body(mock: MockServer) -> None:
    response = call(mock, method="HEAD")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert response.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/campaign/api/v2/public/st-app-1/campaign/getAllCampaignDetails/",
        "/campaign/api/v1/public/st-app-1/campaign/getAllCampaignDetails",
        "/campaign/api/v2/public/st-app-1/campaign/getCampaign",
    ],
)
def test_unknown_paths_are_404_json(mock: MockServer, path: str) -> None:
    _error(call(mock, {"type": "voice"}, url=mock.base_url + path), 404, "no such endpoint")


def test_chunked_bodies_are_411(mock: MockServer) -> None:
    response = requests.post(
        mock.url(), headers=mock.headers(), data=iter([b'{"type":', b'"voice"}']), timeout=5
    )
    _error(response, 411, "Content-Length")


@pytest.mark.parametrize("length", [b"ten", "²".encode(), b"-5", b"1e3"])
def test_garbled_content_length_is_400(mock: MockServer, length: bytes) -> None:
    request = b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + b"\r\n\r\n"
    answer = raw_exchange(mock, request)
    assert answer.startswith(b"HTTP/1.1 400 ") and b'"status": "error"' in answer


def test_malformed_request_line_is_400_json(mock: MockServer) -> None:
    answer = raw_exchange(mock, b"THIS IS NOT HTTP\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ") and b"application/json" in answer


def test_a_client_that_stalls_mid_body_is_dropped_not_waited_for() -> None:
    with MockServer(campaigns=1, request_timeout=0.3) as slow:
        started = time.monotonic()
        answer = raw_exchange(
            slow, b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{", timeout=5
        )
        assert time.monotonic() - started < 3
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert call(slow, {"type": "voice"}).status_code == 200


def test_secret_token_never_appears_in_any_error(mock: MockServer) -> None:
    bodies = [b"{", b'{"type": "secret-t"}', b"{}"]
    for raw in bodies:
        for headers in ({}, {"auth": "secret-t-wrong"}, {"iid": "x"}):
            text = call(mock, raw=raw, headers=headers).text
            assert "secret-t" not in text
