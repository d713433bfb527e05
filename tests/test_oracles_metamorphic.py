"""The metamorphic relations: each holds on consistent answers and fails on a broken one."""

from __future__ import annotations

import copy
from typing import Any

from campaign_contract import (
    check_names,
    check_same_sequence,
    metamorphic_deterministic,
    metamorphic_filter_narrows,
    metamorphic_sms_ignores_dialing_mode,
    metamorphic_sort_reverse,
    metamorphic_status_union,
    metamorphic_window_narrows,
)
from campaign_contract.oracles import totals_differ
from oracle_samples import crawl, page, sms, ts, voice

CAMPAIGNS = [
    voice(0, ts(9), status="Ready", name="delta"),
    voice(1, ts(8), status="Stopped", name="Alpha"),
    voice(2, ts(8), status="Ready", name="alpha"),
    voice(3, ts(5), status="Paused", name="beta"),
    voice(4, ts(5), status="Ready", name="Gamma"),
]


def with_status(*statuses: str) -> list[dict[str, Any]]:
    return [c for c in CAMPAIGNS if c["status"] in statuses]


def names(found: list[Any]) -> list[str]:
    return [v.check for v in found]


def test_relation_names_are_registered() -> None:
    assert set(check_names("metamorphic")) == {
        "metamorphic-filter-narrows",
        "metamorphic-status-union",
        "metamorphic-window-narrows",
        "metamorphic-sms-ignores-dialing-mode",
        "metamorphic-sort-reverse",
        "metamorphic-deterministic",
    }


def test_filter_narrows_on_totals_pages_and_crawls() -> None:
    assert metamorphic_filter_narrows(5, 3) == []
    assert metamorphic_filter_narrows(5, 5) == []
    assert names(metamorphic_filter_narrows(3, 5)) == ["metamorphic-filter-narrows"]
    wide, narrow = page(CAMPAIGNS, limit=10), page(with_status("Ready"), limit=10)
    assert metamorphic_filter_narrows(wide, narrow) == []
    assert metamorphic_filter_narrows(crawl(CAMPAIGNS, 2), crawl(with_status("Ready"), 2)) == []
    stranger = crawl([*with_status("Ready"), voice(7, ts(1))], 2)
    found = metamorphic_filter_narrows(crawl(CAMPAIGNS, 2), stranger, label="status [Ready]")
    assert [(v.check, v.pointer) for v in found] == [
        ("metamorphic-filter-narrows", "/data/results")
    ]
    assert found[0].message.startswith("status [Ready]: ") and "cd-0007" in found[0].message
    grown = metamorphic_filter_narrows(crawl(CAMPAIGNS[:3], 2), crawl(CAMPAIGNS, 2))
    assert [v.pointer for v in grown] == ["/data/totalResults", "/data/results"]


def test_filter_narrows_compares_sets_only_when_complete() -> None:
    first_page = page(CAMPAIGNS[:2], limit=2, total=5)
    other_page = page([voice(7, ts(1))], limit=2, total=3)
    assert metamorphic_filter_narrows(first_page, other_page) == []
    assert metamorphic_filter_narrows({"status": "error"}, 7) == []


def test_window_narrows() -> None:
    assert metamorphic_window_narrows(CAMPAIGNS, CAMPAIGNS[3:]) == []
    found = metamorphic_window_narrows(CAMPAIGNS[3:], CAMPAIGNS[2:])
    assert names(found) == ["metamorphic-window-narrows"] * 2


def test_status_union_adds_up() -> None:
    parts = {"Ready": crawl(with_status("Ready"), 2), "Stopped": crawl(with_status("Stopped"), 2)}
    union = crawl(with_status("Ready", "Stopped"), 2)
    assert metamorphic_status_union(union, parts) == []
    assert metamorphic_status_union(4, {"Ready": 3, "Stopped": 1}) == []
    found = metamorphic_status_union(5, {"Ready": 3, "Stopped": 1})
    assert names(found) == ["metamorphic-status-union"]
    assert "Ready 3 + Stopped 1 = 4" in found[0].message


def test_status_union_catches_overlap_and_strays() -> None:
    overlapping = {"Ready": with_status("Ready", "Stopped"), "Stopped": with_status("Stopped")}
    found = metamorphic_status_union(with_status("Ready", "Stopped"), overlapping)
    assert any("cd-0001" in v.message and "under" in v.message for v in found)
    assert "metamorphic-status-union" in names(found)
    swapped = {"Ready": with_status("Ready"), "Stopped": with_status("Paused")}
    found = metamorphic_status_union(with_status("Ready", "Stopped"), swapped)
    assert [v.pointer for v in found] == ["/data/results"]
    assert metamorphic_status_union(3, {}) == []


def test_sms_listings_ignore_dialing_mode() -> None:
    listing = [sms(i, ts(5 - i)) for i in range(4)]
    assert metamorphic_sms_ignores_dialing_mode(crawl(listing, 3), crawl(listing, 3)) == []
    assert metamorphic_sms_ignores_dialing_mode(page(listing, limit=10), 4) == []
    emptied = metamorphic_sms_ignores_dialing_mode(page(listing, limit=10), page([], limit=10))
    assert names(emptied) == ["metamorphic-sms-ignores-dialing-mode"] * 2
    rejected = {"status": "error", "message": "dialingMode not allowed"}
    assert metamorphic_sms_ignores_dialing_mode(page(listing, limit=10), rejected) == []


