"""The mock at scale: startup and the time of any page at 25,000 campaigns per type.

    python benchmarks/bench_mock_scale.py [--campaigns 25000] [--repeat 5]
                                          [--output reports/bench_mock_scale.json | --no-output]

Startup is ``MockServer.start()`` (generating, storing and indexing the campaigns). Each query
of a fixed matrix (every sort key and direction, two-key sorts, every filter and the date window,
at the first page and deep into the listing) is sent ``--repeat`` times over one keep-alive
connection; its time is the median (the first of the repeats is reported too: the mock counts
a filtered listing once, so only the first pays for the count). Targets: every page within
20 ms, startup within 5 s.
The only file written is the JSON summary, and only inside ``reports/``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests
from campaign_contract import MockServer

REPORTS = Path(__file__).resolve().parent.parent / "reports"
PAGE_TARGET_MS = 20.0
STARTUP_TARGET_S = 5.0


def queries(campaigns: int) -> list[dict[str, Any]]:
    """The matrix: sorts, filters and windows, each at the first page and near the end."""
    deep = max(campaigns - 1000, 0)
    shapes: list[dict[str, Any]] = [{}]
    shapes += [
        {"sortBy": {key: way}}
        for key in ("name", "createdAt", "updatedAt")
        for way in ("asc", "desc")
    ]
    shapes += [
        {"sortBy": {"updatedAt": "desc", "name": "asc"}},
        {"sortBy": {"name": "desc", "createdAt": "asc"}},
    ]
    filtered: list[dict[str, Any]] = [
        {"filters": {"status": ["Active"]}, "sortBy": {"name": "asc"}},
        {"filters": {"priority": [1, 2]}, "sortBy": {"updatedAt": "desc"}},
        {"filters": {"dialingMode": ["Preview"], "status": ["Ready", "Paused"]}},
        {"startDate": "2025-05-01", "endDate": "2025-09-01", "sortBy": {"createdAt": "asc"}},
    ]
    out = []
    for kind in ("voice", "sms"):
        for shape in shapes:
            for skip in (0, deep):
                out.append({"type": kind, **shape, "skip": skip, "limit": 100})
        for shape in filtered:
            for skip in (0, deep // 10):
                out.append({"type": kind, **shape, "skip": skip, "limit": 100})
    return out


def run(campaigns: int, repeat: int) -> dict[str, Any]:
    mock = MockServer(campaigns=campaigns)
    started = time.perf_counter()
    mock.start()
    startup = time.perf_counter() - started
    timings: list[tuple[float, dict[str, Any]]] = []
    firsts: list[float] = []
    errors = 0
    try:
        session = requests.Session()
        url, headers = mock.url(), mock.headers()
        for body in queries(campaigns):
            times = []
            for _ in range(repeat):
                began = time.perf_counter()
                response = session.post(url, headers=headers, json=body, timeout=30)
                times.append(time.perf_counter() - began)
                errors += response.status_code != 200
            timings.append((statistics.median(times), body))
            firsts.append(times[0])
        session.close()
    finally:
        mock.stop()
    ordered = sorted(timings, key=lambda item: item[0])
    slowest_ms, slowest = ordered[-1][0] * 1000, ordered[-1][1]
    return {
        "benchmark": "mock-scale",
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "campaigns_per_type": campaigns,
        "startup_seconds": round(startup, 2),
        "queries": len(timings),
        "repeat": repeat,
        "errors": errors,
        "page_ms": {
            "median": round(statistics.median(t for t, _ in timings) * 1000, 2),
            "max": round(slowest_ms, 2),
            "first_request_max": round(max(firsts) * 1000, 2),
            "slowest_query": slowest,
            "slowest_five": [
                {"ms": round(t * 1000, 2), "query": body} for t, body in reversed(ordered[-5:])
            ],
        },
        "within_targets": slowest_ms <= PAGE_TARGET_MS and startup <= STARTUP_TARGET_S,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=25_000, help="per type (25000)")
    parser.add_argument("--repeat", type=int, default=5, help="times each query is sent (5)")
    parser.add_argument(
        "--output",
        type=Path,
        default=REPORTS / "bench_mock_scale.json",
        help="JSON summary, inside reports/ (reports/bench_mock_scale.json)",
    )
    parser.add_argument("--no-output", action="store_true", help="print only, write nothing")
    args = parser.parse_args(argv)
    if args.campaigns < 1 or args.repeat < 1:
        parser.error("--campaigns and --repeat must be positive")
    output: Path = args.output.resolve()
    if not args.no_output and not output.is_relative_to(REPORTS):
        parser.error(f"--output must be inside {REPORTS}")
    result = run(args.campaigns, args.repeat)
    pages = result["page_ms"]
    print(
        f"mock at {result['campaigns_per_type']} campaigns per type: startup "
        f"{result['startup_seconds']} s; {result['queries']} queries, page median "
        f"{pages['median']} ms, slowest {pages['max']} ms ({json.dumps(pages['slowest_query'])}), "
        f"slowest first request {pages['first_request_max']} ms; "
        f"errors: {result['errors']}"
    )
    if not args.no_output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {output}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
