"""What the capture readers yield: one :class:`Document` per response found, and read counts.

A document carries the raw bytes of the response body (parsing is part of validation, so the
readers stay cheap and the documents can be handed to other processes), where it came from,
and, for HAR entries, the HTTP status and the request. Problems with the input itself (a file
that cannot be opened, a HAR without entries) become documents with a ``problem`` so that one
bad input never stops the others from being read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True, slots=True)
class CapturedRequest:
    """The request of a HAR entry; credential headers and query values masked."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None


@dataclass(frozen=True, slots=True)
class Document:
    """One response to check, as read: raw body bytes plus where they came from.

    ``entry`` is the 0-based index of a HAR entry, the 1-based line number in a JSONL file, or
    ``None``. ``problem`` says why the input could not be read (then ``body`` is usually
    ``None``). ``status`` and ``request`` are known only for HAR entries.
    """

    source: str
    entry: int | None
    body: bytes | memoryview | None
    """The body's bytes: a view of a larger buffer for the lines of a JSONL range, which is
    valid while the range is being checked."""
    problem: str | None = None
    status: int | None = None
    request: CapturedRequest | None = None


@dataclass
class ReadStats:
    """Counts gathered while reading, for the summary."""

    inputs: int = 0
    documents: int = 0
    ignored_entries: int = 0


Reader = Callable[[str, BinaryIO, ReadStats], Iterator[Document]]
"""A reader: the documents of one input stream, given its source name; counts go to stats."""


def problem(source: str, message: str, entry: int | None = None) -> Document:
    """A document that stands for an input that could not be read."""
    return Document(source, entry, None, problem=message)
