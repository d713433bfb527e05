"""Pair checks on one page's order and paging figures (SPEC_NOTES S-07, S-14, S-15, S-18, S-19,
S-26, S-31)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator

from campaign_contract.oracles._common import show
from campaign_contract.oracles._context import PairContext
from campaign_contract.oracles._registry import register
from campaign_contract.oracles._sorting import DIRECTIONS, SORT_FIELDS, best_fit, describe
from campaign_contract.validation._violations import Violation, pointer

Check = Callable[[PairContext], Iterator[Violation]]
SORT_CASES = tuple(f"{field}-{direction}" for field in SORT_FIELDS for direction in DIRECTIONS)
"""Every sort key with every direction: one row of the suite's ``sort-order`` each."""


def _listed(check: Check) -> Check:
    """Run ``check`` only on pages whose ``data.results`` is a list."""

    @functools.wraps(check)
    def judged(ctx: PairContext) -> Iterator[Violation]:
        if ctx.results_listed:
            yield from check(ctx)

    return judged


def _either(values: Iterable[int]) -> str:
    """``2 or 3``: the values a figure may take, for a message."""
    return " or ".join(str(value) for value in values)


@register("sort-order", family="sorting", kind="pair", variants=SORT_CASES)
def check_sort_order(ctx: PairContext) -> Iterator[Violation]:
    """Results follow sortBy: the keys in some fixed priority order, each in its requested
    direction; names by any accepted collation where the collations decide (S-07)."""
    if not ctx.sort:
        return
    fit = best_fit(ctx.results, ctx.sort)
    names = any(field == "name" for field, _ in ctx.sort)
    notes = []
    if len(ctx.sort) > 1:
        notes.append(f"no priority order of the keys fits; closest {describe(fit.order)}")
    if names:
        notes.append(f"names compared by {fit.collation.label}, the closest accepted collation")
    note = f" ({'; '.join(notes)})" if notes else ""
    for found in fit.breaks:
        before, after = ctx.results[found.index - 1], ctx.results[found.index]
        yield Violation(
            pointer("data", "results", found.index, found.field),
            f"sortBy {describe(ctx.sort)} asked; results {found.index - 1} and {found.index} "
            f"are out of order by {found.field}: {show(before.get(found.field))} then "
            f"{show(after.get(found.field))}{note}",
        )


def _asked(ctx: PairContext) -> str:
    raw = {name: ctx.request.get(name) for name in ("skip", "page", "limit")}
    shown = [f"{name} {show(value)}" for name, value in raw.items() if value is not None]
    return ", ".join(shown) if shown else "no skip, page or limit"


@register("page-size", family="pagination", kind="pair")
@_listed
def check_page_size(ctx: PairContext) -> Iterator[Violation]:
    """A page holds at most ``data.limit`` results (at most the requested limit without it).

    ``data.limit`` 0 when no limit was asked for reads as "no limit" (S-31): no bound then.
    """
    applied = ctx.figure("limit")
    bound: int | None
    if applied is not None and not (applied == 0 and ctx.limit is None):
        bound, said = applied, f"data.limit is {applied}"
    else:
        bound, said = ctx.limit, f"limit {ctx.limit} asked"
    size = len(ctx.results)
    if bound is not None and size > bound:
        yield Violation(pointer("data", "results", bound), f"{said}; the page holds {size} results")


@register("page-fill", family="pagination", kind="pair")
@_listed
def check_page_fill(ctx: PairContext) -> Iterator[Violation]:
    """A page is full unless the listing ends on it: min(data.limit, totalResults - data.skip).
    With no page size to hold it to (``data.limit`` 0, S-31), a page past which matches remain
    still holds at least one, for a request that asked no limit or a positive one: a client
    could not page through an empty one."""
    skip, applied, total = ctx.figure("skip"), ctx.figure("limit"), ctx.figure("totalResults")
    if skip is None or total is None:
        return
    if applied is None or applied < 1:
        asked = ctx.sent is not None and "limit" not in ctx.unjudgeable
        if asked and not ctx.results and total > skip:
            yield Violation(
                pointer("data", "results"),
                f"the page is empty, though totalResults {total} lies past data.skip {skip} "
                f"(data.limit {applied}): no page size lets a client page through it",
            )
        return
    expected = max(0, min(applied, total - skip))
    if len(ctx.results) < expected:
        yield Violation(
            pointer("data", "results"),
            f"data.skip {skip}, data.limit {applied} and totalResults {total} call for "
            f"{expected} results; the page holds {len(ctx.results)}",
        )


