"""Hypothesis strategies for request bodies with exactly one field made invalid per the schema.

Each body starts documented-valid and has one field broken: a wrong JSON type, a value outside
the enum, a negative count, a bad sort direction, an unparseable date, a missing or unknown
``type``, a non-array filter. Breaks the page leaves ambiguous are never made: ``Agentless``
(S-04), page/limit 0 and fractions (S-20), unknown top-level fields (S-21), unknown keys inside
``sortBy`` or ``filters`` (S-37), ``""`` as a sort direction (S-05), ``null`` (but for ``type``,
which is required either way), dialingMode on SMS requests (S-23), number-like strings and case
variants.
"""

from __future__ import annotations

import copy
import functools
import string
from dataclasses import dataclass
from typing import Any, Final

from hypothesis import strategies as st

from campaign_contract.generation._model import request_model
from campaign_contract.generation._strategies import valid_requests
from campaign_contract.validation._validators import validate_request
from campaign_contract.validation._violations import pointer

MISSING: Final = object()
"""A break's value meaning "remove the field"."""

WRONG_TYPES: tuple[Any, ...] = (True, [], {}, "abc")
UNPARSEABLE_DATES = ("not a date", "tomorrow", "01/12/2025", "2025/12/01", "December 1, 2025")
OTHER_TYPES = ("email", "whatsapp", "chat", "all")
UNKNOWN_SORT_KEYS = ("priority", "status", "type", "dialingMode", "totalResults")
BAD_DIRECTIONS: tuple[Any, ...] = ("ascending", "descending", "up", "down", 1, -1, True)
OUT_OF_ENUM: dict[str, tuple[Any, ...]] = {
    "status": ("Running", "Deleted", "Draft", "Archived", "Unknown", 3),
    "priority": (0, 6, 7, 10, 99, -1, "high"),
    "dialingMode": ("Predictive", "Manual", "Automatic", "Blaster", True),
}
"""Items outside each filter's enum; ``Agentless`` is never among them (S-04)."""


@dataclass(frozen=True)
class InvalidRequest:
    """A request body with one field broken.

    ``field`` names it in dotted form (``filters.status``); ``pointer`` is where
    :func:`validate_request` reports the violation; ``description`` says what was done.
    """

    body: dict[str, Any]
    field: str
    pointer: str
    description: str


LENIENT_DIRECTIONS: dict[Any, str] = {
    "ascending": "asc",
    "descending": "desc",
    1: "asc",
    -1: "desc",
}
"""Sort directions outside the page's ``asc``/``desc`` that have one reading a lenient server
may take (MongoDB's ``1``/``-1``, Mongoose's words)."""


def lenient_reading(bad: InvalidRequest) -> dict[str, Any] | None:
    """The one documented-valid request a lenient server could read ``bad`` as, or ``None``:
    a scalar filter value as a one-value array, a sort direction of :data:`LENIENT_DIRECTIONS`
    as ``asc``/``desc``, a ``sortBy`` naming one sort key as that key ascending (``-key``
    descending). Such a server must then answer as it answers that request (S-47)."""
    body = copy.deepcopy(bad.body)
    parent, _, name = bad.field.partition(".")
    node: Any = body.get(parent)
    value = node.get(name) if name and isinstance(node, dict) else node
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if parent == "filters" and name:
        node[name] = [value]
    elif parent == "sortBy" and name and value in LENIENT_DIRECTIONS:
        node[name] = LENIENT_DIRECTIONS[value]
    elif parent == "sortBy" and not name and isinstance(value, str):
        body["sortBy"] = {value.removeprefix("-"): "desc" if value.startswith("-") else "asc"}
    else:
        return None
    return body if not validate_request(body) else None


@dataclass(frozen=True)
class _Break:
    path: tuple[str, ...]
    value: Any
    where: tuple[str | int, ...]
    description: str


def _words(excluded: tuple[Any, ...]) -> st.SearchStrategy[str]:
    lowered = {str(v).lower() for v in excluded}
    return st.text(string.ascii_lowercase, min_size=1, max_size=10).filter(
        lambda w: w not in lowered
    )


def _type_breaks() -> st.SearchStrategy[_Break]:
    types = request_model().types
    unknown = st.one_of(st.sampled_from([t for t in OTHER_TYPES if t not in types]), _words(types))
    return st.one_of(
        st.just(_Break(("type",), MISSING, (), "type is missing")),
        unknown.map(lambda v: _Break(("type",), v, ("type",), f"type is {v!r}, not voice/sms")),
        st.sampled_from((1, True, ["voice"], {"voice": True})).map(
            lambda v: _Break(("type",), v, ("type",), f"type is not a string: {v!r}")
        ),
        # a blank or null type is missing or a value outside the enum, whichever reading a
        # server takes of blanks and nulls (S-05): invalid either way, unlike other fields'
        st.sampled_from(("", None)).map(
            lambda v: _Break(("type",), v, ("type",), f"type is {v!r}: missing or unknown")
        ),
    )


