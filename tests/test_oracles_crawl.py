"""check_crawl and check_same_sequence: clean crawls pass, each broken crawl is caught."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from campaign_contract import check_crawl, check_names, check_pair, check_same_sequence
from oracle_samples import crawl, page, ts, voice

SORTED = {"type": "voice", "sortBy": {"createdAt": "desc"}}
CAMPAIGNS = [voice(i, ts(20 - i)) for i in range(7)]


def checks(found: list[Any]) -> set[str]:
    return {v.check for v in found}


def test_a_clean_crawl_passes() -> None:
    assert check_crawl(SORTED, crawl(CAMPAIGNS, 3)) == []
    assert check_crawl(SORTED, crawl([], 3)) == []
    assert check_crawl(SORTED, []) == []


def test_a_duplicate_across_pages_is_caught_with_the_gap_it_leaves() -> None:
    pages = crawl(CAMPAIGNS, 3)
    pages[1]["data"]["results"][0] = copy.deepcopy(pages[0]["data"]["results"][2])
    found = check_crawl({"type": "voice"}, pages)
    assert [(v.check, v.pointer) for v in found] == [
        ("crawl-duplicates", "/1/data/results/0"),
        ("crawl-count", "/0/data/totalResults"),
    ]
    assert "1 missing" in found[1].message


def test_a_gap_is_caught() -> None:
    pages = crawl(CAMPAIGNS, 3)
    pages[1]["data"]["results"].pop()
    found = check_crawl(SORTED, pages)
    assert checks(found) == {"crawl-count"}
    assert "found 6 distinct campaigns; totalResults is 7" in found[0].message


def test_an_unstable_total_is_caught() -> None:
    pages = crawl(CAMPAIGNS, 3)
    pages[2]["data"]["totalResults"] = 8
    found = check_crawl(SORTED, pages)
    assert [(v.check, v.pointer) for v in found] == [("crawl-total-stable", "/2/data/totalResults")]


def test_has_more_must_be_false_exactly_on_the_last_page() -> None:
    pages = crawl(CAMPAIGNS, 3)
    pages[2]["data"]["hasMore"] = True
    assert [(v.check, v.pointer) for v in check_crawl(SORTED, pages)] == [
        ("crawl-has-more", "/2/data/hasMore")
    ]
    pages = crawl(CAMPAIGNS, 3)
    pages[0]["data"]["hasMore"] = False
    assert [(v.check, v.pointer) for v in check_crawl(SORTED, pages)] == [
        ("crawl-has-more", "/0/data/hasMore")
    ]


def test_sort_order_is_checked_across_page_boundaries_only() -> None:
    swapped = [*CAMPAIGNS[:2], CAMPAIGNS[3], CAMPAIGNS[2], *CAMPAIGNS[4:]]
    found = check_crawl(SORTED, crawl(swapped, 3))
    assert [(v.check, v.pointer) for v in found] == [
        ("crawl-sort-order", "/1/data/results/0/createdAt")
    ]
    assert check_crawl({"type": "voice"}, crawl(swapped, 3)) == []
    within_page = [CAMPAIGNS[1], CAMPAIGNS[0], *CAMPAIGNS[2:]]
    assert check_crawl(SORTED, crawl(within_page, 3)) == []


def test_campaigns_without_ids_are_counted_not_deduplicated() -> None:
    anonymous = [{k: v for k, v in c.items() if k != "_id"} for c in CAMPAIGNS]
    assert check_crawl(SORTED, crawl(anonymous, 3)) == []
    pages = crawl(anonymous, 3)
    pages[2]["data"]["results"] = []
    assert checks(check_crawl(SORTED, pages)) == {"crawl-count"}


def test_crawl_names_are_registered() -> None:
    names = set(check_names("crawl"))
    pages = crawl(CAMPAIGNS, 3)
    pages[1]["data"]["results"][0] = copy.deepcopy(pages[0]["data"]["results"][0])
    pages[2]["data"]["totalResults"] = 9
    pages[2]["data"]["hasMore"] = True
    found = checks(check_crawl(SORTED, pages))
    shuffled = check_same_sequence(CAMPAIGNS, CAMPAIGNS[::-1], "sizes", request=SORTED)
    assert found | checks(shuffled) == names
    assert found == names - {"crawl-same-sequence"}


# check_same_sequence


TIED = [voice(i, ts(5 if i < 4 else 2)) for i in range(6)]


def test_two_page_sizes_give_the_same_sequence() -> None:
    found = check_same_sequence(crawl(CAMPAIGNS, 2), crawl(CAMPAIGNS, 5), "sizes", request=SORTED)
    assert found == []


def test_ties_may_come_in_another_order() -> None:
    shuffled = [TIED[2], TIED[0], TIED[3], TIED[1], TIED[5], TIED[4]]
    assert check_same_sequence(TIED, shuffled, "sizes", request=SORTED) == []


def test_an_order_the_keys_fix_must_agree() -> None:
    across_ties = [TIED[4], *TIED[:4], TIED[5]]
    found = check_same_sequence(TIED, across_ties, "sizes", request=SORTED)
    assert [(v.check, v.pointer) for v in found] == [("crawl-same-sequence", "/0")]
    assert found[0].message.startswith("sizes: ")
    swapped = [CAMPAIGNS[1], CAMPAIGNS[0], *CAMPAIGNS[2:]]
    found = check_same_sequence(CAMPAIGNS, swapped, "skip vs page", request=SORTED)
    assert [v.pointer for v in found] == ["/0"]


def test_without_sort_by_only_the_set_is_compared() -> None:
    reversed_order = CAMPAIGNS[::-1]
    assert check_same_sequence(CAMPAIGNS, reversed_order, "sizes", request={"type": "voice"}) == []
    assert check_same_sequence(CAMPAIGNS, reversed_order, "sizes") == []


@pytest.mark.parametrize("request_body", [None, SORTED])
def test_different_campaigns_are_reported(request_body: Any) -> None:
    other = [*CAMPAIGNS[:-1], voice(99, ts(1))]
    found = check_same_sequence(CAMPAIGNS, other, "sizes", request=request_body, check="x-y")
    assert [(v.check, v.pointer) for v in found] == [("x-y", "")]
    assert "cd-0006" in found[0].message and "cd-0099" in found[0].message


def test_bare_ids_are_compared_as_multisets() -> None:
    ids = ["a", "b", "c"]
    assert check_same_sequence(ids, ["c", "a", "b"], "ids", request=SORTED) == []
    assert check_same_sequence(ids, ["a", "b", "b"], "ids") != []


def test_same_sequence_accepts_single_pages_too() -> None:
    one = page(CAMPAIGNS, limit=10)
    assert check_same_sequence(one, crawl(CAMPAIGNS, 3), "one page", request=SORTED) == []


# S-07: a crawl takes the sort keys in one priority order, whichever it is.

BY_DATE_THEN_NAME = {"type": "voice", "sortBy": {"createdAt": "desc", "name": "asc"}}


def test_s07_a_crawl_may_take_the_keys_in_another_priority_throughout() -> None:
    by_name = [voice(i, ts(1 + i), name=letter) for i, letter in enumerate("abcdef")]
    pages = crawl(by_name, 2)
    assert check_crawl(BY_DATE_THEN_NAME, pages) == []
    assert all(check_pair(BY_DATE_THEN_NAME, body, checks="sort-order") == [] for body in pages)


def test_s07_a_crawl_must_keep_one_priority_order() -> None:
    date_first = [voice(0, ts(9), name="b"), voice(1, ts(8), name="a")]
    name_first = [voice(2, ts(1), name="c"), voice(3, ts(2), name="d")]
    pages = crawl([*date_first, *name_first], 2)
    assert all(check_pair(BY_DATE_THEN_NAME, body, checks="sort-order") == [] for body in pages)
    found = check_crawl(BY_DATE_THEN_NAME, pages)
    assert [(v.check, v.pointer) for v in found] == [("crawl-sort-order", "/1/data/results")]
    assert "{name: asc, createdAt: desc}" in found[0].message


def test_s07_boundaries_are_judged_under_the_priority_the_pages_follow() -> None:
    first = [voice(0, ts(1), name="a"), voice(1, ts(5), name="c")]
    second = [voice(2, ts(3), name="b"), voice(3, ts(4), name="d")]
    found = check_crawl(BY_DATE_THEN_NAME, crawl([*first, *second], 2))
    assert [(v.check, v.pointer) for v in found] == [("crawl-sort-order", "/1/data/results/0/name")]
    assert "keys taken in the priority {name: asc, createdAt: desc}" in found[0].message
