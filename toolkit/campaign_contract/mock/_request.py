"""Parsing and validating a getAllCampaignDetails request body into a :class:`Query`.

Every problem is a :class:`RequestError` carrying the 4xx status and a message that names the
field; no input raises anything else. Some faults loosen or break the rules on purpose.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from campaign_contract.mock._faults import F
from campaign_contract.mock._timestamps import parse_iso

TYPES = ("voice", "sms")
STATUSES = (
    "Active",
    "Completed",
    "Ready",
    "Paused",
    "Preparing",
    "Stopped",
    "Scheduled",
    "Rescheduled",
)
PRIORITIES = (1, 2, 3, 4, 5)
DIALING_MODES = ("Progressive", "Preview")
SORT_FIELDS = ("name", "createdAt", "updatedAt")
DIRECTIONS = ("asc", "desc")
MAX_DEPTH = 32
MAX_NUMBER = int(sys.float_info.max)
"""The largest skip, page or limit taken (about 1.8e308, the largest finite double): a larger
number is infinity to most JSON parsers, and one of thousands of digits cannot be echoed."""

_ABSENT = object()


class RequestError(Exception):
    """A request the mock refuses: HTTP ``status``, a one-line ``message`` and any headers the
    answer carries (``Retry-After``, ``Allow``)."""

    def __init__(self, status: int, message: str, headers: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


@dataclass(frozen=True)
class Query:
    """A validated request body. ``None`` means the field was absent (or ``""``, S-05)."""

    type: str
    skip: int | None = None
    page: int | None = None
    limit: int | None = None
    start_ns: int | None = None
    end_ns: int | None = None
    sort: tuple[tuple[str, str], ...] = ()
    status: tuple[str, ...] | None = None
    priority: tuple[int, ...] | None = None
    dialing_mode: tuple[str, ...] | None = None
    raw_skip: Any = None


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects deeper than ``limit`` (strings skipped)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def decode_body(raw: bytes) -> Any:
    """The JSON value of ``raw``, or :class:`RequestError` (400) saying why it is not one."""
    if not raw.strip():
        raise RequestError(400, "request body is empty; send a JSON object with at least type")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(400, "request body is not valid UTF-8") from None
    if too_deep(text):
        raise RequestError(400, f"request body nests deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise RequestError(400, f"request body nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise RequestError(400, f"request body is not valid JSON: {reason}") from None


def _whole(value: Any) -> int | None:
    """``value`` as an int when it is a JSON integer (``3`` or ``3.0``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


class _Parser:
    def __init__(self, faults: Collection[str]) -> None:
        self.faults = faults

    def bad(self, message: str) -> RequestError:
        return RequestError(400, message)

    def lenient(self) -> bool:
        return F.INVALID_ENUM_ACCEPTED in self.faults

    def number(self, body: dict[str, Any], field: str, minimum: int) -> int | None:
        value = body.get(field, _ABSENT)
        if value is _ABSENT:
            return None
        if value == "" and isinstance(value, str):
            if F.EMPTY_STRING_REJECTED in self.faults:
                raise self.bad(f"{field} must be a number")
            return None
        whole = _whole(value)
        if whole is not None and whole < minimum and field == "skip":
            if F.NEGATIVE_SKIP_ACCEPTED in self.faults:
                return 0
        if whole is None or whole < minimum:
            raise self.bad(
                f"{field} must be a whole number of at least {minimum}, or an empty string"
            )
        if whole > MAX_NUMBER:
            raise self.bad(f"{field} is too large to page by or echo (at most about 1.8e308)")
        return whole

    def campaign_type(self, body: dict[str, Any]) -> str:
        value = body.get("type", _ABSENT)
        if value is _ABSENT and F.MISSING_TYPE_DEFAULTS_VOICE in self.faults:
            return "voice"
        if value is _ABSENT:
            raise self.bad('type is required: "voice" or "sms"')
        if value not in TYPES or not isinstance(value, str):
            if self.lenient():
                return "voice"
            raise self.bad('type must be "voice" or "sms"')
        return value

    def date(self, body: dict[str, Any], field: str) -> int | None:
        value = body.get(field, _ABSENT)
        if value is _ABSENT:
            return None
        if not isinstance(value, str):
            raise self.bad(f"{field} must be an ISO 8601 date or date-time string")
        ns = parse_iso(value)
        if ns is None:
            raise self.bad(f"{field} is not a valid ISO 8601 date or date-time")
        return ns

    def sort(self, body: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        value = body.get("sortBy", _ABSENT)
        if value is _ABSENT:
            return ()
        if not isinstance(value, dict):
            raise self.bad('sortBy must be an object such as {"createdAt": "desc"}')
        keys: list[tuple[str, str]] = []
        for field, direction in value.items():
            if field not in SORT_FIELDS:
                if self.lenient():
                    continue
                raise self.bad(f"sortBy.{field} is not a sort field (name, createdAt, updatedAt)")
            if direction not in DIRECTIONS or not isinstance(direction, str):
                if self.lenient():
                    direction = "asc"
                else:
                    raise self.bad(f'sortBy.{field} must be "asc" or "desc"')
            keys.append((field, direction))
        return tuple(keys)

    def filters(
        self, body: dict[str, Any]
    ) -> tuple[tuple[str, ...] | None, tuple[int, ...] | None, tuple[str, ...] | None]:
        value = body.get("filters", _ABSENT)
        if value is _ABSENT:
            return None, None, None
        if not isinstance(value, dict):
            raise self.bad("filters must be an object")
        for field in value:
            if field not in ("status", "priority", "dialingMode") and not self.lenient():
                raise self.bad(f"filters.{field} is not a filter (status, priority, dialingMode)")
        status = self.values(value, "status", STATUSES, str)
        priority = self.values(value, "priority", PRIORITIES, int)
        dialing = self.values(value, "dialingMode", DIALING_MODES, str)
        return (
            tuple(str(v) for v in status) if status is not None else None,
            tuple(int(v) for v in priority) if priority is not None else None,
            tuple(str(v) for v in dialing) if dialing is not None else None,
        )

    def values(
        self, filters: dict[str, Any], field: str, allowed: tuple[Any, ...], kind: type
    ) -> tuple[Any, ...] | None:
        items = filters.get(field, _ABSENT)
        if items is _ABSENT:
            return None
        if not isinstance(items, list):
            raise self.bad(f"filters.{field} must be an array")
        chosen: list[Any] = []
        for index, item in enumerate(items):
            value = _whole(item) if kind is int else item
            if value is None or not isinstance(value, kind) or value not in allowed:
                if self.lenient():
                    continue
                names = ", ".join(str(a) for a in allowed)
                raise self.bad(f"filters.{field}[{index}] must be one of {names}")
            chosen.append(value)
        if not chosen:
            return None  # S-22: an empty array is no filter
        if F.FILTER_FIRST_VALUE_ONLY in self.faults:
            chosen = chosen[:1]
        return tuple(chosen)


def parse_query(body: Any, faults: Collection[str] = ()) -> Query:
    """Validate a decoded request body; :class:`RequestError` (400) names the first bad field."""
    parser = _Parser(faults)
    if not isinstance(body, dict):
        raise parser.bad("request body must be a JSON object")
    campaign_type = parser.campaign_type(body)
    skip = parser.number(body, "skip", 0)
    page = parser.number(body, "page", 1)
    limit = parser.number(body, "limit", 1)
    start = parser.date(body, "startDate")
    end = parser.date(body, "endDate")
    sort = parser.sort(body)
    status, priority, dialing = parser.filters(body)
    return Query(
        type=campaign_type,
        skip=skip,
        page=page,
        limit=limit,
        start_ns=start,
        end_ns=end,
        sort=sort,
        status=status,
        priority=priority,
        dialing_mode=dialing,
        raw_skip=body.get("skip"),
    )


def parse_request(raw: bytes, faults: Collection[str] = ()) -> Query:
    """Decode and validate a raw request body; only :class:`RequestError` escapes."""
    return parse_query(decode_body(raw), faults)
