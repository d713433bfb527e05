"""Validation on several processes: same results, same order, bounded reading ahead."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import _parallel
from campaign_contract._captures import Document, iter_documents
from campaign_contract._cli._main import run_cli
from campaign_contract._validation_run import validate_documents

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus  # noqa: E402


def _sample(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"response-{kind}.json").read_text("utf-8"))
    return loaded


def _mixed_lines() -> list[bytes]:
    """Valid pages, schema violations, undetectable pages and lines that are not JSON."""
    lines: list[bytes] = []
    for page in range(12):
        kind = "voice" if page % 2 else "sms"
        doc = _sample(kind)
        if page % 3 == 1:
            doc["data"]["results"][0]["priority"] = 5
        if page % 4 == 2:
            del doc["data"]["results"][1]["createdAt"]
        lines.append(json.dumps(doc).encode())
        if page % 5 == 4:
            lines += [b"{not json", b"", b'"a string"', b"[]", b'{"status": "error"}']
    return lines


@pytest.fixture
def mixed_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(_mixed_lines()) + b"\n")
    return path


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of two documents, so that a small input spreads over many chunks."""
    monkeypatch.setattr(_parallel, "CHUNK_DOCUMENTS", 2)


def _serial(path: Path, profile: Any = "documented") -> list[Any]:
    return list(validate_documents(iter_documents([str(path)]), None, profile))


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("profile", ["documented", "strict"])
def test_two_jobs_give_the_serial_results_in_order(mixed_jsonl: Path, profile: Any) -> None:
    serial = _serial(mixed_jsonl, profile)
    documents = iter_documents([str(mixed_jsonl)])
    parallel = list(_parallel.validate_stream_parallel(documents, None, profile, jobs=2))
    assert parallel == serial
    assert any(r.valid for r in serial) and any(not r.valid for r in serial)


@pytest.mark.usefixtures("small_chunks")
def test_automatic_jobs_switch_to_workers_past_the_serial_budget(
    mixed_jsonl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_parallel, "SERIAL_BYTES", 10_000)
    monkeypatch.setattr(_parallel, "cpu_count", lambda: 2)
    pooled: list[int] = []
    original = _parallel._in_pool

    def spy(documents: Iterator[Document], *args: Any) -> Iterator[Any]:
        pooled.append(args[-1])
        return original(documents, *args)

    monkeypatch.setattr(_parallel, "_in_pool", spy)
    documents = iter_documents([str(mixed_jsonl)])
    assert list(_parallel.validate_stream_parallel(documents)) == _serial(mixed_jsonl)
    assert pooled == [2]


def test_small_input_with_automatic_jobs_starts_no_workers(
    mixed_jsonl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_parallel, "cpu_count", lambda: 2)

    def no_pool(*args: Any) -> Iterator[Any]:
        raise AssertionError("a worker pool was started for a small input")

    monkeypatch.setattr(_parallel, "_in_pool", no_pool)
    documents = iter_documents([str(mixed_jsonl)])
    assert list(_parallel.validate_stream_parallel(documents)) == _serial(mixed_jsonl)


@pytest.mark.usefixtures("small_chunks")
def test_reading_ahead_is_bounded_by_the_chunks_in_flight() -> None:
    body = json.dumps(_sample("voice")).encode()
    pulled = 0

    def endless() -> Iterator[Document]:
        nonlocal pulled
        while True:
            pulled += 1
            yield Document("<gen>", pulled, body)

    results = _parallel.validate_stream_parallel(endless(), jobs=2)
    consumed = [next(results) for _ in range(30)]
    results.close()
    assert [r.entry for r in consumed] == list(range(1, 31))
    # 2 * jobs chunks in flight, plus the chunk being filled.
    assert pulled <= 30 + (2 * 2 + 1) * _parallel.CHUNK_DOCUMENTS + 1


def test_jobs_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(_parallel.validate_stream_parallel([], jobs=0))


PARENT = os.getpid()
_validate_chunk = _parallel._validate_chunk


def _dies_in_workers(chunk: list[Document], *args: Any) -> Any:
    if os.getpid() != PARENT:
        os._exit(3)
    return _validate_chunk(chunk, *args)


def test_a_dead_worker_is_replaced_by_checking_here(
    mixed_jsonl: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_parallel, "CHUNK_DOCUMENTS", 4)
    monkeypatch.setattr(_parallel, "_validate_chunk", _dies_in_workers)
    documents = iter_documents([str(mixed_jsonl)])
    parallel = list(_parallel.validate_stream_parallel(documents, jobs=2))
    assert parallel == _serial(mixed_jsonl)


def test_corpus_pages_are_valid_on_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    count, size = corpus.build(path, 600_000)
    assert size >= 600_000 and count >= 15
    for strict in (False, True):
        profile: Any = "strict" if strict else "documented"
        documents = iter_documents([str(path)])
        results = list(_parallel.validate_stream_parallel(documents, None, profile, jobs=2))
        assert len(results) == count
        assert all(r.valid and not r.violations for r in results)


# --- the command line -----------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(["validate", *args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("extra", [[], ["--strict"], ["--type", "voice"]])
def test_jobs_two_output_is_byte_identical_to_jobs_one(mixed_jsonl: Path, extra: list[str]) -> None:
    one = _cli("--format", "json", "--jobs", "1", *extra, str(mixed_jsonl))
    two = _cli("--format", "json", "--jobs", "2", *extra, str(mixed_jsonl))
    assert two == one
    code, out, _ = one
    report = json.loads(out)
    assert code == 1 and not report["ok"]
    assert {d["valid"] for d in report["documents"]} == {True, False}
    assert len(report["documents"]) == len([line for line in _mixed_lines() if line.strip()])


@pytest.mark.usefixtures("small_chunks")
def test_jobs_two_text_output_is_identical_to_jobs_one(mixed_jsonl: Path, tmp_path: Path) -> None:
    valid = tmp_path / "valid.json"
    valid.write_text(json.dumps(_sample("sms")), encoding="utf-8")
    one = _cli("--jobs", "1", str(mixed_jsonl), str(valid))
    assert _cli("--jobs", "2", str(mixed_jsonl), str(valid)) == one
    assert one[1].splitlines()[-1].startswith("FAILED: ")


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(value: str) -> None:
    code, out, err = _cli("--jobs", value, str(FIXTURES / "response-voice.json"))
    assert code == 2 and out == ""
    assert "--jobs" in err and "at least 1" in err and "Traceback" not in err
