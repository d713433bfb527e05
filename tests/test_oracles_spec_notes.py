"""check_pair follows each SPEC_NOTES decision; every test would fail under the other reading."""

from __future__ import annotations

from typing import Any

from campaign_contract import check_pair
from oracle_samples import page, sms, ts, voice


def checks_fired(request: Any, response: Any, *names: str) -> list[str]:
    return [v.check for v in check_pair(request, response, checks=names or None)]


def named(*names: str) -> list[dict[str, Any]]:
    return [voice(i, ts(1), name=name) for i, name in enumerate(names)]


# S-02: priority is a string in responses and a number in filters.


def test_s02_filter_priority_number_matches_the_response_string() -> None:
    request = {"type": "voice", "filters": {"priority": [5]}}
    assert checks_fired(request, page([voice(0, ts(1), priority="5")])) == []
    assert checks_fired(request, page([voice(0, ts(1), priority="4")])) == ["filter-priority"]
    assert checks_fired(request, page([voice(0, ts(1), priority="05")])) == ["filter-priority"]


# S-05: "" for skip/page/limit (and any top-level field) means the field is absent.


def test_s05_empty_strings_mean_absent() -> None:
    request = {"type": "sms", "skip": "", "page": "", "limit": "", "startDate": "", "sortBy": ""}
    response = page([sms(0, "2020-01-01T00:00:00Z")], skip=0, limit=10)
    assert check_pair(request, response) == []
    assert checks_fired(request, page([sms(0, ts(1))], skip=10, limit=10, total=11)) == [
        "skip-echo"
    ]


# S-07: several keys in body order; names by code point or case-insensitively; free ties.


def test_s07_names_in_code_point_order_are_accepted() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc"}}
    assert checks_fired(request, page(named("Beta", "alpha"))) == []


def test_s07_names_in_case_insensitive_order_are_accepted() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc"}}
    assert checks_fired(request, page(named("alpha", "Beta"))) == []
    assert checks_fired(request, page(named("alpha", "ALPHA", "alpha"))) == []


def test_s07_names_in_no_accepted_collation_are_rejected() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc"}}
    found = check_pair(request, page(named("beta", "Alpha")))
    assert [(v.check, v.pointer) for v in found] == [("sort-order", "/data/results/1/name")]
    desc = {"type": "voice", "sortBy": {"name": "desc"}}
    assert checks_fired(desc, page(named("Beta", "alpha"))) == []
    assert checks_fired(desc, page(named("alpha", "beta"))) == ["sort-order"]


def test_s07_keys_apply_in_body_order() -> None:
    items = [
        voice(0, ts(2), name="a"),
        voice(1, ts(1), name="b"),
    ]
    by_name_first = {"type": "voice", "sortBy": {"name": "asc", "createdAt": "asc"}}
    by_date_first = {"type": "voice", "sortBy": {"createdAt": "asc", "name": "asc"}}
    assert checks_fired(by_name_first, page(items)) == []
    assert checks_fired(by_date_first, page(items)) == ["sort-order"]


def test_s07_full_ties_may_come_in_any_order_and_later_keys_break_partial_ties() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "asc"}}
    tied = [voice(3, ts(2), name="x"), voice(1, ts(2), name="x"), voice(2, ts(1), name="a")]
    assert checks_fired(request, page(tied)) == []
    partial = [voice(0, ts(2), name="b"), voice(1, ts(2), name="a")]
    assert checks_fired(request, page(partial)) == ["sort-order"]


def test_s07_timestamps_compare_as_instants_not_strings() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "asc"}}
    items = [voice(0, "2025-12-04T10:00:00+02:00"), voice(1, "2025-12-04T09:00:00.000Z")]
    assert checks_fired(request, page(items)) == []
    assert checks_fired(request, page(items[::-1])) == ["sort-order"]


# S-09: createdAt, both bounds inclusive; warning vs error.


def test_s09_window_filters_created_at_with_inclusive_bounds() -> None:
    request = {"type": "voice", "startDate": ts(1), "endDate": ts(4)}
    on_bounds = page([voice(0, ts(1)), voice(1, ts(4))])
    assert check_pair(request, on_bounds) == []
    just_after = page([voice(0, "2025-12-04T00:00:00.001Z")])
    assert [v.severity for v in check_pair(request, just_after)] == ["error"]


def test_s09_outside_by_created_at_but_inside_by_updated_at_is_a_warning() -> None:
    request = {"type": "voice", "startDate": ts(1), "endDate": ts(4)}
    updated_inside = page([voice(0, "2025-11-20T00:00:00Z", updatedAt=ts(2))])
    found = check_pair(request, updated_inside)
    assert [(v.check, v.severity) for v in found] == [("filter-date-window", "warning")]
    outside = page([voice(0, "2025-11-20T00:00:00Z", updatedAt="2025-11-21T00:00:00Z")])
    assert [(v.check, v.severity) for v in check_pair(request, outside)] == [
        ("filter-date-window", "error")
    ]


def test_s09_a_date_only_end_includes_that_whole_day() -> None:
    request = {"type": "voice", "startDate": "2025-12-01", "endDate": "2025-12-04"}
    assert check_pair(request, page([voice(0, ts(4, 23, 59))])) == []
    assert checks_fired(request, page([voice(0, ts(6))])) == ["filter-date-window"]


# S-14: data.skip may be skip, (page-1)*limit or skip+(page-1)*limit.


