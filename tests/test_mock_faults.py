"""Each named fault breaks the documented contract in the way it describes; the clean mock does not.

Every probe below states one expectation a correct server meets, checked over real HTTP. For
each fault the test asserts the probe holds on the clean mock and fails with the fault on.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from campaign_contract import FAULTS, MockServer, fault_names, validate_response
from campaign_contract.cli._mock import list_faults
from campaign_contract.mock import AREAS
from campaign_contract.mock._timestamps import format_iso, parse_iso
from mock_support import TIMEOUT, call, crawl, crawl_is_sound, data, ids

Probe = Callable[[MockServer], bool]
PROBES: dict[str, Probe] = {}


def probe(*names: str) -> Callable[[Probe], Probe]:
    def register(function: Probe) -> Probe:
        for name in names:
            PROBES[name] = function
        return function

    return register


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


def _page_consistent(page: dict[str, Any]) -> bool:
    results = page["results"] or []
    return page["hasMore"] == (page["skip"] + len(results) < page["totalResults"])


# --- pagination -----------------------------------------------------------------------------


@probe("skip-off-by-one", "duplicate-across-pages")
def crawl_by_skip_sees_everything_once(mock: MockServer) -> bool:
    return crawl_is_sound(mock, {"type": "voice", "sortBy": {"name": "asc"}}, limit=50)


@probe("last-page-dropped")
def crawl_with_a_partial_last_page_sees_everything(mock: MockServer) -> bool:
    return crawl_is_sound(mock, {"type": "sms"}, limit=40)


@probe("has-more-always-true")
def last_page_has_no_more(mock: MockServer) -> bool:
    return _page_consistent(data(mock, {"type": "voice", "skip": 245, "limit": 10}))


@probe("total-results-page-count")
def total_results_counts_every_match(mock: MockServer) -> bool:
    return data(mock, {"type": "voice", "limit": 5})["totalResults"] == 250


@probe("total-results-ignores-filters")
def total_results_counts_only_matches(mock: MockServer) -> bool:
    expected = sum(1 for c in mock.campaigns("voice") if c["status"] == "Ready")
    return (
        data(mock, {"type": "voice", "filters": {"status": ["Ready"]}})["totalResults"] == expected
    )


@probe("total-pages-floor")
def total_pages_rounds_up(mock: MockServer) -> bool:
    page = data(mock, {"type": "voice", "limit": 7})
    return page["totalPages"] == math.ceil(page["totalResults"] / 7)


@probe("limit-ignored")
def page_holds_at_most_limit(mock: MockServer) -> bool:
    page = data(mock, {"type": "sms", "limit": 5})
    return len(page["results"]) <= page["limit"] <= 5


@probe("server-error-above-limit")
def a_large_limit_is_never_a_server_error(mock: MockServer) -> bool:
    return all(call(mock, {"type": "voice", "limit": n}).status_code < 500 for n in (500, 10**4))


@probe("has-more-off-by-one")
def one_campaign_left_means_more(mock: MockServer) -> bool:
    return _page_consistent(data(mock, {"type": "voice", "skip": 240, "limit": 9}))


@probe("page-size-off-by-one")
def page_holds_no_more_than_limit(mock: MockServer) -> bool:
    page = data(mock, {"type": "voice", "limit": 7})
    return len(page["results"]) == page["limit"] == 7


@probe("page-ignored")
def page_two_follows_page_one(mock: MockServer) -> bool:
    by_page = data(mock, {"type": "voice", "page": 2, "limit": 5})
    by_skip = data(mock, {"type": "voice", "skip": 5, "limit": 5})
    return ids(by_page["results"]) == ids(by_skip["results"])


# --- filters --------------------------------------------------------------------------------


@probe("status-filter-ignored")
def status_filter_keeps_only_that_status(mock: MockServer) -> bool:
    page = data(mock, {"type": "voice", "limit": 100, "filters": {"status": ["Paused"]}})
    return bool(page["results"]) and all(r["status"] == "Paused" for r in page["results"])


@probe("priority-filter-ignored")
def priority_filter_keeps_only_that_priority(mock: MockServer) -> bool:
    page = data(mock, {"type": "voice", "limit": 100, "filters": {"priority": [5]}})
    return bool(page["results"]) and all(r["priority"] == "5" for r in page["results"])


@probe("dialing-mode-filter-ignored")
def dialing_mode_filter_keeps_only_that_mode(mock: MockServer) -> bool:
    body = {"type": "voice", "limit": 100, "filters": {"dialingMode": ["Preview"]}}
    page = data(mock, body)
    return bool(page["results"]) and all(r["dialingMode"] == "Preview" for r in page["results"])


@probe("priority-type-mismatch")
def priority_filter_finds_campaigns_of_that_priority(mock: MockServer) -> bool:
    expected = sum(1 for c in mock.campaigns("sms") if c["priority"] == "5")
    return data(mock, {"type": "sms", "filters": {"priority": [5]}})["totalResults"] == expected


@probe("dialing-mode-applied-to-sms")
def dialing_mode_leaves_sms_alone(mock: MockServer) -> bool:
    body = {"type": "sms", "filters": {"dialingMode": ["Preview"]}}
    return data(mock, body)["totalResults"] == data(mock, {"type": "sms"})["totalResults"]


@probe("filter-first-value-only")
def two_statuses_add_up(mock: MockServer) -> bool:
    def total(statuses: list[str]) -> int:
        body = {"type": "voice", "filters": {"status": statuses}}
        return int(data(mock, body)["totalResults"])

    return total(["Ready", "Stopped"]) == total(["Ready"]) + total(["Stopped"])


def _window(mock: MockServer, start: str, end: str) -> list[dict[str, Any]]:
    body = {"type": "voice", "limit": 100, "startDate": start, "endDate": end}
    results: list[dict[str, Any]] = data(mock, body)["results"]
    return results


@probe("end-date-ignored", "date-window-day-granularity")
def results_stay_inside_the_window(mock: MockServer) -> bool:
    created = parse_iso(mock.campaigns("voice")[30]["createdAt"])
    assert created is not None
    # a one-millisecond window just after a campaign's creation, on the same day
    start, end = format_iso(created + 1_000_000), format_iso(created + 2_000_000)
    return all(start <= r["createdAt"] <= end for r in _window(mock, start, end))


@probe("type-ignored")
def sms_listing_holds_only_sms(mock: MockServer) -> bool:
    page = data(mock, {"type": "sms", "limit": 100, "sortBy": {"name": "asc"}})
    return page["totalResults"] == 250 and all("format" in r for r in page["results"])


# --- sorting --------------------------------------------------------------------------------


def _sorted_by(mock: MockServer, sort: dict[str, str], field: str, reverse: bool) -> bool:
    results = data(mock, {"type": "voice", "limit": 100, "sortBy": sort})["results"]
    keys = [r[field] for r in results]
    return keys == sorted(keys, reverse=reverse)


@probe("sort-desc-ignored")
def name_desc_is_descending(mock: MockServer) -> bool:
    return _sorted_by(mock, {"name": "desc"}, "name", reverse=True)


@probe("sort-asc-ignored")
def name_asc_is_ascending(mock: MockServer) -> bool:
    return _sorted_by(mock, {"name": "asc"}, "name", reverse=False)


@probe("sort-wrong-field")
def updated_at_sort_follows_updated_at(mock: MockServer) -> bool:
    return _sorted_by(mock, {"updatedAt": "asc"}, "updatedAt", reverse=False)


@probe("sort-names-ignore-numbers")
def names_differing_in_equal_length_numbers_come_in_numeric_order(mock: MockServer) -> bool:
    body = {"type": "voice", "limit": 100, "sortBy": {"name": "asc"}}
    names = [r["name"] for page in crawl(mock, body, 100)[1] for r in page["results"]]
    runs = [re.fullmatch(r"(.*?)(\d+)", name) for name in names]
    pairs = [(a, b) for a, b in itertools.pairwise(runs) if a and b]
    same = [(a, b) for a, b in pairs if a[1] == b[1] and len(a[2]) == len(b[2])]
    return bool(same) and all(a[2] <= b[2] for a, b in same)


@probe("sort-unstable")
def identical_requests_get_identical_pages(mock: MockServer) -> bool:
    body = {"type": "sms", "limit": 100, "sortBy": {"name": "asc"}}
    first = call(mock, body).content
    return all(call(mock, body).content == first for _ in range(3))


# --- schema / serialisation -----------------------------------------------------------------


def _conforms(mock: MockServer, body: dict[str, Any]) -> bool:
    response = call(mock, body)
    return response.status_code == 200 and not validate_response(response.json(), body["type"])


@probe("priority-as-number", "id-missing", "created-at-not-iso", "limit-as-string")
def pages_conform_to_the_schema(mock: MockServer) -> bool:
    return _conforms(mock, {"type": "voice"}) and _conforms(mock, {"type": "sms"})


@probe("results-null-when-empty")
def empty_page_conforms_to_the_schema(mock: MockServer) -> bool:
    return _conforms(mock, {"type": "voice", "skip": 1000})


@probe("skip-echo-raw")
def empty_string_skip_conforms_to_the_schema(mock: MockServer) -> bool:
    return _conforms(mock, {"type": "voice", "skip": ""})


# --- status codes ---------------------------------------------------------------------------


def _status(mock: MockServer, body: Any, **headers: str | None) -> int:
    return call(mock, body, headers=headers).status_code


@probe("server-error-on-bad-input")
def bad_type_is_a_client_error(mock: MockServer) -> bool:
    return 400 <= _status(mock, {"type": "fax"}) < 500


@probe("invalid-enum-accepted")
def unknown_status_is_rejected(mock: MockServer) -> bool:
    return 400 <= _status(mock, {"type": "voice", "filters": {"status": ["Running"]}}) < 500


@probe("empty-string-rejected")
def empty_string_limit_is_accepted(mock: MockServer) -> bool:
    return _status(mock, {"type": "voice", "skip": "", "page": "", "limit": ""}) == 200


@probe("negative-skip-accepted")
def negative_skip_is_rejected(mock: MockServer) -> bool:
    return 400 <= _status(mock, {"type": "voice", "skip": -1}) < 500


@probe("missing-type-defaults-voice")
def missing_type_is_rejected(mock: MockServer) -> bool:
    return 400 <= _status(mock, {"limit": 5}) < 500


@probe("error-status-200")
def invalid_request_is_not_a_success(mock: MockServer) -> bool:
    return _status(mock, {"type": "voice", "limit": 0}) != 200


# --- headers --------------------------------------------------------------------------------


@probe("content-type-html", "content-type-missing")
def answers_are_labelled_json(mock: MockServer) -> bool:
    response = call(mock, {"type": "voice"})
    return response.headers.get("Content-Type", "").split(";")[0] == "application/json"


# --- auth -----------------------------------------------------------------------------------


@probe("auth-not-checked")
def missing_auth_is_refused(mock: MockServer) -> bool:
    return _status(mock, {"type": "voice"}, auth=None) in (401, 403)


def _foreign_listing(mock: MockServer, url: str | None, **headers: str) -> list[str] | None:
    """Ids of another tenant's listing when the mock serves one (None when it refuses)."""
    own = ids(data(mock, {"type": "voice"})["results"])
    response = call(mock, {"type": "voice"}, headers=headers, url=url)
    if 400 <= response.status_code < 500:
        return None
    listed = ids(response.json()["data"]["results"])
    return listed if listed and set(listed).isdisjoint(own) else None