def _count_breaks(name: str) -> st.SearchStrategy[_Break]:
    negative = st.integers(-1000, -1).map(
        lambda v: _Break((name,), v, (name,), f"{name} is negative: {v}")
    )
    wrong = st.sampled_from(WRONG_TYPES).map(
        lambda v: _Break((name,), v, (name,), f"{name} is neither a number nor '': {v!r}")
    )
    return st.one_of(negative, wrong)


def _date_breaks(name: str) -> st.SearchStrategy[_Break]:
    text = st.one_of(st.sampled_from(UNPARSEABLE_DATES), _words(()))
    wrong: st.SearchStrategy[Any] = st.sampled_from((20251201, True, [], {}))
    return st.one_of(text, wrong).map(
        lambda v: _Break((name,), v, (name,), f"{name} is not an ISO 8601 timestamp: {v!r}")
    )


def _sort_breaks() -> st.SearchStrategy[_Break]:
    model = request_model()
    not_object = st.sampled_from(("createdAt", ["name"], 1, True)).map(
        lambda v: _Break(("sortBy",), v, ("sortBy",), f"sortBy is not an object: {v!r}")
    )
    bad = st.tuples(st.sampled_from(model.sort_keys), st.sampled_from(BAD_DIRECTIONS)).map(
        lambda kv: _Break(
            ("sortBy", kv[0]),
            kv[1],
            ("sortBy", kv[0]),
            f"sortBy.{kv[0]} has the direction {kv[1]!r}",
        )
    )
    return st.one_of(not_object, bad)


def _with_bad_item(name: str, parts: tuple[list[Any], Any, int]) -> _Break:
    good, bad, position = parts
    index = min(position, len(good))
    items = [*good[:index], bad, *good[index:]]
    return _Break(
        ("filters", name), items, ("filters", name, index), f"filters.{name} holds {bad!r}"
    )


def _not_array(name: str, value: Any) -> _Break:
    return _Break(
        ("filters", name), value, ("filters", name), f"filters.{name} is not an array: {value!r}"
    )


def _filter_breaks(campaign_type: str) -> st.SearchStrategy[_Break]:
    model = request_model()
    not_object = st.sampled_from(("Ready", ["Ready"], 5, True)).map(
        lambda v: _Break(("filters",), v, ("filters",), f"filters is not an object: {v!r}")
    )
    options: list[st.SearchStrategy[_Break]] = [not_object]
    for name in model.filters_for(campaign_type):
        allowed = model.filters[name]
        scalar = st.sampled_from([allowed[0], {"in": list(allowed[:1])}]).map(
            functools.partial(_not_array, name)
        )
        outside = [v for v in OUT_OF_ENUM.get(name, ()) if v not in allowed]
        good = st.lists(st.sampled_from(allowed), unique=True, max_size=len(allowed))
        item = st.tuples(good, st.sampled_from(outside), st.integers(0, len(allowed))).map(
            functools.partial(_with_bad_item, name)
        )
        options += [scalar, item] if outside else [scalar]
    return st.one_of(options)


def _breaks(campaign_type: str) -> st.SearchStrategy[_Break]:
    model = request_model()
    return st.one_of(
        _type_breaks(),
        *(_count_breaks(name) for name in model.counts),
        *(_date_breaks(name) for name in model.date_fields),
        _sort_breaks(),
        _filter_breaks(campaign_type),
    )


def apply_break(body: dict[str, Any], brk: _Break) -> InvalidRequest:
    """``body`` with ``brk`` applied (a deep copy; parents created as needed)."""
    out = copy.deepcopy(body)
    node = out
    for key in brk.path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if brk.value is MISSING:
        node.pop(brk.path[-1], None)
    else:
        node[brk.path[-1]] = copy.deepcopy(brk.value)
    return InvalidRequest(out, ".".join(brk.path), pointer(*brk.where), brk.description)


@functools.cache
def _invalid_for(campaign_type: str) -> st.SearchStrategy[InvalidRequest]:
    return st.tuples(valid_requests(campaign_type), _breaks(campaign_type)).map(
        lambda pair: apply_break(*pair)
    )


def invalid_requests(campaign_type: str | None = None) -> st.SearchStrategy[InvalidRequest]:
    """Bodies with one field made invalid per the request schema, as :class:`InvalidRequest`.

    The rest of each body is documented-valid, so a server that answers 2xx accepted exactly
    the broken field. dialingMode is broken only on voice requests (S-23).
    """
    types = request_model().types
    if campaign_type is not None and campaign_type not in types:
        raise ValueError(f"campaign type must be one of {', '.join(types)}, not {campaign_type!r}")
    kinds = st.sampled_from(types) if campaign_type is None else st.just(campaign_type)
    return kinds.flatmap(_invalid_for)
