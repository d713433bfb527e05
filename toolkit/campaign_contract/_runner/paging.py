"""Paging checks with fixed requests, and the paging choices the page leaves to the server.

What the page does not settle is recorded as an observation (SPEC_NOTES S-14, S-15, S-20),
never failed; what it does settle (S-26: skipping past the end) is checked.
"""

from __future__ import annotations

from typing import Any

from .._oracles._common import field_of, whole
from .._validate import results_of
from .contract import Contract

NOT_PAGE_CHECKS = frozenset(
    {
        "result-type",
        "filter-status",
        "filter-priority",
        "filter-dialing-mode",
        "filter-date-window",
        "sort-order",
    }
)
"""Pair checks judged by the filter and sort families rather than as page invariants."""
TYPES = ("voice", "sms")


def _total(contract: Contract, campaign_type: str) -> int:
    __tracebackhide__ = True
    body = {"type": campaign_type, "limit": 1}
    exchange = contract.judged(body)
    total = whole(field_of(exchange.response_body, "totalResults"))
    if total is None:
        contract.fail("the answer has no whole totalResults", exchange)
    return total


def skip_past_end(contract: Contract) -> None:
    """Skipping past the last campaign gives an empty page with hasMore false (S-26)."""
    __tracebackhide__ = True
    for kind in TYPES:
        total = _total(contract, kind)
        for skip in (total, total + 5):
            body = {"type": kind, "skip": skip, "limit": 5}
            exchange = contract.judged(body)
            doc = exchange.response_body
            if results_of(doc) or field_of(doc, "hasMore") is not False:
                contract.fail(
                    f"skip {skip} with totalResults {total} must give an empty page with "
                    "hasMore false (S-26)",
                    exchange,
                )


def observe_skip_page_precedence(contract: Contract) -> None:
    """Which of skip and page the server follows when both are given (S-14)."""
    __tracebackhide__ = True
    body = {"type": "voice", "skip": 2, "page": 3, "limit": 4}
    exchange = contract.judged(body)
    echoed = whole(field_of(exchange.response_body, "skip"))
    readings = {2: "skip wins", 8: "page wins", 10: "skip and page add up"}
    reading = readings.get(echoed, "unclear") if echoed is not None else "no data.skip"
    contract.observe(
        "S-14",
        f"with skip 2, page 3, limit 4 the server answered data.skip {echoed}: {reading}",
        exchange=exchange,
    )


def observe_default_limit(contract: Contract) -> None:
    """The page size the server applies when no limit is asked for (S-15)."""
    __tracebackhide__ = True
    body = {"type": "voice"}
    exchange = contract.judged(body)
    applied: Any = field_of(exchange.response_body, "limit")
    size = len(results_of(exchange.response_body))
    contract.observe(
        "S-15",
        f"without limit the server applied data.limit {applied} ({size} results on the page)",
        exchange=exchange,
    )


EDGE_VALUES: tuple[tuple[str, Any], ...] = (
    ("page", 0),
    ("limit", 0),
    ("skip", 1.5),
    ("page", 1.5),
    ("limit", 2.5),
)


def observe_edge_values(contract: Contract) -> None:
    """page 0, limit 0 and fractions: the page says nothing; record the answers (S-20)."""
    __tracebackhide__ = True
    for name, value in EDGE_VALUES:
        body = {"type": "voice", name: value}
        exchange = contract.post(body)
        applied = field_of(exchange.response_body, "limit") if exchange.status < 300 else None
        extra = f" (data.limit {applied})" if applied is not None else ""
        contract.observe(
            "S-20", f"{name} {value} answered HTTP {exchange.status}{extra}", exchange=exchange
        )
