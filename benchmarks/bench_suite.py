"""The contract suite against its HTTP floor, and two workers against one, side by side in one run.

A mock server runs in a process of its own (the embedded mock, recording every request it is
sent). Then, interleaved ``--repeat`` times:

``suite``    ``campaign-contract verify --url <that mock>`` (one process, the whole process timed);
``floor``    one process that sends the very requests the suite sent — same bodies, same headers,
             one keep-alive ``requests.Session``, nothing else — the HTTP floor for that count;
``workers``  the same ``verify`` with ``-n 2``.

It prints the ratios suite / floor (the goal: at most 2.0) and ``-n 2`` / one process (at most
0.75, with the same verdicts), best against best and each run's own with their median, and
writes them to ``reports/benchmarks.json`` under ``suite``.
The profile (``--profile``) splits the suite's main thread time by where it went; ``--sample``
does it with py-spy's samples (when py-spy is installed), which do not slow Python code.

    python benchmarks/bench_suite.py --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import machine  # noqa: E402

BENCHMARKS = ROOT / "reports" / "benchmarks.json"
CLI = str(Path(sys.executable).parent / "campaign-contract")
SEED = "1"

SERVER = r"""
import json, sys, threading
from campaign_contract.mock import start_mock
from campaign_contract.mock._app import MockApp

log = open(sys.argv[1], "a", encoding="utf-8", buffering=1)
lock = threading.Lock()
handle = MockApp.handle

def recording(self, method, target, headers, body):
    if method == "POST":
        text = body.decode("latin-1")
        line = json.dumps({"target": target, "headers": dict(headers), "body": text})
        with lock:
            log.write(line + "\n")
    return handle(self, method, target, headers, body)

MockApp.handle = recording
server = start_mock(port=0)
print(server.base_url, server.app_id, server.account_id, server.token, flush=True)
sys.stdin.read()
server.stop()
"""

REPLAY = r"""
import json, sys, requests
base = sys.argv[1]
with open(sys.argv[2], encoding="utf-8") as stream:
    sent = [json.loads(line) for line in stream if line.strip()]
session = requests.Session()
statuses = 0
for request in sent:
    headers = {k: v for k, v in request["headers"].items()
               if k.lower() not in {"host", "content-length", "connection", "accept-encoding"}}
    answer = session.post(base + request["target"], data=request["body"].encode("latin-1"),
                          headers=headers)
    answer.content
    statuses += answer.status_code < 500
