"""Oracles: pure predicates over request and response bodies, returning violations.

``check_pair`` judges one request/response pair; ``check_crawl`` and ``check_same_sequence``
judge whole crawls; the ``metamorphic_*`` functions relate the answers to related requests.
Nothing here talks to a server or to the mock.
"""

from __future__ import annotations

from campaign_contract.oracles._context import PairContext, read_pair
from campaign_contract.oracles._crawl import check_crawl, check_same_sequence
from campaign_contract.oracles._metamorphic import (
    metamorphic_deterministic,
    metamorphic_filter_narrows,
    metamorphic_sms_ignores_dialing_mode,
    metamorphic_sort_reverse,
    metamorphic_status_union,
    metamorphic_window_narrows,
    totals_differ,
)
from campaign_contract.oracles._pair import (
    CRAWL_CHECK_NAMES,
    METAMORPHIC_CHECK_NAMES,
    PAIR_CHECKS,
    CheckFamily,
    PairCheck,
    check_names,
    check_pair,
)
from campaign_contract.oracles._sorting import (
    COLLATIONS,
    Collation,
    SortSpec,
    sort_permutations_that_fit,
    sort_spec,
    undecided_names,
    undecided_pairs,
)

__all__ = [
    "COLLATIONS",
    "CRAWL_CHECK_NAMES",
    "METAMORPHIC_CHECK_NAMES",
    "PAIR_CHECKS",
    "CheckFamily",
    "Collation",
    "PairCheck",
    "PairContext",
    "SortSpec",
    "check_crawl",
    "check_names",
    "check_pair",
    "check_same_sequence",
    "metamorphic_deterministic",
    "metamorphic_filter_narrows",
    "metamorphic_sms_ignores_dialing_mode",
    "metamorphic_sort_reverse",
    "metamorphic_status_union",
    "metamorphic_window_narrows",
    "read_pair",
    "sort_permutations_that_fit",
    "sort_spec",
    "totals_differ",
    "undecided_names",
    "undecided_pairs",
]
