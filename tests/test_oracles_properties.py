"""Property tests: a reference pager's answers pass every oracle; its broken answers do not."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from campaign_contract import (
    Violation,
    check_crawl,
    check_pair,
    check_same_sequence,
    metamorphic_deterministic,
    metamorphic_filter_narrows,
    metamorphic_sort_reverse,
    metamorphic_status_union,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oracle_samples import page

STATUSES = ["Active", "Completed", "Ready", "Paused", "Preparing", "Stopped", "Scheduled"]
NAMES = ["alpha", "Alpha", "beta", "Beta", "gamma", "_x", "Zed", "zed"]
INSTANTS = [f"2025-12-0{day}T{hour:02d}:00:00.000Z" for day in range(1, 7) for hour in (0, 12)]
SORT_KEYS = ["name", "createdAt", "updatedAt"]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def campaigns(draw: st.DrawFn, kind: str, names: list[str] = NAMES) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 24))
    found = []
    for index in range(count):
        created = draw(st.integers(0, len(INSTANTS) - 1))
        campaign: dict[str, Any] = {
            "id": f"cd-{index:03d}",
            "name": draw(st.sampled_from(names)),
            "status": draw(st.sampled_from(STATUSES)),
            "priority": str(draw(st.integers(1, 5))),
            "createdAt": INSTANTS[created],
            "updatedAt": INSTANTS[draw(st.integers(created, len(INSTANTS) - 1))],
        }
        if kind == "voice":
            campaign["dialingMode"] = draw(st.sampled_from(["Progressive", "Preview", "Agentless"]))
        else:
            campaign["format"] = "simple"
        found.append(campaign)
    return found


def blank_or(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.just(""), strategy)


@st.composite
def requests(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    body: dict[str, Any] = {"type": kind}
    for name, values in (
        ("skip", st.integers(0, 30)),
        ("page", st.integers(1, 5)),
        ("limit", st.integers(1, 15)),
        ("startDate", st.sampled_from([*INSTANTS, "2025-12-02", "2025-12-03"])),
        ("endDate", st.sampled_from([*INSTANTS, "2025-12-04", "2025-12-05"])),
    ):
        value = draw(blank_or(values))
        if value is not None:
            body[name] = value
    keys = draw(st.lists(st.sampled_from(SORT_KEYS), unique=True, max_size=3))
    if keys:
        body["sortBy"] = {key: draw(st.sampled_from(["asc", "desc"])) for key in keys}
    filters: dict[str, Any] = {}
    if draw(st.booleans()):
        filters["status"] = draw(st.lists(st.sampled_from(STATUSES), unique=True, max_size=3))
    if draw(st.booleans()):
        filters["priority"] = draw(st.lists(st.integers(1, 5), unique=True, max_size=3))
    if draw(st.booleans()):
        filters["dialingMode"] = draw(st.sets(st.sampled_from(["Progressive", "Preview"])))
        filters["dialingMode"] = sorted(filters["dialingMode"])
    if filters:
        body["filters"] = filters
    return body


def _moment(text: str, end: bool) -> datetime:
    if len(text) == 10:
        text += "T23:59:59.999Z" if end else "T00:00:00.000Z"
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Server:
    """How a correct server may sort (S-07): the keys in a fixed priority (body order when
    ``priority`` is empty) and names by ``name_key``; ties stay in stored order."""

    priority: tuple[str, ...] = ()
    name_key: Callable[[str], Any] = str


CODE_POINT = Server()


def icu_like(name: str) -> list[tuple[int, Any]]:
    """An accent-, case- and punctuation-blind collation with numeric ordering."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return [(1, int(t)) if t.isdigit() else (0, t) for t in re.findall(r"\d+|[^\W\d_]+", text)]


def matching(
    request: dict[str, Any], items: list[dict[str, Any]], server: Server = CODE_POINT
) -> list[dict[str, Any]]:
    """Filter and sort as a correct server would."""
    filters = request.get("filters", {})
    kept = []
    for item in items:
        created = datetime.fromisoformat(item["createdAt"])
        if filters.get("status") and item["status"] not in filters["status"]:
            continue
        if filters.get("priority") and item["priority"] not in map(str, filters["priority"]):
            continue
        modes = filters.get("dialingMode")
        if request["type"] == "voice" and modes and item["dialingMode"] not in modes:
            continue
        if request.get("startDate") and created < _moment(request["startDate"], False):
            continue
        if request.get("endDate") and created > _moment(request["endDate"], True):
            continue
        kept.append(item)
    sort_by = request.get("sortBy", {})
    keys = [key for key in server.priority if key in sort_by] or list(sort_by)
    for key in reversed(keys):
        kept.sort(
            key=lambda item, key=key: server.name_key(item[key]) if key == "name" else item[key],
            reverse=sort_by[key] == "desc",
        )
    return kept


