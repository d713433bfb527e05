"""JSONL (and NDJSON) captures: one response a line, streamed line by line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from campaign_contract.captures._documents import Document, ReadStats, problem


def read_jsonl(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """One document per non-blank line; ``entry`` is the 1-based line number."""
    found = False
    for number, line in enumerate(stream, start=1):
        if line and not line.isspace():  # as line.strip(), without copying the line
            found = True
            yield Document(source, number, line.rstrip(b"\r\n"))
    if not found:
        yield problem(source, "empty file: no JSON lines")
