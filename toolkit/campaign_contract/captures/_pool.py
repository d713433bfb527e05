"""Validating captured traffic on several cores, in input order.

The work is cut into tasks that a worker process checks with the same
:func:`validate_document` a serial run uses:

- a large JSONL file is cut into byte ranges that end on line ends; a worker reads its range
  itself and splits it with :func:`read_jsonl`, so the bytes never pass through this process;
  line numbers are made absolute here, from the line ends counted in the ranges before;
- a large HAR file is cut into byte ranges of whole entries (:mod:`._har_ranges`); a worker
  reads its range and parses it at once; entry indices are made absolute the same way, and a
  range that turns out not to be whole entries is read on here by the streaming HAR reader;
- every other input (JSON, small or uncut HAR and JSONL, directories, stdin) is read here,
  streamed, and its documents are sent to the workers in chunks of about a megabyte.

Results come back in input order, so a parallel run prints exactly what a serial run prints.
``jobs`` counts this process: it starts ``jobs - 1`` workers, keeps two tasks in each one's
hands and checks the tasks that come while they are busy itself, instead of waiting. At most
``2 * jobs`` tasks are read ahead of the results, so memory stays bounded whatever the input.

Workers are never forked from a process that runs threads. A single-threaded process (the
command line) forks them itself and feeds them over pipes (:mod:`._forked`): they begin with
its modules, compiled validators and checks, and the run imports no ``multiprocessing``.
Otherwise a process pool's fork server, which imports this module once, forks them (``spawn``
where there is none), each initialised from the run's :class:`Settings` (picklable), compiling
its validators before its first task.

``jobs=None`` means automatic: every core when a large JSONL or HAR file is among the inputs;
otherwise the first :data:`SERIAL_BYTES` are checked in this process and only an input that
goes on past that starts the workers. Small inputs never pay for starting processes.
"""

from __future__ import annotations

import collections
import functools
import io
import math
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

import orjson

from campaign_contract.captures._documents import Document, ReadStats, problem
from campaign_contract.captures._har import entry_document, read_har, without_endpoint
from campaign_contract.captures._har_ranges import har_cuts
from campaign_contract.captures._inputs import (
    STDIN,
    files_under,
    format_of,
    iter_documents,
    os_reason,
)
from campaign_contract.captures._jsonl import buffer_documents, read_jsonl
from campaign_contract.captures._run import DocumentResult, pair_checker, validate_document
from campaign_contract.validation._schemas import Profile
from campaign_contract.validation._validators import CampaignType, compile_validators
from campaign_contract.validation._violations import Violation

if TYPE_CHECKING:  # a run that forks its workers, or starts none, imports no multiprocessing
    from multiprocessing.context import BaseContext

    from campaign_contract.captures._forked import ForkedWorkers

SERIAL_BYTES = 8 << 20
CHUNK_BYTES = 1 << 20
CHUNK_DOCUMENTS = 512
RANGE_BYTES = 2 << 20
LARGE_FILE = 8 << 20


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# --- tasks -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Documents:
    """Documents already read, checked as they are."""

    documents: tuple[Document, ...]
    size: int


@dataclass(frozen=True, slots=True)
class _Range:
    """Bytes ``start``..``end`` of a JSONL file (``start`` is the start of a line), or of a
    HAR file (whole entries, ``har``)."""

    path: str
    start: int
    end: int
    har: bool = False

    @property
    def size(self) -> int:
        return self.end - self.start


Task = _Documents | _Range


@dataclass(frozen=True, slots=True)
class _Done:
    results: list[DocumentResult]
    lines: int = 0  # line ends (entries) in a range, to number the lines (entries) of the next
    failed: bool = False  # the range could not be read; the rest of its file is skipped
    ignored: int = 0  # HAR entries that are not getAllCampaignDetails calls
    unparsed: bool = False  # the HAR range is not whole entries: read on with the HAR reader

    def __reduce__(self) -> tuple[Any, ...]:
        """A worker sends its results as plain rows: a quarter of the pickling."""
        rows = [(r.source, r.entry, r.violations, r.kind) for r in self.results]
        return _done_of_rows, (rows, self.lines, self.failed, self.ignored, self.unparsed)