def answer(
    request: dict[str, Any],
    items: list[dict[str, Any]],
    server: Server = CODE_POINT,
    **override: Any,
) -> Any:
    """The reference pager: a numeric skip wins, else page; limit defaults to 10."""
    listed = matching({**request, **override}, items, server)
    asked = {**request, **override}
    limit = asked.get("limit") or 10
    skip = asked.get("skip")
    if skip in (None, ""):
        skip = (asked["page"] - 1) * limit if asked.get("page") not in (None, "") else 0
    results = copy.deepcopy(listed[skip : skip + limit])
    return page(results, skip=skip, limit=limit, total=len(listed))


def walk(
    request: dict[str, Any], items: list[dict[str, Any]], size: int, server: Server = CODE_POINT
) -> list[Any]:
    pages = []
    while True:
        pages.append(answer(request, items, server, skip=len(pages) * size, page="", limit=size))
        if not pages[-1]["data"]["hasMore"]:
            return pages


kinds = st.sampled_from(["voice", "sms"])


def unfiltered(request: dict[str, Any]) -> dict[str, Any]:
    """The request without filters or window, so that pages are rarely empty."""
    return {k: v for k, v in request.items() if k not in ("filters", "startDate", "endDate")}


@FAST
@given(st.data(), kinds)
def test_reference_pager_answers_pass_check_pair(data: st.DataObject, kind: str) -> None:
    items, request = data.draw(campaigns(kind)), data.draw(requests(kind))
    assert check_pair(request, answer(request, items)) == []


@FAST
@given(st.data(), kinds, st.sampled_from(["createdAt", "updatedAt"]), st.booleans())
def test_an_unsorted_page_is_caught(
    data: st.DataObject, kind: str, key: str, descending: bool
) -> None:
    items, request = data.draw(campaigns(kind)), unfiltered(data.draw(requests(kind)))
    request["sortBy"] = {key: "desc" if descending else "asc"}
    response = answer(request, items)
    results = response["data"]["results"]
    assume(len(results) >= 2 and results[0][key] != results[-1][key])
    results.reverse()
    assert "sort-order" in {v.check for v in check_pair(request, response)}


@FAST
@given(st.data(), kinds)
def test_a_wrong_has_more_is_caught(data: st.DataObject, kind: str) -> None:
    items, request = data.draw(campaigns(kind)), data.draw(requests(kind))
    response = answer(request, items)
    response["data"]["hasMore"] = not response["data"]["hasMore"]
    assert [v.check for v in check_pair(request, response)] == ["has-more"]


@FAST
@given(st.data(), kinds)
def test_an_item_beyond_the_limit_is_caught(data: st.DataObject, kind: str) -> None:
    items, request = data.draw(campaigns(kind)), unfiltered(data.draw(requests(kind)))
    assume(items)
    response = answer(request, items)
    results = response["data"]["results"]
    while len(results) <= response["data"]["limit"]:
        extra = copy.deepcopy(items[len(results) % len(items)])
        extra["id"] = f"cd-extra-{len(results)}"
        results.append(extra)
    found = check_pair(request, response)
    assert "page-size" in {v.check for v in found}


@FAST
@given(st.data(), kinds, st.integers(1, 6), st.integers(1, 6))
def test_reference_crawls_pass_and_agree_across_page_sizes(
    data: st.DataObject, kind: str, size_a: int, size_b: int
) -> None:
    items, request = data.draw(campaigns(kind)), data.draw(requests(kind))
    crawl_a, crawl_b = walk(request, items, size_a), walk(request, items, size_b)
    assert check_crawl(request, crawl_a) == []
    assert check_same_sequence(crawl_a, crawl_b, "page sizes", request=request) == []
    for number, body in enumerate(crawl_a):
        asked = {**request, "skip": number * size_a, "page": "", "limit": size_a}
        assert check_pair(asked, body) == []


