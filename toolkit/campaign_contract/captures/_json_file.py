"""JSON captures: a ``.json`` file holding one response, and inputs whose format is sniffed.

A ``.json`` file may hold a HAR; a file with another extension, or standard input, may be a
HAR, JSONL or one JSON document. The format is told from the first bytes, which are handed on,
so a stream is read once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from campaign_contract._json import parse_json
from campaign_contract.captures._documents import Document, ReadStats
from campaign_contract.captures._har import read_har

_HEAD_SIZE = 64 * 1024
_HAR_START = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"log"\s*:')


class _Prefixed(io.RawIOBase):
    """A raw stream that yields ``head`` and then whatever ``rest`` still holds."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        if self._head:
            count = min(len(target), len(self._head))
            target[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(target))
        target[: len(data)] = data
        return len(data)


def sniffed(stream: BinaryIO) -> tuple[bytes, io.BufferedReader]:
    """The first bytes of ``stream`` and a stream that still yields them."""
    head = stream.read(_HEAD_SIZE)
    return head, io.BufferedReader(_Prefixed(head, stream), buffer_size=_HEAD_SIZE)


def is_har_head(head: bytes) -> bool:
    """Whether a stream starting with ``head`` is a HAR (a JSON object whose first key is log)."""
    return _HAR_START.match(head) is not None


def read_json(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """One document holding the whole stream (a HAR is detected and read as one)."""
    head, reader = sniffed(stream)
    if is_har_head(head):
        yield from read_har(source, reader, stats)
        return
    yield Document(source, None, reader.read())


def read_auto(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """Sniff the format: a HAR by its ``{"log":`` start; JSONL when the first non-blank line
    is a complete JSON value and more non-blank lines follow; otherwise one JSON document."""
    head, reader = sniffed(stream)
    if is_har_head(head):
        yield from read_har(source, reader, stats)
        return
    consumed: list[bytes] = []
    numbered: list[tuple[int, bytes]] = []
    number = 0
    while len(numbered) < 2:
        line = reader.readline()
        if not line:
            break
        number += 1
        consumed.append(line)
        if line.strip():
            numbered.append((number, line))
    if len(numbered) == 2 and parse_json(numbered[0][1])[1] is None:
        for line_number, line in numbered:
            yield Document(source, line_number, line.rstrip(b"\r\n"))
        for line_number, line in enumerate(reader, start=number + 1):
            if line.strip():
                yield Document(source, line_number, line.rstrip(b"\r\n"))
        return
    consumed.append(reader.read())
    yield Document(source, None, b"".join(consumed))
