"""Validation throughput, memory and contract-suite speed, side by side in one run.

    python benchmarks/bench_validate.py [--repeat 3] [--sizes 10,100] [--quick]
        [--measures orjson_floor,validate,validate_jobs_1] [--no-check-jsonschema] [--no-verify]

Builds deterministic JSONL corpora (benchmarks/corpus.py: voice and SMS pages of 50 campaigns,
about 30 KB a line) of 10 MB and 100 MB under reports/bench-data/, and a HAR of the same pages
(each with the request that asked for it) as large as the largest, then measures, each as a
separate process started from the command line:

- ``campaign-contract validate FILE`` end to end (default ``--jobs``, and ``--jobs 1``);
- the orjson floor: a process that only reads the file line by line and parses each line (for
  the HAR: parses the file, then each entry's request and response body);
- the ratio of the two wall times, validate over floor (the goal: at most 1.0 with the default
  ``--jobs`` on 2 cores);
- check-jsonschema on the same responses (a sample, extrapolated; it is said so);
- peak RSS of the validate process tree for each input size;
- ``campaign-contract verify`` against the embedded mock: requests/s and wall time, and, from a
  profiled run, how long the suite spent validating versus waiting for the server.

Each timing is the best of ``--repeat`` runs, floor and validate interleaved, because a shared
machine is noisy; the median is kept too, and every run, in the JSON. Results go to
reports/benchmarks.json. The toolkit's bytecode is compiled first, as an installed package's is
(pip compiles it when it installs), so that no measured run compiles modules that
``PYTHONDONTWRITEBYTECODE`` would otherwise have every run compile again.
This is a benchmark, not a test: nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import corpus
from measure import MB, Measure, interleaved, machine, run

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLI = str(BIN / "campaign-contract")
CHECK_JSONSCHEMA = str(BIN / "check-jsonschema")

FLOOR = """
import sys, orjson
loads = orjson.loads
count = 0
with open(sys.argv[1], "rb") as stream:
    for line in stream:
        if line.strip():
            loads(line)
            count += 1
print(count)
"""

FLOOR_HAR = """
import sys, orjson
loads = orjson.loads
with open(sys.argv[1], "rb") as stream:
    har = loads(stream.read())
count = 0
for entry in har["log"]["entries"]:
    loads(entry["request"]["postData"]["text"])
    loads(entry["response"]["content"]["text"])
    count += 1
print(count)
"""


MEASURES = ("validate", "validate_jobs_1", "validate_json")
"""What may be timed against the floor on each input (``--measures``)."""


# --- check-jsonschema --------------------------------------------------------------------------


def bundled_schema(kind: str) -> dict[str, Any]:
    """One self-contained schema file: the kind's schema with common.json embedded in $defs."""
    from campaign_contract.validation._schemas import documents, schema

    doc = json.loads(json.dumps(schema(kind)))  # type: ignore[arg-type]
    embedded = {name: body for name, body in documents().items() if name == "common.json"}
    doc.setdefault("$defs", {}).update(embedded)
    return doc


def _schema_files(work: Path) -> dict[str, dict[str, Path]]:
    """Schema files for check-jsonschema in two layouts: one bundled file per kind, and the
    separate files without ``$id`` so that ``common.json`` is found next to them."""
    from campaign_contract.validation._schemas import documents

    layouts: dict[str, dict[str, Path]] = {"bundled": {}, "separate-files": {}}
    separate = work / "schemas"
    separate.mkdir()
    for name, doc in documents().items():
        stripped = {key: value for key, value in doc.items() if key != "$id"}
        (separate / name).write_text(json.dumps(stripped), encoding="utf-8")
    for kind, name in (("voice", "response-voice.json"), ("sms", "response-sms.json")):
        bundled = work / f"bundled-{kind}.json"
        bundled.write_text(json.dumps(bundled_schema(kind)), encoding="utf-8")
        layouts["bundled"][kind] = bundled
        layouts["separate-files"][kind] = separate / name
    return layouts