def _done_of_rows(
    rows: list[tuple[str, int | None, tuple[Violation, ...], str]],
    lines: int,
    failed: bool,
    ignored: int,
    unparsed: bool,
) -> _Done:
    results = [DocumentResult(source, entry, found, kind) for source, entry, found, kind in rows]
    return _Done(results, lines, failed, ignored, unparsed)


def _size(document: Document) -> int:
    size = len(document.body) if document.body is not None else 0
    if document.request is not None and document.request.body is not None:
        size += len(document.request.body)
    return size


@dataclass(frozen=True, slots=True)
class Settings:
    """What every task of a run is checked with; sent once to each worker."""

    campaign_type: CampaignType | None
    profile: Profile
    checks: tuple[str, ...] | None = ()
    """The user's checks, as a worker loads them (:func:`portable_checks`); ``None`` when one
    cannot be loaded in another process, so that only forked workers may check."""


_buffers = threading.local()


def _buffer(size: int) -> bytearray:
    """This thread's buffer for reading ranges, of at least ``size`` bytes. It is reused from
    range to range, so that reading one neither allocates memory nor has the system map fresh
    pages; the documents cut from it are views, checked before the next range is read. A range
    much longer than most (lines longer than a range) gets a buffer of its own, not kept."""
    if size > 2 * RANGE_BYTES:
        return bytearray(size)
    buffer: bytearray | None = getattr(_buffers, "buffer", None)
    if buffer is None or len(buffer) < size:
        buffer = _buffers.buffer = bytearray(size)
    return buffer


def _check(task: Task, settings: Settings) -> _Done:
    """Check one task; runs in a worker, or here."""
    kind, profile = settings.campaign_type, settings.profile
    if isinstance(task, _Documents):
        return _Done([validate_document(d, kind, profile) for d in task.documents])
    # a HAR range is read between "[" and "]", to be parsed as one array of entries
    pad = 1 if task.har else 0
    buffer = _buffer(task.size + 2 * pad)
    try:
        with open(task.path, "rb") as stream:
            stream.seek(task.start)
            length = stream.readinto(memoryview(buffer)[pad : pad + task.size]) or 0
    except OSError as error:
        unread = problem(task.path, f"cannot read: {os_reason(error)}")
        return _Done([validate_document(unread, kind, profile)], failed=True)
    if task.har:
        buffer[0], buffer[length + 1] = ord("["), ord("]")
        return _check_entries(task.path, memoryview(buffer)[: length + 2], settings)
    documents, line_ends = buffer_documents(task.path, buffer, length)
    return _Done([validate_document(d, kind, profile) for d in documents], line_ends)


def _check_entries(path: str, array: memoryview, settings: Settings) -> _Done:
    """A HAR range as a JSON array (``[`` + range + ``]``) parsed at once, then each entry as the
    reader would."""
    try:
        entries = orjson.loads(array)
    except orjson.JSONDecodeError:
        return _Done([], unparsed=True)
    results, ignored = [], 0
    for index, entry in enumerate(entries):
        document = entry_document(path, index, entry)
        if document is None:
            ignored += 1
        else:
            results.append(validate_document(document, settings.campaign_type, settings.profile))
    return _Done(results, len(entries), ignored=ignored)


_settings = Settings(None, "documented")  # a worker's, set by _start_worker


def _adopt(settings: Settings) -> None:
    """Start a forked worker: it has all a run needs but the run's settings."""
    global _settings
    _settings = settings


