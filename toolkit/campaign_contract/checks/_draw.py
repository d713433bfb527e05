"""Drawing request bodies inside a check, from the schema or from what the server returned."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from campaign_contract.checks._crawl import Crawl, listing
from campaign_contract.generation._model import request_model
from campaign_contract.generation._strategies import data_aware_requests, valid_requests
from campaign_contract.harness._contract import Contract


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
    aware = _data_aware(listing(contract, kind), kind)
    choices: list[st.SearchStrategy[dict[str, Any]]] = []
    if aware is not None:
        choices.append(aware)
    if not aware_only or not choices:
        choices.append(valid_requests(kind))
    return data.draw(st.one_of(*choices), label="body")


_AWARE: dict[str, tuple[Crawl, st.SearchStrategy[dict[str, Any]] | None]] = {}


def _data_aware(walk: Crawl, kind: str) -> st.SearchStrategy[dict[str, Any]] | None:
    """The data-aware strategy over the campaigns of ``walk`` (``None`` when it has none),
    built once per listing rather than once per example."""
    cached = _AWARE.get(kind)
    if cached is None or cached[0] is not walk:
        campaigns = walk.items
        strategy = data_aware_requests(campaigns, kind) if campaigns else None
        cached = _AWARE[kind] = (walk, strategy)
    return cached[1]


def universe(contract: Contract, campaign_type: str) -> list[Any]:
    """Every campaign of the type, as the server lists them (cached for the session)."""
    return listing(contract, campaign_type).items