@FAST
@given(st.data(), kinds)
def test_reversed_sort_and_repeated_requests_pass(data: st.DataObject, kind: str) -> None:
    items, request = data.draw(campaigns(kind)), data.draw(requests(kind))
    assume(request.get("sortBy"))
    flipped = {k: "asc" if v == "desc" else "desc" for k, v in request["sortBy"].items()}
    backward = {**request, "sortBy": flipped}
    forward_crawl, backward_crawl = walk(request, items, 4), walk(backward, items, 5)
    assert metamorphic_sort_reverse(request, forward_crawl, backward_crawl) == []
    once, again = answer(request, items), answer(request, items)
    assert metamorphic_deterministic(request, once, again) == []


ICU_NAMES = [
    *NAMES,
    *("Campaign 1", "Campaign_1", "Campaign-1", "Campaign1", "campaign 01", "Campaign7"),
    *("Campaign71", "Campaign8", "Étude", "Eval", "etude", "ÉTÉ Promo", "ete promo", "Zed 2"),
]


@FAST
@given(st.data(), kinds, st.permutations(SORT_KEYS), st.booleans())
def test_s07_servers_with_any_key_priority_and_an_icu_like_collation_pass(
    data: st.DataObject, kind: str, priority: list[str], icu: bool
) -> None:
    server = Server(tuple(priority), icu_like if icu else str)
    items, request = data.draw(campaigns(kind, ICU_NAMES)), data.draw(requests(kind))
    keys = data.draw(st.permutations(SORT_KEYS))[: data.draw(st.integers(1, 3))]
    request["sortBy"] = {key: data.draw(st.sampled_from(["asc", "desc"])) for key in keys}
    assert check_pair(request, answer(request, items, server)) == []
    crawl_a, crawl_b = walk(request, items, 3, server), walk(request, items, 5, server)
    assert check_crawl(request, crawl_a) == []
    assert check_same_sequence(crawl_a, crawl_b, "page sizes", request=request) == []
    flipped = {k: "asc" if v == "desc" else "desc" for k, v in request["sortBy"].items()}
    backward = walk({**request, "sortBy": flipped}, items, 4, server)
    assert metamorphic_sort_reverse(request, crawl_a, backward) == []


@FAST
@given(st.data(), kinds)
def test_a_dropped_campaign_breaks_the_crawl(data: st.DataObject, kind: str) -> None:
    items, request = data.draw(campaigns(kind)), unfiltered(data.draw(requests(kind)))
    pages = walk(request, items, 3)
    assume(pages[0]["data"]["results"])
    pages[0]["data"]["results"].pop(0)
    assert "crawl-count" in {v.check for v in check_crawl(request, pages)}


FIELDS = [
    *("id", "_id", "name", "status", "priority", "dialingMode", "createdAt", "updatedAt"),
    *("skip", "page", "limit", "type", "sortBy", "filters", "startDate", "endDate", "data"),
    *("results", "hasMore", "totalPages", "totalResults", "format"),
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 30)
    | st.floats(allow_nan=False)
    | st.text(max_size=6)
    | st.sampled_from([*INSTANTS, *NAMES, "", "asc", "desc", "voice", "sms", "5"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(json_values, json_values, json_values)
def test_arbitrary_json_never_raises(request: Any, first: Any, second: Any) -> None:
    wrapped = {"data": first} if isinstance(first, dict) else first
    for response in (first, wrapped):
        assert well_formed(check_pair(request, response))
    assert well_formed(check_crawl(request, [wrapped, second]))
    assert well_formed(check_same_sequence(first, second, "fuzz", request=request))
    assert well_formed(metamorphic_sort_reverse(request, wrapped, second))
    assert well_formed(metamorphic_deterministic(request, wrapped, {"data": second}))
    assert well_formed(metamorphic_filter_narrows(wrapped, second))
    assert well_formed(metamorphic_status_union(first, {"Ready": second, "Paused": wrapped}))


def well_formed(found: Any) -> bool:
    """A list of violations, each with a check name, a message, a JSON pointer and a severity."""
    return isinstance(found, list) and all(
        isinstance(v, Violation)
        and v.check
        and v.message
        and (v.pointer == "" or v.pointer.startswith("/"))
        and v.severity in ("error", "warning")
        for v in found
    )