def _start_worker(settings: Settings) -> None:
    """Initialise a worker: keep the run's settings, compile its validators, load the oracles
    and the user's checks (a forked worker finds all done: :func:`_in_pool` prepares before it
    forks)."""
    global _settings
    _settings = settings
    _prepare(settings.profile)
    if settings.checks:
        from campaign_contract.oracles._registry import load_portable_checks

        load_portable_checks(settings.checks)


def _work(task: Task) -> _Done:
    """A task as a worker checks it, with the settings it was started with."""
    return _check(task, _settings)


# --- cutting inputs into tasks -----------------------------------------------------------------


def _large_file(path: str) -> int:
    """The size of ``path`` when it is a JSONL or HAR file worth cutting into ranges, else 0."""
    if path == STDIN or format_of(path) not in {"jsonl", "har"}:
        return 0
    try:
        info = os.stat(path)
        with open(path, "rb"):
            pass
    except OSError:
        return 0
    is_file = info.st_mode & 0o170000 == 0o100000
    return info.st_size if is_file and info.st_size >= LARGE_FILE else 0


def _line_end_after(stream: BinaryIO, position: int, size: int) -> int:
    """The offset just past the first line end at or after ``position``; ``size`` if none."""
    stream.seek(position)
    while position < size:
        block = stream.read(64 * 1024)
        if not block:
            break
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(block)
    return size


def _ranges(path: str, size: int) -> Iterator[_Range]:
    with open(path, "rb") as stream:
        start = 0
        while start < size:
            end = size if start + RANGE_BYTES >= size else start + RANGE_BYTES
            if end < size:
                end = _line_end_after(stream, end - 1, size)
            yield _Range(path, start, end)
            start = end


def _document_chunks(documents: Iterator[Document], most: int) -> Iterator[_Documents]:
    chunk: list[Document] = []
    size = 0
    for document in documents:
        chunk.append(document)
        size += _size(document)
        if size >= CHUNK_BYTES or len(chunk) >= most:
            yield _Documents(tuple(chunk), size)
            chunk, size = [], 0
    if chunk:
        yield _Documents(tuple(chunk), size)


def _expanded(paths: Iterable[str]) -> Iterator[str]:
    """``paths`` with each directory replaced by its files, as :func:`iter_documents` reads it."""
    for path in paths:
        files = files_under(Path(path)) if path != STDIN and os.path.isdir(path) else []
        if files:
            yield from map(str, files)
        else:
            yield path


def _tasks(
    paths: Iterable[str], stdin: BinaryIO | None, stats: ReadStats, chunk: int
) -> Iterator[Task]:
    """The run's tasks: ranges of large files; every other document read here, in chunks of
    at most ``chunk`` documents."""
    for path in _expanded(paths):
        size = _large_file(path)
        cuts = har_cuts(path, RANGE_BYTES) if size and format_of(path) == "har" else None
        if cuts is not None:
            stats.inputs += 1
            yield from (_Range(path, cut.start, cut.end, har=True) for cut in cuts)
        elif size and format_of(path) == "jsonl":
            stats.inputs += 1
            yield from _ranges(path, size)
        else:
            documents = iter_documents([path], stdin=stdin, stats=stats)
            yield from _document_chunks(documents, chunk)


# --- putting results back in order -------------------------------------------------------------


