"""Invariants of a full crawl (every page until ``hasMore`` is false) and of two listings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from campaign_contract._text import plural
from campaign_contract.oracles._common import (
    campaign_id,
    field_of,
    first_int,
    identity,
    listing_items,
    show,
    show_ids,
    whole,
)
from campaign_contract.oracles._registry import register
from campaign_contract.oracles._sorting import (
    Break,
    Groups,
    SortSpec,
    describe,
    first_group_difference,
    fitting_orders,
    sort_breaks,
    sort_permutations,
    sort_spec,
    tie_groups,
)
from campaign_contract.validation._validators import results_of
from campaign_contract.validation._violations import Violation, pointer

CRAWL = "crawl"
"""The suite check that walks a listing and reports the crawl invariants below."""


def _invariant(
    name: str,
) -> Callable[[Callable[..., Iterable[Violation]]], Callable[..., list[Violation]]]:
    """Register a crawl invariant, judged and reported as part of the suite check ``crawl``."""
    return register(name, family="pagination", kind="crawl", part_of=CRAWL)


def check_crawl(request: Any, pages: Sequence[Any]) -> list[Violation]:
    """Judge the response bodies of one crawl, in the order they were fetched.

    Pointers point into the list of pages: ``/2/data/results/0`` is the first result of the
    third page. ``request`` supplies the sortBy whose order must hold across page boundaries.
    """
    pages = list(pages)
    if not pages:
        return []
    return [
        *_total_stable(pages),
        *_duplicates(pages),
        *_count(pages),
        *_has_more(pages),
        *_boundaries(request, pages),
    ]


@_invariant("crawl-total-stable")
def _total_stable(pages: list[Any]) -> Iterator[Violation]:
    totals = [whole(field_of(page, "totalResults")) for page in pages]
    first = first_int(totals)
    for index, total in enumerate(totals):
        if total is not None and first is not None and total != first:
            yield Violation(
                pointer(index, "data", "totalResults"),
                f"totalResults was {first} on the first page and is {total} on page {index}",
            )


def _first_sightings(pages: list[Any]) -> Iterator[tuple[Any, int, int, tuple[int, int] | None]]:
    """``(id, page, index, where it was first seen or None)`` for every identified result."""
    seen: dict[Any, tuple[int, int]] = {}
    for page_index, page in enumerate(pages):
        for index, item in enumerate(results_of(page)):
            found = campaign_id(item) if isinstance(item, dict) else None
            if found is None:
                continue
            yield found, page_index, index, seen.get(found)
            seen.setdefault(found, (page_index, index))


@_invariant("crawl-duplicates")
def _duplicates(pages: list[Any]) -> Iterator[Violation]:
    for found, page_index, index, first in _first_sightings(pages):
        if first is not None:
            yield Violation(
                pointer(page_index, "data", "results", index),
                f"campaign {found} appears again on page {page_index} (first seen on page "
                f"{first[0]} at position {first[1]})",
            )


@_invariant("crawl-count")
def _count(pages: list[Any]) -> Iterator[Violation]:
    items = [item for page in pages for item in results_of(page)]
    identified = {campaign_id(item) for item in items if isinstance(item, dict)} - {None}
    unidentified = sum(
        1 for item in items if not isinstance(item, dict) or campaign_id(item) is None
    )
    total = first_int([field_of(page, "totalResults") for page in pages])
    distinct = len(identified) + unidentified
    if total is not None and distinct != total:
        gap = f"{total - distinct} missing" if distinct < total else f"{distinct - total} too many"
        yield Violation(
            pointer(0, "data", "totalResults"),
            f"walking {plural(len(pages), 'page')} until hasMore was false found {distinct} "
            f"distinct campaigns; totalResults is {total} ({gap})",
        )


@_invariant("crawl-has-more")
def _has_more(pages: list[Any]) -> Iterator[Violation]:
    last = len(pages) - 1
    for index, page in enumerate(pages):
        flag = field_of(page, "hasMore")
        if index == last and flag is True:
            yield Violation(
                pointer(index, "data", "hasMore"),
                f"the crawl ended on page {index} (its last) but hasMore is still true",
            )
        elif index < last and flag is False:
            yield Violation(
                pointer(index, "data", "hasMore"),
                f"hasMore is false on page {index}, yet the crawl has "
                f"{plural(last - index, 'page')} after it",
            )


@_invariant("crawl-sort-order")
def _boundaries(request: Any, pages: list[Any]) -> Iterator[Violation]:
    """The order across page boundaries, under one priority order of the keys (S-07).

    A server applies the keys in one fixed priority throughout a crawl: the order chosen is
    the first, body order first, that every page fits and that leaves the fewest boundaries
    broken. A page that fits only other orders is reported too; a page that fits none is the
    pair check ``sort-order``'s to report.
    """
    spec = sort_spec(request)
    if not spec:
        return
    items: list[Any] = []
    where: list[tuple[int, int]] = []
    starts: list[int] = []
    page_fits: list[list[SortSpec]] = []
    for page_index, page in enumerate(pages):
        results = results_of(page)
        if results and items:
            starts.append(len(items))
        items.extend(results)
        where.extend((page_index, index) for index in range(len(results)))
        page_fits.append(fitting_orders(results, spec))
    order, strays, breaks = _crawl_order(items, spec, starts, page_fits)
    chosen = f" (keys taken in the priority {describe(order)})" if order != spec else ""
    for found in breaks:
        (before_page, _), (page_index, index) = where[found.index - 1], where[found.index]
        before, after = items[found.index - 1], items[found.index]
        yield Violation(
            pointer(page_index, "data", "results", index, found.field),
            f"sortBy {describe(spec)} asked; the last result of page {before_page} and the "
            f"first of page {page_index} are out of order by {found.field}: "
            f"{show(before.get(found.field))} then {show(after.get(found.field))}{chosen}",
        )
    for page_index in strays:
        fits = " or ".join(describe(fit) for fit in page_fits[page_index])
        yield Violation(
            pointer(page_index, "data", "results"),
            f"sortBy {describe(spec)} asked; page {page_index} is in order only with the keys "
            f"taken as {fits}, the rest of the crawl as {describe(order)}: one crawl must "
            "apply one priority of the keys throughout",
        )


def _crawl_order(
    items: list[Any], spec: SortSpec, starts: list[int], page_fits: list[list[SortSpec]]
) -> tuple[SortSpec, list[int], list[Break]]:
    """The priority order explaining the crawl best: ``(order, pages that fit only other
    orders, boundaries it breaks)``, preferring fewer such pages, then fewer breaks."""
    best: tuple[tuple[int, int], SortSpec, list[int], list[Break]] | None = None
    for order in sort_permutations(spec):
        strays = [i for i, fits in enumerate(page_fits) if fits and order not in fits]
        _, breaks = sort_breaks(items, order, pairs=starts)
        score = (len(strays), len(breaks))
        if best is None or score < best[0]:
            best = (score, order, strays, breaks)
        if score == (0, 0):
            break
    assert best is not None
    return best[1], best[2], best[3]


@register("crawl-same-sequence", family="pagination", kind="crawl")
def check_same_sequence(
    a: Any,
    b: Any,
    label: str,
    *,
    request: Any = None,
    check: str = "",
) -> list[Violation]:
    """Two listings of the same query agree: as multisets always, and in order where sorted.

    ``a`` and ``b`` are complete listings: crawls (lists of response bodies), lists of
    campaigns, or lists of bare ids. Without a usable sortBy in ``request`` the server's order
    is unspecified and only the multisets are compared. With one, the order is compared on the
    sort keys: campaigns the keys leave tied (S-07) may come in any order, so an id order is
    enforced only where the keys tell every campaign apart. Bare ids carry no keys and are
    compared as multisets. Pointers index positions in ``b``; ``label`` starts each message;
    ``check`` names the registered check a caller reports the comparison under (by default
    ``crawl-same-sequence``).
    """
    items_a, items_b = listing_items(a), listing_items(b)
    difference = multiset_difference(items_a, items_b)
    if difference is not None:
        return [Violation("", f"{label}: {difference}", check)]
    spec = sort_spec(request)
    if not spec:
        return []
    parted = order_difference(tie_groups(items_a, spec), tie_groups(items_b, spec))
    if parted is None:
        return []
    position, ids_a, ids_b = parted
    return [
        Violation(
            pointer(position),
            f"{label}: same campaigns, but under sortBy {describe(spec)} the order differs "
            f"from position {position}: {ids_a} in the first listing, {ids_b} in the second",
            check,
        )
    ]


def multiset_difference(first: Sequence[Any], second: Sequence[Any]) -> str | None:
    """How the second list of campaigns differs from the first as a multiset; ``None`` if not."""
    count_first = Counter(identity(item) for item in first)
    count_second = Counter(identity(item) for item in second)
    if count_first == count_second:
        return None
    return set_difference(count_first, count_second)


def order_difference(expected: Groups, actual: Groups) -> tuple[int, str, str] | None:
    """Where two tie-group sequences first part: ``(position in actual, ids expected there,
    ids found there)``; ``None`` when they agree."""
    difference = first_group_difference(expected, actual)
    if difference is None:
        return None
    group, position = difference
    return position, show_ids(expected[group][1]), show_ids(actual[group][1])


def set_difference(first: Counter[Any], second: Counter[Any]) -> str:
    """How the second multiset of campaigns differs from the first, for a message."""
    parts = []
    lacking, adding = first - second, second - first
    if lacking:
        parts.append(f"the second listing lacks {show_ids(lacking)}")
    if adding:
        parts.append(f"the second listing has {show_ids(adding)} that the first lacks")
    return "; ".join(parts)
