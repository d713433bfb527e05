"""Recording a tenant: a read-only, paced, budgeted walk of both campaign types.

The walk pages through each type with ``skip`` (advancing by the results the server returned,
so its own page size is honoured) until ``hasMore`` is false, the per-type cap is reached or
the budget is spent. The result is the ``{"voice": [...], "sms": [...]}`` shape that
``campaign-contract mock --data`` loads, so the mock then serves the tenant's campaigns as
they were: the same ids, fields and timestamps, hence the same orders and filter results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from campaign_contract._secrets import Scrubber, without_secret_names
from campaign_contract.client._client import (
    BudgetExhausted,
    CampaignClient,
    ClientError,
)

KINDS: tuple[str, ...] = ("voice", "sms")
PAGE_LIMIT = 100
"""The page size asked for; the suite never asks for more (SPEC_NOTES S-15)."""
DEFAULT_MAX_CAMPAIGNS = 5000
"""Campaigns recorded per type at most, so the cost of a recording is bounded."""
WALK_SORT = {"name": "asc", "createdAt": "asc"}
"""A fixed order for the walk; name first, which every reading of S-06 accepts."""


@dataclass
class TypeRecording:
    """What the walk found for one type."""

    kind: str
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    total_results: int | None = None
    requests: int = 0
    stopped: str | None = None
    """Why the walk of this type ended before ``hasMore`` was false, else ``None``."""

    @property
    def complete(self) -> bool:
        return self.stopped is None


@dataclass
class Recording:
    """Both types, and the facts worth keeping beside them."""

    types: dict[str, TypeRecording]
    started_at: datetime
    finished_at: datetime

    @property
    def complete(self) -> bool:
        return all(t.complete for t in self.types.values())

    @property
    def requests(self) -> int:
        return sum(t.requests for t in self.types.values())

    def campaigns(self) -> dict[str, list[dict[str, Any]]]:
        return {kind: t.campaigns for kind, t in self.types.items()}


def campaign_id(item: Any) -> str | None:
    """A campaign's identifier (``_id`` or ``id``), if it has one."""
    if not isinstance(item, dict):
        return None
    value = item.get("_id", item.get("id"))
    return value if isinstance(value, str) else None


class _Stop(Exception):
    pass


def _page(client: CampaignClient, kind: str, skip: int, limit: int) -> tuple[list[Any], Any]:
    body = {"type": kind, "limit": limit, "skip": skip, "sortBy": dict(WALK_SORT)}
    try:
        exchange = client.post(body)
    except BudgetExhausted:
        raise _Stop("the request budget ran out") from None
    except ClientError as exc:
        raise _Stop(Scrubber([client.target.token]).text(str(exc))) from None
    if exchange.throttled:
        raise _Stop(f"the server kept answering HTTP {exchange.status} (throttled)")
    if not exchange.succeeded:
        raise _Stop(f"the server answered {exchange.answer}")
    data = exchange.response_body.get("data") if isinstance(exchange.response_body, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise _Stop("the answer has no data.results list")
    return results, data


def walk_type(
    client: CampaignClient, kind: str, *, limit: int = PAGE_LIMIT, max_campaigns: int
) -> TypeRecording:
    """Every campaign of ``kind`` the server lists (at most ``max_campaigns``), each once."""
    found = TypeRecording(kind)
    seen: set[str] = set()
    skip = 0
    before = client.requests_made
    try:
        while True:
            results, data = _page(client, kind, skip, min(limit, max_campaigns - skip or 1))
            total = data.get("totalResults")
            if isinstance(total, int) and not isinstance(total, bool):
                found.total_results = total
            for item in results:
                key = campaign_id(item)
                if key is not None and key in seen:
                    continue
                if key is not None:
                    seen.add(key)
                found.campaigns.append(item)
            if data.get("hasMore") is not True or not results:
                break
            skip += len(results)
            if skip >= max_campaigns:
                found.stopped = f"stopped at {max_campaigns} campaigns (the per-type cap)"
                break
    except _Stop as stop:
        found.stopped = str(stop)
    found.requests = client.requests_made - before
    return found


def record_tenant(
    client: CampaignClient,
    *,
    limit: int = PAGE_LIMIT,
    max_campaigns: int = DEFAULT_MAX_CAMPAIGNS,
    kinds: Iterable[str] = KINDS,
) -> Recording:
    """Walk every type through ``client`` (which paces, budgets and retries)."""
    started = datetime.now(UTC)
    types = {k: walk_type(client, k, limit=limit, max_campaigns=max_campaigns) for k in kinds}
    return Recording(types, started, datetime.now(UTC))


def recording_document(
    recording: Recording,
    campaigns: dict[str, list[dict[str, Any]]],
    *,
    about: dict[str, Any],
    secrets: Iterable[str],
) -> dict[str, Any]:
    """The data file: ``voice`` and ``sms`` lists (what ``mock --data`` reads) and a
    ``recorded`` block the mock ignores; keys naming a credential are dropped and every
    credential value is masked."""
    counts = {
        kind: {
            "campaigns": len(campaigns.get(kind, [])),
            "total_results": t.total_results,
            "complete": t.complete,
            **({"stopped": t.stopped} if t.stopped else {}),
        }
        for kind, t in recording.types.items()
    }
    document: dict[str, Any] = {
        "recorded": {
            **about,
            "started_at": recording.started_at.isoformat(timespec="seconds"),
            "finished_at": recording.finished_at.isoformat(timespec="seconds"),
            "requests": recording.requests,
            "types": counts,
        },
        **{kind: campaigns.get(kind, []) for kind in recording.types},
    }
    safe: dict[str, Any] = Scrubber(secrets).data(without_secret_names(document))
    return safe
