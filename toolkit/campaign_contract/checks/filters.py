"""Filter checks that need more than one request: recall, metamorphic relations, S-04/S-23/S-25."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import strategies as st

from campaign_contract.checks._crawl import (
    Crawl,
    base_request,
    bounded,
    crawl,
    crawl_findings,
    listing,
    request_bound,
    served_limit,
    small_window,
    written,
)
from campaign_contract.checks._expect import is_success
from campaign_contract.checks._recall import TIMESTAMPS, check_recall
from campaign_contract.client._exchange import Exchange
from campaign_contract.generation._model import request_model
from campaign_contract.generation._strategies import END, START, date_windows, sampled
from campaign_contract.harness._contract import Compared, Contract
from campaign_contract.oracles import (
    metamorphic_filter_narrows,
    metamorphic_sms_ignores_dialing_mode,
    metamorphic_status_union,
    metamorphic_window_narrows,
)
from campaign_contract.oracles._common import campaign_id, field_of, instant, show_ids, whole
from campaign_contract.oracles._registry import REGISTRY, declare
from campaign_contract.validation._schemas import schema
from campaign_contract.validation._validators import results_of
from campaign_contract.validation._violations import Violation, pointer

PAGE = 100
"""The page size asked for in metamorphic comparisons, so most listings fit on one page."""
EARLIEST_BOUND = instant("0001-01-02T00:00:00Z") or 0
LATEST_BOUND = instant("9999-12-30T00:00:00Z") or 0
"""Instants a day inside the years ISO 8601 writes with four digits: a window built from a
campaign's timestamps moves its bounds by a millisecond and writes them at other offsets."""
FILTER_CHECKS = REGISTRY.names("pair", "filters")
"""The pair checks of the filters family, each a row of its own."""
for _name in ("filter-totals", "filter-window-bounds"):
    declare(_name, family="filters")
for _name in ("agentless-filter", "end-date-before-start-date"):
    declare(_name, family="filters", observation=True)


def page_limit(contract: Contract) -> int:
    """The limit of the one-page requests the checks compare: :data:`PAGE`, or less when the
    server refuses that many (S-15)."""
    return served_limit(contract, PAGE)


def first_page(contract: Contract, body: dict[str, Any]) -> dict[str, Any]:
    return {**base_request(body), "limit": page_limit(contract)}


def complete_listing(
    contract: Contract, campaign_type: str, *, fresh: bool = False
) -> tuple[Crawl, dict[str, str]]:
    """A complete listing to count in, and the window it covers: the unfiltered listing of the
    type when it fits its page cap, else the listing of a small date window of it
    (:func:`small_window`), walked whole. Skips the check, naming the cap, when neither can be
    walked whole."""
    __tracebackhide__ = True
    universe = listing(contract, campaign_type, fresh=fresh)
    if universe.complete:
        return universe, {}
    window = small_window(contract, campaign_type)
    if window is not None:
        walk = crawl(contract, {"type": campaign_type, **window}, limit=100, judge=False)
        if walk.complete:
            return walk, window
    pytest.skip(
        f"the unfiltered {campaign_type} listing did not end within its cap of "
        f"{len(universe.pages)} pages, nor did a small date window of it"
    )


def recall(contract: Contract, body: dict[str, Any]) -> None:
    """The complete filtered listing holds every campaign of the type's listing (whole, or
    the pages fetched of a large one) that surely matches the filters.

    Asked again (the unfiltered listing too) before failing: a live listing moves on."""
    __tracebackhide__ = True
    attempts = 0
    body = bounded(contract, body, limit=50)

    def compare() -> Compared:
        nonlocal attempts
        universe = listing(contract, body["type"], fresh=attempts > 0)
        attempts += 1
        walk = crawl(contract, body, limit=50)
        found = crawl_findings(walk)
        if found.errors or not walk.complete:
            return found
        missing = check_recall(walk.request, universe.items, walk.items)
        return Compared(missing, walk.exchanges[0])

    contract.stable(compare)


