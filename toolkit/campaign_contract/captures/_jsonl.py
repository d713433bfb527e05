"""JSONL (and NDJSON) captures: one response a line, streamed line by line."""

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


def read_jsonl(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """One document per non-blank line; ``entry`` is the 1-based line number."""
    found = False
    for document in line_documents(source, stream):
        found = True
        yield document
    if not found:
        yield problem(source, "empty file: no JSON lines")
