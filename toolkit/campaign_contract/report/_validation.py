"""The report treatment for ``campaign-contract validate``: one check per document.

A large run is reported in bounded memory (:class:`ValidationReport`): results come one at a
time; report.json lists every document, streamed through a spool file; report.html and
summary.md are rendered from a summary record holding the first documents of each outcome in
full (each failure with its first violations) and counting the rest.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from campaign_contract._files import atomic_writer, write_atomically
from campaign_contract._secrets import Scrubber
from campaign_contract.report._html import VIOLATIONS_SHOWN, render_html
from campaign_contract.report._json import (
    check_to_dict,
    observation_to_dict,
    write_json_streamed,
)
from campaign_contract.report._markdown import render_markdown
from campaign_contract.report._model import (
    CheckResult,
    Failure,
    Observation,
    Outcome,
    RunRecord,
    as_violation,
    scrubbed_check,
    scrubbed_observation,
)
from campaign_contract.report._notes import load_spec_notes

EXCERPT_LIMIT = 2000
LISTED_PER_OUTCOME = 100
"""Documents of each outcome that report.html and summary.md show in full."""
LISTED_OBSERVATIONS = 200
"""Observations that report.html shows in full."""


def document_name(document: Mapping[str, Any]) -> str:
    """``source`` alone, or ``source#entry`` for one entry of a capture."""
    source = str(document.get("source") or "<input>")
    entry = document.get("entry")
    return source if entry is None or entry == "" else f"{source}#{entry}"


def _excerpt(document: Mapping[str, Any]) -> str:
    body = document.get("document", document.get("body"))
    if body is None:
        return ""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    return text if len(text) <= EXCERPT_LIMIT else text[:EXCERPT_LIMIT] + "…"


def document_result(document: Mapping[str, Any]) -> tuple[CheckResult, list[Observation]]:
    """One document (``source``, ``entry``, ``valid``, ``errors`` as :class:`Violation`
    objects or dicts; optional ``kind``, the check's family, and ``document``, the body) as a
    check, passed or failed; the warnings of a valid document as observations."""
    name = document_name(document)
    violations = [as_violation(v) for v in document.get("errors") or []]
    valid = bool(document.get("valid", not any(v.severity == "error" for v in violations)))
    check = CheckResult(
        name=name,
        family=str(document.get("kind") or "validation"),
        outcome=Outcome.PASSED if valid else Outcome.FAILED,
        examples=1,
    )
    if valid:
        observations = [
            Observation(
                check=v.check, spec_note=None, message=f"{name}: {v.pointer or '/'} {v.message}"
            )
            for v in violations
        ]
        return check, observations
    errors = sum(1 for v in violations if v.severity == "error")
    check.failures.append(
        Failure(
            message=f"{errors} violation{'s' if errors != 1 else ''} in {name}",
            response_excerpt=_excerpt(document),
            violations=violations,
        )
    )
    return check, []


def record_from_validation(
    documents: Sequence[Mapping[str, Any]],
    *,
    title: str = "campaign-contract validate",
    settings: Mapping[str, Any] | None = None,
) -> RunRecord:
    """A record of ``validate`` results holding every document (see :func:`document_result`);
    for a run too large to hold, use :class:`ValidationReport`."""
    record = RunRecord(target=None, settings=dict(settings or {}), title=title, kind="validation")
    for document in documents:
        check, observations = document_result(document)
        record.extend(checks=[check], observations=observations)
    record.finish()
    return record


def _summarised(check: CheckResult) -> CheckResult:
    """``check`` with each failure cut to its first :data:`VIOLATIONS_SHOWN` violations."""
    for failure in check.failures:
        extra = len(failure.violations) - VIOLATIONS_SHOWN
        if extra > 0:
            failure.violations = failure.violations[:VIOLATIONS_SHOWN]
            failure.unlisted_violations += extra
    return check


class ValidationReport:
    """``validate``'s reports from results handed over one at a time, in bounded memory.

    :meth:`record` is the summary record (what report.html and summary.md show); :meth:`write`
    writes every format, report.json listing every document and observation.
    """

    def __init__(
        self,
        *,
        title: str = "campaign-contract validate",
        settings: Mapping[str, Any] | None = None,
        listed_per_outcome: int = LISTED_PER_OUTCOME,
        listed_observations: int = LISTED_OBSERVATIONS,
    ) -> None:
        self._record = RunRecord(
            target=None, settings=dict(settings or {}), title=title, kind="validation"
        )
        self._scrubber = Scrubber(self._record.secrets)
        self._listed_per_outcome = listed_per_outcome
        self._listed_observations = listed_observations
        self._listed: dict[Outcome, int] = {}
        self._checks: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._observations: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, document: Mapping[str, Any]) -> None:
        """One document's result (as :func:`document_result` takes it)."""
        check, observations = document_result(document)
        self._spool(self._checks, check_to_dict(scrubbed_check(check, self._scrubber)))
        record = self._record
        if self._listed.get(check.outcome, 0) < self._listed_per_outcome:
            self._listed[check.outcome] = self._listed.get(check.outcome, 0) + 1
            record.checks.append(_summarised(check))
        else:
            record.unlisted.add_check(check)
        for observation in observations:
            clean = scrubbed_observation(observation, self._scrubber)
            self._spool(self._observations, observation_to_dict(clean))
            if len(record.observations) < self._listed_observations:
                record.observations.append(observation)
            else:
                record.unlisted.observations += 1

    @staticmethod
    def _spool(spool: IO[str], data: Mapping[str, Any]) -> None:
        spool.write(json.dumps(data, ensure_ascii=False) + "\n")

    @staticmethod
    def _spooled(spool: IO[str]) -> Iterator[str]:
        spool.flush()
        spool.seek(0)
        for line in spool:
            yield line.rstrip("\n")

    def record(self) -> RunRecord:
        """The summary record, finished: the first documents of each outcome, the rest
        counted in its ``unlisted``."""
        if self._record.finished_at is None:
            self._record.finish()
        return self._record

    def write(self, report_dir: Path, formats: Iterable[str] | None = None) -> dict[str, Path]:
        """Write the run's reports into ``report_dir``, like ``write_reports``; report.json
        is streamed from the spooled results."""
        from campaign_contract.report import FORMATS, report_paths

        paths = report_paths(report_dir, FORMATS if formats is None else formats)
        Path(report_dir).mkdir(parents=True, exist_ok=True)
        record = self.record()
        notes = load_spec_notes()
        if "json" in paths:
            with atomic_writer(paths["json"]) as out:
                checks, observations = (
                    self._spooled(self._checks),
                    self._spooled(self._observations),
                )
                write_json_streamed(record, checks, observations, out, notes)
        if "html" in paths:
            write_atomically(paths["html"], render_html(record, notes))
        if "md" in paths:
            write_atomically(paths["md"], render_markdown(record, paths))
        return paths

    def close(self) -> None:
        self._checks.close()
        self._observations.close()


def validation_html(
    documents: Sequence[Mapping[str, Any]], *, title: str = "campaign-contract validate"
) -> str:
    """``report.html`` text for ``validate`` results (see :func:`record_from_validation`)."""
    return render_html(record_from_validation(documents, title=title))
