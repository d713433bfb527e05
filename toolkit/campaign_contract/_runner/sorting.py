"""Sort checks that need more than one request: reversal, determinism, name collation (S-07)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .._oracles import metamorphic_deterministic, metamorphic_sort_reverse, sort_spec
from .._oracles._sorting import sort_breaks
from .._request_model import request_model
from .._strategies import sort_specs
from .contract import Contract
from .crawl import base_request, crawl, judge_crawl

FLIP = {"asc": "desc", "desc": "asc"}


def sort_cases() -> list[tuple[str, str]]:
    """Every sort key with every direction."""
    model = request_model()
    return [(key, direction) for key in model.sort_keys for direction in model.directions]


def sorted_by(body: dict[str, Any], key: str, direction: str) -> dict[str, Any]:
    """``body`` sorted by ``key`` first (its other sort keys, if any, after it)."""
    rest = {k: v for k, v in (body.get("sortBy") or {}).items() if k != key}
    return {**body, "sortBy": {key: direction, **rest}}


def several_keys() -> st.SearchStrategy[dict[str, str]]:
    return sort_specs().filter(lambda spec: len(spec) >= 2)


def reverse(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """Flipping every direction reverses the complete listing, ties apart (S-07)."""
    __tracebackhide__ = True
    forward_body = {**base_request(body), "sortBy": data.draw(sort_specs(), label="sortBy")}
    backward_body = {
        **forward_body,
        "sortBy": {k: FLIP[v] for k, v in forward_body["sortBy"].items()},
    }
    forward = crawl(contract, forward_body, limit=50)
    backward = crawl(contract, backward_body, limit=forward.limit)
    judge_crawl(contract, forward)
    judge_crawl(contract, backward)
    found = metamorphic_sort_reverse(forward_body, forward.pages, backward.pages)
    contract.require(found, backward.exchanges[0])


def deterministic(contract: Contract, body: dict[str, Any]) -> None:
    """Two identical requests get identical pages."""
    __tracebackhide__ = True
    first, second = contract.ok(body), contract.ok(body)
    found = metamorphic_deterministic(body, first.response_body, second.response_body)
    contract.require(found, second)


def observe_collation(contract: Contract) -> None:
    """Which name collation the server's order agrees with (S-07), judged over a full crawl."""
    __tracebackhide__ = True
    body = {"type": "voice", "sortBy": {"name": "asc"}}
    walk = crawl(contract, body, limit=100)
    judge_crawl(contract, walk)
    collation, breaks = sort_breaks(walk.items, sort_spec(body))
    if breaks:
        return
    names = [item.get("name") for item in walk.items if isinstance(item, dict)]
    mixed = any(isinstance(n, str) and n != n.lower() and n != n.upper() for n in names)
    contract.observe(
        "S-07",
        f"sortBy name asc over {len(names)} campaigns agrees with {collation.label} order"
        + ("" if mixed else " (the names do not tell the collations apart)"),
        body=body,
    )
