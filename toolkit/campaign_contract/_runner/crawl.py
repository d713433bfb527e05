"""Walking every page of a listing, judging each page on the way.

A crawl sends the same request with ``skip`` (``mode="skip"``) or ``page`` (``mode="page"``)
advancing and a fixed ``limit``, until ``hasMore`` is false. Every page is judged with the
pair checks; the crawl as a whole is left to the crawl oracles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from .._exchange import Exchange
from .._oracles import check_crawl, check_pair
from .._oracles._common import campaign_id, field_of, whole
from .._validate import results_of
from .contract import Contract

Mode = Literal["skip", "page"]
PAGING = ("skip", "page", "limit")
MAX_PAGES = 60
"""The most pages one crawl fetches, whatever totalResults says."""
FIT_PAGES = 12
"""A crawl whose first page shows it would need more pages than this starts again with a
page size that fits (a long listing is walked in bigger pages)."""
LISTING_LIMIT = 100


@dataclass
class Crawl:
    """The pages of one walk through a listing."""

    request: dict[str, Any]
    limit: int
    mode: Mode
    exchanges: list[Exchange] = field(default_factory=list)
    complete: bool = False

    @property
    def pages(self) -> list[Any]:
        return [e.response_body for e in self.exchanges]

    @property
    def items(self) -> list[Any]:
        return [item for page in self.pages for item in results_of(page)]

    @property
    def ids(self) -> set[Any]:
        return {campaign_id(item) for item in self.items} - {None}

    def next_request(self) -> dict[str, Any]:
        """The body asking for the page after those fetched: ``skip`` advances by the campaigns
        received so far, ``page`` by one."""
        body = dict(self.request)
        body["limit"] = self.limit
        if self.mode == "skip":
            body["skip"] = len(self.items)
        else:
            body["page"] = len(self.exchanges) + 1
        return body


def base_request(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without its paging fields."""
    return {k: v for k, v in body.items() if k not in PAGING}


def crawl(
    contract: Contract,
    body: dict[str, Any],
    *,
    limit: int,
    mode: Mode = "skip",
    fit_pages: int = FIT_PAGES,
    judge: bool = True,
) -> Crawl:
    """Fetch pages of ``body`` until ``hasMore`` is false (or the pages run out).

    Each page must answer 2xx and, with ``judge``, pass every pair check; a failure stops the
    check with the page's reproduction. When the first page's ``totalResults`` calls for more
    than ``fit_pages`` pages, the walk starts again with a page size that fits. The page count
    is capped at what ``totalResults`` calls for plus two, so a server that never says
    ``hasMore: false`` still ends the walk; the crawl oracles then report it.
    """
    __tracebackhide__ = True
    walk = Crawl(base_request(body), limit, mode)
    cap = MAX_PAGES
    while len(walk.exchanges) < cap:
        request = walk.next_request()
        exchange = contract.post(request)
        if not 200 <= exchange.status < 300:
            contract.fail(
                f"crawl: page {len(walk.exchanges)} of a documented-valid request answered "
                f"HTTP {exchange.status}",
                exchange,
            )
        walk.exchanges.append(exchange)
        if judge:
            contract.require(
                check_pair(request, exchange.response_body, status_code=exchange.status),
                exchange,
            )
        if len(walk.exchanges) == 1:
            total = whole(field_of(exchange.response_body, "totalResults"))
            if total is not None and math.ceil(total / walk.limit) > fit_pages:
                walk = Crawl(walk.request, math.ceil(total / fit_pages), mode)
                continue
            if total is not None:
                cap = min(MAX_PAGES, math.ceil(total / walk.limit) + 2)
        if field_of(exchange.response_body, "hasMore") is not True:
            walk.complete = True
            break
        if not results_of(exchange.response_body):
            break
    return walk


def judge_crawl(contract: Contract, walk: Crawl) -> None:
    """Fail the check when the crawl breaks a crawl invariant (pointers index the pages)."""
    __tracebackhide__ = True
    violations = check_crawl(walk.request, walk.pages)
    errors = [v for v in violations if v.severity == "error"]
    if errors:
        page = _page_of(errors[0].pointer)
        exchange = walk.exchanges[page] if 0 <= page < len(walk.exchanges) else None
        contract.fail(
            f"crawl of {len(walk.pages)} pages ({walk.mode}-based, limit {walk.limit}): "
            f"{errors[0].message}",
            exchange,
            errors,
        )


def _page_of(pointer: str) -> int:
    head = pointer.lstrip("/").split("/", 1)[0]
    return int(head) if head.isdigit() else 0


def listing(contract: Contract, campaign_type: str) -> Crawl:
    """Every campaign of ``campaign_type`` (cached for the session), unjudged."""
    key = f"listing:{campaign_type}"
    found = contract.cache.get(key)
    if isinstance(found, Crawl):
        return found
    walk = crawl(contract, {"type": campaign_type}, limit=LISTING_LIMIT, judge=False)
    contract.cache[key] = walk
    return walk
