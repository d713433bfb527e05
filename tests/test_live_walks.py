"""Live-profile walks: cost bounded whatever the tenant's size, complete where it counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from campaign_contract import start_mock
from campaign_contract.checks import filters
from campaign_contract.checks._crawl import (
    LIVE_PAGES,
    UNIVERSE_PAGES,
    bounded,
    crawl,
    listing,
    small_window,
)
from campaign_contract.harness import _ledger as ledgers
from campaign_contract.harness._contract import Contract
from campaign_contract.oracles._common import instant

LARGE = 1200
"""Campaigns per type: more than the listing's cap of 3 pages of 100."""


@pytest.fixture(scope="module")
def large() -> Iterator[Contract]:
    with start_mock(campaigns=LARGE) as mock:
        yield Contract(mock.target(), rate=0.0, budget=None, live=True)


def test_the_listing_is_capped_and_says_it_is_a_sample(large: Contract) -> None:
    walk = listing(large, "voice")
    assert len(walk.exchanges) == UNIVERSE_PAGES and not walk.complete
    assert len(walk.items) == 100 * UNIVERSE_PAGES


def test_a_long_walk_is_narrowed_to_a_small_window_and_stays_complete(large: Contract) -> None:
    body = bounded(large, {"type": "sms"}, limit=10)
    window = small_window(large, "sms")
    assert window is not None and {k: body[k] for k in window} == window
    start, end = instant(window["startDate"]), instant(window["endDate"])
    assert start is not None and end is not None and start < end
    walk = crawl(large, body, limit=10)
    assert walk.complete and len(walk.exchanges) <= LIVE_PAGES + 1
    assert 0 < len(walk.ids) < 100


def test_a_short_walk_and_the_loopback_profile_are_left_as_they_are(large: Contract) -> None:
    windowed = {"type": "voice", "startDate": "2025-01-01T00:00:00.000Z"}
    assert bounded(large, windowed, limit=5) == windowed
    loopback = Contract(large.target, rate=0.0, budget=None, live=False)
    assert bounded(loopback, {"type": "voice"}, limit=5) == {"type": "voice"}


def test_filter_totals_counts_within_a_window_of_a_large_tenant(large: Contract) -> None:
    ledger = ledgers.begin("filter-totals", "filters", "n")
    try:
        universe, window = filters.complete_listing(large, "voice")
        filters.filter_totals(large)
    finally:
        ledgers.end()
    assert window and universe.complete and not ledger.failures
    assert ledger.requests < 60  # not the 12 pages of the whole listing for every value
