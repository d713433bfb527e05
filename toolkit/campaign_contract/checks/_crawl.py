"""Walking every page of a listing, judging each page on the way.

A crawl sends the same request with ``skip`` (``mode="skip"``) or ``page`` (``mode="page"``)
advancing and a fixed ``limit``, until ``hasMore`` is false. Every page is judged with the
pair checks; the crawl as a whole is left to the crawl oracles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from campaign_contract.client._exchange import Exchange
from campaign_contract.harness._contract import Compared, Contract
from campaign_contract.oracles import check_crawl
from campaign_contract.oracles._common import campaign_id, field_of, whole
from campaign_contract.oracles._crawl import CRAWL
from campaign_contract.oracles._registry import declare
from campaign_contract.validation._validators import results_of

Mode = Literal["skip", "page"]
PAGING = ("skip", "page", "limit")
MAX_PAGES = 60
"""The most pages one crawl fetches, whatever totalResults says."""
FIT_PAGES = 12
"""A crawl whose first page shows it would need more pages than this starts again with a
page size that fits (a long listing is walked in bigger pages)."""
LISTING_LIMIT = 100
declare(CRAWL, family="pagination")


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
    skip_if_long: bool = True,
) -> Crawl:
    """Fetch pages of ``body`` until ``hasMore`` is false (or the pages run out).

    Each page must answer 2xx and, with ``judge``, pass every pair check; a failure stops the
    check with the page's reproduction. The limit asked for is never above
    :data:`LISTING_LIMIT` (S-15). When the first page shows the walk would need more than
    ``fit_pages`` pages and the server honoured the limit, the walk starts again with a page
    size that fits. The page count is capped at what ``totalResults`` calls for, in pages of
    the size the server actually used, plus two, so a server that never says ``hasMore:
    false`` still ends the walk; the crawl oracles then report it. A listing too long to walk
    within :data:`MAX_PAGES` skips the check (with ``skip_if_long``) or is left incomplete.
    """
    __tracebackhide__ = True
    walk = Crawl(base_request(body), min(limit, LISTING_LIMIT), mode)
    cap = MAX_PAGES
    while len(walk.exchanges) < cap:
        request = walk.next_request()
        exchange = contract.post(request)
        if not 200 <= exchange.status < 300:
            contract.set_aside_if_s06(request, exchange)
            contract.fail(
                f"crawl: page {len(walk.exchanges)} of a documented-valid request answered "
                f"HTTP {exchange.status}",
                exchange,
            )
        walk.exchanges.append(exchange)
        if judge:
            contract.judge(request, exchange)
        if len(walk.exchanges) == 1:
            doc = exchange.response_body
            total = whole(field_of(doc, "totalResults"))
            size = page_size(doc, walk.limit)
            if total is not None and size == walk.limit and math.ceil(total / size) > fit_pages:
                wider = min(LISTING_LIMIT, math.ceil(total / fit_pages))
                if wider > walk.limit:
                    walk = Crawl(walk.request, wider, mode)
                    continue
            if total is not None:
                needed = math.ceil(total / size)
                if needed > MAX_PAGES and skip_if_long:
                    pytest.skip(
                        f"the listing holds {total} campaigns in pages of {size}: more than "
                        f"{MAX_PAGES} pages to walk"
                    )
                cap = min(MAX_PAGES, needed + 2)
        if field_of(exchange.response_body, "hasMore") is not True:
            walk.complete = True
            break
        if not results_of(exchange.response_body):
            break
    return walk


def page_size(doc: Any, asked: int) -> int:
    """The page size the server used: the length of a full first page (``hasMore`` true),
    else a positive whole ``data.limit`` no larger than asked, else the size asked for."""
    results = results_of(doc)
    if field_of(doc, "hasMore") is True and results:
        return len(results)
    applied = whole(field_of(doc, "limit"))
    if applied is not None and 0 < applied <= asked:
        return applied
    return asked


def moved(*walks: Crawl) -> bool:
    """True when the pages of ``walks`` do not all state one totalResults: the listing may
    have changed between the requests (a live tenant)."""
    stated = {whole(field_of(page, "totalResults")) for w in walks for page in w.pages}
    return len(stated - {None}) > 1


def crawl_findings(walk: Crawl) -> Compared:
    """The crawl invariants ``walk`` breaks, the page to reproduce the first with, and the
    failure's headline (pointers index the pages); drift when totalResults moved."""
    errors = [v for v in check_crawl(walk.request, walk.pages) if v.severity == "error"]
    if not errors:
        return Compared()
    page = _page_of(errors[0].pointer)
    exchange = walk.exchanges[page] if 0 <= page < len(walk.exchanges) else None
    what = (
        f"crawl of {len(walk.pages)} pages ({walk.mode}-based, limit {walk.limit}): "
        f"{errors[0].message}"
    )
    return Compared(errors, exchange, what, drift=moved(walk))


def walked(contract: Contract, body: dict[str, Any], *, limit: int, mode: Mode = "skip") -> Crawl:
    """A crawl judged on the crawl invariants, walked once more before failing when its
    totalResults moved: a live listing may change during a walk (:meth:`Contract.stable`)."""
    __tracebackhide__ = True
    walks: list[Crawl] = []

    def attempt() -> Compared:
        walks.append(crawl(contract, body, limit=limit, mode=mode))
        return crawl_findings(walks[-1])

    contract.stable(attempt)
    return walks[-1]


def _page_of(pointer: str) -> int:
    head = pointer.lstrip("/").split("/", 1)[0]
    return int(head) if head.isascii() and head.isdigit() else 0


def listing(contract: Contract, campaign_type: str, *, fresh: bool = False) -> Crawl:
    """Every campaign of ``campaign_type`` (cached for the session unless ``fresh``), unjudged."""
    key = f"listing:{campaign_type}"
    found = contract.cache.get(key)
    if isinstance(found, Crawl) and not fresh:
        return found
    walk = crawl(
        contract, {"type": campaign_type}, limit=LISTING_LIMIT, judge=False, skip_if_long=False
    )
    contract.cache[key] = walk
    return walk
