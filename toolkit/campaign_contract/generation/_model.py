"""What the request schema allows, read from ``schemas/request.json`` for request generation.

Enums, minima and the blank placeholder come from the schema, so a schema change flows into
the strategies; the caps on sizes are generation policy (SPEC_NOTES S-15, S-20).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from campaign_contract.validation._schemas import BASE_URI, documents, schema
from campaign_contract.validation._violations import unescape_token

VOICE_ONLY_FILTERS = frozenset({"dialingMode"})
"""Filters that apply to voice campaigns only; their meaning for SMS is an observation (S-23)."""
MAX_SKIP = 200
MAX_PAGE = 20
MAX_LIMIT = 100
"""The largest ``limit`` generated: the maximum is undocumented (S-15), the mock caps at 100."""


@dataclass(frozen=True)
class CountField:
    """A numeric paging field: its least allowed value and the blank placeholder, if any."""

    name: str
    minimum: int
    blank: str | None


@dataclass(frozen=True)
class RequestModel:
    """The parts of the request schema that generation needs."""

    types: tuple[str, ...]
    counts: dict[str, CountField]
    date_fields: tuple[str, ...]
    date_pattern: re.Pattern[str]
    sort_keys: tuple[str, ...]
    directions: tuple[str, ...]
    filters: dict[str, tuple[Any, ...]]
    """Each filter's name and the values its array items may take, in schema order."""

    def filters_for(self, campaign_type: str, *, voice_only_for_sms: bool = False) -> list[str]:
        """The filters generated for ``campaign_type`` (voice-only ones left out for SMS)."""
        return [
            name
            for name in self.filters
            if campaign_type == "voice" or voice_only_for_sms or name not in VOICE_ONLY_FILTERS
        ]


def _lookup(reference: str, document: str) -> tuple[str, Any]:
    """The document and node ``reference`` names from ``document``: our schemas refer to each
    other by file name and JSON pointer (``common.json#/$defs/timestamp``), so they are read
    here without the ``referencing`` package and its imports (jsonschema's reference validator
    still resolves them through it)."""
    target, _, pointer = reference.removeprefix(BASE_URI).partition("#")
    document = target or document
    node: Any = documents("documented")[document]
    for part in pointer.split("/")[1:]:
        key = unescape_token(part)
        node = node[int(key)] if isinstance(node, list) else node[key]
    return document, node


def _resolve(node: Any) -> dict[str, Any]:
    document = "request.json"
    while isinstance(node, dict) and "$ref" in node:
        document, node = _lookup(node["$ref"], document)
    if not isinstance(node, dict):
        raise TypeError(f"the request schema holds a non-object node: {node!r}")
    return node


def _count_field(name: str, node: Any) -> CountField:
    resolved = _resolve(node)
    branches = [_resolve(b) for b in resolved.get("oneOf", resolved.get("anyOf", [resolved]))]
    minimum = next(int(b.get("minimum", 0)) for b in branches if b.get("type") == "integer")
    blank = next((b["const"] for b in branches if isinstance(b.get("const"), str)), None)
    return CountField(name, minimum, blank)


def _enum(node: Any) -> tuple[Any, ...]:
    return tuple(_resolve(node)["enum"])


@functools.cache
def request_model() -> RequestModel:
    """The request schema's enums and bounds (documented profile)."""
    props = schema("request")["properties"]
    counts: dict[str, CountField] = {}
    dates: list[str] = []
    pattern = ""
    for name, node in props.items():
        resolved = _resolve(node)
        branches = resolved.get("oneOf", [])
        if any(_resolve(b).get("type") == "integer" for b in branches):
            counts[name] = _count_field(name, node)
        elif resolved.get("type") == "string" and "pattern" in resolved:
            dates.append(name)
            pattern = resolved["pattern"]
    sort_props = _resolve(props["sortBy"])["properties"]
    sort_keys = tuple(sort_props)
    directions = _enum(next(iter(sort_props.values())))
    filter_props = _resolve(props["filters"])["properties"]
    filters = {name: _enum(_resolve(node)["items"]) for name, node in filter_props.items()}
    return RequestModel(
        types=_enum(props["type"]),
        counts=counts,
        date_fields=tuple(dates),
        date_pattern=re.compile(pattern),
        sort_keys=sort_keys,
        directions=directions,
        filters=filters,
    )
