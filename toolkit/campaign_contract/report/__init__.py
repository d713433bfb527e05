"""The run record and its writers: ``report.json``, ``report.html`` and ``summary.md``.

Fill a :class:`RunRecord` while the run goes (``add_check``, ``add_observation``,
``add_throttle``, ``add_secret``), call ``finish()``, then ``write_reports``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from campaign_contract._files import write_atomically
from campaign_contract._secrets import MASK, scrub
from campaign_contract.client._pacing import ThrottleEvent
from campaign_contract.report._html import render_html
from campaign_contract.report._json import record_to_dict, render_json
from campaign_contract.report._markdown import render_markdown
from campaign_contract.report._model import (
    CheckResult,
    Coverage,
    CoverageDimension,
    CoverageValue,
    Failure,
    Observation,
    Outcome,
    RunInfo,
    RunRecord,
    TargetInfo,
    Totals,
    Verdict,
    verdict_of,
)
from campaign_contract.report._notes import SpecNote, load_spec_notes
from campaign_contract.report._validation import (
    ValidationReport,
    record_from_validation,
    validation_html,
)

FILE_NAMES = {"json": "report.json", "html": "report.html", "md": "summary.md"}
FORMATS: tuple[str, ...] = tuple(FILE_NAMES)


def report_paths(report_dir: Path, formats: Iterable[str] = FORMATS) -> dict[str, Path]:
    """Where ``write_reports`` puts each format."""
    paths: dict[str, Path] = {}
    for fmt in formats:
        if fmt not in FILE_NAMES:
            known = ", ".join(FORMATS)
            raise ValueError(f"unknown report format {fmt!r} (known: {known})")
        paths[fmt] = Path(report_dir) / FILE_NAMES[fmt]
    return paths


def write_reports(
    record: RunRecord,
    report_dir: Path,
    formats: Iterable[str] = FORMATS,
    *,
    also: Mapping[str, Path] | None = None,
) -> dict[str, Path]:
    """Write the record in each of ``formats`` (``json``, ``html``, ``md``) into
    ``report_dir`` (created if missing); returns the paths written by format.

    Every text passes through :func:`scrub` with the record's secrets before it is written.
    ``also`` names reports written by others (``junit``), which ``summary.md`` lists too.
    Every format is rendered from the record's :meth:`~RunRecord.scrubbed` copy: credential-
    named values masked, known secrets masked in every string, before anything is rendered.
    """
    paths = report_paths(report_dir, formats)
    record = record.scrubbed()
    Path(report_dir).mkdir(parents=True, exist_ok=True)
    notes = load_spec_notes()
    texts: dict[str, str] = {}
    if "json" in paths:
        texts["json"] = render_json(record, notes)
    if "html" in paths:
        texts["html"] = render_html(record, notes)
    if "md" in paths:
        texts["md"] = render_markdown(record, {**(also or {}), **paths})
    for fmt, path in paths.items():
        write_atomically(path, texts[fmt])
    return paths


__all__ = [
    "FORMATS",
    "MASK",
    "CheckResult",
    "Coverage",
    "CoverageDimension",
    "CoverageValue",
    "Failure",
    "Observation",
    "Outcome",
    "RunInfo",
    "RunRecord",
    "SpecNote",
    "TargetInfo",
    "ThrottleEvent",
    "Totals",
    "ValidationReport",
    "Verdict",
    "load_spec_notes",
    "record_from_validation",
    "record_to_dict",
    "render_html",
    "render_json",
    "render_markdown",
    "report_paths",
    "scrub",
    "validation_html",
    "verdict_of",
    "write_reports",
]
