"""Paging checks with fixed requests, and the paging choices the page leaves to the server.

What the page does not settle is recorded as an observation (SPEC_NOTES S-14, S-15, S-20),
never failed; what it does settle (S-26: skipping past the end) is checked.
"""

from __future__ import annotations

from typing import Any

from campaign_contract.checks._crawl import bounded, crawl, crawl_findings, moved
from campaign_contract.harness._contract import Compared, Contract
from campaign_contract.oracles import check_same_sequence
from campaign_contract.oracles._common import field_of, whole
from campaign_contract.oracles._registry import REGISTRY, declare
from campaign_contract.validation._validators import results_of

PAGE_CHECKS = REGISTRY.names("pair", "pagination")
"""The page invariants: the pair checks of the pagination family, each a row of its own."""
SKIP_VS_PAGE = declare("crawl-skip-vs-page", family="pagination").name
declare("skip-past-end", family="pagination")
declare("page-edges", family="pagination")
for _name in ("skip-and-page-together", "default-limit"):
    declare(_name, family="pagination", observation=True)
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
    """Skipping past the last campaign gives an empty page with hasMore false (S-26); the
    pages of one campaign just before the end, reached by skip, pass every pair check (the
    last but one still has more; the last has not), whatever the tenant's size.

    A 4xx for a skip past the end is recorded (the page is silent); a 5xx fails.
    """
    __tracebackhide__ = True
    for kind in contract.within_share(TYPES):
        total = _total(contract, kind)
        for skip in range(max(0, total - 2), total):
            contract.judged({"type": kind, "skip": skip, "limit": 1})
        for skip in (total, total + 5):
            body = {"type": kind, "skip": skip, "limit": 5}
            exchange = contract.post(body)
            if not exchange.succeeded:
                what = "a skip at the end of the listing" if skip == total else "a skip past it"
                contract.observe_answer("S-26", what, exchange)
                continue
            contract.expect_ok(body, exchange)
            contract.judge(body, exchange)
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
    """page 0, limit 0 and fractions: the page says nothing; record the answers (S-20); a 5xx
    fails."""
    __tracebackhide__ = True
    for name, value in contract.within_share(EDGE_VALUES):
        body = {"type": "voice", name: value}
        exchange = contract.post(body)
        applied = field_of(exchange.response_body, "limit") if exchange.status < 300 else None
        extra = f" (data.limit {applied})" if applied is not None else ""
        contract.observe_answer(
            "S-20",
            f"{name} {value}",
            exchange,
            message=f"{name} {value} answered HTTP {exchange.status}{extra}",
        )


FAR = 1_000_000
PAGE_EDGES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("limit 500", "S-15", {"type": "voice", "limit": 500}),
    ("limit 10,000", "S-15", {"type": "voice", "limit": 10_000}),
    (f"skip {FAR:,} (far past the end)", "S-26", {"type": "voice", "skip": FAR, "limit": 5}),
    (f"page {FAR:,}", "S-20", {"type": "voice", "page": FAR, "limit": 5}),
)
"""Valid requests at the edges the page leaves open (it sets no maximum limit, skip or page),
each with its SPEC_NOTES entry."""


def probe_page_edges(contract: Contract) -> None:
    """A large limit, a skip far past the end and a very large page are valid requests: what
    the server does with them (a capped page, a 4xx) is an observation (S-15, S-26, S-20); a
    5xx fails, and a 2xx page is judged like any other (S-31)."""
    __tracebackhide__ = True
    for what, note, body in PAGE_EDGES:
        exchange = contract.post(body)
        if not exchange.succeeded:
            contract.observe_answer(note, what, exchange)
            continue
        contract.expect_ok(body, exchange)
        doc = exchange.response_body
        applied = field_of(doc, "limit")
        size = len(results_of(doc))
        contract.observe(
            note,
            f"{what} answered HTTP {exchange.status}: data.limit {applied}, {size} results",
            exchange=exchange,
        )
        contract.judge(body, exchange)


def same_sequence(contract: Contract, body: dict[str, Any], sizes: list[int]) -> None:
    """Crawls with two page sizes list the same campaigns in the same order."""
    __tracebackhide__ = True
    body = bounded(contract, body, limit=min(sizes))

    def compare() -> Compared:
        first, second = (crawl(contract, body, limit=size) for size in sizes)
        label = f"crawls with limit {sizes[0]} and {sizes[1]}"
        found = check_same_sequence(first.pages, second.pages, label, request=body)
        return Compared(found, drift=moved(first, second))

    contract.stable(compare)


def skip_vs_page(contract: Contract, body: dict[str, Any], limit: int) -> None:
    """A skip-based and a page-based crawl list the same campaigns in the same order."""
    __tracebackhide__ = True
    body = bounded(contract, body, limit=limit)

    def compare() -> Compared:
        by_skip = crawl(contract, body, limit=limit, mode="skip")
        by_page = crawl(contract, body, limit=limit, mode="page")
        findings = crawl_findings(by_page)
        if findings.errors:
            return findings
        label = f"skip-based and page-based crawls (limit {limit})"
        found = check_same_sequence(
            by_skip.pages, by_page.pages, label, request=body, check=SKIP_VS_PAGE
        )
        return Compared(found, drift=moved(by_skip, by_page))

    contract.stable(compare)
