"""``report.json``: the record as plain data, in the shape ``schemas/report.json`` describes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import Any, TextIO

from campaign_contract.client._pacing import ThrottleEvent
from campaign_contract.report._model import (
    CheckResult,
    Coverage,
    Failure,
    Observation,
    RunRecord,
)
from campaign_contract.report._notes import SpecNote, load_spec_notes
from campaign_contract.validation._violations import Violation

FORMAT_VERSION = 1
SCHEMA_ID = "https://campaign-contract.example/schemas/report.json"


def jsonable(value: Any) -> Any:
    """``value`` as JSON-ready data: paths and dates become strings, tuples and sets lists,
    bytes are decoded, anything else unknown is written with ``str``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=str)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date | PurePath):
        return str(value)
    if isinstance(value, Violation):
        return value.as_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    return str(value)


def iso(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp with milliseconds (naive datetimes are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _violation(v: Violation) -> dict[str, str]:
    return v.as_dict()


def _failure(f: Failure) -> dict[str, Any]:
    return {
        "message": f.message,
        "request_body": jsonable(f.request_body),
        "response_status": f.response_status,
        "response_excerpt": f.response_excerpt,
        "violations": [_violation(v) for v in f.violations],
        "curl": f.curl,
        "seed": f.seed,
        "example": f.example,
        "inputs": list(f.inputs),
        "replay": f.replay,
    }


def check_to_dict(c: CheckResult) -> dict[str, Any]:
    return {
        "name": c.name,
        "nodeid": c.nodeid,
        "family": c.family,
        "outcome": c.outcome,
        "duration": round(c.duration, 6),
        "requests": c.requests,
        "reused": c.reused,
        "planned": c.planned,
        "examples": c.examples,
        "skip_reason": c.skip_reason,
        "failures": [_failure(f) for f in c.failures],
    }


def observation_to_dict(o: Observation) -> dict[str, Any]:
    return {
        "check": o.check,
        "spec_note": o.spec_note,
        "message": o.message,
        "request_body": jsonable(o.request_body),
        "detail": o.detail,
    }


def _throttle(t: ThrottleEvent) -> dict[str, Any]:
    return {
        "at": t.when,
        "at_iso": iso(datetime.fromtimestamp(t.when, UTC)),
        "status": t.status,
        "wait": t.wait,
    }


def _run(record: RunRecord) -> dict[str, Any]:
    run = record.run
    assert run is not None
    return {
        "command": run.command,
        "tool_version": record.tool_version,
        "python": run.python,
        "platform": run.platform,
        "label": run.label,
        "started_at": iso(record.started_at),
        "finished_at": None if record.finished_at is None else iso(record.finished_at),
    }


def _coverage(coverage: Coverage | None) -> dict[str, Any] | None:
    if coverage is None:
        return None
    return {
        "percent": round(coverage.percent, 1),
        "judged": coverage.judged,
        "values": coverage.values,
        "min_percent": coverage.min_percent,
        "met": coverage.met,
        "short": list(coverage.short),
        "dimensions": [
            {
                "name": d.name,
                "title": d.title,
                "percent": round(d.percent, 1),
                "values": [
                    {
                        "name": v.name,
                        "state": v.state,
                        "exercised": v.exercised,
                        "judged": v.judged,
                        "checks": list(v.checks),
                    }
                    for v in d.values
                ],
            }
            for d in coverage.dimensions
        ],
    }


def record_to_dict(
    record: RunRecord, notes: Mapping[str, SpecNote] | None = None
) -> dict[str, Any]:
    """The record as ``report.json`` data, from its :meth:`~RunRecord.scrubbed` copy."""
    known = load_spec_notes() if notes is None else notes
    record = record.scrubbed()
    met = record.spec_note_ids()
    target = record.target
    data: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "format_version": FORMAT_VERSION,
        "kind": record.kind,
        "title": record.title,
        "tool_version": record.tool_version,
        "verdict": record.verdict,
        "incomplete_reason": record.incomplete_reason,
        "target": None
        if target is None
        else {
            "host": target.host,
            "app_id": target.app_id,
            "account_id": target.account_id,
            "embedded_mock": target.embedded_mock,
            "faults": list(target.faults),
        },
        "settings": jsonable(record.safe_settings()),
        "seed": record.seed,
        "started_at": iso(record.started_at),
        "finished_at": None if record.finished_at is None else iso(record.finished_at),
        "totals": record.totals().as_dict(),
        "checks": [check_to_dict(c) for c in record.checks],
        "observations": [observation_to_dict(o) for o in record.observations],
        "spec_notes": {
            note: (known[note].as_dict() if note in known else {"id": note}) for note in met
        },
        "throttling": [_throttle(t) for t in record.throttling],
        "coverage": _coverage(record.coverage),
        "run": None if record.run is None else _run(record),
    }
    if record.plan is not None:
        data["plan"] = jsonable(record.plan)
    return data


def write_json_streamed(
    record: RunRecord,
    checks: Iterable[str],
    observations: Iterable[str],
    out: TextIO,
    notes: Mapping[str, SpecNote] | None = None,
) -> None:
    """Write ``report.json`` for a summarised ``record`` whose complete lists of checks and
    observations come as ``checks`` and ``observations``, one JSON text each (as
    :func:`check_to_dict` and :func:`observation_to_dict` give them), streamed in order."""
    streamed = {"checks": checks, "observations": observations}
    data = record_to_dict(record, notes)
    out.write("{")
    for number, (key, value) in enumerate(data.items()):
        out.write(("," if number else "") + f"\n  {json.dumps(key)}: ")
        if key in streamed:
            out.write("[")
            count = 0
            for count, item in enumerate(streamed[key], start=1):
                out.write(("," if count > 1 else "") + "\n    " + item)
            out.write("\n  ]" if count else "]")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False)
            out.write(text.replace("\n", "\n  "))
    out.write("\n}\n")


def render_json(record: RunRecord, notes: Mapping[str, SpecNote] | None = None) -> str:
    """``report.json``'s text."""
    return json.dumps(record_to_dict(record, notes), indent=2, ensure_ascii=False) + "\n"
