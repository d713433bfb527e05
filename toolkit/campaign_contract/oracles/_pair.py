"""The registry of pair checks and :func:`check_pair`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

from campaign_contract.oracles._context import PairContext, read_pair
from campaign_contract.oracles._filters import (
    check_filter_date_window,
    check_filter_dialing_mode,
    check_filter_priority,
    check_filter_status,
    check_result_type,
)
from campaign_contract.oracles._page import (
    check_has_more,
    check_limit_echo,
    check_page_fill,
    check_page_size,
    check_skip_echo,
    check_sort_order,
    check_total_pages,
    check_total_results,
)
from campaign_contract.validation._validators import CampaignType
from campaign_contract.validation._violations import Violation

PairCheck = Callable[[PairContext], Iterator[Violation]]

PAIR_CHECKS: dict[str, PairCheck] = {
    "result-type": check_result_type,
    "filter-status": check_filter_status,
    "filter-priority": check_filter_priority,
    "filter-dialing-mode": check_filter_dialing_mode,
    "filter-date-window": check_filter_date_window,
    "sort-order": check_sort_order,
    "page-size": check_page_size,
    "page-fill": check_page_fill,
    "limit-echo": check_limit_echo,
    "skip-echo": check_skip_echo,
    "has-more": check_has_more,
    "total-pages": check_total_pages,
    "total-results": check_total_results,
}

CRAWL_CHECK_NAMES = (
    "crawl-total-stable",
    "crawl-duplicates",
    "crawl-count",
    "crawl-has-more",
    "crawl-sort-order",
    "crawl-same-sequence",
)

METAMORPHIC_CHECK_NAMES = (
    "metamorphic-filter-narrows",
    "metamorphic-status-union",
    "metamorphic-window-narrows",
    "metamorphic-sms-ignores-dialing-mode",
    "metamorphic-sort-reverse",
    "metamorphic-deterministic",
)

CheckFamily = Literal["pair", "crawl", "metamorphic"]


def check_names(family: CheckFamily | None = None) -> tuple[str, ...]:
    """The oracle check names, in report order; ``family`` restricts to one kind."""
    families: dict[str, tuple[str, ...]] = {
        "pair": tuple(PAIR_CHECKS),
        "crawl": CRAWL_CHECK_NAMES,
        "metamorphic": METAMORPHIC_CHECK_NAMES,
    }
    if family is None:
        return tuple(name for names in families.values() for name in names)
    return families[family]


def check_pair(
    request: Any,
    response: Any,
    campaign_type: CampaignType | None = None,
    *,
    status_code: int | None = None,
    checks: Iterable[str] | None = None,
) -> list[Violation]:
    """Judge one request/response pair semantically; pointers point into the response body.

    Only a success (2xx, or ``status_code`` not given) with a ``data`` object is judged;
    whatever cannot be read is skipped, since schema validation reports it. The expected
    campaign type is the request's ``type``, else ``campaign_type``, else detected from the
    results. ``checks`` restricts the run to those names of :data:`PAIR_CHECKS`.
    """
    wanted = (
        set(PAIR_CHECKS) if checks is None else {checks} if isinstance(checks, str) else set(checks)
    )
    unknown = sorted(wanted - set(PAIR_CHECKS))
    if unknown:
        raise ValueError(
            f"unknown check name(s): {', '.join(unknown)}; known: {', '.join(PAIR_CHECKS)}"
        )
    if status_code is not None and not 200 <= status_code < 300:
        return []
    ctx = read_pair(request, response, campaign_type)
    if ctx is None:
        return []
    return [
        violation
        for name, check in PAIR_CHECKS.items()
        if name in wanted
        for violation in check(ctx)
    ]
