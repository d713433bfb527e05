"""ISO 8601 timestamps as integer nanoseconds since the epoch (UTC), and back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

NS_PER_SECOND = 1_000_000_000
NS_PER_MS = 1_000_000
NS_PER_DAY = 86_400 * NS_PER_SECOND
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_ISO = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:T(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,9}))?)?"
    r"(?P<tz>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)

_CANONICAL = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z"
)
"""The form :func:`format_iso` writes (and most campaigns carry): read without ``datetime``."""


def parse_iso(text: str) -> int | None:
    """Nanoseconds since the epoch for an ISO 8601 date or date-time, ``None`` if it is not one.

    A date alone means midnight UTC; a date-time without an offset is read as UTC.
    """
    canonical = _CANONICAL.fullmatch(text)
    if canonical is None:
        return parse_any_iso(text)
    day, hour, minute, second, milli = canonical.groups()
    midnight = _midnight(day)
    h, mi, s = int(hour), int(minute), int(second)
    if midnight is None or h > 23 or mi > 59 or s > 59:
        return None
    return midnight + ((h * 60 + mi) * 60 + s) * NS_PER_SECOND + int(milli) * NS_PER_MS


@lru_cache(maxsize=4096)
def _midnight(day: str) -> int | None:
    return parse_any_iso(day)


def parse_any_iso(text: str) -> int | None:
    """:func:`parse_iso` by way of ``datetime``, for every form (its fast path must agree)."""
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    part = match.groupdict()
    try:
        moment = datetime(
            int(part["y"]),
            int(part["mo"]),
            int(part["d"]),
            int(part["h"] or 0),
            int(part["mi"] or 0),
            int(part["s"] or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    offset = _offset_seconds(part["tz"])
    if offset is None:
        return None
    seconds = (moment - _EPOCH) // timedelta(seconds=1) - offset
    fraction = int((part["f"] or "0").ljust(9, "0"))
    return seconds * NS_PER_SECOND + fraction


def _offset_seconds(zone: str | None) -> int | None:
    if zone is None or zone == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        return None
    sign = -1 if zone[0] == "-" else 1
    return sign * (hours * 3600 + minutes * 60)


def format_iso(ns: int) -> str:
    """``2025-12-08T09:17:21.090Z`` for a whole number of milliseconds since the epoch."""
    days, ms = divmod(ns // NS_PER_MS, _MS_PER_DAY)
    seconds, milli = divmod(ms, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{_date(days)}T{hour:02d}:{minute:02d}:{second:02d}.{milli:03d}Z"


_MS_PER_DAY = NS_PER_DAY // NS_PER_MS


@lru_cache(maxsize=4096)
def _date(days: int) -> str:
    """``2025-12-08`` for a day counted from the epoch."""
    day = _EPOCH + timedelta(days=days)
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def format_js(ns: int) -> str:
    """The same moment as JavaScript's ``Date.prototype.toString()`` writes it in UTC."""
    moment = _EPOCH + timedelta(microseconds=ns // 1000)
    day = _DAYS[moment.weekday()]
    month = _MONTHS[moment.month - 1]
    clock = moment.strftime("%d %Y %H:%M:%S")
    return f"{day} {month} {clock} GMT+0000 (Coordinated Universal Time)"
