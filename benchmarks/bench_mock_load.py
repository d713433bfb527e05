"""Load on the embedded mock: concurrent clients over loopback, requests per second and errors.

    python benchmarks/bench_mock_load.py [--clients 8] [--requests 4000] [--seconds 20]
                                         [--output reports/bench_mock_load.json | --no-output]

Each client thread keeps one ``requests.Session`` (keep-alive) and cycles through a fixed mix of
voice and SMS requests (filters, sorts, pages). The run stops after ``--requests`` in total or
``--seconds``, whichever comes first. Anything but a 200 with a JSON body counts as an error.
The only file written is the JSON summary, and only inside ``reports/``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import threading
import time
from itertools import count
from pathlib import Path
from typing import Any

import requests
from campaign_contract import start_mock

REPORTS = Path(__file__).resolve().parent.parent / "reports"

BODIES: list[dict[str, Any]] = [
    {"type": "voice"},
    {"type": "sms", "limit": 50, "sortBy": {"createdAt": "desc"}},
    {"type": "voice", "limit": 25, "skip": 50, "sortBy": {"name": "asc", "updatedAt": "desc"}},
    {"type": "sms", "filters": {"status": ["Ready", "Stopped"], "priority": [5]}},
    {"type": "voice", "filters": {"dialingMode": ["Progressive"]}, "page": 2, "limit": 20},
    {"type": "sms", "startDate": "2025-06-01T00:00:00.000Z", "endDate": "2025-09-01", "limit": 100},
]


def run(clients: int, total: int, seconds: float, campaigns: int) -> dict[str, Any]:
    mock = start_mock(campaigns=campaigns)
    url, headers = mock.url(), mock.headers()
    tickets = count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client() -> None:
        session = requests.Session()
        mine: list[float] = []
        while time.monotonic() < deadline:
            n = next(tickets)
            if n >= total:
                break
            started = time.perf_counter()
            try:
                response = session.post(
                    url, headers=headers, json=BODIES[n % len(BODIES)], timeout=10
                )
                ok = response.status_code == 200 and response.json()["status"] == "success"
                problem = "" if ok else f"HTTP {response.status_code}"
            except (requests.RequestException, ValueError) as exc:
                problem = type(exc).__name__
            mine.append(time.perf_counter() - started)
            if problem:
                with lock:
                    errors.append(problem)
        session.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        elapsed = time.perf_counter() - started
        mock.stop()
    done = len(latencies)
    ordered = sorted(latencies) or [0.0]
    return {
        "benchmark": "mock-load",
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "clients": clients,
        "campaigns_per_type": campaigns,
        "requests": done,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "seconds": round(elapsed, 3),
        "requests_per_second": round(done / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {
            "median": round(statistics.median(ordered) * 1000, 2),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
            "max": round(ordered[-1] * 1000, 2),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (8)")
    parser.add_argument("--requests", type=int, default=4000, help="requests in total (4000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit (20)")
    parser.add_argument("--campaigns", type=int, default=250, help="campaigns per type (250)")
    parser.add_argument(
        "--output",
        type=Path,
        default=REPORTS / "bench_mock_load.json",
        help="JSON summary, inside reports/ (reports/bench_mock_load.json)",
    )
    parser.add_argument("--no-output", action="store_true", help="print only, write nothing")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1 or args.seconds <= 0:
        parser.error("--clients, --requests and --seconds must be positive")
    output: Path = args.output.resolve()
    if not args.no_output and not output.is_relative_to(REPORTS):
        parser.error(f"--output must be inside {REPORTS}")
    result = run(args.clients, args.requests, args.seconds, args.campaigns)
    print(
        f"mock load: {result['requests']} requests from {result['clients']} clients in "
        f"{result['seconds']} s = {result['requests_per_second']} requests/s; "
        f"errors: {result['errors']}; latency median {result['latency_ms']['median']} ms, "
        f"p95 {result['latency_ms']['p95']} ms"
    )
    if not args.no_output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {output}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
