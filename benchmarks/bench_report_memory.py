"""Peak memory of ``validate --format html --report-dir`` on large HAR captures.

Builds HARs of 10 and 100 MB (half the entries with 10 violations each: a report with
thousands of failing documents) and measures the validate process: the largest single process
(``ru_maxrss``) and the sampled sum over its process tree (the workers included). Target: at
most 150 MB for 100 MB, and about flat in input size. Adds ``report_memory`` to
reports/benchmarks.json (keeping what other benchmarks wrote there).

    python benchmarks/bench_report_memory.py [--sizes 10 100]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import build_har
from measure import MB, machine, run

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 150
SCRIPT = Path(sys.executable).parent / "campaign-contract"


def measure(size_mb: int, work: Path, command: list[str]) -> dict[str, Any]:
    har = work / f"capture-{size_mb}mb.har"
    entries, written = build_har(har, size_mb * MB, invalid_every=2)
    reports = work / f"reports-{size_mb}"
    done = run([*command, "validate", "--format", "html", "--report-dir", str(reports), str(har)])
    doc = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    sizes = {p.name: p.stat().st_size for p in sorted(reports.iterdir())}
    summary_lines = len((reports / "summary.md").read_text(encoding="utf-8").splitlines())
    shutil.rmtree(reports)
    har.unlink()
    return {
        "input_mb": round(written / MB, 1),
        "entries": entries,
        "exit_status": done.returncode,
        "wall_s": round(done.wall, 2),
        "peak_rss_mb_largest_process": round(done.max_rss_kb / 1024, 1),
        "peak_rss_mb_process_tree": round(done.tree_rss_kb / 1024, 1),
        "report_json_checks": len(doc["checks"]),
        "failed_documents": doc["totals"]["failed"],
        "report_bytes": sizes,
        "summary_md_lines": summary_lines,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100], metavar="MB")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "benchmarks.json")
    parser.add_argument(
        "--command",
        nargs="+",
        default=[str(SCRIPT)],
        help="the campaign-contract command to measure (default: this environment's)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-report-memory-"))
    try:
        rows = [measure(size, work, args.command) for size in args.sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    largest = rows[-1]
    result = {
        "runs": rows,
        "target_mb": TARGET_MB,
        "within_target": largest["peak_rss_mb_process_tree"] <= TARGET_MB,
        "machine": machine(),
    }
    existing: dict[str, Any] = {}
    if args.out.is_file():
        existing = json.loads(args.out.read_text(encoding="utf-8"))
    existing["report_memory"] = result
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    print(
        f"{'input MB':>9} {'entries':>8} {'failed':>7} {'wall s':>7} {'RSS MB (one)':>13} "
        f"{'RSS MB (tree)':>14} {'html KB':>8} {'md lines':>9}"
    )
    for r in rows:
        print(
            f"{r['input_mb']:>9} {r['entries']:>8} {r['failed_documents']:>7} {r['wall_s']:>7} "
            f"{r['peak_rss_mb_largest_process']:>13} {r['peak_rss_mb_process_tree']:>14} "
            f"{r['report_bytes']['report.html'] // 1024:>8} {r['summary_md_lines']:>9}"
        )
    print(f"target: at most {TARGET_MB} MB for the largest input: {result['within_target']}")
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
