"""Filter checks that need more than one request: recall, metamorphic relations, S-04/S-23/S-25."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import strategies as st

from .._oracles import (
    metamorphic_filter_narrows,
    metamorphic_sms_ignores_dialing_mode,
    metamorphic_status_union,
    metamorphic_window_narrows,
)
from .._oracles._common import field_of, instant
from .._request_model import request_model
from .._strategies import date_windows
from .._validate import results_of
from .contract import Contract
from .crawl import base_request, crawl, judge_crawl, listing
from .expect import is_success
from .recall import TIMESTAMPS, check_recall

PAGE = 100
"""The page size asked for in metamorphic comparisons, so most listings fit on one page."""


def first_page(body: dict[str, Any]) -> dict[str, Any]:
    return {**base_request(body), "limit": PAGE}


def recall(contract: Contract, body: dict[str, Any]) -> None:
    """The complete filtered listing holds every campaign that surely matches the filters."""
    __tracebackhide__ = True
    universe = listing(contract, body["type"])
    if not universe.complete:
        pytest.skip(f"the unfiltered {body['type']} listing did not end within its page cap")
    walk = crawl(contract, body, limit=50)
    judge_crawl(contract, walk)
    if not walk.complete:
        return
    found = check_recall(walk.request, universe.items, walk.items)
    contract.require(found, walk.exchanges[0], what=found[0].message if found else "")


def filter_narrows(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """Adding a filter (or a window bound) to a request never lists more campaigns."""
    __tracebackhide__ = True
    narrow = first_page(body)
    names = [f"filters.{k}" for k, v in sorted((narrow.get("filters") or {}).items()) if v]
    names += [k for k in ("startDate", "endDate") if narrow.get(k)]
    if not names:
        narrow["filters"] = {"status": ["Ready"]}
        names = ["filters.status"]
    name = data.draw(st.sampled_from(names), label="constraint added")
    wide = copy.deepcopy(narrow)
    if name.startswith("filters."):
        del wide["filters"][name.removeprefix("filters.")]
    else:
        del wide[name]
    narrow_ex, wide_ex = contract.ok(narrow), contract.ok(wide)
    found = metamorphic_filter_narrows(
        wide_ex.response_body, narrow_ex.response_body, label=f"adding {name}"
    )
    contract.require(found, narrow_ex)


def window_narrows(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """A date window inside another never lists more campaigns."""
    __tracebackhide__ = True
    narrow = first_page(body)
    if not (narrow.get("startDate") or narrow.get("endDate")):
        narrow.update(data.draw(date_windows().filter(bool), label="window"))
    bounds = [k for k in ("startDate", "endDate") if narrow.get(k)]
    bound = data.draw(st.sampled_from(bounds), label="bound dropped for the wider window")
    wide = {k: v for k, v in narrow.items() if k != bound}
    narrow_ex, wide_ex = contract.ok(narrow), contract.ok(wide)
    found = metamorphic_window_narrows(
        wide_ex.response_body, narrow_ex.response_body, label=f"adding {bound}"
    )
    contract.require(found, narrow_ex)


def status_union(contract: Contract, data: st.DataObject, campaign_type: str) -> None:
    """filters.status [A, B, …] lists the campaigns of [A], [B], … together."""
    __tracebackhide__ = True
    present = sorted({c.get("status") for c in listing(contract, campaign_type).items} - {None})
    allowed = [s for s in request_model().filters["status"] if s in present] or list(
        request_model().filters["status"]
    )
    chosen = data.draw(
        st.lists(st.sampled_from(allowed), min_size=2, max_size=4, unique=True)
        if len(allowed) > 1
        else st.just(allowed),
        label="statuses",
    )
    union_body = {"type": campaign_type, "limit": PAGE, "filters": {"status": chosen}}
    union = contract.ok(union_body)
    parts = {
        s: contract.ok({**union_body, "filters": {"status": [s]}}).response_body for s in chosen
    }
    contract.require(metamorphic_status_union(union.response_body, parts), union)


def sms_ignores_dialing_mode(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """For type sms, a dialingMode filter changes nothing; a server may reject it (S-23)."""
    __tracebackhide__ = True
    modes = list(request_model().filters["dialingMode"])
    chosen = data.draw(st.lists(st.sampled_from(modes), min_size=1, unique=True), label="modes")
    without = first_page(body)
    with_mode = copy.deepcopy(without)
    with_mode.setdefault("filters", {})["dialingMode"] = chosen
    answer = contract.post(with_mode)
    if not is_success(answer):
        contract.observe_answer("S-23", "filters.dialingMode with type sms", answer)
        return
    contract.observe("S-23", "filters.dialingMode with type sms is accepted", exchange=answer)
    plain = contract.ok(without)
    contract.require(
        metamorphic_sms_ignores_dialing_mode(plain.response_body, answer.response_body), answer
    )


def observe_agentless(contract: Contract) -> None:
    """Filtering by the response-only dialingMode Agentless (S-04): record the answer."""
    body = {"type": "voice", "filters": {"dialingMode": ["Agentless"]}, "limit": PAGE}
    answer = contract.post(body)
    detail = ""
    if is_success(answer) and isinstance(answer.response_body, dict):
        doc = answer.response_body
        modes = sorted({str(r.get("dialingMode")) for r in results_of(doc) if isinstance(r, dict)})
        detail = f"; totalResults {field_of(doc, 'totalResults')}, dialing modes listed: {modes}"
    contract.observe(
        "S-04",
        f"filters.dialingMode [Agentless] answered HTTP {answer.status}{detail}",
        exchange=answer,
    )


def end_before_start(contract: Contract) -> None:
    """endDate before startDate: an empty page or a 4xx, recorded (S-25); never a 5xx."""
    __tracebackhide__ = True
    body = {
        "type": "voice",
        "startDate": "2025-12-04T00:00:00.000Z",
        "endDate": "2025-12-01T00:00:00.000Z",
    }
    answer = contract.post(body)
    contract.observe_answer(
        "S-25", "endDate before startDate", answer, hint=" (S-25: empty or 4xx)"
    )
    if is_success(answer):
        contract.judge(body, answer)


def _timestamps(item: dict[str, Any]) -> list[str]:
    return [
        t
        for t in (item.get(k) for k in TIMESTAMPS)
        if isinstance(t, str) and instant(t) is not None
    ]


def window_bounds(contract: Contract, data: st.DataObject, campaign_type: str) -> None:
    """Window bounds are inclusive and exact (S-09).

    A window from a campaign's earliest to its latest timestamp must list it whichever
    timestamp the server filters on; a window of one instant, its creation time, must list
    nothing created at another time (the pair checks judge that).
    """
    __tracebackhide__ = True
    candidates = [
        c for c in listing(contract, campaign_type).items if isinstance(c, dict) and _timestamps(c)
    ]
    if not candidates:
        pytest.skip(f"no {campaign_type} campaign with timestamps to build a window from")
    chosen = data.draw(st.sampled_from(candidates), label="campaign")
    stamps = sorted(_timestamps(chosen), key=lambda t: instant(t) or 0)
    body = {"type": campaign_type, "startDate": stamps[0], "endDate": stamps[-1]}
    walk = crawl(contract, body, limit=PAGE)
    judge_crawl(contract, walk)
    found = check_recall(walk.request, [chosen], walk.items)
    contract.require(
        found,
        walk.exchanges[0],
        what=f"window {stamps[0]} .. {stamps[-1]}: " + (found[0].message if found else ""),
    )
    created = chosen.get("createdAt")
    if isinstance(created, str):
        pin = {"type": campaign_type, "startDate": created, "endDate": created, "limit": PAGE}
        contract.judged(pin)


def _carries(item: Any, name: str, value: Any) -> bool:
    found = item.get(name) if isinstance(item, dict) else None
    if name == "priority" and not isinstance(found, str):
        return bool(found == value)
    return bool(found == (str(value) if name == "priority" else value))


def filter_totals(contract: Contract) -> None:
    """Filtering by one value lists exactly the campaigns of the unfiltered listing that carry
    it: totalResults equals their count (status, priority, and dialingMode for voice)."""
    __tracebackhide__ = True
    for kind in request_model().types:
        universe = listing(contract, kind)
        if not universe.complete:
            pytest.skip(f"the unfiltered {kind} listing did not end within its page cap")
        for name in request_model().filters_for(kind):
            for value in request_model().filters[name]:
                expected = sum(1 for item in universe.items if _carries(item, name, value))
                body = {"type": kind, "filters": {name: [value]}, "limit": 1}
                exchange = contract.ok(body)
                total = field_of(exchange.response_body, "totalResults")
                if total != expected:
                    contract.fail(
                        f"filters.{name} [{value!r}] for type {kind}: the unfiltered listing "
                        f"holds {expected} such campaigns; totalResults is {total}",
                        exchange,
                    )
