"""Large JSONL and HAR inputs are streamed: memory does not grow with the size of the file."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from campaign_contract.captures._run import Totals, validate_inputs

FIXTURES = Path(__file__).parent / "fixtures"
MB = 1 << 20


def padded_response() -> bytes:
    """A valid voice response of about 30 KB (a long top-level message)."""
    doc = json.loads((FIXTURES / "response-voice.json").read_text(encoding="utf-8"))
    doc["message"] = "m" * 30_000
    return json.dumps(doc).encode()


def write_jsonl(path: Path, size: int) -> int:
    line = padded_response() + b"\n"
    count = size // len(line)
    with path.open("wb") as out:
        for _ in range(count):
            out.write(line)
    return count


def write_har(path: Path, size: int) -> int:
    """Every other entry is getAllCampaignDetails; the others are ignored."""
    body = padded_response().decode()
    entry = {
        "request": {
            "method": "POST",
            "url": "https://h/campaign/api/v2/public/st-1/campaign/getAllCampaignDetails",
            "headers": [{"name": "auth", "value": "secret"}],
            "postData": {"mimeType": "application/json", "text": '{"type": "voice"}'},
        },
        "response": {"status": 200, "content": {"text": body}},
    }
    other = copy.deepcopy(entry)
    other["request"]["url"] = "https://h/elsewhere"
    encoded = [json.dumps(entry).encode(), json.dumps(other).encode()]
    count = size // len(encoded[0])
    with path.open("wb") as out:
        out.write(b'{"log": {"version": "1.2", "creator": {"name": "t"}, "entries": [\n')
        for index in range(count):
            out.write((b",\n" if index else b"") + encoded[index % 2])
        out.write(b"\n]}}\n")
    return (count + 1) // 2


WRITERS = {"jsonl": write_jsonl, "har": write_har}


def traced_peak(path: Path) -> tuple[int, Totals]:
    totals = Totals()
    tracemalloc.start()
    try:
        for result in validate_inputs([str(path)], stats=totals.read):
            totals.add(result)
        return tracemalloc.get_traced_memory()[1], totals
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_library_memory_does_not_grow_with_input_size(tmp_path: Path, kind: str) -> None:
    small, large = tmp_path / f"small.{kind}", tmp_path / f"large.{kind}"
    WRITERS[kind](small, 3 * MB)
    expected = WRITERS[kind](large, 30 * MB)
    traced_peak(small)  # warm caches (compiled schemas) before measuring
    small_peak, _ = traced_peak(small)
    large_peak, totals = traced_peak(large)
    assert totals.documents == expected and totals.ok
    assert large_peak < 8 * MB
    assert large_peak < small_peak + 2 * MB


PEAK_RSS = """
import resource, sys
from campaign_contract.cli import main
code = main(["validate", "--format", sys.argv[2], sys.argv[1]])
sys.stdout.flush()
print("RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)
"""


def cli_peak_rss_kb(path: Path, output: str) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(path), output],
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent,
    )
    line = done.stderr.strip().splitlines()[-1].split()
    assert line[0] == "RSS", done.stderr
    return int(line[1]), int(line[2])


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_cli_peak_rss_does_not_grow_with_input_size(tmp_path: Path, kind: str) -> None:
    small, large = tmp_path / f"small.{kind}", tmp_path / f"large.{kind}"
    WRITERS[kind](small, 3 * MB)
    WRITERS[kind](large, 30 * MB)
    small_rss, small_code = cli_peak_rss_kb(small, "json")
    large_rss, large_code = cli_peak_rss_kb(large, "json")
    assert small_code == large_code == 0
    assert large_rss - small_rss < 12 * 1024, (small_rss, large_rss)