def _sample_instances(path: Path, sample: int, work: Path) -> tuple[dict[str, list[Path]], int]:
    import orjson
    from campaign_contract.validation._validators import detect_type

    by_kind: dict[str, list[Path]] = {"voice": [], "sms": []}
    sample_bytes = 0
    with path.open("rb") as stream:
        for number, line in enumerate(stream, start=1):
            if number > sample:
                break
            kind = detect_type(orjson.loads(line)) or "voice"
            target = work / f"{kind}-{number:05d}.json"
            target.write_bytes(line)
            by_kind[kind].append(target)
            sample_bytes += len(line)
    return by_kind, sample_bytes


def _check_jsonschema_layout(
    schemas: dict[str, Path], by_kind: dict[str, list[Path]], total_documents: int
) -> dict[str, Any]:
    timings: dict[str, Any] = {}
    per_document = startup = 0.0
    for kind, files in by_kind.items():
        base = [CHECK_JSONSCHEMA, "--schemafile", str(schemas[kind])]
        one = run([*base, str(files[0])])
        many = run([*base, *map(str, files)])
        if many.returncode != 0:
            return {"measured": False, "why": f"check-jsonschema failed: {many.tail}"}
        kind_per_doc = (many.wall - one.wall) / max(1, len(files) - 1)
        timings[kind] = {
            "instances": len(files),
            "wall_s": round(many.wall, 3),
            "wall_one_instance_s": round(one.wall, 3),
            "per_document_ms": round(kind_per_doc * 1000, 2),
        }
        per_document += kind_per_doc * len(files)
        startup = max(startup, one.wall)
    per_document /= max(1, sum(len(f) for f in by_kind.values()))
    extrapolated = startup + per_document * total_documents
    return {
        "measured": True,
        "per_kind": timings,
        "extrapolated_wall_s": round(extrapolated, 2),
        "responses_per_s": round(total_documents / extrapolated, 2),
    }


def check_jsonschema(path: Path, sample: int, total_documents: int, work: Path) -> dict[str, Any]:
    """Time check-jsonschema on the first ``sample`` lines; extrapolate to the whole file.

    Both schema layouts are timed; the faster one is compared against.
    """
    if not shutil.which(CHECK_JSONSCHEMA):
        return {"measured": False, "why": "check-jsonschema is not installed"}
    by_kind, sample_bytes = _sample_instances(path, sample, work)
    layouts = {
        name: _check_jsonschema_layout(schemas, by_kind, total_documents)
        for name, schemas in _schema_files(work).items()
    }
    measured = {name: found for name, found in layouts.items() if found.get("measured")}
    if not measured:
        return {"measured": False, "why": "; ".join(f["why"] for f in layouts.values())}
    best = max(measured, key=lambda name: measured[name]["responses_per_s"])
    return {
        "measured": True,
        "sampled": True,
        "note": f"timed on the first {sample} responses of the file (one process per schema, "
        f"all instance files at once), extrapolated to all {total_documents} as "
        "startup + per-response time x count; the faster schema layout is used",
        "sample_responses": sample,
        "sample_mb": round(sample_bytes / MB, 2),
        "layouts": layouts,
        "best_layout": best,
        "extrapolated_wall_s": measured[best]["extrapolated_wall_s"],
        "responses_per_s": measured[best]["responses_per_s"],
    }


# --- the contract suite -------------------------------------------------------------------------


def contract_suite(work: Path, profile: bool) -> dict[str, Any]:
    report_dir = work / "verify"
    result = run([CLI, "verify", "--report-dir", str(report_dir)], cwd=work)
    report_file = report_dir / "report.json"
    if not report_file.is_file():
        return {"measured": False, "why": f"verify wrote no report ({result.tail})"}
    totals = json.loads(report_file.read_text(encoding="utf-8")).get("totals", {})
    requests = int(totals.get("requests", 0))
    found: dict[str, Any] = {
        "measured": True,
        "target": "embedded mock (loopback)",
        "returncode": result.returncode,
        "wall_s": round(result.wall, 2),
        "suite_duration_s": totals.get("duration"),
        "requests": requests,
        "requests_per_s": round(requests / result.wall, 1),
        "last_line": result.tail,
    }
    if profile:
        found["time_split"] = _profiled_suite(work)
    return found


