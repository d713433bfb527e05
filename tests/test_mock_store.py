"""The store's pages: read backwards from the end, or (a sort of several keys) from its first
key's index, every page holds the campaigns of the whole listing sorted at once, NULLs and ties
included."""

from __future__ import annotations

import itertools
import json
import random
from typing import Any

import pytest
from campaign_contract.mock import generate
from campaign_contract.mock._faults import F
from campaign_contract.mock._request import DIRECTIONS, SORT_FIELDS, Query
from campaign_contract.mock._store import Store

KEY = ("acct", "app")


def _campaigns() -> dict[str, list[dict[str, Any]]]:
    """Generated campaigns with ties in every sort field, and some without a name or a
    readable timestamp (their columns are NULL)."""
    data = generate(seed=7, count=120)
    rng = random.Random(3)
    for kind, items in data.items():
        shared = items[0]["updatedAt"]
        for number, item in enumerate(items):
            roll = rng.random()
            if roll < 0.08:
                item.pop("name")
            elif roll < 0.16:
                item["createdAt"] = "not a date"
            elif roll < 0.24:
                item.pop("updatedAt")
            elif roll < 0.4:
                item["name"] = f"{kind} tie"
                item["updatedAt"] = shared
            item["_number"] = number
    return data


@pytest.fixture(scope="module")
def store() -> Store:
    kept = Store()
    kept.replace(KEY, _campaigns())
    return kept


def _numbers(
    store: Store, query: Query, offset: int, size: int, faults: frozenset[str] = frozenset()
) -> list[int]:
    docs, _, _ = store.page(KEY, query, offset, size, faults)
    return [json.loads(doc)["_number"] for doc in docs]


SORTS = [
    tuple(zip(fields, ways, strict=True))
    for count in (1, 2, 3)
    for fields in itertools.permutations(SORT_FIELDS, count)
    for ways in itertools.product(DIRECTIONS, repeat=count)
]


@pytest.mark.parametrize("sort", SORTS, ids=lambda sort: ",".join(map(":".join, sort)))
def test_every_page_of_every_sort_is_the_slice_of_the_whole_listing(
    store: Store, sort: tuple[tuple[str, str], ...]
) -> None:
    for kind, status in (("voice", None), ("sms", ("Active", "Ready", "Paused"))):
        query = Query(type=kind, sort=sort, status=status)
        listing = _numbers(store, query, 0, 1_000)
        assert len(listing) > 40
        for offset in range(1, len(listing) + 2):
            size = 1 + offset % 7
            assert _numbers(store, query, offset, size) == listing[offset : offset + size]


@pytest.mark.parametrize(
    "fault", [F.SORT_WRONG_FIELD, F.SORT_DESC_IGNORED, F.SORT_ASC_IGNORED, F.TYPE_IGNORED]
)
def test_the_faults_that_change_the_order_keep_the_pages_slices_of_one_listing(
    store: Store, fault: str
) -> None:
    faults = frozenset({fault})
    for sort in (SORTS[0], SORTS[-1], (("updatedAt", "desc"), ("name", "asc"))):
        query = Query(type="voice", sort=sort)
        listing = _numbers(store, query, 0, 1_000, faults)
        for offset in range(1, len(listing) + 1, 3):
            page = _numbers(store, query, offset, 10, faults)
            assert page == listing[offset : offset + 10]


def test_a_filtered_count_is_the_same_when_asked_again_and_after_new_campaigns() -> None:
    store = Store()
    store.replace(KEY, {"voice": _campaigns()["voice"], "sms": []})
    query = Query(type="voice", status=("Active",))
    _, first, everything = store.page(KEY, query, 0, 10)
    assert 0 < first < everything
    assert store.page(KEY, query, 10, 10)[1] == first
    store.replace(KEY, {"voice": _campaigns()["voice"][:5], "sms": []})
    _, after, everything = store.page(KEY, query, 0, 10)
    assert everything == 5
    assert after == sum(1 for item in _campaigns()["voice"][:5] if item["status"] == "Active")


def test_a_page_asked_before_the_tenant_has_campaigns_does_not_hide_them_later() -> None:
    store = Store()
    query = Query(type="voice")
    assert store.page(KEY, query, 0, 10)[1:] == (0, 0)
    store.replace(KEY, {"voice": _campaigns()["voice"][:20], "sms": []})
    assert store.page(KEY, query, 0, 10)[1:] == (20, 20)