class _Assembler:
    """Turns each task's results into final ones: absolute line numbers, skipped failures."""

    def __init__(self, stats: ReadStats, settings: Settings):
        self._stats = stats
        self._settings = settings
        self._path: str | None = None
        self._har = False
        self._lines = 0
        self._found = 0
        self._failed = False

    def take(self, task: Task, done: _Done) -> list[DocumentResult]:
        if isinstance(task, _Documents):
            return self.flush() + done.results
        out = [] if task.path == self._path else self.flush()
        if task.path != self._path:
            self._path, self._har, self._lines, self._found = task.path, task.har, 0, 0
            self._failed = False
        if self._failed:
            return out
        if done.unparsed:
            self._failed = True
            return out + self._read_on(task.path, self._lines)
        offset = self._lines
        self._lines += done.lines
        self._failed = done.failed
        self._found += len(done.results)
        self._stats.documents += len(done.results)
        self._stats.ignored_entries += done.ignored
        if offset:
            return out + [
                DocumentResult(r.source, r.entry + offset, r.violations, r.kind)
                if r.entry is not None
                else r
                for r in done.results
            ]
        return out + done.results

    def _check(self, documents: Iterable[Document]) -> list[DocumentResult]:
        kind, profile = self._settings.campaign_type, self._settings.profile
        results = [validate_document(d, kind, profile) for d in documents]
        self._stats.documents += len(results)
        return results

    def _read_on(self, path: str, skip: int) -> list[DocumentResult]:
        """A HAR from entry ``skip`` on, read by the streaming reader (its verdict is final)."""
        try:
            with open(path, "rb") as stream:
                return self._check(read_har(path, stream, self._stats, skip))
        except OSError as error:
            return self._check([problem(path, f"cannot read: {os_reason(error)}")])

    def flush(self) -> list[DocumentResult]:
        """After a cut file: the result a serial run gives a file without a line or an entry."""
        path, found, failed = self._path, self._found, self._failed
        self._path = None
        if path is None or found or failed:
            return []
        if self._har:
            empty = without_endpoint(path, self._lines, found)
            return self._check([empty] if empty is not None else [])
        return self._check(read_jsonl(path, io.BytesIO(b""), ReadStats()))


# --- running -----------------------------------------------------------------------------------


def threads_running() -> int:
    """The threads of this process, the interpreter's own included (Linux counts them all)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # pragma: no cover - not on Linux
        return threading.active_count()


def _context() -> BaseContext:
    """A start method that is safe in this process, chosen when the workers are started.

    A process running one thread forks its workers: the pool forks all of them before it
    starts its own thread, and they begin with this process's modules and compiled
    validators. Forking a process that runs threads may deadlock the child, so then a fork
    server (started afresh, importing this module once) forks them, or, without one, spawn.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threads_running() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - not on Linux


def _prepare(profile: Profile) -> None:
    """Compile the validators and import the pair checks, once for a process and the workers
    it forks."""
    compile_validators(profile)
    pair_checker()


def _outcome(task: Task, future: _Outcome | None, settings: Settings) -> _Done:
    """A task's outcome; checked here if its worker could not (a worker that died)."""
    if future is not None:
        try:
            return future.result()
        except Exception:  # a broken pool, or a task that could not be sent
            pass
    return _check(task, settings)


def _run(
    tasks: Iterator[Task],
    assembler: _Assembler,
    settings: Settings,
    jobs: int,
    serial_budget: float,
) -> Iterator[DocumentResult]:
    seen = 0
    for task in tasks:
        if seen >= serial_budget:
            yield from _in_pool(_prepend(task, tasks), assembler, settings, jobs)
            break
        seen += task.size
        yield from assembler.take(task, _check(task, settings))
    yield from assembler.flush()


def _prepend(first: Task, rest: Iterator[Task]) -> Iterator[Task]:
    yield first
    yield from rest


class _Outcome(Protocol):
    """A task handed to a worker (a future of the executor, or a forked worker's handle)."""

    def cancel(self) -> bool: ...

    def done(self) -> bool: ...

    def result(self) -> _Done: ...


@dataclass(slots=True)
class _Pending:
    """A task read and handed out: to a worker (``future``) or checked here (``done``)."""

    task: Task
    future: _Outcome | None = None
    done: _Done | None = None

    def ready(self) -> bool:
        return self.done is not None or (self.future is not None and self.future.done())


