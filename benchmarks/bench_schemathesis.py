"""Schemathesis against the clean embedded mock, driven by the exported OpenAPI document.

    python benchmarks/bench_schemathesis.py [--max-examples 50] [--fault NAME ...]
                                            [--output reports/bench_schemathesis.json | --no-output]

Exports ``campaign-contract openapi`` with the mock's ids pinned, starts the embedded mock and
runs ``schemathesis run`` against it with every check but ``positive_data_acceptance`` (the
request schema's date pattern admits calendar-impossible dates such as 2025-02-31, which a
server may refuse; README). The clean mock must pass: exit 0 when Schemathesis finds nothing,
1 when it does. Without Schemathesis installed it says so and exits 0 (nothing to measure).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from campaign_contract import start_mock
from campaign_contract.export import openapi_document

REPORTS = Path(__file__).resolve().parent.parent / "reports"
EXCLUDED_CHECKS = ("positive_data_acceptance",)


def schemathesis_command() -> list[str] | None:
    """How to start Schemathesis here, or ``None`` when it is not installed."""
    found = shutil.which("schemathesis") or shutil.which("st")
    return [found] if found else None


def run(max_examples: int, faults: list[str], command: list[str]) -> dict[str, Any]:
    with start_mock(faults=faults) as mock, tempfile.TemporaryDirectory() as scratch:
        document = openapi_document(
            app_id=mock.app_id, account_id=mock.account_id, server=mock.base_url
        )
        spec = Path(scratch) / "openapi.json"
        spec.write_text(json.dumps(document), encoding="utf-8")
        argv = [
            *command,
            "run",
            str(spec),
            "--url",
            mock.base_url,
            "--header",
            f"auth: {mock.token}",
            "--checks",
            "all",
            "--exclude-checks",
            ",".join(EXCLUDED_CHECKS),
            "--max-examples",
            str(max_examples),
            "--workers",
            "1",
            "--no-color",
        ]
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=scratch)
        wall = time.perf_counter() - started
    tail = [line for line in done.stdout.splitlines() if line.strip()][-12:]
    return {
        "benchmark": "schemathesis",
        "faults": faults,
        "max_examples": max_examples,
        "returncode": done.returncode,
        "passed": done.returncode == 0,
        "seconds": round(wall, 2),
        "summary": tail,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--fault", action="append", default=[], metavar="NAME")
    parser.add_argument("--output", type=Path, default=REPORTS / "bench_schemathesis.json")
    parser.add_argument("--no-output", action="store_true")
    args = parser.parse_args(argv)
    command = schemathesis_command()
    if command is None:
        print("bench_schemathesis: Schemathesis is not installed (pip install schemathesis)")
        return 0
    result = run(args.max_examples, args.fault, command)
    print("\n".join(result["summary"]))
    verdict = "passed" if result["passed"] else "FAILED"
    print(f"schemathesis {verdict} against the mock in {result['seconds']} s")
    if not args.no_output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