def filter_narrows(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """Adding a filter (or a window bound) to a request never lists more campaigns."""
    __tracebackhide__ = True
    narrow = first_page(contract, body)
    names = [f"filters.{k}" for k, v in sorted((narrow.get("filters") or {}).items()) if v]
    names += [k for k in ("startDate", "endDate") if narrow.get(k)]
    if not names:
        narrow["filters"] = {"status": ["Ready"]}
        names = ["filters.status"]
    name = data.draw(sampled(tuple(names)), label="constraint added")
    wide = copy.deepcopy(narrow)
    if name.startswith("filters."):
        del wide["filters"][name.removeprefix("filters.")]
    else:
        del wide[name]

    def compare() -> Compared:
        narrow_ex, wide_ex = contract.ok(narrow), contract.ok(wide)
        found = metamorphic_filter_narrows(
            wide_ex.response_body, narrow_ex.response_body, label=f"adding {name}"
        )
        return Compared(found, narrow_ex)

    contract.stable(compare)


@functools.cache
def _some_window() -> st.SearchStrategy[dict[str, str]]:
    return date_windows().filter(bool)


def window_narrows(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """A date window inside another never lists more campaigns."""
    __tracebackhide__ = True
    narrow = first_page(contract, body)
    if not (narrow.get("startDate") or narrow.get("endDate")):
        narrow.update(data.draw(_some_window(), label="window"))
    bounds = tuple(k for k in ("startDate", "endDate") if narrow.get(k))
    bound = data.draw(sampled(bounds), label="bound dropped for the wider window")
    wide = {k: v for k, v in narrow.items() if k != bound}

    def compare() -> Compared:
        narrow_ex, wide_ex = contract.ok(narrow), contract.ok(wide)
        found = metamorphic_window_narrows(
            wide_ex.response_body, narrow_ex.response_body, label=f"adding {bound}"
        )
        return Compared(found, narrow_ex)

    contract.stable(compare)


def status_union(contract: Contract, data: st.DataObject, campaign_type: str) -> None:
    """filters.status [A, B, …] lists the campaigns of [A], [B], … together."""
    __tracebackhide__ = True
    present = sorted({c.get("status") for c in listing(contract, campaign_type).items} - {None})
    allowed = [s for s in request_model().filters["status"] if s in present] or list(
        request_model().filters["status"]
    )
    chosen = data.draw(
        st.lists(sampled(tuple(allowed)), min_size=2, max_size=4, unique=True)
        if len(allowed) > 1
        else st.just(allowed),
        label="statuses",
    )
    union_body = {
        "type": campaign_type,
        "limit": page_limit(contract),
        "filters": {"status": chosen},
    }

    def compare() -> Compared:
        union = contract.ok(union_body)
        parts = {
            s: contract.ok({**union_body, "filters": {"status": [s]}}).response_body for s in chosen
        }
        return Compared(metamorphic_status_union(union.response_body, parts), union)

    contract.stable(compare)


def sms_ignores_dialing_mode(contract: Contract, data: st.DataObject, body: dict[str, Any]) -> None:
    """For type sms, a dialingMode filter changes nothing; a server may reject it (S-23)."""
    __tracebackhide__ = True
    modes = tuple(request_model().filters["dialingMode"])
    chosen = data.draw(st.lists(sampled(modes), min_size=1, unique=True), label="modes")
    without = first_page(contract, body)
    with_mode = copy.deepcopy(without)
    with_mode.setdefault("filters", {})["dialingMode"] = chosen
    answer = contract.post(with_mode)
    if not is_success(answer):
        contract.set_aside_if_allowed(with_mode, answer)
        contract.observe_answer("S-23", "filters.dialingMode with type sms", answer)
        return
    contract.observe("S-23", "filters.dialingMode with type sms is accepted", exchange=answer)

    first = [answer]

    def compare() -> Compared:
        moded = first.pop() if first else contract.ok(with_mode)
        plain = contract.ok(without)
        found = metamorphic_sms_ignores_dialing_mode(plain.response_body, moded.response_body)
        return Compared(found, moded)

    contract.stable(compare)


def observe_agentless(contract: Contract) -> None:
    """Filtering by the response-only dialingMode Agentless (S-04): record the answer; a 5xx
    fails (a server never answers a request it dislikes with a server error)."""
    __tracebackhide__ = True
    agentless = {"dialingMode": ["Agentless"]}
    body = {"type": "voice", "filters": agentless, "limit": page_limit(contract)}
    answer = contract.post(body)
    detail = ""
    if is_success(answer) and isinstance(answer.response_body, dict):
        doc = answer.response_body
        modes = sorted({str(r.get("dialingMode")) for r in results_of(doc) if isinstance(r, dict)})
        detail = f"; totalResults {field_of(doc, 'totalResults')}, dialing modes listed: {modes}"
    contract.observe_answer(
        "S-04",
        "filters.dialingMode [Agentless]",
        answer,
        message=f"filters.dialingMode [Agentless] answered HTTP {answer.status}{detail}",
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
    """The campaign's timestamps a window can be built from: those a request bound can carry
    a day either side of (Go's zero time, ``0001-01-01T00:00:00Z``, cannot be moved earlier)."""
    return [t for t in (item.get(k) for k in TIMESTAMPS) if isinstance(t, str) and _movable(t)]


def _movable(stamp: str) -> bool:
    moment = instant(stamp)
    return moment is not None and EARLIEST_BOUND < moment < LATEST_BOUND


def window_bounds(contract: Contract, data: st.DataObject, campaign_type: str) -> None:
    """Window bounds (S-09): whether they are inclusive is recorded; the window is not.

    A window from a campaign's earliest to its latest timestamp, and the same window widened
    by a millisecond on each side: nothing strictly outside may be listed (the pair checks),
    nothing strictly inside may be missing (recall), so the campaign must be in the wider
    window. Whether it is in the exact one, and whether a window of one instant, its creation
    time, lists it, tells whether the bounds are inclusive or exclusive: an observation.
    """
    __tracebackhide__ = True
    candidates = [
        c for c in listing(contract, campaign_type).items if isinstance(c, dict) and _timestamps(c)
    ]
    if not candidates:
        pytest.skip(f"no {campaign_type} campaign with timestamps to build a window from")
    chosen = data.draw(st.sampled_from(candidates), label="campaign")
    stamps = sorted(map(request_bound, _timestamps(chosen)), key=lambda t: instant(t) or 0)
    exact = {"type": campaign_type, "startDate": stamps[0], "endDate": stamps[-1]}
    wider = {
        "type": campaign_type,
        "startDate": shifted(stamps[0], -1),
        "endDate": shifted(stamps[-1], 1),
    }
    walks: dict[str, Crawl] = {}

    def compare() -> Compared:
        universe = listing(contract, campaign_type, fresh=bool(walks)).items
        for name, body in (("exact", exact), ("wider", wider)):
            walks[name] = crawl(contract, body, limit=page_limit(contract))
            findings = crawl_findings(walks[name])
            if findings.errors:
                return findings
            found = check_recall(walks[name].request, universe, walks[name].items)
            if found:
                window = f"window {body['startDate']} .. {body['endDate']}"
                return Compared(found, walks[name].exchanges[0], f"{window}: {found[0].message}")
        return Compared()

    contract.stable(compare)
    listed = campaign_id(chosen) in walks["exact"].ids
    reading = "lists it: the bounds are inclusive"
    if not listed:
        reading = "leaves it out: a bound is exclusive"
    contract.observe(
        "S-09",
        f"a window from a campaign's earliest to its latest timestamp {reading}",
        body=exact,
    )
    created = chosen.get("createdAt")
    if isinstance(created, str) and _movable(created):
        created = request_bound(created)
        pin = {
            "type": campaign_type,
            "startDate": created,
            "endDate": created,
            "limit": page_limit(contract),
        }
        answer = contract.judged(pin)
        pinned = campaign_id(chosen) in {campaign_id(r) for r in results_of(answer.response_body)}
        contract.observe(
            "S-09",
            "a window of one instant, a campaign's createdAt, "
            + (
                "lists it: both bounds are inclusive on createdAt"
                if pinned
                else "leaves it out: a bound is exclusive, or the window is on another timestamp"
            ),
            exchange=answer,
        )
        elsewhere(contract, pin, answer)


OFFSETS = (330, -180)
"""The UTC offsets (in minutes) :func:`elsewhere` writes a window's bounds at: +05:30 and
-03:00, so that a server reading local time as UTC moves the window by hours."""


def elsewhere(contract: Contract, body: dict[str, Any], answer: Exchange) -> None:
    """``body``'s window, each bound the same instant written at another UTC offset (S-08
    allows any ISO 8601 date-time), must list the campaigns ``answer`` listed: a server that
    reads the local time and drops the offset moves the window. A refusal of the form is an
    observation (:meth:`Contract.allowed_refusal`); a server error fails."""
    __tracebackhide__ = True
    moved = dict(body)
    for name, minutes in zip((START, END), OFFSETS, strict=True):
        moment = instant(body[name])
        assert moment is not None
        moved[name] = written(moment, offset_minutes=minutes)
    first = _matches(answer)

    def compare() -> Compared:
        other = contract.post(moved)
        if other.refused:
            contract.allowed_refusal(moved, other, send=False)
            return Compared()
        if not other.succeeded:
            what = f"a window written at other UTC offsets answered {other.answer}"
            return Compared([Violation("", what)], other, what, drift=False)
        listed = _matches(other)
        if listed == first:
            return Compared()
        message = (
            f"the window {body[START]} .. {body[END]} matched {first[1]}; the same instants "
            f"written {moved[START]} .. {moved[END]} matched {listed[1]}: the offset is not "
            "read as ISO 8601 says (S-08)"
        )
        return Compared([Violation(pointer("data", "results"), message)], other, message)

    contract.stable(compare)


def _matches(answer: Exchange) -> tuple[Any, str]:
    """What a page says its window matched: the campaigns' ids when the page holds them all,
    else its totalResults (campaigns tied on the sort keys may come in another order)."""
    results = results_of(answer.response_body)
    total = whole(field_of(answer.response_body, "totalResults"))
    if total is not None and total > len(results):
        return total, f"{total} campaigns"
    ids = sorted(str(campaign_id(r)) for r in results)
    return ids, (show_ids(ids) if ids else "no campaign")


def shifted(stamp: str, millis: int) -> str:
    """``stamp`` moved by ``millis`` milliseconds, written as a request bound in UTC."""
    moment = instant(stamp)
    assert moment is not None
    return written(moment + millis * 1_000_000)


def _carries(item: Any, name: str, value: Any) -> bool:
    found = item.get(name) if isinstance(item, dict) else None
    if name == "priority" and not isinstance(found, str):
        return bool(found == value)
    return bool(found == (str(value) if name == "priority" else value))


@functools.cache
def _required_fields(kind: str) -> frozenset[str]:
    """The fields every campaign of ``kind`` carries (S-28), from its response schema."""
    campaign = schema("sms" if kind == "sms" else "voice")["$defs"][f"{kind}Campaign"]
    return frozenset(campaign.get("required", ()))


def _value_unshown(item: Any, kind: str, name: str) -> bool:
    """The campaign does not show ``name``, an optional field a server may leave out (S-28);
    a required one left out is the schema check's to report, and counts as not matching."""
    return name not in _required_fields(kind) and isinstance(item, dict) and item.get(name) is None


def filter_totals(contract: Contract) -> None:
    """Filtering by one value lists exactly the campaigns of the unfiltered listing that carry
    it: totalResults equals their count (status, priority, and dialingMode for voice). Where
    campaigns do not show an optional field (dialingMode), each may hold the value or not:
    totalResults lies between the count of those that show it and that count plus those that
    show nothing. Every other value is sent twice in its array, which must count once (S-36)."""
    __tracebackhide__ = True
    for index, (kind, name, value) in enumerate(contract.within_share(_filter_values())):
        values = [value, value] if index % 2 else [value]
        contract.stable(_total_matches(contract, kind, name, values))


def _filter_values() -> list[tuple[str, str, Any]]:
    """Every (type, filter, value), breadth first: the first value of every filter of every
    type, then the second ones, and so on (a plan that cuts the list short covers each)."""
    model = request_model()
    columns = [
        [(kind, name, value) for value in model.filters[name]]
        for kind in model.types
        for name in model.filters_for(kind)
    ]
    depth = max((len(c) for c in columns), default=0)
    return [column[i] for i in range(depth) for column in columns if i < len(column)]


def _total_matches(
    contract: Contract, kind: str, name: str, values: list[Any]
) -> Callable[[], Compared]:
    """One value of filter ``name``, alone or repeated in ``values``: a repeated value counts
    once (S-36)."""
    attempts = 0
    value = values[0]

    def compare() -> Compared:
        nonlocal attempts
        universe, window = complete_listing(contract, kind, fresh=attempts > 0)
        asked = {"type": kind, "filters": {name: values}, "limit": 1, **window}
        attempts += 1
        expected = sum(1 for item in universe.items if _carries(item, name, value))
        unshown = sum(1 for item in universe.items if _value_unshown(item, kind, name))
        exchange = contract.ok(asked)
        total = field_of(exchange.response_body, "totalResults")
        counted = whole(total)
        if total == expected or (
            unshown and counted is not None and expected <= counted <= expected + unshown
        ):
            return Compared()
        within = f" window {window['startDate']} .. {window['endDate']}" if window else ""
        holds = f"{expected} such campaigns"
        if unshown:  # a campaign that does not show the field may hold any value of it
            holds = f"{expected} to {expected + unshown} such campaigns ({unshown} show no {name})"
        repeated = " (a repeated value counts once, S-36)" if len(values) > 1 else ""
        message = (
            f"filters.{name} {values!r} for type {kind}{within}: the unfiltered listing "
            f"holds {holds}; totalResults is {total}{repeated}"
        )
        found = [Violation(pointer("data", "totalResults"), message)]
        return Compared(found, exchange)

    return compare
