"""JSONL (and NDJSON) captures: one response a line, streamed line by line, or cut from a
buffer that holds many lines (a range a worker read) without copying them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from campaign_contract.captures._documents import Document, ReadStats, problem


def line_documents(source: str, lines: Iterable[bytes]) -> Iterator[Document]:
    """One document per non-blank line (line end stripped); ``entry`` is the 1-based line
    number among ``lines``."""
    for number, line in enumerate(lines, start=1):
        if line and not line.isspace():  # as line.strip(), without copying the line
            yield Document(source, number, line.rstrip(b"\r\n"))


_WHITESPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.isspace() counts


def buffer_documents(source: str, buffer: bytearray, length: int) -> tuple[list[Document], int]:
    """The documents among the first ``length`` bytes of ``buffer``, as :func:`line_documents`
    gives them for those bytes split at line ends, each body a view of ``buffer`` rather than
    a copy; and the number of line ends found."""
    view = memoryview(buffer)
    find = buffer.find
    documents: list[Document] = []
    number = start = 0
    while True:
        end = find(b"\n", start, length)
        last = end < 0
        if last:
            end = length
        number += 1
        stop = end
        while stop > start and buffer[stop - 1] == 13:  # a line end's \r, as rstrip(b"\r\n")
            stop -= 1
        if stop > start and (buffer[start] not in _WHITESPACE or not buffer[start:end].isspace()):
            documents.append(Document(source, number, view[start:stop]))
        if last:
            return documents, number - 1
        start = end + 1


def read_jsonl(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """One document per non-blank line; ``entry`` is the 1-based line number."""
    found = False
    for document in line_documents(source, stream):
        found = True
        yield document
    if not found:
        yield problem(source, "empty file: no JSON lines")