def test_s14_page_reading_accepted_when_skip_is_absent() -> None:
    request = {"type": "sms", "page": 3, "limit": 10}
    assert checks_fired(request, page([sms(0, ts(1))], skip=20, limit=10, total=21)) == []
    assert checks_fired(request, page([sms(0, ts(1))], skip=0, limit=10, total=1)) == []
    found = checks_fired(request, page([sms(0, ts(1))], skip=10, limit=10, total=11))
    assert found == ["skip-echo"]


def test_s14_skip_zero_with_a_page_accepts_both_readings() -> None:
    request = {"type": "sms", "skip": 0, "page": 3, "limit": 10}
    assert checks_fired(request, page([sms(0, ts(1))], skip=20, limit=10, total=21)) == []
    assert checks_fired(request, page([sms(0, ts(1))], skip=0, limit=10, total=1)) == []
    assert checks_fired(request, page([], skip=5, limit=10, total=5)) == ["skip-echo"]


def test_s14_skip_plus_page_offset_is_a_reading_too() -> None:
    request = {"type": "sms", "skip": 5, "page": 2, "limit": 10}
    for echoed in (5, 10, 15):
        response = page([sms(0, ts(1))], skip=echoed, limit=10, total=echoed + 1)
        assert checks_fired(request, response) == [], echoed
    assert checks_fired(request, page([], skip=7, limit=10, total=7)) == ["skip-echo"]


# S-15: default and maximum limit unknown; data.limit never exceeds a requested limit.


def test_s15_data_limit_may_be_below_but_not_above_the_requested_limit() -> None:
    capped = page([sms(i, ts(1)) for i in range(100)], limit=100, total=300)
    assert checks_fired({"type": "sms", "limit": 500}, capped) == []
    assert checks_fired({"type": "sms", "limit": 50}, capped) == ["limit-echo"]
    assert checks_fired({"type": "sms"}, capped) == []
    over = page([sms(i, ts(1)) for i in range(11)], limit=10, total=11)
    assert checks_fired({"type": "sms"}, over) == ["page-size"]


# S-18: totalPages is 0 or 1 when nothing matches.


def test_s18_total_pages_zero_and_one_accepted_for_no_results() -> None:
    request = {"type": "voice", "limit": 10}
    assert checks_fired(request, page([], limit=10, total=0, total_pages=0)) == []
    assert checks_fired(request, page([], limit=10, total=0, total_pages=1)) == []
    assert checks_fired(request, page([], limit=10, total=0, total_pages=2)) == ["total-pages"]


# S-19: hasMore equals data.skip + len(results) < totalResults.


def test_s19_has_more_false_on_a_full_last_page() -> None:
    request = {"type": "sms", "skip": 10, "limit": 10}
    results = [sms(i, ts(1)) for i in range(10)]
    assert checks_fired(request, page(results, skip=10, limit=10, total=20)) == []
    full_but_last = page(results, skip=10, limit=10, total=20, has_more=True)
    assert checks_fired(request, full_but_last) == ["has-more"]
    short = page(results[:3], skip=10, limit=10, total=20, has_more=False)
    assert "has-more" in checks_fired(request, short)


# S-20: page 0, limit 0 and fractions are not judged.


def test_s20_unusual_paging_numbers_are_left_alone() -> None:
    response = page([sms(0, ts(1))], skip=0, limit=10, total=1)
    for odd in ({"page": 0}, {"limit": 0}, {"skip": 1.5}, {"page": 2.5, "limit": 10}):
        assert checks_fired({"type": "sms", **odd}, response, "skip-echo", "limit-echo") == []


# S-22: an empty filter array does not constrain the results.


def test_s22_empty_filter_arrays_filter_nothing() -> None:
    request = {"type": "voice", "filters": {"status": [], "priority": [], "dialingMode": []}}
    odd = page([voice(0, ts(1), status="Paused", priority="2", dialingMode="Agentless")])
    assert check_pair(request, odd) == []
    one = {"type": "voice", "filters": {"status": ["Ready"]}}
    assert checks_fired(one, odd) == ["filter-status"]


# S-23: filters.dialingMode applies to voice campaigns only.


def test_s23_dialing_mode_filter_leaves_sms_results_alone() -> None:
    filters = {"dialingMode": ["Progressive"]}
    sms_page = page([sms(0, ts(1)), sms(1, ts(1), dialingMode="Preview")])
    assert check_pair({"type": "sms", "filters": filters}, sms_page) == []
    voice_page = page([voice(0, ts(1), dialingMode="Preview")])
    assert checks_fired({"type": "voice", "filters": filters}, voice_page) == [
        "filter-dialing-mode"
    ]


# S-26: skip past the last campaign gives an empty page with hasMore false.


def test_s26_skip_past_the_end_gives_an_empty_page() -> None:
    request = {"type": "sms", "skip": 30, "limit": 10}
    assert check_pair(request, page([], skip=30, limit=10, total=20)) == []
    assert checks_fired(request, page([], skip=30, limit=10, total=20, has_more=True)) == [
        "has-more"
    ]
    clamped = page([sms(i, ts(1)) for i in range(10)], skip=30, limit=10, total=20)
    assert checks_fired(request, clamped) == ["total-results"]
    last_page_instead = page([sms(i, ts(1)) for i in range(10)], skip=10, limit=10, total=20)
    assert checks_fired(request, last_page_instead) == ["skip-echo"]
