"""Hand-made campaigns and pages for the oracle tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    """A fixture from tests/fixtures, parsed."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def ts(day: int, hour: int = 0, minute: int = 0) -> str:
    """A December 2025 timestamp as the service writes them."""
    return f"2025-12-{day:02d}T{hour:02d}:{minute:02d}:00.000Z"


def _campaign(id_field: str, index: int, created: str, **fields: Any) -> dict[str, Any]:
    return {
        id_field: f"cd-{index:04d}",
        "name": f"Campaign {index}",
        "priority": "5",
        "status": "Ready",
        "createdAt": created,
        "updatedAt": created,
        **fields,
    }


def voice(index: int, created: str, **fields: Any) -> dict[str, Any]:
    defaults = {"dialingMode": "Preview", "isFiltersEnabled": False, "connection": "Default Queue"}
    return _campaign("_id", index, created, **{**defaults, **fields})


def sms(index: int, created: str, **fields: Any) -> dict[str, Any]:
    defaults = {"format": "simple", "totalMessagesSent": 0}
    return _campaign("id", index, created, **{**defaults, **fields})


def page(
    results: list[Any],
    *,
    skip: int = 0,
    limit: int = 3,
    total: int | None = None,
    has_more: bool | None = None,
    total_pages: int | None = None,
) -> dict[str, Any]:
    """A success body; unless given, the figures are the consistent ones."""
    total = len(results) if total is None else total
    return {
        "status": "success",
        "message": "Campaign retrieved successfully",
        "data": {
            "results": results,
            "skip": skip,
            "limit": limit,
            "hasMore": skip + len(results) < total if has_more is None else has_more,
            "totalPages": -(-total // limit) if total_pages is None else total_pages,
            "totalResults": total,
        },
    }


def crawl(campaigns: list[Any], size: int) -> list[dict[str, Any]]:
    """The pages of walking ``campaigns`` (already filtered and sorted) ``size`` at a time."""
    total = len(campaigns)
    pages = [
        page(campaigns[start : start + size], skip=start, limit=size, total=total)
        for start in range(0, max(total, 1), size)
    ]
    return pages


# The same names as JavaScript's Intl.Collator (full ICU) sorts them ascending: localeCompare,
# {numeric: true} and {sensitivity: "base", ignorePunctuation: true} (S-07).
# fmt: off
ICU_ORDERS: dict[str, list[str]] = {
    "localeCompare": [
        "_internal", "#hashtag", "a.b", "ab", "angstrom", "Ångström", "billing alert",
        "Billing Alert Template Campaign", "Billing Alert Template Campaign-", "campaign 01",
        "Campaign 1", "Campaign_1", "Campaign-1", "Campaign1", "Campaign10", "Campaign7",
        "Campaign71", "Campaign8", "ete promo sms", "ÉTÉ Promo SMS", "etude reminder",
        "Étude reminder", "Eval campaign", "Renewals (Q3)", "Renewals Q3", "Renewals-Q3",
        "strasse", "straße", "zed", "Zed",
    ],
    "numeric": [
        "_internal", "#hashtag", "a.b", "ab", "angstrom", "Ångström", "billing alert",
        "Billing Alert Template Campaign", "Billing Alert Template Campaign-", "campaign 01",
        "Campaign 1", "Campaign_1", "Campaign-1", "Campaign1", "Campaign7", "Campaign8",
        "Campaign10", "Campaign71", "ete promo sms", "ÉTÉ Promo SMS", "etude reminder",
        "Étude reminder", "Eval campaign", "Renewals (Q3)", "Renewals Q3", "Renewals-Q3",
        "strasse", "straße", "zed", "Zed",
    ],
    "base": [
        "a.b", "ab", "Ångström", "angstrom", "billing alert", "Billing Alert Template Campaign-",
        "Billing Alert Template Campaign", "campaign 01", "Campaign 1", "Campaign_1", "Campaign-1",
        "Campaign1", "Campaign10", "Campaign7", "Campaign71", "Campaign8", "ÉTÉ Promo SMS",
        "ete promo sms", "Étude reminder", "etude reminder", "Eval campaign", "#hashtag",
        "_internal", "Renewals (Q3)", "Renewals Q3", "Renewals-Q3", "straße", "strasse", "Zed",
        "zed",
    ],
}
# fmt: on