print(len(sent), statuses)
"""


class Server:
    """The recording mock in its own process."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.base_url, self.app_id, self.account_id, self.token = (
            self.process.stdout.readline().split()
        )

    def target(self) -> list[str]:
        return [
            "--url", self.base_url, "--app-id", self.app_id,
            "--account-id", self.account_id, "--token", self.token,
        ]  # fmt: skip

    def sent(self) -> int:
        return sum(1 for line in self.log.read_text(encoding="utf-8").splitlines() if line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""As on a usual machine, byte code is cached (pytest's rewritten modules included): the
figures are those of a second run, not of the first after an install."""


def _timed(command: Sequence[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        list(command), capture_output=True, text=True, check=False, cwd=cwd, env=ENVIRONMENT
    )
    return time.perf_counter() - started, done


def _verdicts(report_dir: Path) -> dict[str, str]:
    record = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return {c["name"]: c["outcome"] for c in record.get("checks", [])}


def suite_run(server: Server, work: Path, extra: Sequence[str]) -> dict[str, Any]:
    """One ``verify`` against the server: wall time, requests the server saw, verdicts."""
    server.log.write_text("", encoding="utf-8")
    report_dir = Path(tempfile.mkdtemp(prefix="suite-", dir=work))
    command = [CLI, "verify", *server.target(), "--hypothesis-seed", SEED, *extra]
    wall, done = _timed([*command, "--report-dir", str(report_dir)], work)
    record = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return {
        "wall_s": round(wall, 3),
        "session_s": record.get("totals", {}).get("duration"),
        "exit": done.returncode,
        "requests": server.sent(),
        "verdicts": _verdicts(report_dir),
        "requests_log": server.log.read_text(encoding="utf-8"),
    }


def floor_run(server: Server, work: Path, requests_log: str) -> dict[str, Any]:
    """The same requests, replayed by a process that does nothing else."""
    replay = work / "replay.jsonl"
    replay.write_text(requests_log, encoding="utf-8")
    wall, done = _timed([sys.executable, "-c", REPLAY, server.base_url, str(replay)], work)
    sent, answered = (int(x) for x in done.stdout.split()[-2:])
    return {"wall_s": round(wall, 3), "requests": sent, "answered_below_500": answered}


AREAS = {
    "http (requests, sockets, the loopback transport)": re.compile(
        r"/(requests|urllib3)/|_socket|/socket\.py|ssl|/http/client"
        r"|campaign_contract/client/_(http1|transport)\.py"
    ),
    "hypothesis engine": re.compile(r"/hypothesis/"),
    "oracles and checks": re.compile(r"campaign_contract/(oracles|checks)/"),
    "generation": re.compile(r"campaign_contract/generation/"),
    "harness and client": re.compile(r"campaign_contract/(harness|client)/"),
    "validation": re.compile(r"campaign_contract/validation/"),
    "reports": re.compile(r"campaign_contract/report/"),
    "pytest": re.compile(r"/(_pytest|pluggy)/"),
}
"""Where a function lives, by its file: the areas both profiles split the time into."""


def _area(where: str) -> str | None:
    return next((area for area, pattern in AREAS.items() if pattern.search(where)), None)


def _verify_command(server: Server, report_dir: Path) -> list[str]:
    options = ["--hypothesis-seed", SEED, "--report-dir", str(report_dir)]
    return [CLI, "verify", *server.target(), *options]


def profile_split(server: Server, work: Path) -> dict[str, Any]:
    """Where the suite's main thread spent its time (cProfile; Python code runs slower under it)."""
    stats_file = work / "suite.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file)]
    _timed([*command, *_verify_command(server, work / "profiled")], work)
    stats: Any = pstats.Stats(str(stats_file)).stats
    total = max(v[3] for v in stats.values())
    split = {name: 0.0 for name in AREAS}
    for (filename, _, name), (_, _, tottime, _, _) in stats.items():
        area = _area(filename if filename != "~" else name)
        if area is not None:
            split[area] += tottime
    return {
        "note": "own time per area under cProfile, which slows Python code but not socket waits",
        "total_s": round(total, 2),
        "own_time_s": {k: round(v, 2) for k, v in sorted(split.items(), key=lambda kv: -kv[1])},
    }


DRAWING = "query (campaign_contract/checks/_draw.py"
"""The frame of a check drawing a request body (schema-valid or data-aware)."""


def sample_split(server: Server, work: Path) -> dict[str, Any]:
    """Where the suite process's samples fall (py-spy, 200 a second, which does not slow the
    Python code it samples): the share of each area by the innermost frame, and the share of
    samples spent drawing request bodies, whatever the innermost frame."""
    spy = shutil.which("py-spy")
    if spy is None:
        return {"skipped": "py-spy is not installed (pip install py-spy)"}
    raw = work / "suite.raw"
    command = [spy, "record", "-r", "200", "-f", "raw", "-o", str(raw), "--", sys.executable]
    _timed([*command, *_verify_command(server, work / "sampled")], work)
    samples: dict[str, int] = {name: 0 for name in [*AREAS, "other"]}
    total = drawing = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        total += int(count)
        innermost = frames[-1]  # "function (path:line)", the path relative to sys.path
        samples[_area("/" + innermost[innermost.rfind("(") + 1 :]) or "other"] += int(count)
        drawing += int(count) if any(DRAWING in frame for frame in frames) else 0
    share = {k: round(100 * v / max(1, total), 1) for k, v in samples.items()}
    return {
        "note": "py-spy samples of the suite process, by the innermost frame's area",
        "samples": total,
        "percent": dict(sorted(share.items(), key=lambda kv: -kv[1])),
        "percent_drawing_request_bodies": round(100 * drawing / max(1, total), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also split a profiled run")
    parser.add_argument("--sample", action="store_true", help="also split a run sampled by py-spy")
    parser.add_argument("--no-workers", action="store_true", help="skip the -n 2 runs")
    args = parser.parse_args()
    started_load = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        work = Path(tmp)
        server = Server(work / "requests.jsonl")
        try:
            suites, floors, workers = [], [], []
            suite_run(
                server, work, ["-k", "conformance"]
            )  # byte code written, as after a first run
            for _ in range(args.repeat):
                suite = suite_run(server, work, [])
                floors.append(floor_run(server, work, suite.pop("requests_log")))
                suites.append(suite)
                if not args.no_workers:
                    two = suite_run(server, work, ["-n", "2"])
                    two.pop("requests_log")
                    workers.append(two)
            profile = profile_split(server, work) if args.profile else None
            sampled = sample_split(server, work) if args.sample else None
        finally:
            server.close()
    best_suite = min(suites, key=lambda r: r["wall_s"])
    best_floor = min(floors, key=lambda r: r["wall_s"])
    result: dict[str, Any] = {
        "target": "the embedded mock in a process of its own (loopback)",
        "suite": {k: v for k, v in best_suite.items() if k != "verdicts"},
        "floor": best_floor,
        "suite_runs_wall_s": [r["wall_s"] for r in suites],
        "floor_runs_wall_s": [r["wall_s"] for r in floors],
        "suite_over_floor": round(best_suite["wall_s"] / best_floor["wall_s"], 3),
        "suite_over_floor_each_run": [
            round(s["wall_s"] / f["wall_s"], 3) for s, f in zip(suites, floors, strict=True)
        ],
        "goal_suite_over_floor": 2.0,
    }
    result["suite_over_floor_median_run"] = statistics.median(result["suite_over_floor_each_run"])
    if workers:
        best_two = min(workers, key=lambda r: r["wall_s"])
        result["workers_2"] = {k: v for k, v in best_two.items() if k != "verdicts"}
        result["workers_2_runs_wall_s"] = [r["wall_s"] for r in workers]
        result["workers_2_over_one"] = round(best_two["wall_s"] / best_suite["wall_s"], 3)
        result["workers_2_over_one_each_run"] = [
            round(w["wall_s"] / s["wall_s"], 3) for w, s in zip(workers, suites, strict=True)
        ]
        result["workers_2_over_one_median_run"] = statistics.median(
            result["workers_2_over_one_each_run"]
        )
        result["workers_2_same_verdicts"] = all(
            r["verdicts"] == best_suite["verdicts"] for r in [*workers, *suites]
        )
        result["goal_workers_2_over_one"] = 0.75
    if profile:
        result["profile"] = profile
    if sampled:
        result["sampled"] = sampled
    result["machine"] = machine()
    result["load_average_at_start"] = started_load
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    everything = json.loads(BENCHMARKS.read_text(encoding="utf-8")) if BENCHMARKS.is_file() else {}
    everything["suite"] = result
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")
    print(
        f"suite: {best_suite['requests']} requests in {best_suite['wall_s']} s; floor: the same "
        f"requests in {best_floor['wall_s']} s; suite / floor = {result['suite_over_floor']}"
        f" (each run: {result['suite_over_floor_each_run']},"
        f" median {result['suite_over_floor_median_run']})"
    )
    if workers:
        print(
            f"-n 2: {result['workers_2']['wall_s']} s ({result['workers_2']['requests']} requests);"
            f" -n 2 / one process = {result['workers_2_over_one']}"
            f" (each run: {result['workers_2_over_one_each_run']},"
            f" median {result['workers_2_over_one_median_run']});"
            f" same verdicts: {result['workers_2_same_verdicts']}"
        )
    for split in (profile, sampled):
        if split:
            print(json.dumps(split, indent=1))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