@register("limit-echo", family="pagination", kind="pair")
def check_limit_echo(ctx: PairContext) -> Iterator[Violation]:
    """``data.limit`` does not exceed a requested limit (S-15; default and maximum unknown)."""
    applied = ctx.figure("limit")
    if ctx.limit is not None and applied is not None and applied > ctx.limit:
        yield Violation(
            pointer("data", "limit"),
            f"limit {ctx.limit} asked; data.limit is {applied}",
        )


def skip_readings(ctx: PairContext) -> set[int] | None:
    """Every ``data.skip`` S-14 allows: skip, (page-1)*limit, skip+(page-1)*limit, and each of
    them capped at ``totalResults`` (the records actually skipped, S-26).

    ``None`` when the request's paging cannot be judged (S-20).
    """
    if {"skip", "page"} & ctx.unjudgeable:
        return None
    skip = ctx.skip or 0
    readings = {skip}
    if ctx.page is not None:
        sizes = ctx.page_sizes()
        if ctx.page > 1 and not sizes:
            return None
        for size in sizes:
            readings |= {(ctx.page - 1) * size, skip + (ctx.page - 1) * size}
    total = ctx.figure("totalResults")
    if total is not None and total >= 0:
        readings |= {min(reading, total) for reading in readings}
    return readings


@register("skip-echo", family="pagination", kind="pair")
def check_skip_echo(ctx: PairContext) -> Iterator[Violation]:
    """``data.skip`` is one of the readings of the request's skip and page (S-14)."""
    echoed = ctx.figure("skip")
    readings = skip_readings(ctx)
    if echoed is None or readings is None or echoed in readings:
        return
    yield Violation(
        pointer("data", "skip"),
        f"{_asked(ctx)} asked; data.skip is {echoed}, expected {_either(sorted(readings))}",
    )


@register("has-more", family="pagination", kind="pair")
@_listed
def check_has_more(ctx: PairContext) -> Iterator[Violation]:
    """``hasMore`` equals ``data.skip + len(results) < totalResults`` (S-19, S-26)."""
    flag = ctx.data.get("hasMore")
    skip, total = ctx.figure("skip"), ctx.figure("totalResults")
    if not isinstance(flag, bool) or skip is None or total is None:
        return
    size = len(ctx.results)
    expected = skip + size < total
    if flag != expected:
        relation = "<" if expected else ">="
        yield Violation(
            pointer("data", "hasMore"),
            f"data.skip {skip} + {size} results {relation} totalResults {total}, so hasMore "
            f"should be {str(expected).lower()}; it is {str(flag).lower()}",
        )


@register("total-pages", family="pagination", kind="pair")
def check_total_pages(ctx: PairContext) -> Iterator[Violation]:
    """``totalPages`` is ceil(totalResults / page size); 0 or 1 when nothing matches (S-18).

    Without a requested limit, ``data.limit`` equal to the count on the last page may be that
    count rather than the page size (S-31): the page size is unknown then, and not judged.
    """
    pages, total = ctx.figure("totalPages"), ctx.figure("totalResults")
    if pages is None or total is None or total < 0:
        return
    if total == 0:
        expected = {0, 1}
        basis = "nothing matches"
    else:
        sizes = ctx.page_sizes()
        if not sizes or _counts_the_last_page(ctx):
            return
        expected = {math.ceil(total / size) for size in sizes}
        basis = f"totalResults {total} in pages of {_either(sizes)}"
    if pages not in expected:
        yield Violation(
            pointer("data", "totalPages"),
            f"{basis}, so totalPages should be {_either(sorted(expected))}; it is {pages}",
        )


def _counts_the_last_page(ctx: PairContext) -> bool:
    """No limit asked and ``data.limit`` equals the count of results on the listing's last page."""
    applied, skip, total = ctx.figure("limit"), ctx.figure("skip"), ctx.figure("totalResults")
    if ctx.limit is not None or not ctx.results_listed or applied != len(ctx.results):
        return False
    if skip is not None and total is not None:
        return skip + len(ctx.results) >= total
    return ctx.data.get("hasMore") is False


@register("total-results", family="pagination", kind="pair")
@_listed
def check_total_results(ctx: PairContext) -> Iterator[Violation]:
    """``totalResults`` counts at least the campaigns this page shows and skipped."""
    total = ctx.figure("totalResults")
    size = len(ctx.results)
    if total is None or size == 0:
        return
    skip = ctx.figure("skip")
    least = (skip or 0) + size
    if total < least:
        shown = f"results {skip or 0}..{least - 1}" if skip is not None else f"{size} results"
        yield Violation(
            pointer("data", "totalResults"),
            f"the page holds {shown} of the listing; totalResults is {total}",
        )