class _Executor:
    """The workers of a run in a process that runs threads: a process pool whose workers a
    fork server (or spawn) starts, each initialised by :func:`_start_worker`."""

    def __init__(self, count: int, settings: Settings, context: BaseContext) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=_start_worker,
            initargs=(settings,),
        )

    def submit(self, task: Task) -> _Outcome:
        return self._executor.submit(_work, task)

    def close(self, *, kill: bool) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _can_fork() -> bool:
    """Whether workers may be forked from this process: it runs one thread (:func:`_context`)."""
    return hasattr(os, "fork") and threads_running() == 1


def _in_pool(
    tasks: Iterator[Task], assembler: _Assembler, settings: Settings, jobs: int
) -> Iterator[DocumentResult]:
    """Check ``tasks`` on ``jobs`` processes: this one and ``jobs - 1`` workers.

    Each worker has two tasks in hand (one it checks, one waiting), so it never waits for
    this process; the tasks that come while they are busy are checked here. At most
    ``2 * jobs`` tasks are read ahead of the results given back.
    """
    count = max(1, jobs - 1)
    pending: collections.deque[_Pending] = collections.deque()
    workers: ForkedWorkers | _Executor
    if _can_fork():
        from campaign_contract.captures._forked import ForkedWorkers

        _prepare(settings.profile)
        workers = ForkedWorkers(count, functools.partial(_adopt, settings), _work)
    else:
        if settings.checks is None:
            # a check of the user's that only this process has: no worker could run it
            yield from (r for task in tasks for r in assembler.take(task, _check(task, settings)))
            return
        workers = _Executor(count, settings, _context())
    in_hand = 0  # tasks handed to the workers and not given back yet
    broken = False
    finished = False

    def give_back() -> list[DocumentResult]:
        nonlocal in_hand
        first = pending.popleft()
        if first.done is not None:
            return assembler.take(first.task, first.done)
        in_hand -= 1
        future = first.future
        if future is not None and future.cancel():  # no worker began it: check it here
            future = None
        return assembler.take(first.task, _outcome(first.task, future, settings))

    try:
        for task in tasks:
            while pending and pending[0].ready():
                yield from give_back()
            if len(pending) >= 2 * jobs:
                yield from give_back()
            if not broken and in_hand < 2 * count:
                try:
                    pending.append(_Pending(task, future=workers.submit(task)))
                    in_hand += 1
                    continue
                except RuntimeError:  # every worker died, or the pool shut down
                    broken = True
            pending.append(_Pending(task, done=_check(task, settings)))
        while pending:
            yield from give_back()
        finished = True
    finally:
        workers.close(kill=not finished)


def validate_inputs_parallel(
    paths: Iterable[str],
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
    *,
    stdin: BinaryIO | None = None,
    stats: ReadStats | None = None,
    jobs: int | None = None,
) -> Iterator[DocumentResult]:
    """Like :func:`campaign_contract.captures._run.validate_inputs`, on ``jobs`` processes.

    The results, their order and ``stats`` are those of a serial run. ``jobs=1`` checks
    everything in this process; ``jobs=None`` picks (see the module documentation).
    """
    if jobs is not None and jobs < 1:
        raise ValueError("jobs must be at least 1")
    stats = stats if stats is not None else ReadStats()
    paths = list(paths)
    from campaign_contract.oracles._registry import portable_checks

    settings = Settings(campaign_type, profile, portable_checks())
    if jobs == 1 or (jobs is None and cpu_count() == 1):
        # The tasks of a parallel run, all checked here: a large file is still read in
        # ranges parsed at once (quicker than streaming it); other documents one by one.
        tasks = _tasks(paths, stdin, stats, 1)
        return _run(tasks, _Assembler(stats, settings), settings, 1, math.inf)
    budget = 0
    if jobs is None:
        jobs = cpu_count()
        if not any(_large_file(path) for path in _expanded(paths)):
            budget = SERIAL_BYTES
    tasks = _tasks(paths, stdin, stats, CHUNK_DOCUMENTS)
    return _run(tasks, _Assembler(stats, settings), settings, jobs, budget)
