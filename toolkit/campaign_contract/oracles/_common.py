"""Small pure helpers shared by the oracles: timestamps, request numbers, ids, listings."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from campaign_contract.validation._validators import results_of

_T = TypeVar("_T")

NS = 1_000_000_000
_DAY_NS = 86_400 * NS
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# A naive local time is an instant between 14 hours before it (UTC+14) and 12 hours after
# it (UTC-12); window bounds without an offset are widened to the whole range (S-08, S-09).
_EARLIEST_OFFSET_NS = 14 * 3600 * NS
_LATEST_OFFSET_NS = 12 * 3600 * NS

_TIMESTAMP = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)
_BASIC = re.compile(  # 20251204T103000.5Z: ISO 8601's basic format, read as the extended one
    r"(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})([.,]\d+)?)?([Zz]|[+-]\d{2}(?:\d{2})?)?",
    re.ASCII,
)


def _extended(text: str) -> str:
    """A basic-format date-time written in the extended format; any other text as it is."""
    basic = _BASIC.fullmatch(text)
    if basic is None:
        return text
    year, month, day, hour, minute, second, fraction, zone = basic.groups()
    seconds = f":{second}{fraction or ''}" if second else ""
    return f"{year}-{month}-{day}T{hour}:{minute}{seconds}{zone or ''}"


def remembered_when_short(
    function: Callable[[str], _T], *, longest: int, maxsize: int
) -> Callable[[str], _T]:
    """``function`` of a string, remembered for strings of at most ``longest`` characters: the
    oracles meet the same timestamps and names many times in a run, and a server's huge
    strings must not fill memory."""
    remembered = functools.lru_cache(maxsize=maxsize)(function)

    def lookup(text: str) -> _T:
        return remembered(text) if len(text) <= longest else function(text)

    return lookup


def _parse(value: Any) -> tuple[int, int, bool] | None:
    """``(epoch nanoseconds, precision in nanoseconds, has an offset)``; ``None`` if unreadable.

    A value without an offset is read as UTC here; callers decide what else it may mean.
    """
    if not isinstance(value, str):
        return None
    return _remembered(value)


def _parse_text(value: str) -> tuple[int, int, bool] | None:
    """:func:`_parse` of a string (remembered when short: the oracles read the same
    timestamps many times, and a server's huge strings are not kept)."""
    match = _TIMESTAMP.fullmatch(_extended(value.strip()))
    if match is None:
        return None
    try:
        day = date(int(match["y"]), int(match["mo"]), int(match["d"])).toordinal()
    except ValueError:
        return None
    hour, minute = int(match["h"] or 0), int(match["mi"] or 0)
    second = int(match["s"] or 0)
    if hour > 23 or minute > 59 or second > 60:
        return None
    fraction = match["f"] or ""
    if match["h"] is None:
        unit = _DAY_NS
    elif match["s"] is None:
        unit = 60 * NS
    else:
        unit = 10 ** max(0, 9 - len(fraction))
    nanos = int((fraction + "000000000")[:9]) if fraction else 0
    offset = 0
    tz = match["tz"]
    if tz and tz not in "Zz":
        digits = tz[1:].replace(":", "")
        offset = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
        offset = -offset if tz[0] == "-" else offset
    seconds = (day - _EPOCH_ORDINAL) * 86_400 + hour * 3600 + minute * 60 + second - offset
    return seconds * NS + nanos, unit, bool(tz)


_remembered = remembered_when_short(_parse_text, longest=64, maxsize=1 << 16)


def instant(value: Any) -> int | None:
    """An ISO 8601 date or date-time as epoch nanoseconds (no offset: UTC), else ``None``."""
    parsed = _parse(value)
    return None if parsed is None else parsed[0]


def window_bound(value: Any, *, upper: bool) -> int | None:
    """The most lenient instant a window bound can mean (SPEC_NOTES S-08/S-09).

    An upper bound covers the whole unit it is written in (``2025-12-04`` includes that day,
    ``…T10:00Z`` that minute); a bound without an offset may be in any time zone.
    """
    parsed = _parse(value)
    if parsed is None:
        return None
    nanos, unit, zoned = parsed
    if upper:
        return nanos + unit - 1 + (0 if zoned else _LATEST_OFFSET_NS)
    return nanos - (0 if zoned else _EARLIEST_OFFSET_NS)


def request_int(value: Any, minimum: int) -> tuple[bool, int | None]:
    """Read a request number: ``(judgeable, value)``; absent or ``""`` is ``(True, None)``.

    Booleans, fractions, strings and numbers below ``minimum`` cannot be judged (S-05, S-20).
    """
    if value is None or value == "":
        return True, None
    if isinstance(value, bool):
        return False, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value >= minimum:
        return True, value
    return False, None


def whole(value: Any) -> int | None:
    """An integer response figure (not a boolean), else ``None``. A number written with a
    zero fraction (``5.0``) is that integer, as JSON Schema reads it (SPEC_NOTES S-45)."""
    if isinstance(value, int):
        return None if isinstance(value, bool) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def data_of(doc: Any) -> dict[str, Any] | None:
    data = doc.get("data") if isinstance(doc, dict) else None
    return data if isinstance(data, dict) else None


def field_of(doc: Any, name: str) -> Any:
    data = data_of(doc)
    return None if data is None else data.get(name)


def _id_value(value: Any) -> str | int | None:
    return value if isinstance(value, str) else whole(value)


def campaign_id(item: Any) -> str | int | None:
    """A campaign's ``id``, else its ``_id`` (SPEC_NOTES S-01); a bare id is its own id."""
    if not isinstance(item, dict):
        return _id_value(item)
    for name in ("id", "_id"):
        found = _id_value(item.get(name))
        if found is not None:
            return found
    return None


def is_page(doc: Any) -> bool:
    """True for a response body (an object with a ``data`` object)."""
    return data_of(doc) is not None


def listing_items(listing: Any) -> list[Any]:
    """The campaigns of a listing: a response body, a crawl (list of bodies) or a list of items."""
    if is_page(listing):
        return results_of(listing)
    if isinstance(listing, (list, tuple)):
        if listing and all(is_page(page) for page in listing):
            return [item for page in listing for item in results_of(page)]
        return list(listing)
    return []


# The fields two answers to related requests are compared on: the sort keys and the filtered
# fields. Counters and execution times (totalMessagesSent, campaignInstanceUpdatedAt, …) move on
# a live tenant between two requests and are never compared (S-42).
COMPARED_FIELDS = ("name", "createdAt", "updatedAt", "status", "priority", "dialingMode")


def compared_view(item: Any) -> Any:
    """A campaign cut to its id and :data:`COMPARED_FIELDS`; anything else as it is."""
    if not isinstance(item, dict):
        return item
    return {key: item[key] for key in ("id", "_id", *COMPARED_FIELDS) if key in item}


def identity(item: Any) -> Any:
    """What tells two items apart: the campaign id, else the canonical JSON of its
    :func:`compared_view`."""
    found = campaign_id(item)
    if found is not None:
        return found
    return json.dumps(compared_view(item), sort_keys=True, default=str)


def show(value: Any, width: int = 80) -> str:
    """Compact JSON for messages, shortened to ``width`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except ValueError:
        text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def show_ids(ids: Iterable[Any], at_most: int = 5) -> str:
    listed = sorted(ids, key=str)
    shown = ", ".join(str(i) for i in listed[:at_most])
    more = len(listed) - at_most
    return shown + (f" and {more} more" if more > 0 else "")


def enumerate_results(doc: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index, result)`` for every result that is an object."""
    for index, item in enumerate(results_of(doc)):
        if isinstance(item, dict):
            yield index, item


def first_int(values: Sequence[Any]) -> int | None:
    for value in values:
        found = whole(value)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Listing:
    """What a listing argument tells: its total and, when complete, its campaign ids."""

    total: int | None
    ids: frozenset[Any] | None


def _id_set(items: list[Any]) -> frozenset[Any] | None:
    ids = [campaign_id(item) for item in items]
    return None if any(found is None for found in ids) else frozenset(ids)


def listing_of(value: Any) -> Listing:
    """Read a total, a response body, a crawl, or a collection of campaigns or ids."""
    if whole(value) is not None:
        return Listing(value, None)
    if is_page(value):
        total = whole(field_of(value, "totalResults"))
        items = results_of(value)
        complete = (
            whole(field_of(value, "skip")) == 0
            and field_of(value, "hasMore") is False
            and total == len(items)
        )
        return Listing(total, _id_set(items) if complete else None)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = listing_items(list(value))
        ids = _id_set(items)
        claimed = None
        if value and all(is_page(page) for page in value):
            claimed = first_int([field_of(page, "totalResults") for page in value])
        if claimed is None:
            claimed = len(ids) if ids is not None else len(items)
        return Listing(claimed, ids)
    return Listing(None, None)
