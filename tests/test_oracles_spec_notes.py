"""check_pair follows each SPEC_NOTES decision; every test would fail under the other reading."""

from __future__ import annotations

from typing import Any

from campaign_contract import check_crawl, check_pair, metamorphic_sort_reverse
from campaign_contract.oracles import sort_permutations_that_fit, undecided_names
from oracle_samples import ICU_ORDERS, crawl, page, sms, ts, voice


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


# S-07: the keys in any one priority; names by code point or case-insensitively where those
# decide; free ties.


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


# Names the collations may order differently (ICU, locale, numeric): the orders a JavaScript
# localeCompare or a MongoDB collation {locale: "en"} gives, some with numericOrdering.
ICU_PUNCTUATION = ("Campaign 1", "Campaign_1", "Campaign-1", "Campaign1")
ICU_ACCENTS = ("Étude reminder", "Eval campaign")
NUMERIC = (
    "Event Reminder SMS Campaign7",
    "Event Reminder SMS Campaign8",
    "Event Reminder SMS Campaign71",
)


def test_s07_names_first_differing_at_punctuation_digits_or_accents_are_undecided() -> None:
    for names in (ICU_PUNCTUATION, ICU_ACCENTS, NUMERIC):
        for direction, order in (("asc", names), ("desc", names[::-1])):
            request = {"type": "voice", "sortBy": {"name": direction}}
            assert checks_fired(request, page(named(*order)), "sort-order") == [], order


def test_s07_names_in_icu_orders_pass_every_sort_check() -> None:
    for label, order in ICU_ORDERS.items():
        items = named(*order)
        for direction, listing in (("asc", items), ("desc", items[::-1])):
            request = {"type": "voice", "sortBy": {"name": direction}}
            assert checks_fired(request, page(listing), "sort-order") == [], (label, direction)
            assert check_crawl(request, crawl(listing, 4)) == [], (label, direction)
        request = {"type": "voice", "sortBy": {"name": "asc"}}
        assert metamorphic_sort_reverse(request, crawl(items, 7), items[::-1]) == [], label


def test_s07_names_equal_once_case_is_folded_are_undecided() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc"}}
    assert checks_fired(request, page(named("abc", "ABC"))) == []
    assert checks_fired(request, page(named("campaign7", "Campaign7"))) == []
    assert undecided_names("abc", "ABC") and undecided_names("x 1", "x_1")
    assert not undecided_names("Campaign b", "campaign A")


def test_s07_a_prefix_every_collation_puts_first_is_judged() -> None:
    request = {"type": "voice", "sortBy": {"name": "asc"}}
    assert checks_fired(request, page(named("abc", "AB"))) == ["sort-order"]
    assert checks_fired(request, page(named("campaign71", "Campaign7"))) == ["sort-order"]
    assert checks_fired(request, page(named("Campaign71", "campaign7"))) == []  # code point
    # a trailing "-" is ignorable to a punctuation-blind collation: left open
    assert checks_fired(request, page(named("Campaign-", "Campaign"))) == []


def test_s07_names_decided_by_ascii_letters_are_still_judged() -> None:
    asc = {"type": "voice", "sortBy": {"name": "asc"}}
    assert checks_fired(asc, page(named("Campaign 1 b", "Campaign 1 a"))) == ["sort-order"]
    assert checks_fired(asc, page(named("Étude b", "Étude a"))) == ["sort-order"]
    assert checks_fired(asc, page(named("Campaign7 zeta", "Campaign7 alpha"))) == ["sort-order"]
    desc = {"type": "voice", "sortBy": {"name": "desc"}}
    assert checks_fired(desc, page(named("alpha", "beta", "gamma"))) == ["sort-order"] * 2


def test_s07_several_keys_may_apply_in_any_priority_order() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "asc"}}
    name_first = [voice(1, ts(1), name="A"), voice(2, ts(9), name="B")]
    assert checks_fired(request, page(name_first)) == []
    assert sort_permutations_that_fit(request, name_first) == [("name", "createdAt")]
    body_order = name_first[::-1]
    assert sort_permutations_that_fit(request, body_order)[0] == ("createdAt", "name")


def test_s07_every_key_keeps_its_direction_under_any_priority_order() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "asc"}}
    neither = [voice(1, ts(1), name="B"), voice(2, ts(9), name="A")]
    found = check_pair(request, page(neither))
    assert [v.check for v in found] == ["sort-order"]
    assert "no priority order of the keys fits" in found[0].message
    assert sort_permutations_that_fit(request, neither) == []


