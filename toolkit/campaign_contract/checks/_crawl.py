"""Walking every page of a listing, judging each page on the way.

A crawl sends the same request with ``skip`` (``mode="skip"``) or ``page`` (``mode="page"``)
advancing and a fixed ``limit``, until ``hasMore`` is false. Every page is judged with the
pair checks; the crawl as a whole is left to the crawl oracles.

Cost must not grow with the tenant. In the live profile a walk that would take more than
:data:`LIVE_PAGES` pages is narrowed first (:func:`bounded`): to a small date window located in
the createdAt-sorted listing by one request at a ``skip`` in its middle (:func:`small_window`),
so the walk stays complete however large the tenant. The listing the checks draw their data
from (:func:`listing`) is at most :data:`UNIVERSE_PAGES` pages, and says so when it is a sample.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

import pytest

from campaign_contract.client._exchange import Exchange
from campaign_contract.generation._model import request_model
from campaign_contract.generation._strategies import format_timestamp
from campaign_contract.harness._contract import Compared, Contract, set_aside
from campaign_contract.oracles import check_crawl
from campaign_contract.oracles._common import campaign_id, field_of, instant, whole
from campaign_contract.oracles._crawl import CRAWL
from campaign_contract.oracles._registry import declare
from campaign_contract.validation._validators import results_of

Mode = Literal["skip", "page"]
T = TypeVar("T")
PAGING = ("skip", "page", "limit")
EPOCH = datetime.fromtimestamp(0, UTC)
MAX_PAGES = 60
"""The most pages one crawl fetches, whatever totalResults says."""
FIT_PAGES = 12
"""A crawl whose first page shows it would need more pages than this starts again with a
page size that fits (a long listing is walked in bigger pages)."""
LISTING_LIMIT = 100
LIVE_PAGES = 4
"""The most pages a walk takes in the live profile before it is narrowed to a small window."""
UNIVERSE_PAGES = 3
"""The most pages of the unfiltered listing fetched for the checks to draw data from."""
WINDOW_SIZE = 20
"""Campaigns (by createdAt) a small window spans."""
declare(CRAWL, family="pagination")


@dataclass
class Crawl:
    """The pages of one walk through a listing."""

    request: dict[str, Any]
    limit: int
    mode: Mode
    exchanges: list[Exchange] = field(default_factory=list)
    complete: bool = False
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, name: str, derive: Callable[[Crawl], T]) -> T:
        """``derive(self)``, computed once for this walk: what the checks build from a finished
        listing (a listing fetched anew is a new walk, derived anew)."""
        if name not in self._derived:
            self._derived[name] = derive(self)
        found: T = self._derived[name]
        return found

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


def served_limit(contract: Contract, limit: int) -> int:
    """``limit``, at most :data:`LISTING_LIMIT` and the largest the server serves (S-15): the
    one clamp of every page size the checks ask for."""
    return min(limit, LISTING_LIMIT, contract.largest_limit)


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
    max_pages: int = MAX_PAGES,
) -> Crawl:
    """Fetch pages of ``body`` until ``hasMore`` is false (or the pages run out).

    Each page must answer 2xx and, with ``judge``, pass every pair check; a failure stops the
    check with the page's reproduction. The limit asked for is never above
    :data:`LISTING_LIMIT` (S-15). When the first page shows the walk would need more than
    ``fit_pages`` pages and the server honoured the limit, the walk starts again with a page
    size that fits. The page count is capped at what ``totalResults`` calls for, in pages of
    the size the server actually used, plus two, so a server that never says ``hasMore:
    false`` still ends the walk; the crawl oracles then report it. A listing too long to walk
    within ``max_pages`` skips the check (with ``skip_if_long``, saying which cap it met) or is
    left incomplete.
    """
    __tracebackhide__ = True
    walk = Crawl(base_request(body), served_limit(contract, limit), mode)
    cap = max_pages
    while len(walk.exchanges) < cap:
        request = walk.next_request()
        exchange = contract.post(request)
        if not exchange.succeeded:
            reason = contract.allowed_refusal(request, exchange)
            if (
                reason is not None
                and not walk.exchanges
                and walk.limit > served_limit(contract, walk.limit)
            ):
                # the server refuses a limit this large (S-15): walk in pages it serves
                walk = Crawl(walk.request, served_limit(contract, walk.limit), mode)
                continue
            if reason is not None:
                set_aside(reason)
            contract.fail(
                f"crawl: page {len(walk.exchanges)} of a documented-valid request answered "
                f"{exchange.answer}",
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
                wider = served_limit(contract, math.ceil(total / fit_pages))
                if wider > walk.limit:
                    walk = Crawl(walk.request, wider, mode)
                    continue
            if total is not None:
                needed = math.ceil(total / size)
                if needed > max_pages and skip_if_long:
                    pytest.skip(
                        f"the listing holds {total} campaigns in pages of {size}: more than "
                        f"the cap of {max_pages} pages to walk"
                    )
                cap = min(max_pages, needed + 2)
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
    body = bounded(contract, body, limit=limit)

    def attempt() -> Compared:
        walks.append(crawl(contract, body, limit=limit, mode=mode))
        return crawl_findings(walks[-1])

    contract.stable(attempt)
    return walks[-1]


def _page_of(pointer: str) -> int:
    head = pointer.lstrip("/").split("/", 1)[0]
    return int(head) if head.isascii() and head.isdigit() else 0


def listing(contract: Contract, campaign_type: str, *, fresh: bool = False) -> Crawl:
    """The campaigns of ``campaign_type``, unjudged, fetched once per run unless ``fresh``:
    the whole listing when it fits in :data:`UNIVERSE_PAGES` pages of :data:`LISTING_LIMIT`
    (in the loopback profile :data:`MAX_PAGES`), else its first pages (``complete`` false)."""
    key = f"listing:{campaign_type}"
    found = contract.cache.get(key)
    if isinstance(found, Crawl) and not fresh:
        return found
    pages = UNIVERSE_PAGES if contract.live else MAX_PAGES
    if fresh:
        with contract.fresh():
            walk = _listing_walk(contract, campaign_type, pages)
    else:
        walk = _listing_walk(contract, campaign_type, pages)
    contract.cache[key] = walk
    return walk


def _listing_walk(contract: Contract, campaign_type: str, pages: int) -> Crawl:
    return crawl(
        contract,
        {"type": campaign_type},
        limit=LISTING_LIMIT,
        judge=False,
        skip_if_long=False,
        max_pages=pages,
    )


def small_window(contract: Contract, campaign_type: str) -> dict[str, str] | None:
    """A date window holding about :data:`WINDOW_SIZE` campaigns: the createdAt of the first
    and last campaign of one page of the createdAt-sorted listing at a ``skip`` in its middle
    (one request, cached for the run); ``None`` when the page gives no usable timestamps."""
    key = f"window:{campaign_type}"
    if key in contract.cache:
        found = contract.cache[key]
        return dict(found) if isinstance(found, dict) else None
    universe = listing(contract, campaign_type)
    total = whole(field_of(universe.pages[0], "totalResults")) if universe.pages else None
    middle = max(0, (total or 0) // 2 - WINDOW_SIZE // 2)
    body = {
        "type": campaign_type,
        "sortBy": {"createdAt": "asc", "name": "asc"},
        "limit": WINDOW_SIZE,
        "skip": middle,
    }
    exchange = contract.post(body)
    stamps = [
        request_bound(str(item["createdAt"]))
        for item in results_of(exchange.response_body)
        if isinstance(item, dict) and instant(item.get("createdAt")) is not None
    ]
    stamps.sort(key=lambda t: instant(t) or 0)
    window = {"startDate": stamps[0], "endDate": stamps[-1]} if len(stamps) > 1 else None
    contract.cache[key] = window
    return dict(window) if window is not None else None


def request_bound(stamp: str) -> str:
    """A response timestamp as a request may carry it (S-08): itself when it is a request
    timestamp already, else the same instant written in UTC as the samples write theirs (a
    server may write basic format, or a comma before the fraction: S-38)."""
    if request_model().date_pattern.match(stamp):
        return stamp
    moment = instant(stamp)
    assert moment is not None
    return written(moment)


def written(nanos: int, *, offset_minutes: int = 0) -> str:
    """An instant (epoch nanoseconds) as the samples write it (:func:`format_timestamp`):
    ``2025-12-04T10:30:00.000Z``; nanoseconds when it has them. With ``offset_minutes``, the
    same instant as local time at that offset from UTC (``2025-12-04T16:00:00.000+05:30``),
    which S-08 allows too."""
    seconds, fraction = divmod(nanos + offset_minutes * 60_000_000_000, 1_000_000_000)
    moment = EPOCH + timedelta(seconds=seconds, microseconds=fraction // 1000)
    if fraction % 1_000_000 == 0:
        text = format_timestamp(moment)
    else:
        text = format_timestamp(moment, millis=False)[:-1] + f".{fraction:09d}Z"
    if not offset_minutes:
        return text
    sign, minutes = ("+" if offset_minutes > 0 else "-"), abs(offset_minutes)
    return f"{text[:-1]}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def bounded(contract: Contract, body: dict[str, Any], *, limit: int) -> dict[str, Any]:
    """``body`` as it is, or, in the live profile when walking it in pages of ``limit`` would
    take more than :data:`LIVE_PAGES` pages and it has no date window, narrowed to
    :func:`small_window` so that the walk costs a few requests whatever the tenant's size.
    The first page asked for is the walk's own first page (answered again from the cache)."""
    __tracebackhide__ = True
    if not contract.live or body.get("startDate") or body.get("endDate"):
        return body
    size = served_limit(contract, limit)
    first = contract.post({**base_request(body), "limit": size, "skip": 0})
    if not first.succeeded:
        return body
    total = whole(field_of(first.response_body, "totalResults"))
    if total is None or math.ceil(total / size) <= LIVE_PAGES:
        return body
    window = small_window(contract, str(body.get("type")))
    return {**body, **window} if window else body