@probe("account-not-checked")
def another_account_gets_no_data(mock: MockServer) -> bool:
    url = mock.url().replace(mock.account_id, "someone-else")
    return _foreign_listing(mock, url, accountid="someone-else") is None


@probe("iid-not-checked")
def another_app_in_iid_gets_no_data(mock: MockServer) -> bool:
    return _foreign_listing(mock, None, iid="st-someone-else") is None


# --- transport ----------------------------------------------------------------------------


def _healthy(mock: MockServer, answers: int, timeout: float = TIMEOUT) -> bool:
    """True when ``answers`` requests in a row (each on its own connection) all get a whole 200
    within ``timeout`` seconds."""
    for _ in range(answers):
        try:
            response = requests.post(
                mock.url(), headers=mock.headers(), json={"type": "sms"}, timeout=timeout
            )
            if response.status_code != 200 or response.json()["status"] != "success":
                return False
        except (requests.RequestException, ValueError):
            return False
    return True


@probe("connection-reset-mid-body")
def five_answers_in_a_row_arrive_whole(mock: MockServer) -> bool:
    return _healthy(mock, 5)


@probe("truncated-body")
def five_bodies_in_a_row_are_complete(mock: MockServer) -> bool:
    return _healthy(mock, 5)


@probe("service-unavailable-bursts")
def twenty_requests_in_a_row_are_served(mock: MockServer) -> bool:
    return _healthy(mock, 20)


