"""Sort checks that need more than one request: reversal, determinism, name collation (S-07)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import strategies as st

from campaign_contract.checks._crawl import (
    LISTING_LIMIT,
    Crawl,
    base_request,
    bounded,
    crawl,
    crawl_findings,
    listing,
    moved,
    walked,
)
from campaign_contract.checks.filters import first_page
from campaign_contract.generation._model import request_model
from campaign_contract.generation._strategies import sort_specs
from campaign_contract.harness._contract import Compared, Contract
from campaign_contract.oracles import (
    metamorphic_deterministic,
    metamorphic_sort_reverse,
    sort_permutations_that_fit,
    sort_spec,
    totals_differ,
)
from campaign_contract.oracles._common import identity
from campaign_contract.oracles._registry import REGISTRY, declare, stamp
from campaign_contract.oracles._sorting import coarse_key, digit_reading, sort_breaks
from campaign_contract.validation._validators import results_of
from campaign_contract.validation._violations import Violation, pointer

ASCENDING = "asc"
FLIP = {ASCENDING: "desc", "desc": ASCENDING}
SORT_ORDER = REGISTRY["sort-order"]
"""The pair check of the sort order: one suite row per key and direction."""
declare("sort-keys", family="sorting")
for _name in ("sort-key-priority", "name-collation"):
    declare(_name, family="sorting", observation=True)


def sort_cases() -> list[tuple[str, str]]:
    """Every sort key with every direction, as the rows of ``sort-order`` name them."""
    cases = [variant.rsplit("-", 1) for variant in SORT_ORDER.variants]
    return [(key, direction) for key, direction in cases]


def sorted_by(
    body: dict[str, Any], key: str, direction: str, *, with_name: bool = False
) -> dict[str, Any]:
    """``body`` sorted by ``key`` first (its other sort keys, if any, after it); with
    ``with_name``, ``name`` is among the keys (for a server that requires it, S-06)."""
    rest = {k: v for k, v in (body.get("sortBy") or {}).items() if k != key}
    return {**body, "sortBy": with_sort_name({key: direction, **rest}, with_name)}


def with_sort_name(sort_by: dict[str, Any], required: bool) -> dict[str, Any]:
    """``sort_by`` with ``name: asc`` added last when ``required`` and it lacks ``name``."""
    if required and sort_by and "name" not in sort_by:
        return {**sort_by, "name": ASCENDING}
    return sort_by


def several_keys() -> st.SearchStrategy[dict[str, str]]:
    return sort_specs(min_keys=2)


def reverse(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """Flipping every direction reverses the complete listing, ties apart (S-07)."""
    __tracebackhide__ = True
    drawn = data.draw(sort_specs(), label="sortBy")
    forward_body = {
        **base_request(body),
        "sortBy": with_sort_name(drawn, contract.sort_name_required),
    }
    forward_body = bounded(contract, forward_body, limit=50)
    backward_body = {
        **forward_body,
        "sortBy": {k: FLIP[v] for k, v in forward_body["sortBy"].items()},
    }

    def compare() -> Compared:
        forward = crawl(contract, forward_body, limit=50)
        backward = crawl(contract, backward_body, limit=forward.limit)
        for walk in (forward, backward):
            findings = crawl_findings(walk)
            if findings.errors:
                return findings
        found = metamorphic_sort_reverse(forward_body, forward.pages, backward.pages)
        return Compared(found, backward.exchanges[0], drift=moved(forward, backward))

    contract.stable(compare)


TIED = st.booleans()
"""Whether an example of ``metamorphic-deterministic`` moves its body to where campaigns tie."""


def deterministic(
    contract: Contract, body: dict[str, Any], data: st.DataObject | None = None
) -> None:
    """Two identical requests get identical pages.

    With ``data``, half the examples first move the body to where campaigns tie
    (:func:`where_ties`): the order among ties is where a server is likeliest to answer one
    request two ways (S-07).
    """
    __tracebackhide__ = True
    if data is not None and data.draw(TIED, label="sorted where campaigns tie"):
        body = where_ties(contract, body)

    def compare() -> Compared:
        first = contract.ok(body)
        with contract.fresh():  # the second answer must be asked for, not remembered
            second = contract.ok(body)
        found = metamorphic_deterministic(body, first.response_body, second.response_body)
        if found:
            drift = totals_differ(first.response_body, second.response_body)
            return Compared(found, second, drift=drift)
        return Compared(one_order(first.response_body, second.response_body), second)

    contract.stable(compare)


def where_ties(contract: Contract, body: dict[str, Any]) -> dict[str, Any]:
    """``body``'s first page at the largest page limit, sorted by the one key on which most
    campaigns of its type tie (counted over the type's whole listing, whatever the body's
    filters), in the body's direction for that key, else ascending; ``body`` itself when no
    campaigns tie on any key."""
    kind = body.get("type")
    if kind not in request_model().types:
        return body
    key = listing(contract, kind).derived("most tied sort key", _most_tied_key)
    if key is None:
        return body
    direction = (body.get("sortBy") or {}).get(key, ASCENDING)
    sort_by = with_sort_name({key: direction}, contract.sort_name_required)
    return {**first_page(contract, body), "sortBy": sort_by}


def _most_tied_key(walk: Crawl) -> str | None:
    """The sort key on which most campaigns of ``walk`` tie with another (equal under the
    oracle's :func:`coarse_key`, as a server may leave them in either order), or ``None``
    when none do."""
    tied = {}
    for key in request_model().sort_keys:
        counts = Counter(coarse_key(item, ((key, False),)) for item in walk.items)
        tied[key] = sum(count for count in counts.values() if count > 1)
    best = max(tied, key=lambda k: tied[k])
    return best if tied[best] else None


def one_order(first: Any, second: Any) -> list[Violation]:
    """Identical requests list the same campaigns in one order, ties included (S-07).

    The order among campaigns that tie on every sort key is free, but one request must always
    get the same one, or paging by skip cannot be complete. (A campaign updated between the
    two requests may move: the caller asks again before failing.)
    """
    ids_1 = [identity(item) for item in results_of(first)]
    ids_2 = [identity(item) for item in results_of(second)]
    if ids_1 == ids_2 or Counter(map(str, ids_1)) != Counter(map(str, ids_2)):
        return []
    position = next(i for i, (a, b) in enumerate(zip(ids_1, ids_2, strict=True)) if a != b)
    found = Violation(
        pointer("data", "results", position),
        f"identical requests listed the same campaigns in another order from position "
        f"{position} ({ids_1[position]}, then {ids_2[position]}): campaigns that tie on the "
        "sort keys may come in any order, but in one order for one request (S-07)",
    )
    return stamp(REGISTRY.name_of(metamorphic_deterministic), [found])


def observe_collation(contract: Contract) -> None:
    """Which name collation the server's order agrees with (S-07), judged over a full crawl."""
    __tracebackhide__ = True
    body = {"type": "voice", "sortBy": {"name": "asc"}}
    walk = walked(contract, body, limit=LISTING_LIMIT)
    collation, breaks = sort_breaks(walk.items, sort_spec(body))
    if breaks:
        return
    names = [item.get("name") for item in walk.items if isinstance(item, dict)]
    mixed = any(isinstance(n, str) and n != n.lower() and n != n.upper() for n in names)
    numbers = digit_reading([n for n in names if isinstance(n, str)])
    contract.observe(
        "S-07",
        f"sortBy name asc over {len(names)} campaigns agrees with {collation.label} order"
        + ("" if mixed else " (the names do not tell the collations apart)")
        + (f"; numbers inside names in {numbers} order" if numbers else ""),
        body=body,
    )


PRIORITY_PROBES: tuple[dict[str, str], ...] = (
    {"createdAt": "asc", "name": "asc"},
    {"name": "asc", "createdAt": "desc"},
    {"updatedAt": "desc", "name": "desc"},
)
"""Two-key sorts whose priority orders usually part over a whole listing."""


def observe_key_priority(contract: Contract) -> None:
    """In which priority the server applies several sort keys (S-07): body order or another.

    JSON object members are unordered, so any fixed priority is allowed; each probe walks the
    whole voice listing, and its pages must be in order under some priority (the crawl and pair
    checks); which priorities fit is recorded.
    """
    __tracebackhide__ = True
    for sort_by in contract.within_share(PRIORITY_PROBES):
        body = {"type": "voice", "sortBy": sort_by}
        walk = walked(contract, body, limit=LISTING_LIMIT)
        fits = sort_permutations_that_fit(body, walk.items)
        written = tuple(sort_by)
        if not fits or fits == [()]:
            continue
        if len(fits) > 1:
            reading = "more than one priority fits (the data do not tell them apart)"
            if written not in fits:
                reading = "the body order does not fit; " + reading
        elif fits[0] == written:
            reading = "the keys apply in body order"
        else:
            reading = f"the keys apply in the order {', '.join(fits[0])}, not body order"
        contract.observe(
            "S-07",
            f"sortBy {_show(sort_by)} over {len(walk.items)} campaigns: {reading}",
            body=body,
        )


def _show(sort_by: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in sort_by.items()) + "}"
