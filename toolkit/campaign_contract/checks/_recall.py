"""Filter recall: a complete filtered listing holds every campaign that surely matches.

The pair checks see that every result satisfies the filters; they cannot see campaigns that
were wrongly left out. Given the unfiltered listing of the type, a campaign *surely* matches a
request when it matches under every reading SPEC_NOTES allows: its status and dialingMode are
among the asked values, its priority string is ``str(p)`` of an asked priority (S-02), and
every timestamp it carries lies strictly inside the window (S-09: whichever timestamp the
server filters on, and whether a bound is inclusive or exclusive). Such a campaign must be in
the filtered listing. What happens exactly on a bound is left to observation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from campaign_contract.oracles._common import campaign_id, instant, show, show_ids
from campaign_contract.oracles._registry import register
from campaign_contract.validation._violations import Violation, pointer

TIMESTAMPS = ("createdAt", "updatedAt", "campaignInstanceUpdatedAt")


def _zoned(text: Any) -> bool:
    return isinstance(text, str) and (
        text.endswith(("Z", "z")) or "+" in text[10:] or "-" in text[10:]
    )


def _asked(values: Any) -> list[Any] | None:
    """A non-empty filter list, else ``None`` (absent or ``[]`` filters nothing, S-22)."""
    return values if isinstance(values, list) and values else None


def surely_matches(item: Any, request: dict[str, Any]) -> bool | None:
    """True when ``item`` matches ``request`` under every reading; False when it surely does
    not or may not; ``None`` when the request holds something this cannot judge."""
    if not isinstance(item, dict):
        return False
    filters = request.get("filters") or {}
    if not isinstance(filters, dict):
        return None
    if not _matches_filters(item, filters, request.get("type")):
        return False
    return _inside_window(item, request.get("startDate"), request.get("endDate"))


def _matches_filters(item: dict[str, Any], filters: dict[str, Any], kind: Any) -> bool:
    """Status and dialingMode (voice only, S-23) among the asked values; the priority string
    ``str(p)`` of an asked priority (S-02). An absent or empty filter filters nothing."""
    for name in ("status", "dialingMode"):
        wanted = _asked(filters.get(name))
        if wanted is None or (name == "dialingMode" and kind != "voice"):
            continue
        if item.get(name) not in wanted:
            return False
    priorities = _asked(filters.get("priority"))
    return priorities is None or item.get("priority") in {str(p) for p in priorities}


def _inside_window(item: dict[str, Any], start_text: Any, end_text: Any) -> bool | None:
    """Every timestamp ``item`` carries lies strictly inside the window (S-09: whichever one
    the server filters on, inclusive or exclusive bounds); ``createdAt`` must be there.
    ``None`` for a bound without an offset, which may be in any time zone."""
    bounds = [text for text in (start_text, end_text) if text not in (None, "")]
    if not bounds:
        return True
    if not all(_zoned(text) for text in bounds):
        return None
    start, end = instant(start_text), instant(end_text)
    for name in TIMESTAMPS:
        moment = instant(item.get(name))
        if moment is None:
            if name == "createdAt":
                return False
            continue
        if (start is not None and moment <= start) or (end is not None and moment >= end):
            return False
    return True


@register("filter-recall", family="filters", kind="suite")
def check_recall(
    request: dict[str, Any], universe: Iterable[Any], listed: Iterable[Any]
) -> list[Violation]:
    """Campaigns of ``universe`` that surely match ``request`` but are missing from ``listed``
    (the complete filtered listing)."""
    have = {campaign_id(item) for item in listed}
    missing = []
    for item in universe:
        found = campaign_id(item)
        if found is None or found in have:
            continue
        if surely_matches(item, request) is True:
            missing.append(item)
    if not missing:
        return []
    first = missing[0]
    detail = {
        k: first.get(k) for k in ("status", "priority", "dialingMode", "createdAt") if k in first
    }
    return [
        Violation(
            pointer("data", "results"),
            f"{len(missing)} campaign(s) match every filter of the request but are missing from "
            f"its complete listing: {show_ids(campaign_id(m) for m in missing)} "
            f"(e.g. {show(detail, 160)})",
        )
    ]
