"""Workers forked from a process that runs one thread, fed over pipes.

This is what :mod:`._pool` uses when it may fork: the workers start with this process's
modules, compiled validators and loaded checks, and begin at once. It needs neither
``multiprocessing`` nor ``concurrent.futures``, whose imports cost a command line more than
the work of a small input. Each worker has a pipe for its tasks and one for its results;
it checks its tasks in the order they come and sends each outcome back, pickled, as one frame
(an 8-byte length, then the bytes). A worker that dies is noticed when its results pipe
ends: the tasks it held fail with :class:`WorkerLost` (the pool checks them itself), and no
more are sent to it.

A worker leaves Ctrl-C to this process: it ignores SIGINT, and ends when its tasks pipe is
closed (:meth:`ForkedWorkers.close`, or this process ending).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
from collections.abc import Callable
from typing import Any

_LENGTH = 8


class WorkerLost(RuntimeError):
    """The worker that held a task ended before it sent the task's outcome."""


class WorkerFailed(RuntimeError):
    """The task raised in its worker; the message names the exception."""


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``; ``None`` when it ends first."""
    parts = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def _read_frame(fd: int) -> bytes | None:
    header = _read_exactly(fd, _LENGTH)
    if header is None:
        return None
    return _read_exactly(fd, int.from_bytes(header, "big"))


def _frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(_LENGTH, "big") + payload


def _write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(_frame(payload))
    while view:
        view = view[os.write(fd, view) :]


def _serve(tasks: int, outcomes: int, work: Callable[[Any], Any]) -> None:
    """A worker's life: each task in, its outcome out, until the tasks pipe ends."""
    while (frame := _read_frame(tasks)) is not None:
        try:
            outcome: tuple[bool, Any] = (True, work(pickle.loads(frame)))
        except Exception as error:
            outcome = (False, f"{type(error).__name__}: {error}")
        _write_frame(outcomes, pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))


class _Worker:
    def __init__(self, pid: int, tasks: int, outcomes: int) -> None:
        self.pid, self.tasks, self.outcomes = pid, tasks, outcomes
        self.sent = 0  # tasks sent, numbered from 0 in order
        self.received: dict[int, tuple[bool, Any]] = {}
        self.next = 0  # the number of the next outcome to arrive
        self.alive = True

    @property
    def in_hand(self) -> int:
        return self.sent - self.next

    def send(self, payload: bytes) -> None:
        """Send one task. Its pipe does not block: while the worker cannot take more, the
        outcomes it is sending are read, so that neither side waits for the other."""
        view = memoryview(_frame(payload))
        while view:
            waiting = [self.outcomes] if self.in_hand else []
            readable, writable, _ = select.select(waiting, [self.tasks], [])
            if readable and not self.receive(block=True):
                raise WorkerLost(f"worker {self.pid} ended")
            if writable:
                try:
                    view = view[os.write(self.tasks, view) :]
                except BlockingIOError:
                    pass
        self.sent += 1

    def receive(self, block: bool) -> bool:
        """Read one outcome if one is there (or, with ``block``, wait for it); ``False`` when
        none came."""
        if not self.alive or self.in_hand == 0:
            return False
        if not block and not select.select([self.outcomes], [], [], 0)[0]:
            return False
        frame = _read_frame(self.outcomes)
        if frame is None:
            self.alive = False
            return False
        self.received[self.next] = pickle.loads(frame)
        self.next += 1
        return True


class Handle:
    """A task sent to a worker: whether its outcome is back, and the outcome."""

    def __init__(self, worker: _Worker, number: int) -> None:
        self._worker, self._number = worker, number

    def cancel(self) -> bool:
        """A task sent is in its worker's pipe, beyond recall: ``False``."""
        return False

    def done(self) -> bool:
        worker = self._worker
        while self._number not in worker.received and worker.receive(block=False):
            pass
        return self._number in worker.received or not worker.alive

    def result(self) -> Any:
        worker = self._worker
        while self._number not in worker.received:
            if not worker.receive(block=True):
                raise WorkerLost(f"worker {worker.pid} ended before it sent a task back")
        ok, value = worker.received.pop(self._number)
        if not ok:
            raise WorkerFailed(value)
        return value


class ForkedWorkers:
    """``count`` workers forked from this process, each running ``start()`` once and then
    ``work(task)`` for every task sent to it."""

    def __init__(self, count: int, start: Callable[[], None], work: Callable[[Any], Any]):
        self._workers: list[_Worker] = []
        for _ in range(count):
            self._workers.append(self._fork(start, work))

    def _fork(self, start: Callable[[], None], work: Callable[[Any], Any]) -> _Worker:
        task_read, task_write = os.pipe()
        outcome_read, outcome_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the worker, which never returns from here
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                for worker in self._workers:  # the other workers' pipes
                    os.close(worker.tasks)
                    os.close(worker.outcomes)
                os.close(task_write)
                os.close(outcome_read)
                start()
                _serve(task_read, outcome_write, work)
            finally:
                os._exit(0)
        os.close(task_read)
        os.close(outcome_write)
        os.set_blocking(task_write, False)
        return _Worker(pid, task_write, outcome_read)

    def submit(self, task: Any) -> Handle:
        """Send ``task`` to the living worker with the fewest in hand; :class:`WorkerLost`
        when none lives."""
        payload = pickle.dumps(task, pickle.HIGHEST_PROTOCOL)
        for worker in sorted(self._workers, key=lambda w: w.in_hand):
            if not worker.alive:
                continue
            try:
                worker.send(payload)
            except (OSError, WorkerLost):  # the worker died
                worker.alive = False
                continue
            return Handle(worker, worker.sent - 1)
        raise WorkerLost("no worker is left")

    def close(self, *, kill: bool = False) -> None:
        """Close the tasks pipes, so that each worker ends after its task in hand (at once,
        with ``kill``), and wait for them."""
        for worker in self._workers:
            os.close(worker.tasks)
            if kill:
                try:
                    os.kill(worker.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for worker in self._workers:
            try:
                os.waitpid(worker.pid, 0)
            except ChildProcessError:
                pass
            os.close(worker.outcomes)
        self._workers = []
