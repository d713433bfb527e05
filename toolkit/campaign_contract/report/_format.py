"""Small text helpers shared by the HTML and Markdown writers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from campaign_contract._text import plural
from campaign_contract.report._json import jsonable
from campaign_contract.report._model import RunRecord

VERDICT_WORDS = {
    "passed": "Passed",
    "failed": "Failed",
    "incomplete": "Incomplete",
    "empty": "No checks ran",
}


def seconds(value: float) -> str:
    """A duration for people: ``850 ms``, ``12.3 s``, ``4 min 05 s``."""
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 60:
        return f"{value:.1f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s"


def body_text(body: Any, indent: int | None = 2) -> str:
    """A request body as JSON, indented by ``indent`` (``None``: on one line); bytes (a raw
    body) decoded as they are."""
    if isinstance(body, bytes | bytearray):
        return bytes(body).decode("utf-8", "replace")
    return json.dumps(jsonable(body), indent=indent, ensure_ascii=False)


NOT_SET = "not set"
EMPTY = "—"


def value_text(value: Any) -> str:
    """A settings value on one line for people: ``not set`` for nothing, ``—`` for an empty
    list or text, a list as its items joined by commas."""
    if value is None:
        return NOT_SET
    if value in ("", [], (), {}):
        return EMPTY
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(jsonable(value), ensure_ascii=False)


def moment(value: datetime | float) -> str:
    """A UTC time stamp for people: ``2025-12-08 09:17:21 UTC``."""
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def clock(value: float) -> str:
    """A time of day with milliseconds, for throttling events."""
    return datetime.fromtimestamp(value, UTC).strftime("%H:%M:%S.%f")[:-3]


def first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def count_phrase(record: RunRecord) -> str:
    """``12 checks: 10 passed, 1 failed, 0 errors, 1 skipped``."""
    t = record.totals()
    noun = "document" if record.kind == "validation" else "check"
    return (
        f"{plural(t.checks, noun)}: {t.passed} passed, {t.failed} failed, "
        f"{plural(t.error, 'error')}, {t.skipped} skipped"
    )