def _profiled_suite(work: Path) -> dict[str, Any]:
    """Time the suite's main thread spent validating versus in socket calls to the server."""
    stats_file = work / "verify.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), CLI, "verify"]
    run([*command, "--report-dir", str(work / "verify-profiled")], cwd=work)
    if not stats_file.is_file():
        return {"measured": False}
    stats: Any = pstats.Stats(str(stats_file)).stats
    validating = waiting = 0.0
    for (filename, _, name), (_, _, _, cumulative, _) in stats.items():
        if filename.endswith("_validate.py") and name in {
            "validate_response",
            "validate_request",
            "validate_error",
        }:
            validating += cumulative
        if name in {
            "<method 'recv_into' of '_socket.socket' objects>",
            "<method 'sendall' of '_socket.socket' objects>",
        }:
            waiting += cumulative
    return {
        "measured": True,
        "note": "from a profiled run (cProfile slows Python code, not socket waits)",
        "validating_s": round(validating, 3),
        "waiting_for_server_s": round(waiting, 3),
        "validating_less_than_waiting": validating < waiting,
    }


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="corpus sizes in MB (default 10,100)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--sample", type=int, default=60, help="responses for check-jsonschema")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "reports" / "bench-data")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "benchmarks.json")
    parser.add_argument("--quick", action="store_true", help="skip the profiled suite run")
    parser.add_argument("--no-verify", action="store_true", help="skip the contract suite")
    parser.add_argument(
        "--no-check-jsonschema", action="store_true", help="skip timing check-jsonschema"
    )
    parser.add_argument(
        "--measures",
        default=",".join(MEASURES),
        help=f"what to time on each input, of {','.join(MEASURES)} (default: all)",
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.measures.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(MEASURES) - {"orjson_floor"})
    if unknown:
        parser.error(f"unknown measures: {', '.join(unknown)}; known: {', '.join(MEASURES)}")
    compileall.compile_dir(str(ROOT / "toolkit"), quiet=1)

    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()
    inputs: dict[int, dict[str, Any]] = {}
    for size in sizes:
        path = args.data_dir / f"corpus-{size}mb.jsonl"
        documents, written = corpus.build(path, size * MB)
        inputs[size] = {"path": path, "documents": documents, "bytes": written}

    largest = max(sizes)
    har_path = args.data_dir / f"corpus-{largest}mb.har"
    har_entries, har_bytes = corpus.build_har(har_path, largest * MB)
    cases = [
        (
            f"{size}MB",
            str(inputs[size]["path"]),
            FLOOR,
            inputs[size]["documents"],
            inputs[size]["bytes"],
        )
        for size in sizes
    ]
    cases.append((f"{largest}MB HAR", str(har_path), FLOOR_HAR, har_entries, har_bytes))
    results: dict[str, Any] = {"inputs": {}}
    for name, path, floor, documents, written in cases:
        commands = {
            "orjson_floor": [sys.executable, "-c", floor, path],
            "validate": [CLI, "validate", path],
            "validate_jobs_1": [CLI, "validate", "--jobs", "1", path],
            "validate_json": [CLI, "validate", "--format", "json", path],
        }
        measures = [
            Measure(key, command)
            for key, command in commands.items()
            if key == "orjson_floor" or key in chosen
        ]
        interleaved(measures, args.repeat)
        entry: dict[str, Any] = {m.name: m.summary(written, documents) for m in measures}
        entry["documents"] = documents
        entry["mb"] = round(written / MB, 1)
        base = measures[0]
        for measure in measures[1:]:
            entry[f"{measure.name}_over_floor"] = round(measure.best.wall / base.best.wall, 3)
            entry[f"{measure.name}_over_floor_median"] = round(measure.median / base.median, 3)
        results["inputs"][name] = entry
        print(f"measured {name}", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        if args.no_check_jsonschema:
            checker = {"measured": False, "why": "skipped (--no-check-jsonschema)"}
        else:
            checker = check_jsonschema(
                inputs[largest]["path"], args.sample, inputs[largest]["documents"], work
            )
        results["check_jsonschema"] = checker
        if args.no_verify:
            results["contract_suite"] = {"measured": False, "why": "skipped (--no-verify)"}
        else:
            results["contract_suite"] = contract_suite(work, profile=not args.quick)

    big = results["inputs"][f"{largest}MB"]
    small = results["inputs"][f"{min(sizes)}MB"]
    har = results["inputs"][f"{largest}MB HAR"]
    goals: dict[str, Any] = {}
    if "validate" in chosen:
        goals["validate_within_the_orjson_floor"] = big["validate_over_floor"] <= 1.0
        goals["validate_har_within_the_orjson_floor"] = har["validate_over_floor"] <= 1.0
        goals["rss_flat_in_input_size"] = (
            big["validate"]["peak_rss_mb_process_tree"]
            <= small["validate"]["peak_rss_mb_process_tree"] * 1.25 + 8
        )
    if checker.get("measured") and "validate" in chosen:
        speedup = big["validate"]["responses_per_s"] / checker["responses_per_s"]
        goals["speedup_over_check_jsonschema"] = round(speedup, 1)
        goals["at_least_20x_check_jsonschema"] = speedup >= 20
    split = results.get("contract_suite", {}).get("time_split", {})
    if split.get("measured"):
        goals["suite_validates_less_than_it_waits"] = split["validating_less_than_waiting"]
    results["goals"] = goals
    results["machine"] = machine()
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    results["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results["repeat"] = args.repeat
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:  # the other benchmarks' sections ("live", "suite") stay as they were
        kept = json.loads(args.out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    kept = kept if isinstance(kept, dict) else {}
    args.out.write_text(json.dumps({**kept, **results}, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten: {args.out}")
    return 0


def print_table(results: dict[str, Any]) -> None:
    m = results["machine"]
    print(
        f"machine: {m['cpu']} — {m['cores']} cores, Python {m['python']}; "
        f"load average before {results['load_average']['before'][0]:.1f}"
    )
    print(
        f"{'input':>10} {'what':<24} {'wall s':>8} {'resp/s':>9} {'MB/s':>8} {'RSS MB (tree)':>14}"
    )
    for name, entry in results["inputs"].items():
        timed = [key for key in ("orjson_floor", *MEASURES) if key in entry]
        for key in timed:
            row = entry[key]
            print(
                f"{name:>10} {key:<24} {row['best_wall_s']:>8.3f} {row['responses_per_s']:>9.1f} "
                f"{row['mb_per_s']:>8.1f} {row['peak_rss_mb_process_tree']:>14.1f}"
            )
        for key in timed[1:]:
            print(
                f"{name:>10} {key + ' / floor':<24} {entry[key + '_over_floor']:>8.2f}"
                f"   (median {entry[key + '_over_floor_median']:.2f})"
            )
    checker = results["check_jsonschema"]
    if checker.get("measured"):
        print(
            f"check-jsonschema: {checker['responses_per_s']} resp/s "
            f"(extrapolated from {checker['sample_responses']} responses, "
            f"{checker['best_layout']} schema); validate is "
            f"{results['goals'].get('speedup_over_check_jsonschema')}x faster"
        )
    else:
        print(f"check-jsonschema: not measured ({checker.get('why')})")
    suite = results["contract_suite"]
    if suite.get("measured"):
        print(
            f"contract suite vs embedded mock: {suite['requests']} requests in "
            f"{suite['wall_s']} s = {suite['requests_per_s']} requests/s"
        )
        split = suite.get("time_split", {})
        if split.get("measured"):
            print(
                f"  validating {split['validating_s']} s vs waiting for the server "
                f"{split['waiting_for_server_s']} s (profiled run)"
            )
    else:
        print(f"contract suite: not measured ({suite.get('why')})")
    print("goals:", json.dumps(results["goals"]))


if __name__ == "__main__":
    sys.exit(main())
