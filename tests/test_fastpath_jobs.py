"""Validation on several processes: the serial results, in order, with bounded reading ahead.

Both ways work reaches the workers are exercised with tiny task sizes: JSONL files cut into byte
ranges the workers read themselves, and documents read here and sent in chunks.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from campaign_contract.captures import _pool as _parallel
from campaign_contract.captures._documents import ReadStats
from campaign_contract.captures._run import validate_inputs
from campaign_contract.cli._main import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402


def _sample(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"response-{kind}.json").read_text("utf-8"))
    return loaded


def _mixed_lines() -> list[bytes]:
    """Valid pages, schema violations, lines that are not JSON, blank and CRLF lines."""
    lines: list[bytes] = []
    for page in range(12):
        kind = "voice" if page % 2 else "sms"
        doc = _sample(kind)
        if page % 3 == 1:
            doc["data"]["results"][0]["priority"] = 5
        if page % 4 == 2:
            del doc["data"]["results"][1]["createdAt"]
        lines.append(json.dumps(doc).encode() + (b"\r" if page % 5 == 3 else b""))
        if page % 5 == 4:
            lines += [b"{not json", b"", b'"a string"', b"  ", b"[]", b'{"status": "error"}']
    return lines


@pytest.fixture
def mixed_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(_mixed_lines()))  # the last line has no line end
    return path


@pytest.fixture
def inputs(mixed_jsonl: Path, tmp_path: Path) -> list[str]:
    """A JSONL file, a JSON file, a HAR capture and a directory holding another JSONL."""
    single = tmp_path / "one.json"
    single.write_text(json.dumps(_sample("sms")), encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(mixed_jsonl, folder / "again.jsonl")
    shutil.copy(FIXTURES / "capture.har", folder / "capture.har")
    return [str(mixed_jsonl), str(single), str(folder)]


@pytest.fixture
def tiny_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSONL and HAR file is cut into ranges of a few KB (some shorter than one line)."""
    monkeypatch.setattr(_parallel, "LARGE_FILE", 1)
    monkeypatch.setattr(_parallel, "RANGE_BYTES", 3000)


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """No file is cut into ranges; documents travel two by two."""
    monkeypatch.setattr(_parallel, "LARGE_FILE", 1 << 62)
    monkeypatch.setattr(_parallel, "CHUNK_DOCUMENTS", 2)


def _serial(paths: list[str], profile: Any = "documented") -> tuple[list[Any], ReadStats]:
    stats = ReadStats()
    return list(validate_inputs(paths, None, profile, stats=stats)), stats


def _parallel_run(paths: list[str], profile: Any = "documented", jobs: Any = 2) -> Any:
    stats = ReadStats()
    found = _parallel.validate_inputs_parallel(paths, None, profile, stats=stats, jobs=jobs)
    return list(found), stats


