"""Pair checks on one page's order and paging figures (SPEC_NOTES S-07, S-14, S-15, S-18, S-19)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator

from .._violations import Violation, pointer
from ._common import show
from ._context import PairContext
from ._sorting import describe, sort_breaks

Check = Callable[[PairContext], Iterator[Violation]]


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


def check_sort_order(ctx: PairContext) -> Iterator[Violation]:
    """Results follow sortBy: keys in body order, names by any accepted collation (S-07)."""
    if not ctx.sort:
        return
    collation, breaks = sort_breaks(ctx.results, ctx.sort)
    names = any(field == "name" for field, _ in ctx.sort)
    note = (
        f" (names compared by {collation.label}, the closest accepted collation)" if names else ""
    )
    for found in breaks:
        before, after = ctx.results[found.index - 1], ctx.results[found.index]
        yield Violation(
            pointer("data", "results", found.index, found.field),
            f"sortBy {describe(ctx.sort)} asked; results {found.index - 1} and {found.index} "
            f"are out of order by {found.field}: {show(before.get(found.field))} then "
            f"{show(after.get(found.field))}{note}",
            "sort-order",
        )


def _asked(ctx: PairContext) -> str:
    raw = {name: ctx.request.get(name) for name in ("skip", "page", "limit")}
    shown = [f"{name} {show(value)}" for name, value in raw.items() if value is not None]
    return ", ".join(shown) if shown else "no skip, page or limit"


@_listed
def check_page_size(ctx: PairContext) -> Iterator[Violation]:
    """A page holds at most ``data.limit`` results (at most the requested limit without it)."""
    applied = ctx.figure("limit")
    bound: int | None
    if applied is not None:
        bound, said = applied, f"data.limit is {applied}"
    else:
        bound, said = ctx.limit, f"limit {ctx.limit} asked"
    size = len(ctx.results)
    if bound is not None and size > bound:
        yield Violation(
            pointer("data", "results", bound), f"{said}; the page holds {size} results", "page-size"
        )


@_listed
def check_page_fill(ctx: PairContext) -> Iterator[Violation]:
    """A page is full unless the listing ends on it: min(data.limit, totalResults - data.skip)."""
    skip, applied, total = ctx.figure("skip"), ctx.figure("limit"), ctx.figure("totalResults")
    if skip is None or applied is None or total is None or applied < 1:
        return
    expected = max(0, min(applied, total - skip))
    if len(ctx.results) < expected:
        yield Violation(
            pointer("data", "results"),
            f"data.skip {skip}, data.limit {applied} and totalResults {total} call for "
            f"{expected} results; the page holds {len(ctx.results)}",
            "page-fill",
        )


def check_limit_echo(ctx: PairContext) -> Iterator[Violation]:
    """``data.limit`` does not exceed a requested limit (S-15; default and maximum unknown)."""
    applied = ctx.figure("limit")
    if ctx.limit is not None and applied is not None and applied > ctx.limit:
        yield Violation(
            pointer("data", "limit"),
            f"limit {ctx.limit} asked; data.limit is {applied}",
            "limit-echo",
        )


def skip_readings(ctx: PairContext) -> set[int] | None:
    """Every ``data.skip`` S-14 allows: skip, (page-1)*limit, skip+(page-1)*limit.

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
    return readings


def check_skip_echo(ctx: PairContext) -> Iterator[Violation]:
    """``data.skip`` is one of the readings of the request's skip and page (S-14)."""
    echoed = ctx.figure("skip")
    readings = skip_readings(ctx)
    if echoed is None or readings is None or echoed in readings:
        return
    yield Violation(
        pointer("data", "skip"),
        f"{_asked(ctx)} asked; data.skip is {echoed}, expected {_either(sorted(readings))}",
        "skip-echo",
    )


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
            "has-more",
        )


def check_total_pages(ctx: PairContext) -> Iterator[Violation]:
    """``totalPages`` is ceil(totalResults / page size); 0 or 1 when nothing matches (S-18)."""
    pages, total = ctx.figure("totalPages"), ctx.figure("totalResults")
    if pages is None or total is None or total < 0:
        return
    if total == 0:
        expected = {0, 1}
        basis = "nothing matches"
    else:
        sizes = ctx.page_sizes()
        if not sizes:
            return
        expected = {math.ceil(total / size) for size in sizes}
        basis = f"totalResults {total} in pages of {_either(sizes)}"
    if pages not in expected:
        yield Violation(
            pointer("data", "totalPages"),
            f"{basis}, so totalPages should be {_either(sorted(expected))}; it is {pages}",
            "total-pages",
        )


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
            "total-results",
        )
