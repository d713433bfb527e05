"""Files shared by the processes of a run: written so that a reader in another process never
sees one half written, and small JSON states kept under a file lock."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from pathlib import Path
from typing import Any, TextIO

from filelock import FileLock


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A scratch path beside ``path``, of this writer's own (several processes or threads may
    write ``path`` at once), renamed over ``path`` once the block ends without an error and
    removed if it does not."""
    scratch = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        yield scratch
        scratch.replace(path)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text file to write ``path``'s new content into, piece by piece (:func:`_replacing`)."""
    with _replacing(path) as scratch, scratch.open("w", encoding="utf-8") as out:
        yield out


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text, or bytes as they are) to ``path`` (:func:`_replacing`). Raises
    ``OSError``."""
    with _replacing(path) as scratch:
        if isinstance(data, bytes):
            scratch.write_bytes(data)
        else:
            scratch.write_text(data, encoding="utf-8")


class SharedState:
    """A small JSON object shared by every process pointed at the same ``state_dir``
    (``name.json``, guarded by ``name.lock``), or kept in this process without one.

    :meth:`update` holds the lock (a thread lock, and the file lock when there is a folder)
    while the caller reads and changes the state; a file that is missing or unreadable reads
    as ``initial()``.
    """

    def __init__(
        self, state_dir: Path | None, name: str, initial: Callable[[], dict[str, Any]]
    ) -> None:
        self.state_dir = state_dir
        self._initial = initial
        self._memory = initial()
        self._thread_lock = threading.Lock()
        self._file_lock: FileLock | None = None
        self._path: Path | None = None
        if state_dir is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
            self._path = state_dir / f"{name}.json"
            self._file_lock = FileLock(str(state_dir / f"{name}.lock"))

    def _read(self) -> dict[str, Any]:
        if self._path is None:
            return deepcopy(self._memory)
        try:
            state = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self._initial()
        return state if isinstance(state, dict) else self._initial()

    def _write(self, state: dict[str, Any]) -> None:
        if self._path is None:
            self._memory = deepcopy(state)
        else:
            write_atomically(self._path, json.dumps(state))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            if self._file_lock is None:
                yield
            else:
                with self._file_lock:
                    yield

    def read(self) -> dict[str, Any]:
        """The state as it is now."""
        with self._locked():
            return self._read()

    def peek(self) -> dict[str, Any]:
        """The state as last written, without waiting for the lock (writes are renames, so a
        reader never sees half of one); for readers that may act on a slightly old state."""
        if self._path is None:
            with self._thread_lock:
                return self._read()
        return self._read()

    @contextmanager
    def update(self) -> Iterator[dict[str, Any]]:
        """The state, locked while the block runs; written back if the block changed it."""
        with self._locked():
            state = self._read()
            before = deepcopy(state)
            yield state
            if state != before:
                self._write(state)
