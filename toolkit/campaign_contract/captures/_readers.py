"""Readers for captured traffic: JSON files, JSONL dumps, HAR captures, directories and stdin.

Every reader yields :class:`Document` values, one per response found, without checking them.
A document carries the raw bytes of the response body (parsing is part of validation, so the
readers stay cheap and the documents can be handed to other processes), where it came from,
and, for HAR entries, the HTTP status and the request. Problems with the input itself (a file
that cannot be opened, a HAR without entries) become documents with a ``problem`` so that one
bad input never stops the others from being read.

JSONL and HAR inputs are streamed: memory stays bounded by the largest single document, not by
the size of the file. The HAR reader (``_har``) masks credentials where they are read; the
document types are in ``_documents``.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from campaign_contract.captures._documents import CapturedRequest as CapturedRequest
from campaign_contract.captures._documents import Document as Document
from campaign_contract.captures._documents import ReadStats as ReadStats
from campaign_contract.captures._har import read_har as read_har

STDIN = "-"
STDIN_SOURCE = "<stdin>"
MAX_DEPTH = 1024
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".har": "har"}

_HEAD_SIZE = 64 * 1024
_HAR_START = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"log"\s*:')
_BOM = b"\xef\xbb\xbf"


# --- parsing ---------------------------------------------------------------------------------


class _NotJson(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value")


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


def parse_json(data: bytes) -> tuple[Any, str | None]:
    """Parse one JSON text; ``(value, None)`` or ``(None, one-line reason it is not JSON)``.

    orjson does the work; Python's ``json`` is asked only when orjson refuses, both to accept
    what the JSON grammar allows and orjson does not (lone surrogate escapes) and to explain
    the failure. Never raises: empty, truncated, binary, non-UTF-8, HTML, ``NaN`` and nesting
    beyond ``MAX_DEPTH`` levels all come back as a reason.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return orjson.loads(data), None
    except orjson.JSONDecodeError as error:
        refusal = error
    if "depth limit" in refusal.msg or "recursion" in refusal.msg:
        return None, f"JSON nested deeper than {MAX_DEPTH} levels"
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
        return json.loads(text, parse_constant=_reject_constant), None
    except RecursionError:
        return None, f"JSON nested deeper than {MAX_DEPTH} levels"
    except _NotJson as error:
        return None, f"not valid JSON: {error}"
    except json.JSONDecodeError as error:
        return None, f"not valid JSON: {error.msg} (line {error.lineno} column {error.colno})"


# --- streams ---------------------------------------------------------------------------------


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


def _sniffed(stream: BinaryIO) -> tuple[bytes, io.BufferedReader]:
    head = stream.read(_HEAD_SIZE)
    return head, io.BufferedReader(_Prefixed(head, stream), buffer_size=_HEAD_SIZE)


def _is_har_head(head: bytes) -> bool:
    return _HAR_START.match(head) is not None


# --- readers ---------------------------------------------------------------------------------


def _problem(source: str, message: str, entry: int | None = None) -> Document:
    return Document(source, entry, None, problem=message)


def read_json(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """One document holding the whole stream (a HAR is detected and read as one)."""
    head, reader = _sniffed(stream)
    if _is_har_head(head):
        yield from read_har(source, reader, stats)
        return
    yield Document(source, None, reader.read())


def read_jsonl(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """One document per non-blank line; ``entry`` is the 1-based line number."""
    found = False
    for number, line in enumerate(stream, start=1):
        if line.strip():
            found = True
            yield Document(source, number, line.rstrip(b"\r\n"))
    if not found:
        yield _problem(source, "empty file: no JSON lines")


def read_auto(source: str, stream: BinaryIO, stats: ReadStats) -> Iterator[Document]:
    """Sniff the format: a HAR by its ``{"log":`` start; JSONL when the first non-blank line
    is a complete JSON value and more non-blank lines follow; otherwise one JSON document."""
    head, reader = _sniffed(stream)
    if _is_har_head(head):
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


Reader = Callable[[str, BinaryIO, ReadStats], Iterator[Document]]


def _reader_for(path: str) -> Reader:
    readers: dict[str, Reader] = {"json": read_json, "jsonl": read_jsonl, "har": read_har}
    return readers.get(EXTENSIONS.get(os.path.splitext(path)[1].lower(), ""), read_auto)


def files_under(directory: Path) -> list[Path]:
    """Every ``.json``, ``.jsonl``/``.ndjson`` and ``.har`` file below ``directory``, sorted."""
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in files:
            if os.path.splitext(name)[1].lower() in EXTENSIONS:
                found.append(Path(root) / name)
    return sorted(found)


def _read_path(path: str, stats: ReadStats) -> Iterator[Document]:
    target = Path(path)
    if target.is_dir():
        files = files_under(target)
        if not files:
            yield _problem(path, "directory holds no .json, .jsonl or .har files")
        for file in files:
            yield from _read_file(str(file), stats)
        return
    yield from _read_file(path, stats)


def _os_reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _read_file(path: str, stats: ReadStats) -> Iterator[Document]:
    stats.inputs += 1
    try:
        stream = open(path, "rb")  # closed by the `with` below, after streaming
    except OSError as error:
        yield _problem(path, f"cannot read: {_os_reason(error)}")
        return
    with stream:
        yield from _guarded(path, _reader_for(path)(path, stream, stats))


def _guarded(source: str, documents: Iterator[Document]) -> Iterator[Document]:
    try:
        yield from documents
    except OSError as error:
        yield _problem(source, f"cannot read: {_os_reason(error)}")


def iter_documents(
    paths: Iterable[str],
    *,
    stdin: BinaryIO | None = None,
    stats: ReadStats | None = None,
) -> Iterator[Document]:
    """Every document in ``paths`` (files, directories, ``-`` for ``stdin``), in order, lazily."""
    stats = stats if stats is not None else ReadStats()
    for path in paths:
        if path == STDIN:
            stats.inputs += 1
            if stdin is None:
                yield _problem(STDIN_SOURCE, "no standard input available")
                continue
            documents: Iterator[Document] = _guarded(
                STDIN_SOURCE, read_auto(STDIN_SOURCE, stdin, stats)
            )
        else:
            documents = _read_path(path, stats)
        for document in documents:
            stats.documents += 1
            yield document
