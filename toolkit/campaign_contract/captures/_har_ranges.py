"""Cutting a large HAR file into byte ranges of whole entries, reading only a little of it.

A worker process reads and parses a range itself (``[`` + range + ``]`` is a JSON array of
entries), so the capture's bytes never pass through the process that cuts it, and nothing is
scanned twice. Cuts are found in the layout HAR writers use (browsers, proxies): indented JSON,
one entry closing with ``},`` on a line of its own at the entries' indentation and the next
opening with ``{`` below it. A raw line end never lies inside a JSON string, so such a cut
never splits a string; whether it fell between two entries is proven by the worker's parse:
the text before the first range is checked to end inside ``log.entries``, and a range that
parses as a list of values ends at the depth it started at, so every range that parses holds
whole entries. A range that does not parse (a misleading indentation, a broken file) is read
again, from its first entry on, by the streaming reader, whose verdict is then the final one.

A file laid out otherwise (not starting with ``{"log": {``, not indented, no entries) is
:class:`Uncuttable`; the caller reads it with the streaming reader.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import orjson

_HEAD_BYTES = 2 << 20
_TAIL_BYTES = 1 << 20
_LOOK = 1 << 20
_HEAD = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"log"\s*:\s*\{')
_ENTRIES = re.compile(rb'\n([ \t]*)"entries"\s*:\s*\[([ \t]*)(\r?\n)([ \t]*)\{')


class Uncuttable(Exception):
    """The file is not laid out as this module cuts; read it with the streaming reader."""


@dataclass(frozen=True, slots=True)
class Cut:
    """Bytes ``start``..``end`` of the file: whole entries separated by commas (if it parses)."""

    start: int
    end: int


class HarCutter:
    """The layout of one HAR file, learnt from its head and tail; :meth:`cuts` gives ranges."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self._stream = stream
        self._size = size
        head = self._read(0, _HEAD_BYTES)
        if _HEAD.match(head) is None:
            raise Uncuttable("the file does not start with a log object")
        found = _ENTRIES.search(head)
        if found is None:
            raise Uncuttable("no indented entries array near the start")
        key_indent, newline, indent = found.group(1), found.group(3), found.group(4)
        self.first = found.start(4) - len(newline)  # the line end before the first entry
        prefix = head[: found.start(2)]
        try:  # the key is log's own when closing its array and two objects ends the text
            orjson.loads(prefix + b"]}}")
        except orjson.JSONDecodeError:
            raise Uncuttable("the first entries key is not log.entries") from None
        self.end = self._entries_end(newline + key_indent + b"]")
        tail = self._read(self.end + 1, size - self.end - 1)
        try:
            orjson.loads(prefix + b"]" + tail)
        except orjson.JSONDecodeError:
            raise Uncuttable("what follows the entries does not close the HAR") from None
        self._separator = newline + indent + b"}," + newline + indent + b"{"
        self._comma = len(newline) + len(indent) + 1  # where the comma sits in the separator

    def _read(self, start: int, count: int) -> bytes:
        self._stream.seek(start)
        return self._stream.read(count)

    def _entries_end(self, closing: bytes) -> int:
        """The offset of the ``]`` closing ``log.entries``, found from the end of the file."""
        start = max(0, self._size - _TAIL_BYTES)
        at = self._read(start, self._size - start).rfind(closing)
        if at < 0:
            raise Uncuttable("the end of the entries array is not near the end of the file")
        return start + at + len(closing) - 1

    def cuts(self, size: int) -> Iterator[Cut]:
        """Ranges of about ``size`` bytes covering every entry, in order (the stream must stay
        open while they are taken)."""
        start = self.first
        while start < self.end:
            comma = self._separator_after(start + size)
            if comma is None:
                yield Cut(start, self.end)
                return
            yield Cut(start, comma)
            start = comma + 1

    def _separator_after(self, position: int) -> int | None:
        """The offset of the next comma between two entries at or after ``position``."""
        length = len(self._separator)
        while position < self.end:
            window = self._read(position, min(_LOOK, self.end - position))
            at = window.find(self._separator)
            if at >= 0:
                return position + at + self._comma
            if len(window) < length:
                return None
            position += len(window) - length + 1
        return None


def har_cuts(path: str, size: int) -> Iterator[Cut] | None:
    """Ranges of about ``size`` bytes of the HAR at ``path``, or ``None`` when it is read
    whole (it cannot be opened, or is not laid out as cut here)."""
    try:
        stream = open(path, "rb")  # closed when the ranges are all taken
    except OSError:
        return None
    try:
        cutter = HarCutter(stream, os.fstat(stream.fileno()).st_size)
    except (OSError, Uncuttable):
        stream.close()
        return None
    return _closing(stream, cutter.cuts(size))


def _closing(stream: BinaryIO, cuts: Iterator[Cut]) -> Iterator[Cut]:
    with stream:
        yield from cuts