@pytest.mark.parametrize("lane", ["tiny_ranges", "tiny_chunks"])
@pytest.mark.parametrize("profile", ["documented", "strict"])
def test_two_jobs_give_the_serial_results_in_order(
    inputs: list[str],
    profile: Any,
    lane: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request.getfixturevalue(lane)
    cut: list[Any] = []
    ranges = _parallel._ranges
    monkeypatch.setattr(_parallel, "_ranges", lambda *a: (cut.append(r) or r for r in ranges(*a)))
    serial, serial_stats = _serial(inputs, profile)
    assert _parallel_run(inputs, profile) == (serial, serial_stats)
    assert (len(cut) >= 20) == (lane == "tiny_ranges")  # two files (one in the folder)
    assert any(r.valid for r in serial) and any(not r.valid for r in serial)
    assert any(r.entry is not None and r.entry > 20 for r in serial)


def _har(entries: list[Any], indent: int | None = 1) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": entries}}, indent=indent).encode()


def _fixture_entries(times: int) -> list[Any]:
    loaded = json.loads((FIXTURES / "capture.har").read_text("utf-8"))
    return [json.loads(json.dumps(e)) for _ in range(times) for e in loaded["log"]["entries"]]


def _lone_surrogate(entries: list[Any]) -> bytes:
    entries[-3]["response"]["content"]["text"] = '{"status": "error", "message": "\ud800"}'
    return _har(entries)


HARS = {
    "clean": lambda: _har(_fixture_entries(4)),
    "truncated": lambda: _har(_fixture_entries(4))[:-9000],
    "garbage after the entries": lambda: _har(_fixture_entries(4))[:-3] + b', "x": }}',
    "lone surrogate late on": lambda: _lone_surrogate(_fixture_entries(4)),
    "not indented": lambda: _har(_fixture_entries(4), indent=None),
    "no entries": lambda: _har([]),
    "no getAllCampaignDetails entries": lambda: _har([_fixture_entries(1)[4]] * 3),
}


@pytest.mark.usefixtures("tiny_ranges")
@pytest.mark.parametrize("name", sorted(HARS))
def test_a_har_cut_into_ranges_gives_the_serial_results(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "capture.har"
    path.write_bytes(HARS[name]())
    cut: list[Any] = []
    cuts = _parallel.har_cuts

    def spy(*args: Any) -> Any:
        found = cuts(*args)
        return None if found is None else (cut.append(c) or c for c in found)

    monkeypatch.setattr(_parallel, "har_cuts", spy)
    serial = _serial([str(path)])
    assert _parallel_run([str(path)]) == serial
    assert (len(cut) >= 4) == (name in {"clean", "lone surrogate late on"})
    if name == "clean":
        assert sum(1 for r in serial[0] if r.entry is not None) > 16


@pytest.mark.usefixtures("tiny_ranges")
def test_lines_longer_than_a_range_are_whole(
    mixed_jsonl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_parallel, "RANGE_BYTES", 100)
    assert _parallel_run([str(mixed_jsonl)]) == _serial([str(mixed_jsonl)])


@pytest.mark.usefixtures("tiny_ranges")
def test_a_cut_file_of_blank_lines_is_reported_like_a_serial_run(tmp_path: Path) -> None:
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n  \n" * 2000)
    serial = _serial([str(blank)])
    assert _parallel_run([str(blank)]) == serial
    assert [r.violations[0].check for r in serial[0]] == ["input"]


@pytest.mark.usefixtures("tiny_chunks")
def test_automatic_jobs_switch_to_workers_past_the_serial_budget(
    inputs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_parallel, "SERIAL_BYTES", 10_000)
    monkeypatch.setattr(_parallel, "cpu_count", lambda: 2)
    pooled: list[int] = []
    original = _parallel._in_pool

    def spy(*args: Any) -> Iterator[Any]:
        pooled.append(args[-1])
        return original(*args)

    monkeypatch.setattr(_parallel, "_in_pool", spy)
    assert _parallel_run(inputs, jobs=None) == _serial(inputs)
    assert pooled == [2]


@pytest.mark.usefixtures("tiny_chunks")
def test_small_inputs_with_automatic_jobs_start_no_workers(
    inputs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_parallel, "cpu_count", lambda: 2)

    def no_pool(*args: Any) -> Iterator[Any]:
        raise AssertionError("a worker pool was started for a small input")

    monkeypatch.setattr(_parallel, "_in_pool", no_pool)
    assert _parallel_run(inputs, jobs=None) == _serial(inputs)


class _EndlessLines(io.RawIOBase):
    """Standard input that never ends: the same JSONL line forever, counting lines read."""

    def __init__(self, line: bytes) -> None:
        self._line = line
        self.lines = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.lines += 1
        view = memoryview(buffer).cast("B")
        count = min(len(view), len(self._line))
        view[:count] = self._line[:count]
        return count


@pytest.mark.usefixtures("tiny_chunks")
def test_reading_ahead_is_bounded_by_the_tasks_in_flight() -> None:
    line = json.dumps(_sample("voice")).encode() + b"\n"
    stdin = _EndlessLines(line)
    results = _parallel.validate_inputs_parallel(["-"], stdin=io.BufferedReader(stdin), jobs=2)
    consumed = [next(results) for _ in range(30)]
    results.close()  # type: ignore[attr-defined]
    assert [r.entry for r in consumed] == list(range(1, 31))
    assert all(r.valid for r in consumed)
    # 2 * jobs tasks in flight, plus the task being filled, plus the reader's own buffer.
    assert stdin.lines <= 30 + (2 * 2 + 1) * _parallel.CHUNK_DOCUMENTS + 64 * 1024 // len(line) + 4


def test_jobs_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(_parallel.validate_inputs_parallel([], jobs=0))


_TEST_PROCESS = os.getpid()


def _dies_in_workers(task: Any) -> Any:
    """A worker's task function that kills its worker (only the run's own process checks)."""
    if os.getpid() != _TEST_PROCESS:
        os._exit(3)
    raise AssertionError("called outside a worker")


@pytest.mark.parametrize("lane", ["tiny_ranges", "tiny_chunks"])
def test_a_dead_worker_is_replaced_by_checking_here(
    inputs: list[str], lane: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    request.getfixturevalue(lane)
    monkeypatch.setattr(_parallel, "_work", _dies_in_workers)
    assert _parallel_run(inputs) == _serial(inputs)


@pytest.mark.parametrize("lane", ["tiny_ranges", "tiny_chunks"])
def test_corpus_pages_are_valid_on_several_processes(
    tmp_path: Path, lane: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue(lane)
    path = tmp_path / "corpus.jsonl"
    count, size = corpus.build(path, 300_000)
    assert size >= 300_000 and count >= 8
    for profile in ("documented", "strict"):
        results, stats = _parallel_run([str(path)], profile)
        assert [r.entry for r in results] == list(range(1, count + 1))
        assert all(r.valid and not r.violations for r in results)
        assert stats.documents == count


# --- the command line -------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(["validate", *args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("lane", ["tiny_ranges", "tiny_chunks"])
@pytest.mark.parametrize("extra", [[], ["--strict"], ["--type", "voice"]])
def test_jobs_two_json_output_is_byte_identical_to_jobs_one(
    inputs: list[str], extra: list[str], lane: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue(lane)
    one = _cli("--format", "json", "--jobs", "1", *extra, *inputs)
    two = _cli("--format", "json", "--jobs", "2", *extra, *inputs)
    assert two == one
    code, out, _ = one
    report = json.loads(out)
    assert code == 1 and not report["ok"]
    assert {d["valid"] for d in report["documents"]} == {True, False}


@pytest.mark.usefixtures("tiny_ranges")
def test_jobs_two_text_output_is_identical_to_jobs_one(inputs: list[str]) -> None:
    one = _cli("--jobs", "1", *inputs)
    assert _cli("--jobs", "2", *inputs) == one
    assert one[1].splitlines()[-1].startswith("FAILED: ")


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(value: str) -> None:
    code, out, err = _cli("--jobs", value, str(FIXTURES / "response-voice.json"))
    assert code == 2 and out == ""
    assert "--jobs" in err and "at least 1" in err and "Traceback" not in err


@contextmanager
def another_thread() -> Iterator[None]:
    """This process runs a second thread meanwhile, so its workers are not forked."""
    idle = threading.Event()
    thread = threading.Thread(target=idle.wait)
    thread.start()
    try:
        yield
    finally:
        idle.set()
        thread.join()


def test_workers_never_fork_a_process_that_runs_threads(inputs: list[str]) -> None:
    with another_thread():
        assert _parallel._context().get_start_method() in {"forkserver", "spawn"}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert _parallel_run(inputs) == _serial(inputs)
    assert [w for w in caught if issubclass(w.category, DeprecationWarning)] == []


START_METHOD = """
import threading
from campaign_contract.captures._pool import _context
alone = _context().get_start_method()
idle = threading.Event()
thread = threading.Thread(target=idle.wait)
thread.start()
print(alone, _context().get_start_method())
idle.set()
"""


def test_a_single_threaded_process_forks_its_workers_and_a_threaded_one_does_not() -> None:
    found = subprocess.run(
        [sys.executable, "-c", START_METHOD], capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["fork", "forkserver"]


AT_MOST_ONE_RESULT = (
    "import os\n"
    "from campaign_contract import Violation, check\n\n\n"
    "@check(name='at-most-one-result')\n"
    "def at_most_one(request, response):\n"
    "    with open(os.path.join(os.path.dirname(__file__), 'pids'), 'a') as pids:\n"
    "        pids.write(f'{os.getpid()}\\n')  # which processes judged\n"
    "    if len(response['data'].get('results') or []) > 1:\n"
    "        yield Violation('/data/results', 'more than one result')\n"
)


@pytest.mark.usefixtures("tiny_ranges")
def test_workers_that_are_not_forked_load_the_users_checks(tmp_path: Path) -> None:
    from campaign_contract.oracles._registry import REGISTRY, load_checks_module

    module = tmp_path / "worker_checks.py"
    module.write_text(AT_MOST_ONE_RESULT, encoding="utf-8")
    load_checks_module(str(module))
    har = [str(FIXTURES / "capture.har")]
    try:
        with another_thread():
            assert _parallel._context().get_start_method() in {"forkserver", "spawn"}
            parallel, serial = _parallel_run(har), _serial(har)
    finally:
        REGISTRY.remove("at-most-one-result")
    assert parallel == serial
    found = [v for r in parallel[0] for v in r.violations if v.check == "at-most-one-result"]
    assert len({r.entry for r in parallel[0]}) > 2 and found
    judged_by = set((tmp_path / "pids").read_text(encoding="utf-8").split())
    assert judged_by - {str(os.getpid())}, "no worker ran the check"


def test_checks_files_of_the_same_name_in_two_folders_both_reach_the_workers(
    tmp_path: Path,
) -> None:
    from campaign_contract.oracles._registry import REGISTRY, load_checks_module, portable_checks

    paths = []
    for folder, name in (("a", "first-mine"), ("b", "second-mine")):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "mine.py"
        path.write_text(
            "from campaign_contract import check\n\n\n"
            f"@check(name={name!r})\n"
            "def mine(request, response):\n"
            "    return []\n",
            encoding="utf-8",
        )
        load_checks_module(str(path))
        paths.append(str(path.resolve()))
    try:
        assert portable_checks() == tuple(paths)
    finally:
        REGISTRY.remove("first-mine")
        REGISTRY.remove("second-mine")


@pytest.mark.usefixtures("tiny_ranges")
def test_a_check_only_this_process_has_is_run_here_when_workers_cannot_be_forked() -> None:
    from campaign_contract import Violation, check
    from campaign_contract.oracles._registry import REGISTRY, portable_checks

    def flag_every_page(request: Any, response: Any) -> Iterator[Violation]:
        yield Violation("", "flagged")

    flag_every_page.__module__ = "__main__"
    check(name="flag-every-page")(flag_every_page)
    har = [str(FIXTURES / "capture.har")]
    try:
        assert portable_checks() is None
        with another_thread():
            parallel, serial = _parallel_run(har), _serial(har)
    finally:
        REGISTRY.remove("flag-every-page")
    assert parallel == serial
    assert any(v.check == "flag-every-page" for r in parallel[0] for v in r.violations)