@probe("slow-first-byte")
def ten_answers_in_a_row_start_within_a_second(mock: MockServer) -> bool:
    return _healthy(mock, 10, timeout=1.0)


# --- the tests ------------------------------------------------------------------------------


def test_catalogue_has_enough_faults_in_every_area() -> None:
    assert len(FAULTS) >= 22 and fault_names() == list(FAULTS)
    assert {fault.area for fault in FAULTS.values()} == set(AREAS)
    for name, fault in FAULTS.items():
        assert fault.name == name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert fault.description and "\n" not in fault.description


def test_every_fault_has_a_probe() -> None:
    assert set(PROBES) == set(FAULTS)


def test_list_faults_prints_name_and_description() -> None:
    import io

    out = io.StringIO()
    list_faults(out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(FAULTS)
    for line, fault in zip(lines, FAULTS.values(), strict=True):
        assert line.startswith(fault.name + " ") and f"[{fault.area}]" in line
        assert fault.description in line
        assert line.endswith(
            f"; exercises {fault.exercises}" if fault.transport else fault.description
        )


def test_every_transport_fault_names_what_it_exercises() -> None:
    for fault in FAULTS.values():
        assert bool(fault.exercises) == fault.transport, fault.name


@pytest.mark.parametrize("name", fault_names())
def test_fault_breaks_its_expectation_and_the_clean_mock_keeps_it(
    mock: MockServer, name: str
) -> None:
    check = PROBES[name]
    mock.faults = ()
    assert check(mock), f"the clean mock fails the expectation {name} breaks"
    mock.faults = {name}
    try:
        assert not check(mock), f"{name} did not change what the mock answers"
    finally:
        mock.faults = ()
