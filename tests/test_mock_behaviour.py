"""What the clean mock answers over HTTP: envelope, paging, filters and sorting (SPEC_NOTES)."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from campaign_contract import MockServer
from campaign_contract.mock._request import STATUSES
from mock_support import call, crawl, data, ids


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


def test_answer_is_the_documented_envelope_as_json(mock: MockServer) -> None:
    response = call(mock, {"type": "voice"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    doc = response.json()
    assert doc["status"] == "success" and doc["message"] == "Campaign retrieved successfully"
    assert set(doc["data"]) == {"results", "skip", "limit", "hasMore", "totalPages", "totalResults"}


def test_voice_items_carry_underscore_id_and_sms_items_id(mock: MockServer) -> None:
    voice = data(mock, {"type": "voice", "limit": 100})["results"]
    sms = data(mock, {"type": "sms", "limit": 100})["results"]
    assert all("_id" in v and "id" not in v and "dialingMode" in v for v in voice)
    assert all("id" in s and "_id" not in s and s["format"] in ("simple", "advanced") for s in sms)
    assert all(isinstance(item["priority"], str) for item in voice + sms)


def test_sms_items_are_simple_with_message_or_advanced_with_experience_flow(
    mock: MockServer,
) -> None:
    sms = mock.campaigns("sms")
    simple = [s for s in sms if s["format"] == "simple"]
    advanced = [s for s in sms if s["format"] == "advanced"]
    assert simple and advanced
    assert all("message" in s and "experienceFlow" not in s for s in simple)
    assert all("experienceFlow" in s and "message" not in s for s in advanced)
    assert any("templateId" in s["message"] for s in simple)
    assert any("templateId" not in s["message"] for s in simple)


def test_default_limit_is_ten_and_echoed(mock: MockServer) -> None:
    page = data(mock, {"type": "voice"})
    assert page["limit"] == 10 and len(page["results"]) == 10 and page["skip"] == 0
    assert page["totalResults"] == 250 and page["totalPages"] == 25 and page["hasMore"] is True


def test_limit_over_the_cap_is_capped_at_100_and_the_applied_limit_echoed(
    mock: MockServer,
) -> None:
    page = data(mock, {"type": "sms", "limit": 500})
    assert page["limit"] == 100 and len(page["results"]) == 100 and page["totalPages"] == 3


@pytest.mark.parametrize("field", ["skip", "page", "limit"])
def test_empty_string_means_the_field_is_absent(mock: MockServer, field: str) -> None:
    assert data(mock, {"type": "voice", field: ""}) == data(mock, {"type": "voice"})


def test_page_selects_the_offset_when_skip_is_absent(mock: MockServer) -> None:
    by_page = data(mock, {"type": "voice", "page": 3, "limit": 7})
    by_skip = data(mock, {"type": "voice", "skip": 14, "limit": 7})
    assert by_page == by_skip and by_page["skip"] == 14


def test_numeric_skip_wins_over_page(mock: MockServer) -> None:
    page = data(mock, {"type": "voice", "skip": 5, "page": 4, "limit": 5})
    assert page == data(mock, {"type": "voice", "skip": 5, "limit": 5}) and page["skip"] == 5
    assert data(mock, {"type": "voice", "skip": "", "page": 2, "limit": 5})["skip"] == 5


def test_total_pages_rounds_up_and_has_more_follows_the_offset(mock: MockServer) -> None:
    first = data(mock, {"type": "sms", "limit": 7})
    assert first["totalPages"] == math.ceil(250 / 7) == 36
    last = data(mock, {"type": "sms", "limit": 7, "skip": 245})
    assert len(last["results"]) == 5 and last["hasMore"] is False


def test_nothing_matching_is_an_empty_page_with_zero_pages(mock: MockServer) -> None:
    page = data(mock, {"type": "voice", "startDate": "2030-01-01", "endDate": "2030-02-01"})
    assert page == {
        "results": [],
        "skip": 0,
        "limit": 10,
        "hasMore": False,
        "totalPages": 0,
        "totalResults": 0,
    }


def test_skip_past_the_end_is_an_empty_page_without_more(mock: MockServer) -> None:
    page = data(mock, {"type": "voice", "skip": 10_000, "limit": 5})
    assert page["results"] == [] and page["hasMore"] is False and page["skip"] == 10_000
    assert page["totalResults"] == 250
    huge = data(mock, {"type": "voice", "skip": 10**30})
    assert huge["results"] == [] and huge["skip"] == 10**30


def test_crawl_yields_every_campaign_exactly_once(mock: MockServer) -> None:
    seen, pages = crawl(mock, {"type": "sms", "sortBy": {"name": "asc"}}, limit=40)
    assert len(pages) == 7 and len(seen) == len(set(seen)) == 250
    assert set(seen) == {c["id"] for c in mock.campaigns("sms")}


def _count(mock: MockServer, kind: str, keep: Any) -> int:
    return sum(1 for item in mock.campaigns(kind) if keep(item))


@pytest.mark.parametrize("status", STATUSES)
def test_status_filter_keeps_only_those_statuses(mock: MockServer, status: str) -> None:
    page = data(mock, {"type": "voice", "limit": 100, "filters": {"status": [status]}})
    assert page["totalResults"] == _count(mock, "voice", lambda c: c["status"] == status) > 0
    assert all(item["status"] == status for item in page["results"])


def test_several_filter_values_are_alternatives(mock: MockServer) -> None:
    both = data(mock, {"type": "sms", "filters": {"status": ["Ready", "Stopped"]}})
    ready = data(mock, {"type": "sms", "filters": {"status": ["Ready"]}})
    stopped = data(mock, {"type": "sms", "filters": {"status": ["Stopped"]}})
    assert both["totalResults"] == ready["totalResults"] + stopped["totalResults"]


@pytest.mark.parametrize("priority", [1, 2, 3, 4, 5])
def test_priority_number_matches_the_priority_string(mock: MockServer, priority: int) -> None:
    page = data(mock, {"type": "sms", "limit": 100, "filters": {"priority": [priority]}})
    expected = _count(mock, "sms", lambda c: c["priority"] == str(priority))
    assert page["totalResults"] == expected > 0
    assert {item["priority"] for item in page["results"]} == {str(priority)}


def test_dialing_mode_filters_voice(mock: MockServer) -> None:
    page = data(mock, {"type": "voice", "limit": 100, "filters": {"dialingMode": ["Preview"]}})
    assert page["totalResults"] == _count(mock, "voice", lambda c: c["dialingMode"] == "Preview")
    assert {item["dialingMode"] for item in page["results"]} == {"Preview"}


def test_dialing_mode_is_ignored_for_sms(mock: MockServer) -> None:
    body = {"type": "sms", "filters": {"dialingMode": ["Progressive"]}}
    assert data(mock, body) == data(mock, {"type": "sms"})


def test_empty_filter_arrays_are_no_filter(mock: MockServer) -> None:
    body = {"type": "voice", "filters": {"status": [], "priority": [], "dialingMode": []}}
    assert data(mock, body) == data(mock, {"type": "voice"})


def test_date_window_is_inclusive_on_created_at(mock: MockServer) -> None:
    target = mock.campaigns("voice")[17]
    stamp = target["createdAt"]
    page = data(mock, {"type": "voice", "startDate": stamp, "endDate": stamp, "limit": 100})
    assert target["_id"] in ids(page["results"])
    assert {item["createdAt"] for item in page["results"]} == {stamp}


def test_date_window_counts_campaigns_created_inside_it(mock: MockServer) -> None:
    body = {"type": "sms", "startDate": "2025-06-01", "endDate": "2025-07-01T00:00:00Z"}
    inside = _count(
        mock,
        "sms",
        lambda c: "2025-06-01T00:00:00.000Z" <= c["createdAt"] <= "2025-07-01T00:00:00.000Z",
    )
    assert data(mock, body)["totalResults"] == inside > 0


def test_date_window_honours_offsets(mock: MockServer) -> None:
    utc = data(mock, {"type": "voice", "startDate": "2025-06-01T00:00:00Z"})
    shifted = data(mock, {"type": "voice", "startDate": "2025-06-01T02:00:00+02:00"})
    assert utc == shifted


def test_end_before_start_is_an_empty_page(mock: MockServer) -> None:
    body = {"type": "voice", "startDate": "2025-09-01", "endDate": "2025-04-01"}
    page = data(mock, body)
    assert page["results"] == [] and page["totalResults"] == 0


def _key(item: dict[str, Any], field: str) -> str:
    return str(item[field])


@pytest.mark.parametrize("field", ["name", "createdAt", "updatedAt"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_each_sort_key_and_direction(mock: MockServer, field: str, direction: str) -> None:
    results = data(mock, {"type": "voice", "limit": 100, "sortBy": {field: direction}})["results"]
    keys = [_key(item, field) for item in results]
    assert keys == sorted(keys, reverse=direction == "desc")


def test_several_sort_keys_apply_in_body_order(mock: MockServer) -> None:
    body = {"type": "sms", "limit": 100, "sortBy": {"name": "desc", "createdAt": "asc"}}
    results = data(mock, body)["results"]
    pairs = [(item["name"], item["createdAt"]) for item in results]
    assert pairs == sorted(sorted(pairs, key=lambda p: p[1]), key=lambda p: p[0], reverse=True)
    names = [name for name, _ in pairs]
    assert len(names) != len(set(names)), "the data must have ties in names for this to mean much"


def test_default_order_is_newest_first_with_an_id_tie_break(mock: MockServer) -> None:
    results = data(mock, {"type": "voice", "limit": 100})["results"]
    keys = [(item["createdAt"], item["_id"]) for item in results]
    assert keys == sorted(keys, key=lambda k: (_neg(k[0]), k[1]))


def _neg(stamp: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in stamp)


def test_identical_requests_get_identical_pages(mock: MockServer) -> None:
    body = {"type": "sms", "limit": 100, "sortBy": {"name": "asc"}, "skip": 30}
    first = call(mock, body).content
    assert all(call(mock, body).content == first for _ in range(3))


def test_name_sort_compares_code_points(mock: MockServer) -> None:
    seen, _ = crawl(mock, {"type": "voice", "sortBy": {"name": "asc"}}, limit=100)
    by_id = {item["_id"]: item["name"] for item in mock.campaigns("voice")}
    names = [by_id[campaign_id] for campaign_id in seen]
    assert names == sorted(names)
    lower = [name for name in names if name[0].islower()]
    upper = [name for name in names if name[0].isupper()]
    assert lower and upper and names.index(lower[0]) > names.index(upper[-1])


def test_unknown_top_level_fields_are_ignored(mock: MockServer) -> None:
    assert data(mock, {"type": "voice", "extra": {"x": 1}}) == data(mock, {"type": "voice"})


def test_concurrent_clients_each_get_their_own_correct_answer(mock: MockServer) -> None:
    bodies = [
        {"type": kind, "skip": skip, "limit": 9, "sortBy": {"name": "asc"}}
        for kind in ("voice", "sms")
        for skip in range(0, 90, 9)
    ]
    expected = [call(mock, body).content for body in bodies]
    failures: list[str] = []

    def client(offset: int) -> None:
        session = requests.Session()
        for round_ in range(3):
            for index in range(len(bodies)):
                which = (index + offset + round_) % len(bodies)
                answer = call(mock, bodies[which], session=session)
                if answer.status_code != 200 or answer.content != expected[which]:
                    failures.append(f"client {offset}: {bodies[which]}")
        session.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not failures and not any(thread.is_alive() for thread in threads)
