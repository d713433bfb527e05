"""From paths to documents: files by extension, directories searched, ``-`` for stdin.

Each file goes to the reader for its extension (:data:`EXTENSIONS`; others are sniffed). An
input that cannot be opened or read part-way becomes a problem document and the others are
still read. JSONL and HAR inputs are streamed: memory stays bounded by the largest single
document, not by the size of the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from campaign_contract.captures._documents import Document, Reader, ReadStats, problem
from campaign_contract.captures._har import read_har
from campaign_contract.captures._json_file import read_auto, read_json
from campaign_contract.captures._jsonl import read_jsonl

STDIN = "-"
STDIN_SOURCE = "<stdin>"
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".har": "har"}
_READERS: dict[str, Reader] = {"json": read_json, "jsonl": read_jsonl, "har": read_har}


def format_of(path: str) -> str | None:
    """``json``, ``jsonl`` or ``har`` from the extension of ``path``; ``None`` to sniff."""
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def reader_for(path: str) -> Reader:
    """The reader for ``path``'s extension; the sniffing reader for any other."""
    return _READERS.get(format_of(path) or "", read_auto)


def files_under(directory: Path) -> list[Path]:
    """Every ``.json``, ``.jsonl``/``.ndjson`` and ``.har`` file below ``directory``, sorted."""
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in files:
            if os.path.splitext(name)[1].lower() in EXTENSIONS:
                found.append(Path(root) / name)
    return sorted(found)


def os_reason(error: OSError) -> str:
    """A few words for why a file could not be read."""
    return error.strerror or type(error).__name__


def _read_path(path: str, stats: ReadStats) -> Iterator[Document]:
    target = Path(path)
    if target.is_dir():
        files = files_under(target)
        if not files:
            yield problem(path, "directory holds no .json, .jsonl or .har files")
        for file in files:
            yield from _read_file(str(file), stats)
        return
    yield from _read_file(path, stats)


def _read_file(path: str, stats: ReadStats) -> Iterator[Document]:
    stats.inputs += 1
    try:
        stream = open(path, "rb")  # closed by the `with` below, after streaming
    except OSError as error:
        yield problem(path, f"cannot read: {os_reason(error)}")
        return
    with stream:
        yield from _guarded(path, reader_for(path)(path, stream, stats))


def _guarded(source: str, documents: Iterator[Document]) -> Iterator[Document]:
    try:
        yield from documents
    except OSError as error:
        yield problem(source, f"cannot read: {os_reason(error)}")
    except Exception as error:  # one input must never stop the others
        yield problem(source, f"could not read the rest ({type(error).__name__}: {error})"[:300])


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
                yield problem(STDIN_SOURCE, "no standard input available")
                continue
            documents: Iterator[Document] = _guarded(
                STDIN_SOURCE, read_auto(STDIN_SOURCE, stdin, stats)
            )
        else:
            documents = _read_path(path, stats)
        for document in documents:
            stats.documents += 1
            yield document
