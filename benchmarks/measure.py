"""Running one benchmark process and measuring it: wall time, CPU, peak RSS of its tree.

Also a description of the machine, for the figures to say where they came from.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

MB = 1_000_000


# --- running and measuring one process -------------------------------------------------------


@dataclass
class Run:
    wall: float
    returncode: int
    max_rss_kb: int  # largest single process (the command or a worker), from wait4
    tree_rss_kb: int  # peak of the summed RSS of the process and its children, sampled
    cpu: float  # user + system seconds of the process and its waited-for children
    tail: str = ""
    sampled: bool = True  # whether tree_rss_kb was sampled (a timed run is not: see run)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants until told to stop."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            tree, todo = [self.pid], [self.pid]
            children = _children_map()
            while todo:
                found = children.get(todo.pop(), [])
                tree += found
                todo += found
            self.peak = max(self.peak, sum(_rss_kb(pid) for pid in tree))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run(command: Sequence[str], cwd: Path | None = None, *, sample: bool = True) -> Run:
    """Run ``command`` to its end. With ``sample`` a thread reads the RSS of its process tree
    every 10 ms, scanning /proc, which takes CPU from the command on a small machine; a timed
    run (``sample=False``) has only ``wait4``'s figures (``tree_rss_kb`` is the largest
    process's)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        sampler = _TreeSampler(process.pid)
        if sample:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if sample:
            sampler.stop()
        out.seek(0)
        tail = out.read()[-2000:].decode("utf-8", "replace").strip()
    return Run(
        wall=wall,
        returncode=process.returncode,
        max_rss_kb=usage.ru_maxrss,
        tree_rss_kb=max(sampler.peak, usage.ru_maxrss),
        cpu=usage.ru_utime + usage.ru_stime,
        tail=tail.splitlines()[-1] if tail else "",
        sampled=sample,
    )


@dataclass
class Measure:
    name: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    """Timed runs, unsampled."""
    memory: list[Run] = field(default_factory=list)
    """Runs whose process tree's RSS was sampled, not timed."""

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda r: r.wall)

    @property
    def median(self) -> float:
        """The median wall time (of an even count, the higher of the middle two)."""
        walls = sorted(r.wall for r in self.runs)
        return walls[len(walls) // 2]

    def summary(self, size: int, documents: int) -> dict[str, Any]:
        best = self.best
        return {
            "command": " ".join(Path(c).name if c.startswith("/") else c for c in self.command),
            "best_wall_s": round(best.wall, 4),
            "median_wall_s": round(self.median, 4),
            "responses_per_s": round(documents / best.wall, 1),
            "mb_per_s": round(size / MB / best.wall, 1),
            "cpu_s": round(best.cpu, 3),
            "peak_rss_mb_single_process": round(
                max(r.max_rss_kb for r in self.runs + self.memory) / 1024, 1
            ),
            "peak_rss_mb_process_tree": round(
                max(r.tree_rss_kb for r in self.memory or self.runs) / 1024, 1
            ),
            "returncode": best.returncode,
            "last_line": best.tail,
            "runs_wall_s": [round(r.wall, 4) for r in self.runs],
        }


def interleaved(measures: list[Measure], repeat: int) -> None:
    """``repeat`` timed runs of each measure, interleaved, then one run of each whose process
    tree's memory is sampled: sampling scans /proc every 10 ms, and on two cores that would
    slow a command that keeps both busy more than one that leaves a core free."""
    for _ in range(repeat):
        for measure in measures:
            measure.runs.append(run(measure.command, sample=False))
    for measure in measures:
        measure.memory.append(run(measure.command))


# --- machine ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        match = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        model = match.group(1).strip() if match else ""
    except OSError:
        pass
    versions = {}
    for package in (
        "campaign-contract",
        "orjson",
        "jsonschema-rs",
        "jsonschema",
        "check-jsonschema",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": model,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }
