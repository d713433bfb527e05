"""The live profile's economy: requests of a clean run by tenant size, faults caught by budget.

Two measures, each runnable in chunks on a shared machine (every result is kept in
``reports/bench-live/`` and merged into ``reports/benchmarks.json`` under ``live``):

``sizes``   a clean ``verify --live`` run against ``campaign-contract mock --campaigns N`` for each
            size (requests per run; the rate is lifted with ``--rate 0`` since it does not change
            what is sent);
``faults``  ``verify --live --fault F`` for every fault of the catalogue at each budget (60, 150,
            400, and unlimited), and the loopback profile (no ``--live``) as the reference: which
            checks caught each fault;
``summary`` merges the chunks into ``reports/benchmarks.json`` and prints the README's table;
``costs``   the plan's table (``harness/_plan.py`` ``COSTS``) from one clean unlimited live run
            (requests per example of each check) and the loopback runs of ``faults`` (the faults
            each check caught), printed for pasting.

    python benchmarks/bench_live.py sizes --sizes 250,2500,25000
    python benchmarks/bench_live.py faults --budgets 60,150,400,0 --chunk 1/4
    python benchmarks/bench_live.py summary
    python benchmarks/bench_live.py costs
"""

from __future__ import annotations

import argparse
import json
import os
import re
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

OUT = ROOT / "reports" / "bench-live"
BENCHMARKS = ROOT / "reports" / "benchmarks.json"
SEED = "1"
LOOPBACK = "loopback"
"""The label of the reference runs: the loopback profile, no budget."""
MOCK_HEADERS = ("st-mock-app", "mock-account", "campaign-contract-mock-token")


def _cli() -> list[str]:
    return [str(Path(sys.executable).parent / "campaign-contract")]


def verify(extra: Sequence[str], report_dir: Path) -> dict[str, Any]:
    """Run ``verify`` with ``extra`` and return what its report.json says."""
    command = [*_cli(), "verify", "--hypothesis-seed", SEED, "--report-dir", str(report_dir)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, *extra], capture_output=True, text=True, check=False, cwd=report_dir
    )
    wall = time.perf_counter() - started
    try:
        record = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"exit": done.returncode, "error": done.stderr.strip()[-400:], "wall_s": wall}
    checks = record.get("checks", [])
    return {
        "exit": done.returncode,
        "verdict": record.get("verdict"),
        "requests": sum(int(c.get("requests", 0)) for c in checks),
        "failed": sorted(c["name"] for c in checks if c.get("outcome") in ("failed", "error")),
        "skipped": sorted(c["name"] for c in checks if c.get("outcome") == "skipped"),
        "plan": record.get("plan"),
        "wall_s": round(wall, 2),
    }


def _save(name: str, data: dict[str, Any]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    old.update(data)
    path.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _mock(size: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [*_cli(), "mock", "--port", "0", "--campaigns", str(size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.match(r"base URL: (\S+)", line)
        if found:
            return process, found.group(1)
    raise RuntimeError("the mock did not start")


def sizes(args: argparse.Namespace) -> None:
    for size in (int(s) for s in args.sizes.split(",")):
        process, url = _mock(size)
        try:
            app, account, token = MOCK_HEADERS
            target = ["--url", url, "--app-id", app, "--account-id", account, "--token", token]
            with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
                result = verify([*target, "--live", "--rate", "0"], Path(tmp))
        finally:
            process.terminate()
            process.wait()
        print(f"{size} campaigns per type: {result.get('requests')} requests ({result})")
        _save("sizes", {str(size): result})


def _fault_names() -> list[str]:
    """The faults the suite must catch (transport faults exercise the client, not the contract)."""
    from campaign_contract.mock import semantic_fault_names

    return list(semantic_fault_names())


def faults(args: argparse.Namespace) -> None:
    names = _fault_names()
    part, parts = (int(x) for x in args.chunk.split("/"))
    chosen = names[part - 1 :: parts]
    labels = [b.strip() for b in args.budgets.split(",") if b.strip()]
    for label in labels:
        extra = [] if label == LOOPBACK else ["--live", "--rate", "0", "--budget", label]
        for fault in [None, *chosen] if part == 1 else chosen:
            with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
                given = [*extra, "--fault", fault] if fault else extra
                result = verify(given, Path(tmp))
            key = fault or "(clean)"
            print(f"[{label}] {key}: {result.get('failed')} ({result.get('requests')} requests)")
            _save(f"faults-{label}", {key: result})


def _load(name: str) -> dict[str, Any]:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def summary(args: argparse.Namespace) -> None:
    by_size = _load("sizes")
    detection: dict[str, Any] = {}
    reference = _load(f"faults-{LOOPBACK}")
    catalogue = set(_fault_names())
    for path in sorted(OUT.glob("faults-*.json")):
        label = path.stem.removeprefix("faults-")
        runs = _load(path.stem)
        faulty = {k: v for k, v in runs.items() if k in catalogue}
        caught = sorted(k for k, v in faulty.items() if v.get("failed"))
        missed = sorted(k for k, v in faulty.items() if not v.get("failed"))
        clean = runs.get("(clean)", {})
        beyond = {
            k: sorted(set(v.get("failed", [])) - set(reference.get(k, {}).get("failed", [])))
            for k, v in faulty.items()
            if k in reference
        }
        detection[label] = {
            "faults_run": len(faulty),
            "caught": len(caught),
            "missed": missed,
            "clean_failed": clean.get("failed"),
            "clean_requests": clean.get("requests"),
            "median_requests": sorted(v.get("requests", 0) for v in faulty.values())[
                len(faulty) // 2
            ]
            if faulty
            else None,
            "failures_a_full_run_lacks": {k: v for k, v in beyond.items() if v},
        }
    result = {
        "clean_requests_by_campaigns_per_type": {k: v.get("requests") for k, v in by_size.items()},
        "fault_detection": detection,
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    everything = json.loads(BENCHMARKS.read_text(encoding="utf-8")) if BENCHMARKS.is_file() else {}
    everything["live"] = result
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")
    print("| campaigns per type | requests of a clean `--live` run |")
    print("|---|---|")
    for size, requests in sorted(
        result["clean_requests_by_campaigns_per_type"].items(), key=lambda kv: int(kv[0])
    ):
        print(f"| {int(size):,} | {requests} |")
    print()
    print("| profile | faults caught | missed | clean run: requests, false alarms |")
    print("|---|---|---|---|")
    for label, row in detection.items():
        name = "loopback" if label == LOOPBACK else f"`--live --budget {label}`"
        alarms = len(row["clean_failed"] or []) if row["clean_failed"] is not None else "?"
        print(
            f"| {name} | {row['caught']} of {row['faults_run']} | "
            f"{', '.join(row['missed']) or '—'} | {row['clean_requests']}, {alarms} |"
        )


def costs(args: argparse.Namespace) -> None:
    reference = {k: v for k, v in _load(f"faults-{LOOPBACK}").items() if k != "(clean)"}
    catches: dict[str, int] = {}
    for run in reference.values():
        for check in run.get("failed", []):
            catches[check] = catches.get(check, 0) + 1
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
        verify(["--live", "--rate", "0", "--budget", "0"], Path(tmp))
        record = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
    print(f"# of the {len(reference)} faults of the catalogue, seed {SEED}")
    for check in record.get("checks", []):
        name, requests = check["name"], int(check.get("requests", 0))  # sent, not reused
        examples = max(1, int(check.get("examples", 0)))
        # examples beyond the first cost what the first did, unless the check runs once
        each = 0 if examples == 1 else max(1, round(requests / examples))
        first = max(1, requests - each * (examples - 1))
        print(f'    "{name}": Cost({first}, {each}, {catches.get(name, 0)}),')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    size_parser = sub.add_parser("sizes", help="clean live runs by tenant size")
    size_parser.add_argument("--sizes", default="250,2500,25000")
    fault_parser = sub.add_parser("faults", help="the fault catalogue by budget")
    fault_parser.add_argument("--budgets", default=f"60,150,400,0,{LOOPBACK}")
    fault_parser.add_argument("--chunk", default="1/1", help="part/parts of the catalogue")
    sub.add_parser("summary", help="merge into reports/benchmarks.json and print the table")
    sub.add_parser("costs", help="the plan's table of costs and catches, from measurements")
    args = parser.parse_args()
    {"sizes": sizes, "faults": faults, "summary": summary, "costs": costs}[args.what](args)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
