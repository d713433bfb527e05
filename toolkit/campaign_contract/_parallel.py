"""Validating a stream of documents on several cores, in input order.

Documents are read in this process (so reading stays streamed and :class:`ReadStats` stays
exact), grouped into chunks of about a megabyte and checked by worker processes with the same
:func:`validate_document` a serial run uses; results come back in input order, so the output of
a parallel run is identical to a serial one. At most ``2 * jobs`` chunks are in flight, so
memory stays bounded whatever the size of the input.

``jobs=None`` means automatic: the first :data:`SERIAL_BYTES` of input are checked in this
process, and only an input that goes on past that starts one worker per core. Small inputs
therefore never pay for starting processes.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, BinaryIO

from . import _fastpath
from ._captures import Document, ReadStats, iter_documents
from ._schemas import Profile
from ._validate import CampaignType
from ._validation_run import DocumentResult, validate_document

SERIAL_BYTES = 8 << 20
CHUNK_BYTES = 1 << 20
CHUNK_DOCUMENTS = 512

Chunk = list[Document]


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _size(document: Document) -> int:
    size = len(document.body) if document.body is not None else 0
    if document.request is not None and document.request.body is not None:
        size += len(document.request.body)
    return size


def _chunks(documents: Iterator[Document]) -> Iterator[Chunk]:
    chunk: Chunk = []
    size = 0
    for document in documents:
        chunk.append(document)
        size += _size(document)
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_DOCUMENTS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _validate_chunk(
    chunk: Chunk, campaign_type: CampaignType | None, profile: Profile
) -> list[DocumentResult]:
    return [validate_document(document, campaign_type, profile) for document in chunk]


def _context() -> Any:
    # fork shares the parent's imported modules and compiled validators with the workers.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _warm(profile: Profile) -> None:
    for kind in ("voice", "sms", "request", "error"):
        _fastpath.compiled_validator(kind, profile)


def _in_pool(
    documents: Iterator[Document],
    campaign_type: CampaignType | None,
    profile: Profile,
    jobs: int,
) -> Iterator[DocumentResult]:
    chunks = _chunks(documents)
    first = next(chunks, None)
    if first is None:
        return
    _warm(profile)
    pending: collections.deque[tuple[Chunk, Future[list[DocumentResult]] | None]]
    pending = collections.deque()
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
    broken = False
    try:
        for chunk in _prepend(first, chunks):
            if len(pending) >= 2 * jobs:
                done, future = pending.popleft()
                yield from _results(done, future, campaign_type, profile)
            future = None
            if not broken:
                try:
                    future = executor.submit(_validate_chunk, chunk, campaign_type, profile)
                except BrokenProcessPool:
                    broken = True
            pending.append((chunk, future))
        while pending:
            done, future = pending.popleft()
            yield from _results(done, future, campaign_type, profile)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _prepend(first: Chunk, rest: Iterator[Chunk]) -> Iterator[Chunk]:
    yield first
    yield from rest


def _results(
    chunk: Chunk,
    future: Future[list[DocumentResult]] | None,
    campaign_type: CampaignType | None,
    profile: Profile,
) -> list[DocumentResult]:
    """A chunk's results; checked here if its worker could not (a worker that died)."""
    if future is not None:
        try:
            return future.result()
        except Exception:  # a broken pool, or a chunk that could not be sent
            pass
    return _validate_chunk(chunk, campaign_type, profile)


def validate_stream_parallel(
    documents: Iterable[Document],
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
    jobs: int | None = None,
) -> Iterator[DocumentResult]:
    """:func:`validate_document` over ``documents`` on ``jobs`` processes, in input order.

    ``jobs=1`` checks everything in this process; ``jobs=None`` does so for the first
    :data:`SERIAL_BYTES` and uses every core for the rest of a larger input.
    """
    stream = iter(documents)
    if jobs is not None and jobs < 1:
        raise ValueError("jobs must be at least 1")
    if jobs == 1 or (jobs is None and cpu_count() == 1):
        for document in stream:
            yield validate_document(document, campaign_type, profile)
        return
    if jobs is None:
        seen = 0
        for document in stream:
            yield validate_document(document, campaign_type, profile)
            seen += _size(document)
            if seen >= SERIAL_BYTES:
                break
        else:
            return
        jobs = cpu_count()
    yield from _in_pool(stream, campaign_type, profile, jobs)


def validate_inputs_parallel(
    paths: Iterable[str],
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
    *,
    stdin: BinaryIO | None = None,
    stats: ReadStats | None = None,
    jobs: int | None = None,
) -> Iterator[DocumentResult]:
    """Like :func:`campaign_contract._validation_run.validate_inputs`, on ``jobs`` processes."""
    documents = iter_documents(paths, stdin=stdin, stats=stats)
    return validate_stream_parallel(documents, campaign_type, profile, jobs)