def test_sort_reverse_holds_apart_from_ties() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "desc"}}
    forward = CAMPAIGNS
    backward = [CAMPAIGNS[3], CAMPAIGNS[4], CAMPAIGNS[1], CAMPAIGNS[2], CAMPAIGNS[0]]
    assert metamorphic_sort_reverse(request, forward, backward) == []
    assert metamorphic_sort_reverse(request, crawl(forward, 2), crawl(backward, 3)) == []
    assert metamorphic_sort_reverse(request, forward, forward[::-1]) == []
    found = metamorphic_sort_reverse(request, forward, forward)
    assert [(v.check, v.pointer) for v in found] == [("metamorphic-sort-reverse", "/0")]
    assert metamorphic_sort_reverse({"type": "voice"}, forward, forward) == []


def test_sort_reverse_by_name_accepts_either_collation() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc"}}
    code_point = sorted(CAMPAIGNS, key=lambda c: c["name"])
    assert metamorphic_sort_reverse(request, code_point, code_point[::-1]) == []
    folded = sorted(CAMPAIGNS, key=lambda c: c["name"].casefold())
    backward = sorted(CAMPAIGNS, key=lambda c: c["name"].casefold(), reverse=True)
    assert metamorphic_sort_reverse(request, folded, backward) == []


def test_sort_reverse_reports_a_different_set() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "asc"}}
    found = metamorphic_sort_reverse(request, CAMPAIGNS, CAMPAIGNS[:-1][::-1])
    assert [(v.check, v.pointer) for v in found] == [("metamorphic-sort-reverse", "")]


def test_deterministic_pages_agree() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "desc"}, "limit": 10}
    first = page(CAMPAIGNS, limit=10)
    tie_swapped = page([CAMPAIGNS[0], CAMPAIGNS[2], CAMPAIGNS[1], *CAMPAIGNS[3:]], limit=10)
    assert metamorphic_deterministic(request, first, copy.deepcopy(first)) == []
    assert metamorphic_deterministic(request, first, tie_swapped) == []
    reordered = page(CAMPAIGNS[::-1], limit=10)
    found = metamorphic_deterministic(request, first, reordered)
    assert [(v.check, v.pointer) for v in found] == [
        ("metamorphic-deterministic", "/data/results/0")
    ]
    assert metamorphic_deterministic({"type": "voice"}, first, reordered) == []


def test_deterministic_catches_figures_sets_and_content() -> None:
    request = {"type": "voice", "limit": 2}
    first = page(CAMPAIGNS[:2], limit=2, total=5)
    grown = page(CAMPAIGNS[:2], limit=2, total=6)
    assert [v.pointer for v in metamorphic_deterministic(request, first, grown)] == [
        "/data/totalResults"
    ]
    moved = metamorphic_deterministic(request, first, page(CAMPAIGNS[1:3], limit=2, total=5))
    assert [v.pointer for v in moved] == ["/data/results"]
    edited = copy.deepcopy(first)
    edited["data"]["results"][1]["status"] = "Paused"
    found = metamorphic_deterministic(request, first, edited)
    assert [(v.pointer, "status" in v.message) for v in found] == [("/data/results/1", True)]
    assert metamorphic_deterministic(request, first, {"status": "error"}) == []


# S-07: names a collation may tie (accents, case, punctuation, leading zeros) keep the server's
# tie order when the direction flips.


def test_s07_names_a_collation_may_tie_may_keep_their_order_when_reversed() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc"}}
    beta, plain, accented = (
        voice(1, ts(1), name="beta"),
        voice(2, ts(1), name="Etude"),
        voice(3, ts(1), name="Étude"),
    )
    assert metamorphic_sort_reverse(request, [beta, plain, accented], [plain, accented, beta]) == []
    found = metamorphic_sort_reverse(request, [beta, plain, accented], [beta, plain, accented])
    assert names(found) == ["metamorphic-sort-reverse"]


# S-42: two answers are compared on ids, sort and filter fields; counters move on a live tenant.

RUNNING = {
    "id": "cd-1",
    "name": "n",
    "status": "Active",
    "priority": "5",
    "createdAt": "2025-12-05T09:31:52.281Z",
    "totalMessagesSent": 10,
    "campaignInstanceUpdatedAt": "2025-12-05T09:31:52.092Z",
}
MOVED_ON = {**RUNNING, "totalMessagesSent": 11, "campaignInstanceUpdatedAt": ts(6)}


def test_s42_deterministic_ignores_counters_that_move_on_a_live_tenant() -> None:
    request = {"type": "sms"}
    assert metamorphic_deterministic(request, page([RUNNING]), page([MOVED_ON])) == []
    for field, value in (("status", "Completed"), ("name", "m"), ("createdAt", ts(2))):
        changed = page([{**MOVED_ON, field: value}])
        found = metamorphic_deterministic(request, page([RUNNING]), changed)
        assert [(v.pointer, field in v.message) for v in found] == [("/data/results/0", True)]


def test_s42_listings_of_campaigns_without_ids_ignore_counters() -> None:
    anonymous = [{k: v for k, v in c.items() if k != "id"} for c in (RUNNING, MOVED_ON)]
    assert check_same_sequence([anonymous[0]], [anonymous[1]], "twice") == []
    renamed = {**anonymous[1], "name": "other"}
    assert check_same_sequence([anonymous[0]], [renamed], "twice") != []


def test_s42_totals_differ_tells_a_caller_to_ask_again() -> None:
    assert totals_differ(page(CAMPAIGNS[:2], limit=2, total=5), 6)
    assert not totals_differ(page(CAMPAIGNS[:2], limit=2, total=5), crawl(CAMPAIGNS, 2))
    assert not totals_differ({"status": "error"}, 3)
