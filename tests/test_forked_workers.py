"""Workers forked over pipes (captures/_forked.py), and the validation pool that uses them.

Each scenario runs in a fresh single-threaded interpreter: the test process may run threads
(pytest-xdist's), and a process running threads is never forked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _run(script: str, *args: str) -> Any:
    """Run ``script`` in a new interpreter; what it prints last, read as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


ROUND_TRIP = """
import json, os
from campaign_contract.captures._forked import ForkedWorkers

def work(task):
    size, answer = task
    return (os.getpid(), b"a" * answer)

pool = ForkedWorkers(2, lambda: None, work)
# tasks and outcomes far larger than a pipe holds, many in flight: neither side may wait
handles = [pool.submit((b"t" * 1_500_000, 400_000 + n)) for n in range(12)]
outcomes = [h.result() for h in handles]
pool.close()
print(json.dumps({
    "lengths": [len(body) for _, body in outcomes],
    "workers": len({pid for pid, _ in outcomes}),
    "here": sum(pid == os.getpid() for pid, _ in outcomes),
}))
"""


def test_large_tasks_and_outcomes_come_back_in_order_from_every_worker() -> None:
    found = _run(ROUND_TRIP)
    assert found["lengths"] == [400_000 + n for n in range(12)]
    assert found["workers"] == 2 and found["here"] == 0


FAILURES = """
import json, os
from campaign_contract.captures._forked import ForkedWorkers, WorkerFailed, WorkerLost

def work(task):
    if task == "die":
        os._exit(3)
    if task == "raise":
        raise ValueError("no such page")
    return task.upper()

def outcome(handle):
    try:
        return handle.result()
    except (WorkerFailed, WorkerLost) as error:
        return type(error).__name__ + ": " + str(error).split(" ended")[0].split(" worker")[0]

pool = ForkedWorkers(1, lambda: None, work)
first = [outcome(pool.submit(t)) for t in ("a", "raise", "b")]
died = pool.submit("die")
lost = outcome(died)
try:
    pool.submit("c")
    after = "sent"
except WorkerLost as error:
    after = str(error)
pool.close()
print(json.dumps({"first": first, "lost": lost, "after": after, "done": died.done()}))
"""


def test_a_task_that_raises_or_kills_its_worker_fails_alone() -> None:
    found = _run(FAILURES)
    assert found["first"] == ["A", "WorkerFailed: ValueError: no such page", "B"]
    assert found["lost"].startswith("WorkerLost")
    assert found["after"] == "no worker is left"
    assert found["done"] is True


POOL = """
import json, sys
sys.path.insert(0, sys.argv[1])
import corpus
from campaign_contract.captures import _pool
from campaign_contract.captures._run import validate_inputs

path = sys.argv[2]
corpus.build(__import__("pathlib").Path(path), 200_000)
_pool.LARGE_FILE, _pool.RANGE_BYTES = 1, 5_000

def rows(results):
    return [(r.source, r.entry, [v.as_dict() for v in r.violations]) for r in results]

parallel = rows(_pool.validate_inputs_parallel([path], jobs=3))
serial = rows(validate_inputs([path]))
here = __import__("os").getpid()

def dies(task):
    if __import__("os").getpid() != here:
        __import__("os")._exit(3)
    raise AssertionError("called outside a worker")

_pool._work = dies  # every worker dies on its first task: this process checks them all
orphaned = rows(_pool.validate_inputs_parallel([path], jobs=3))
print(json.dumps({
    "same": parallel == serial,
    "same_when_workers_die": orphaned == serial,
    "documents": len(serial),
    "multiprocessing": "multiprocessing" in sys.modules,
}))
"""


def test_a_single_threaded_run_forks_its_workers_without_multiprocessing(tmp_path: Path) -> None:
    found = _run(POOL, str(BENCHMARKS), str(tmp_path / "corpus.jsonl"))
    assert found == {
        "same": True,
        "same_when_workers_die": True,
        "documents": found["documents"],
        "multiprocessing": False,
    }
    assert found["documents"] >= 5