def test_s07_sort_permutations_that_fit_reads_pages_crawls_and_unsorted_requests() -> None:
    request = {"type": "voice", "sortBy": {"updatedAt": "asc", "createdAt": "asc"}}
    by_creation = [voice(i, ts(1 + i), updatedAt=ts(9 - i)) for i in range(3)]
    assert sort_permutations_that_fit(request, page(by_creation, limit=10)) == [
        ("createdAt", "updatedAt")
    ]
    assert sort_permutations_that_fit(request, crawl(by_creation, 2)) == [
        ("createdAt", "updatedAt")
    ]
    tied = [voice(i, ts(3)) for i in range(3)]
    assert sort_permutations_that_fit(request, tied) == [
        ("updatedAt", "createdAt"),
        ("createdAt", "updatedAt"),
    ]
    assert sort_permutations_that_fit({"type": "voice"}, by_creation) == [()]


def test_s07_full_ties_may_come_in_any_order_and_later_keys_break_partial_ties() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "asc"}}
    tied = [voice(3, ts(2), name="x"), voice(1, ts(2), name="x"), voice(2, ts(1), name="a")]
    assert checks_fired(request, page(tied)) == []
    fine = "2025-12-02T00:00:00.000000Z"  # to the microsecond: written alike, equal
    partial = [voice(0, fine, name="b"), voice(1, fine, name="a")]
    assert checks_fired(request, page(partial)) == ["sort-order"]


def test_s38_timestamps_written_alike_to_the_millisecond_may_differ_below_it() -> None:
    """A database may hold microseconds that JavaScript writes as milliseconds: the server
    sorted on createdAt, and the later keys do not decide the order of two written alike."""
    request = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "asc"}}
    hidden = [voice(0, ts(2), name="b"), voice(1, ts(2), name="a"), voice(2, ts(1), name="c")]
    assert checks_fired(request, page(hidden)) == []
    assert checks_fired(request, page(hidden[::-1])) == ["sort-order"]  # createdAt still judged
    # one written to the microsecond, the other to the millisecond: the latter may hide more
    fine, coarse = "2025-12-02T00:00:00.000000Z", ts(2)
    mixed = [voice(0, fine, name="b"), voice(1, coarse, name="a")]
    assert checks_fired(request, page(mixed)) == []


def test_s07_timestamps_compare_as_instants_not_strings() -> None:
    request = {"type": "voice", "sortBy": {"createdAt": "asc"}}
    items = [voice(0, "2025-12-04T10:00:00+02:00"), voice(1, "2025-12-04T09:00:00.000Z")]
    assert checks_fired(request, page(items)) == []
    assert checks_fired(request, page(items[::-1])) == ["sort-order"]


# S-09: createdAt; each bound inclusive or exclusive; warning vs error.


def test_s09_campaigns_on_a_bound_may_be_listed_or_left_out() -> None:
    request = {"type": "voice", "startDate": ts(1), "endDate": ts(4)}
    on_bounds = page([voice(0, ts(1)), voice(1, ts(4))])
    assert check_pair(request, on_bounds) == []
    inside_only = page([voice(2, ts(2))])
    assert check_pair(request, inside_only) == []
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
    assert checks_fired(request, page([sms(0, ts(1))], skip=5, limit=10, total=6)) == ["skip-echo"]


def test_s14_skip_plus_page_offset_is_a_reading_too() -> None:
    request = {"type": "sms", "skip": 5, "page": 2, "limit": 10}
    for echoed in (5, 10, 15):
        response = page([sms(0, ts(1))], skip=echoed, limit=10, total=echoed + 1)
        assert checks_fired(request, response) == [], echoed
    assert checks_fired(request, page([sms(0, ts(1))], skip=7, limit=10, total=8)) == ["skip-echo"]


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


def test_s26_data_skip_may_be_the_records_actually_skipped() -> None:
    request = {"type": "voice", "skip": 15, "limit": 5}
    capped = page([], skip=10, limit=5, total=10, total_pages=2)
    assert check_pair(request, capped) == []
    assert check_pair(request, page([], skip=15, limit=5, total=10, total_pages=2)) == []
    for wrong in (0, 5, 12):
        response = page([], skip=wrong, limit=5, total=10, total_pages=2, has_more=False)
        assert checks_fired(request, response, "skip-echo") == ["skip-echo"], wrong


# S-31: data.limit is the page size; 0 may mean "no limit" and, without a requested limit, the
# count on the last page may stand in for the page size.


def test_s31_data_limit_zero_without_a_requested_limit_means_no_limit() -> None:
    everything = page([voice(i, ts(1)) for i in range(5)], limit=0, total=5, total_pages=1)
    assert check_pair({"type": "voice"}, everything) == []
    assert check_pair({"type": "voice", "limit": ""}, everything) == []
    assert checks_fired({"type": "voice", "limit": 3}, everything, "page-size") == ["page-size"]


def test_s31_data_limit_may_count_the_results_of_the_last_page() -> None:
    request = {"type": "voice", "skip": 20}
    three = [voice(i, ts(1)) for i in range(3)]
    last = page(three, skip=20, limit=3, total=23, total_pages=3)
    assert check_pair(request, last) == []
    full = page([voice(i, ts(1)) for i in range(10)], skip=0, limit=10, total=23, total_pages=5)
    assert checks_fired({"type": "voice"}, full) == ["total-pages"]
    asked = page(three, skip=20, limit=3, total=23, total_pages=5)
    assert checks_fired({"type": "voice", "skip": 20, "limit": 10}, asked) == ["total-pages"]


def test_s31_a_page_shorter_than_data_limit_with_more_to_come_still_fails() -> None:
    request = {"type": "voice", "limit": 80}
    fifty = [voice(i, ts(1)) for i in range(50)]
    capped = page(fifty, limit=80, total=120, total_pages=3, has_more=True)
    assert "page-fill" in checks_fired(request, capped)


def test_s31_an_empty_page_with_matches_past_it_fails_whatever_data_limit_says() -> None:
    empty = page([], limit=0, total=5, total_pages=1, has_more=True)
    for request in (
        {"type": "voice"},
        {"type": "voice", "limit": ""},
        {"type": "voice", "limit": 5},
    ):
        assert "page-fill" in checks_fired(request, empty), request
    # a limit of 0 asked (S-20) may be read as zero rows; past the end nothing remains
    assert "page-fill" not in checks_fired({"type": "voice", "limit": 0}, empty)
    past = page([], skip=5, limit=0, total=5, total_pages=1, has_more=False)
    assert "page-fill" not in checks_fired({"type": "voice", "skip": 5}, past)
    assert "page-fill" not in checks_fired(None, empty)  # no request known


# S-32: a campaign is of the other type only with a strong marker of it and none of its own.


def test_s32_sms_campaigns_with_underscore_id_or_dialing_mode_are_sms_campaigns() -> None:
    request = {"type": "sms"}
    bare = {"_id": "cd-1", "name": "x", "status": "Ready", "priority": "5", "createdAt": ts(5)}
    dialing = {**bare, "id": "cd-2", "dialingMode": "Preview", "contactLists": ["CL"]}
    dialing.pop("_id")
    assert check_pair(request, page([bare, dialing], limit=10)) == []
    queued = {**bare, "connection": "Default Queue"}
    assert checks_fired(request, page([queued], limit=10)) == ["result-type"]
    both = {**queued, "format": "simple"}
    assert checks_fired(request, page([both], limit=10)) == []


def test_s32_voice_campaigns_are_judged_by_the_same_markers() -> None:
    request = {"type": "voice"}
    with_mode = voice(0, ts(1), totalMessagesSent=0, isFiltersEnabled=None, connection=None)
    with_mode = {k: v for k, v in with_mode.items() if v is not None}
    assert check_pair(request, page([with_mode], limit=10)) == []
    executed = {"id": "cd-3", "name": "z", "status": "Ready", "priority": "5", "createdAt": ts(5)}
    executed["campaignExecutionType"] = "NORMAL"
    assert check_pair(request, page([executed], limit=10)) == []
    simple = {**executed, "format": "simple"}
    found = check_pair(request, page([simple], limit=10))
    assert [(v.check, v.pointer) for v in found] == [("result-type", "/data/results/0")]
    assert "format" in found[0].message
    underscore = {**simple, "_id": executed["id"], "totalMessagesSent": 3}
    underscore.pop("id")
    assert checks_fired(request, page([underscore], limit=10)) == ["result-type"]


def test_s18_nothing_matching_has_zero_or_one_page_whatever_data_limit_says() -> None:
    for limit in (0, 10):
        assert checks_fired({"type": "sms"}, page([], limit=limit, total=0, total_pages=1)) == []
        wrong = page([], limit=limit, total=0, total_pages=3)
        assert checks_fired({"type": "sms"}, wrong) == ["total-pages"]
