"""check_pair: the doc's samples, one broken page per check, and malformed input."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from campaign_contract import PAIR_CHECKS, check_names, check_pair
from oracle_samples import load, page, sms, ts, voice

REQUEST = {
    "type": "voice",
    "limit": 3,
    "skip": 0,
    "startDate": ts(1),
    "endDate": ts(4),
    "sortBy": {"createdAt": "desc"},
    "filters": {"status": ["Ready", "Stopped"], "priority": [5], "dialingMode": ["Preview"]},
}
CLEAN = page([voice(0, ts(3)), voice(1, ts(2), status="Stopped"), voice(2, ts(1, 12))], total=7)


def broken(change: Any) -> dict[str, Any]:
    response = copy.deepcopy(CLEAN)
    change(response["data"])
    return response


def _set(index: int, **fields: Any) -> Any:
    return lambda data: data["results"][index].update(fields)


def _swap(data: dict[str, Any]) -> None:
    data["results"][0], data["results"][1] = data["results"][1], data["results"][0]


def _to_sms(data: dict[str, Any]) -> None:
    data["results"][1] = sms(1, ts(2))


BROKEN: dict[str, tuple[Any, str]] = {
    "result-type": (_to_sms, "/data/results/1"),
    "filter-status": (_set(1, status="Active"), "/data/results/1/status"),
    "filter-priority": (_set(1, priority="4"), "/data/results/1/priority"),
    "filter-dialing-mode": (_set(1, dialingMode="Progressive"), "/data/results/1/dialingMode"),
    "filter-date-window": (
        _set(2, createdAt="2025-11-30T00:00:00.000Z", updatedAt="2025-11-30T00:00:00.000Z"),
        "/data/results/2/createdAt",
    ),
    "sort-order": (_swap, "/data/results/1/createdAt"),
    "page-size": (lambda d: d["results"].append(voice(3, ts(1, 6))), "/data/results/3"),
    "page-fill": (lambda d: d["results"].pop(), "/data/results"),
    "limit-echo": (
        lambda d: d.update(limit=5, totalResults=3, hasMore=False, totalPages=1),
        "/data/limit",
    ),
    "skip-echo": (lambda d: d.update(skip=1), "/data/skip"),
    "has-more": (lambda d: d.update(hasMore=False), "/data/hasMore"),
    "total-pages": (lambda d: d.update(totalPages=4), "/data/totalPages"),
    "total-results": (
        lambda d: d.update(totalResults=2, hasMore=False, totalPages=1),
        "/data/totalResults",
    ),
}


def test_every_pair_check_has_a_broken_example() -> None:
    assert set(BROKEN) == set(PAIR_CHECKS) == set(check_names("pair"))


def test_clean_page_passes_every_check() -> None:
    assert check_pair(REQUEST, CLEAN) == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_check_catches_its_broken_page_and_nothing_else_fires(name: str) -> None:
    change, where = BROKEN[name]
    found = check_pair(REQUEST, broken(change))
    assert {v.check for v in found} == {name}
    assert where in {v.pointer for v in found}
    assert all(v.severity == "error" and v.message for v in found)
    assert check_pair(REQUEST, CLEAN, checks=[name]) == []


def test_sms_sample_pair_passes() -> None:
    assert check_pair(load("request-sms.json"), load("response-sms.json")) == []


def test_voice_sample_pair_is_flagged_only_by_the_date_window() -> None:
    found = check_pair(load("request-voice.json"), load("response-voice.json"))
    assert [(v.check, v.pointer, v.severity) for v in found] == [
        ("filter-date-window", f"/data/results/{i}/createdAt", "error") for i in range(5)
    ]
    assert "2025-12-04T00:00:00.000Z" in found[0].message
    assert "2025-12-08T09:17:21.090Z" in found[0].message


def test_voice_sample_without_its_window_passes() -> None:
    request = load("request-voice.json")
    del request["startDate"], request["endDate"]
    assert check_pair(request, load("response-voice.json")) == []


def test_checks_restricts_the_run_and_rejects_unknown_names() -> None:
    response = broken(lambda d: d.update(hasMore=False, totalPages=4))
    assert {v.check for v in check_pair(REQUEST, response, checks=["has-more"])} == {"has-more"}
    assert {v.check for v in check_pair(REQUEST, response, checks="total-pages")} == {"total-pages"}
    with pytest.raises(ValueError, match="unknown check name"):
        check_pair(REQUEST, response, checks=["no-such-check"])


def test_error_statuses_and_bodies_without_data_are_not_judged() -> None:
    response = broken(lambda d: d.update(hasMore=False))
    assert check_pair(REQUEST, response, status_code=400) == []
    assert check_pair(REQUEST, response, status_code=200) != []
    assert check_pair(REQUEST, {"status": "error", "message": "bad request"}) == []


def test_type_comes_from_request_then_argument_then_detection() -> None:
    mixed = page([voice(0, ts(3)), voice(1, ts(2)), sms(2, ts(1))], total=3)
    assert [v.pointer for v in check_pair({}, mixed, checks=["result-type"])] == ["/data/results/2"]
    flagged = check_pair({}, mixed, "sms", checks=["result-type"])
    assert [v.pointer for v in flagged] == ["/data/results/0", "/data/results/1"]
    flagged = check_pair({"type": "voice"}, mixed, "sms", checks=["result-type"])
    assert [v.pointer for v in flagged] == ["/data/results/2"]
    assert "'voice' requested" in flagged[0].message


def test_date_window_warning_when_only_a_later_timestamp_is_inside() -> None:
    late = page([voice(0, ts(5), updatedAt=ts(5), campaignInstanceUpdatedAt=ts(3))])
    found = check_pair(REQUEST, late, checks=["filter-date-window"])
    assert [(v.check, v.severity) for v in found] == [("filter-date-window", "warning")]
    assert "campaignInstanceUpdatedAt" in found[0].message


GARBAGE_RESPONSES: list[Any] = [
    None,
    [],
    "text",
    42,
    {"data": []},
    {"data": {"results": "x"}},
    {"data": {"results": [None, 3, "a", [], {"createdAt": 5, "name": None}]}},
    {"data": {"results": [{"createdAt": "soon"}, {"createdAt": "2025-13-45T99:99Z"}]}},
    {"data": {"skip": "0", "limit": None, "hasMore": "no", "totalPages": 1.5, "results": []}},
    {"data": {"skip": True, "limit": -1, "hasMore": True, "totalResults": -4, "results": [{}]}},
]
GARBAGE_REQUESTS: list[Any] = [
    None,
    [],
    "text",
    {"type": 7, "skip": "x", "page": -1, "limit": 0.5, "sortBy": "name", "filters": []},
    {"sortBy": {"name": "up"}, "filters": {"status": "Ready", "priority": ["5"]}},
    {"startDate": "yesterday", "endDate": 3, "filters": {"dialingMode": [1]}},
    {"type": "voice", "sortBy": {"name": "asc", "createdAt": "desc"}, "limit": True},
]


@pytest.mark.parametrize("response", GARBAGE_RESPONSES)
@pytest.mark.parametrize("request_body", GARBAGE_REQUESTS)
def test_malformed_input_never_raises(request_body: Any, response: Any) -> None:
    found = check_pair(request_body, response)
    assert all(v.check in PAIR_CHECKS for v in found)


def test_a_page_without_a_results_list_is_not_judged_on_its_length() -> None:
    response = page([], limit=10, total=5, has_more=True)
    response["data"]["results"] = None
    assert check_pair({"type": "sms", "limit": 10}, response) == []
    response["data"]["results"] = []
    assert {v.check for v in check_pair({"type": "sms", "limit": 10}, response)} == {"page-fill"}


# Real sort defects stay visible under the lenient readings of S-07.

SEVERAL = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "asc"}}


def test_sort_by_the_wrong_field_is_caught() -> None:
    request = {"type": "voice", "sortBy": {"updatedAt": "desc"}}
    by_created = [voice(i, ts(9 - i), updatedAt=ts(20 + i)) for i in range(3)]
    assert [v.check for v in check_pair(request, page(by_created))] == ["sort-order"] * 2


def test_a_direction_applied_ascending_is_caught_with_several_keys() -> None:
    ascending = [voice(i, ts(1 + i), name=letter) for i, letter in enumerate("abc")]
    desc_name = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "desc"}}
    assert "sort-order" in {v.check for v in check_pair(desc_name, page(ascending))}


def test_a_second_key_left_unapplied_is_caught() -> None:
    fine = "2025-12-05T00:00:00.000000Z"  # to the microsecond: written alike, equal
    tied_dates = [voice(0, fine, name="beta"), voice(1, fine, name="alpha"), voice(2, ts(4))]
    found = check_pair(SEVERAL, page(tied_dates))
    assert [(v.check, v.pointer) for v in found] == [("sort-order", "/data/results/1/name")]
