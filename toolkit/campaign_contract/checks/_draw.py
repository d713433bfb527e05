"""Drawing request bodies inside a check, from the schema or from what the server returned."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from campaign_contract.checks._crawl import Crawl, listing
from campaign_contract.generation._model import request_model
from campaign_contract.generation._strategies import data_aware_requests, valid_requests
from campaign_contract.harness._contract import Contract


@functools.cache
def campaign_types() -> st.SearchStrategy[str]:
    return st.sampled_from(request_model().types)


def query(
    data: st.DataObject,
    contract: Contract,
    campaign_type: str | None = None,
    *,
    aware_only: bool = False,
) -> dict[str, Any]:
    """A documented-valid body: often data-aware (filters that select real campaigns)."""
    kind = campaign_type or data.draw(campaign_types(), label="type")
    bodies = listing(contract, kind).derived("body strategies", _strategies)
    return data.draw(bodies.aware_only if aware_only else bodies.either, label="body")


Bodies = st.SearchStrategy[dict[str, Any]]


@dataclass(frozen=True)
class _Strategies:
    """The body strategies over one listing: data-aware or schema-valid, and data-aware only
    (schema-valid when the listing is empty)."""

    either: Bodies
    aware_only: Bodies


def _strategies(walk: Crawl) -> _Strategies:
    """The body strategies over the campaigns of ``walk`` (a listing of one type), built once
    per listing rather than once per example (hypothesis validates each strategy it is handed
    anew)."""
    kind = str(walk.request["type"])
    valid = valid_requests(kind)
    aware = data_aware_requests(walk.items, kind) if walk.items else None
    if aware is None:
        return _Strategies(valid, valid)
    return _Strategies(st.one_of(aware, valid), aware)


def universe(contract: Contract, campaign_type: str) -> list[Any]:
    """Every campaign of the type, as the server lists them (cached for the session)."""
    return listing(contract, campaign_type).items
