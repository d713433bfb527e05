"""Parsing JSON text the same way on every supported Python, with one nesting limit.

orjson does the work and refuses nesting deeper than :data:`MAX_DEPTH` levels. Python's ``json``
is asked only for what orjson refuses and the JSON grammar allows (lone surrogate escapes,
integers past 64 bits) and to explain a refusal; it is handed nothing deeper than
:data:`MAX_DEPTH` levels, whose own limit differs between Python versions (3.13 parses
thousands of levels where 3.11 stops near a thousand). So a text is JSON or not, and nested
too deeply or not, alike on 3.11, 3.12 and 3.13.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from typing import Any

import orjson

MAX_DEPTH = 1024
TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels"

_BOM = b"\xef\xbb\xbf"
# A string (skipped whole, escapes included) or one bracket; possessive, so never backtracking.
_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')
_OPENING = frozenset(b"[{")
# Room for the reference parser's own recursion on top of whatever the caller uses.
_HEADROOM = MAX_DEPTH + 200
_LIMIT_LOCK = threading.Lock()


class _NotJson(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value")


def deeper_than(data: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether ``data`` nests arrays and objects deeper than ``limit`` (strings skipped)."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(data):
        token = match.group()
        if len(token) != 1:
            continue
        if token[0] in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def describe_value(value: Any) -> str:
    """A few words for the JSON type of ``value`` (``an array``, ``a string``, ``null``...)."""
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    return "an object"


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > len(head) // 10


MAX_INTEGER_DIGITS = 4300
"""Python's limit on the digits of an integer read from text (``sys.get_int_max_str_digits``)."""


class IntegerTooLong(ValueError):
    """A JSON integer with more digits than can be read; the message says so in one line."""


def bounded_int(text: str) -> int:
    """A JSON integer; :class:`IntegerTooLong` past :data:`MAX_INTEGER_DIGITS` digits."""
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise IntegerTooLong(
            f"holds an integer of {digits:,} digits, more than the {MAX_INTEGER_DIGITS:,} "
            "that can be read: not checked"
        )
    return int(text)


def lenient_int(text: str) -> int | float:
    """A JSON integer, or an infinity of its sign when it is too long to read: for numbers of
    a capture's envelope (a HAR entry's ``time``) that nothing judges."""
    try:
        return bounded_int(text)
    except IntegerTooLong:
        return float("-inf") if text.startswith("-") else float("inf")


def _reference_loads(text: str) -> Any:
    """``json.loads`` with recursion room for :data:`MAX_DEPTH` levels on every version."""
    with _LIMIT_LOCK:
        before = sys.getrecursionlimit()
        sys.setrecursionlimit(before + _HEADROOM)
        try:
            return json.loads(text, parse_constant=_reject_constant, parse_int=bounded_int)
        finally:
            sys.setrecursionlimit(before)


def parse_json(raw: bytes | memoryview) -> tuple[Any, str | None]:
    """Parse one JSON text; ``(value, None)`` or ``(None, one-line reason it is not JSON)``.

    Never raises: empty, truncated, binary, non-UTF-8, HTML, ``NaN`` and nesting beyond
    :data:`MAX_DEPTH` levels all come back as a reason. A UTF-8 byte order mark is skipped.
    ``raw`` may be a view of a larger buffer (a line of a JSONL range): it is parsed where it
    lies, and copied only to explain why it is not JSON.
    """
    if raw[: len(_BOM)] == _BOM:
        raw = raw[len(_BOM) :]
    try:
        return orjson.loads(raw), None
    except orjson.JSONDecodeError as error:
        refusal = error
    data = bytes(raw)
    if "depth limit" in refusal.msg or "recursion" in refusal.msg or deeper_than(data):
        return None, TOO_DEEP
    if not data.strip():
        return None, "empty document: no JSON text"
    if _looks_binary(data):
        return None, "binary data, not JSON text"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return (
            None,
            f"not UTF-8 text: invalid byte 0x{data[error.start]:02x} at offset {error.start}",
        )
    start = text.lstrip()[:200].lower()
    if start.startswith("<"):
        if start.startswith(("<!doctype html", "<html")) or "<html" in start:
            return None, "an HTML page, not JSON"
        return None, "markup (starts with '<'), not JSON"
    if refusal.msg.startswith("unexpected end of data"):
        return None, (
            "truncated JSON: the text ends before the document is complete "
            f"(line {refusal.lineno} column {refusal.colno})"
        )
    try:
        return _reference_loads(text), None
    except RecursionError:  # pragma: no cover - the headroom above is meant to prevent it
        return None, TOO_DEEP
    except _NotJson as error:
        return None, f"not valid JSON: {error}"
    except IntegerTooLong as error:
        return None, f"the document {error}"
    except json.JSONDecodeError as error:
        return None, f"not valid JSON: {error.msg} (line {error.lineno} column {error.colno})"
    except (ValueError, MemoryError) as error:  # e.g. an integer too long to convert
        return None, f"not valid JSON: {error}"


def loads_or_none(data: bytes) -> Any:
    """The JSON value of ``data``; ``None`` when empty or not JSON (see :func:`parse_json`)."""
    value, problem = parse_json(data)
    return None if problem is not None else value


def dumps_exact(value: Any) -> str:
    """``value`` as JSON text that ``json.loads`` reads back as it was: orjson's text (fast) when
    it wrote ``value`` as it is, else ``json``'s — for NaN and infinities (which orjson writes as
    ``null``), integers past 64 bits, lone surrogates and keys that are not strings (which it
    refuses). Raises ``TypeError`` or ``ValueError`` for what ``json`` cannot write either."""
    try:
        text = orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError included
        return json.dumps(value, ensure_ascii=True)
    if b"null" in text and orjson.loads(text) != value:  # NaN is unequal to itself: json writes it
        return json.dumps(value, ensure_ascii=True)
    return text.decode("utf-8")
