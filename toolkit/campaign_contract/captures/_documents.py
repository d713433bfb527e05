"""What the capture readers yield: one :class:`Document` per response found, the request of
a HAR entry, and the counts gathered while reading."""

from __future__ import annotations

from dataclasses import dataclass


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
    body: bytes | None
    problem: str | None = None
    status: int | None = None
    request: CapturedRequest | None = None


@dataclass
class ReadStats:
    """Counts gathered while reading, for the summary."""

    inputs: int = 0
    documents: int = 0
    ignored_entries: int = 0
