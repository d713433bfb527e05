"""Metamorphic relations between the answers to related requests.

A *listing* argument may be a ``totalResults`` integer, one response body, a crawl (the list of
response bodies), or a list or set of campaigns or bare ids. Totals are compared whenever both
sides have one; campaign sets only when both sides are complete (a crawl, an id collection, or
a single page that holds the whole listing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from campaign_contract._text import plural
from campaign_contract.oracles._common import (
    compared_view,
    data_of,
    identity,
    listing_items,
    listing_of,
    show,
    show_ids,
)
from campaign_contract.oracles._crawl import multiset_difference, order_difference, set_difference
from campaign_contract.oracles._registry import register
from campaign_contract.oracles._sorting import describe, sort_spec, tie_groups
from campaign_contract.validation._validators import results_of
from campaign_contract.validation._violations import Violation, pointer


def _narrows(base: Any, narrowed: Any, label: str) -> list[Violation]:
    wide, narrow = listing_of(base), listing_of(narrowed)
    found = []
    if wide.total is not None and narrow.total is not None and narrow.total > wide.total:
        found.append(
            Violation(
                pointer("data", "totalResults"),
                f"{label}: totalResults went up from {wide.total} to {narrow.total}",
            )
        )
    if wide.ids is not None and narrow.ids is not None and narrow.ids - wide.ids:
        extra = narrow.ids - wide.ids
        found.append(
            Violation(
                pointer("data", "results"),
                f"{label}: the narrower listing has {plural(len(extra), 'campaign')} the wider "
                f"one lacks: {show_ids(extra)}",
            )
        )
    return found


@register("metamorphic-filter-narrows", family="filters", kind="metamorphic")
def metamorphic_filter_narrows(
    base: Any, narrowed: Any, *, label: str = "adding a filter"
) -> list[Violation]:
    """Adding a filter never increases totalResults nor adds campaigns."""
    return _narrows(base, narrowed, label)


@register("metamorphic-window-narrows", family="filters", kind="metamorphic")
def metamorphic_window_narrows(
    wide: Any, narrow: Any, *, label: str = "narrowing the date window"
) -> list[Violation]:
    """A date window inside another never lists more campaigns, whichever timestamp it filters."""
    return _narrows(wide, narrow, label)


@register("metamorphic-status-union", family="filters", kind="metamorphic")
def metamorphic_status_union(union: Any, parts: Mapping[str, Any]) -> list[Violation]:
    """filters.status [A, B, …] lists exactly the campaigns of [A], [B], … together.

    ``parts`` maps each status to its own listing (same request otherwise). A campaign has one
    status, so the parts are disjoint and their totals add up to the union's.
    """
    whole_listing = listing_of(union)
    listings = {status: listing_of(part) for status, part in parts.items()}
    if not listings:
        return []
    asked = show(list(listings))
    found = []
    totals = [listing.total for listing in listings.values()]
    if whole_listing.total is not None and all(total is not None for total in totals):
        added = sum(total for total in totals if total is not None)
        if added != whole_listing.total:
            terms = " + ".join(f"{status} {lst.total}" for status, lst in listings.items())
            found.append(
                Violation(
                    pointer("data", "totalResults"),
                    f"filters.status {asked} gave totalResults {whole_listing.total}; "
                    f"{terms} = {added}",
                )
            )
    id_sets = {status: lst.ids for status, lst in listings.items() if lst.ids is not None}
    if whole_listing.ids is None or len(id_sets) < len(listings):
        return found
    seen: dict[Any, str] = {}
    for status, ids in id_sets.items():
        for campaign in sorted(ids, key=str):
            if campaign in seen:
                found.append(
                    Violation(
                        pointer("data", "results"),
                        f"campaign {campaign} is listed under status {seen[campaign]} "
                        f"and under {status}",
                    )
                )
            seen.setdefault(campaign, status)
    joined = Counter(list(seen))
    listed = Counter(list(whole_listing.ids))
    if set(joined) != set(listed):
        found.append(
            Violation(
                pointer("data", "results"),
                f"filters.status {asked} against its parts: {set_difference(joined, listed)}",
            )
        )
    return found


@register("metamorphic-sms-ignores-dialing-mode", family="filters", kind="metamorphic")
def metamorphic_sms_ignores_dialing_mode(without: Any, with_mode: Any) -> list[Violation]:
    """For type sms, adding filters.dialingMode leaves the listing as it was (S-23).

    A server that rejects the field answers with no listing; that is an observation for the
    caller, and nothing is compared here.
    """
    before, after = listing_of(without), listing_of(with_mode)
    found = []
    if before.total is not None and after.total is not None and before.total != after.total:
        found.append(
            Violation(
                pointer("data", "totalResults"),
                f"type sms: adding filters.dialingMode changed totalResults from {before.total} "
                f"to {after.total} (it applies to voice campaigns only)",
            )
        )
    if before.ids is not None and after.ids is not None and before.ids != after.ids:
        difference = set_difference(Counter(before.ids), Counter(after.ids))
        found.append(
            Violation(
                pointer("data", "results"),
                f"type sms: adding filters.dialingMode changed the campaigns: {difference}",
            )
        )
    return found


@register("metamorphic-sort-reverse", family="sorting", kind="metamorphic")
def metamorphic_sort_reverse(request: Any, forward: Any, backward: Any) -> list[Violation]:
    """Flipping every sortBy direction reverses the complete listing, apart from ties (S-07).

    ``request`` is the forward request; ``forward`` and ``backward`` are complete listings
    (crawls, single complete pages or lists of campaigns). Pointers index ``backward``.
    """
    spec = sort_spec(request)
    if not spec:
        return []
    items_f, items_b = listing_items(forward), listing_items(backward)
    flipped = describe(tuple((field, not descending) for field, descending in spec))
    asked = f"sortBy {describe(spec)} and then {flipped}"
    difference = multiset_difference(items_f, items_b)
    if difference is not None:
        return [Violation("", f"{asked}: {difference}")]
    parted = order_difference(tie_groups(items_f, spec)[::-1], tie_groups(items_b, spec))
    if parted is None:
        return []
    position, expected, actual = parted
    return [
        Violation(
            pointer(position),
            f"{asked}: the second is not the first reversed from position {position}: expected "
            f"{expected} there, got {actual}",
        )
    ]


_FIGURES = ("skip", "limit", "hasMore", "totalPages", "totalResults")


@register("metamorphic-deterministic", family="sorting", kind="metamorphic")
def metamorphic_deterministic(request: Any, first: Any, second: Any) -> list[Violation]:
    """Two answers to one request agree: figures, campaigns, their content, and sorted order.

    The pages must hold the same campaigns, equal on their sort and filter fields
    (:data:`COMPARED_FIELDS`; counters and execution times move on a live tenant, S-42).
    Their order is compared only as far as the request's sortBy fixes it (ties and an absent
    sortBy leave it free). Pointers point into ``second``. A caller that sees the totals
    differ (:func:`totals_differ`) may ask again before it trusts the disagreement.
    """
    data_1, data_2 = data_of(first), data_of(second)
    if data_1 is None or data_2 is None:
        return []
    found = [
        Violation(
            pointer("data", name),
            f"identical requests: {name} was {show(data_1.get(name))}, then "
            f"{show(data_2.get(name))}",
        )
        for name in _FIGURES
        if data_1.get(name) != data_2.get(name)
    ]
    items_1, items_2 = results_of(first), results_of(second)
    difference = multiset_difference(items_1, items_2)
    if difference is not None:
        found.append(Violation(pointer("data", "results"), f"identical requests: {difference}"))
        return found
    spec = sort_spec(request)
    parted = None
    if spec:
        parted = order_difference(tie_groups(items_1, spec), tie_groups(items_2, spec))
    if parted is not None:
        position, ids_1, ids_2 = parted
        found.append(
            Violation(
                pointer("data", "results", position),
                f"identical requests under sortBy {describe(spec)}: from position {position} "
                f"the first had {ids_1}, the second {ids_2}",
            )
        )
    earlier = {identity(item): compared_view(item) for item in items_1}
    for index, item in enumerate(items_2):
        before, after = earlier.get(identity(item)), compared_view(item)
        if isinstance(before, dict) and isinstance(after, dict) and before != after:
            changed = sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            )
            found.append(
                Violation(
                    pointer("data", "results", index),
                    f"identical requests: campaign {identity(item)} changed in "
                    f"{', '.join(changed)}",
                )
            )
    return found


def totals_differ(first: Any, second: Any) -> bool:
    """True when two listings (see the module docstring) both state a total and they differ.

    Two requests that should agree but whose totals differ may have met a live tenant
    changing in between (S-42): a caller asks again before it reports the difference.
    """
    one, two = listing_of(first).total, listing_of(second).total
    return one is not None and two is not None and one != two
