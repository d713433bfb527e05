"""Output formats of ``campaign-contract validate``, looked up by name in :data:`REPORTERS`.

A reporter receives results one at a time (so a run over a huge capture never holds them all)
and the totals at the end. To add a format, add a factory ``(out) -> Reporter`` to
``REPORTERS``; ``--format`` offers every key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TextIO

from campaign_contract._text import plural
from campaign_contract.captures._run import DocumentResult, Totals


class Reporter(Protocol):
    """Receives every result, then the totals; writes the report."""

    def document(self, result: DocumentResult) -> None: ...

    def finish(self, totals: Totals) -> None: ...


ReporterFactory = Callable[[TextIO], Reporter]


def location(result: DocumentResult) -> str:
    """``source`` or ``source:entry``."""
    return result.source if result.entry is None else f"{result.source}:{result.entry}"


def summary_line(totals: Totals) -> str:
    """The closing line of the text format."""
    verdict = "OK" if totals.ok else "FAILED"
    line = (
        f"{verdict}: {plural(totals.documents, 'document')} checked, {totals.valid} valid, "
        f"{totals.invalid} invalid ({plural(totals.errors, 'error')}, "
        f"{plural(totals.warnings, 'warning')})"
    )
    if totals.requests:
        bodies = plural(totals.requests, "request body", "request bodies")
        line += f"; {bodies} checked against the request schema"
    ignored = totals.read.ignored_entries
    if ignored:
        entries = plural(ignored, "other HAR entry", "other HAR entries")
        line += f"; {entries} ignored (not getAllCampaignDetails)"
    return line


class TextReporter:
    """One line per violation, ``source[:entry]: pointer: message [check]``, then a summary.

    The root pointer ``""`` is shown as ``(root)``; warnings are tagged ``[check, warning]``.
    """

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def document(self, result: DocumentResult) -> None:
        where = location(result)
        for violation in result.violations:
            tag = violation.check
            if violation.severity != "error":
                tag += f", {violation.severity}"
            pointer = violation.pointer or "(root)"
            self._out.write(f"{where}: {pointer}: {violation.message} [{tag}]\n")

    def finish(self, totals: Totals) -> None:
        self._out.write(summary_line(totals) + "\n")


class JsonReporter:
    """Exactly one JSON object: ``{"ok": bool, "documents": [...]}``.

    Documents are spooled (to memory, then to a temporary file past a few MB) so that ``ok``
    can come first while memory stays bounded on huge inputs.
    """

    def __init__(self, out: TextIO) -> None:
        import tempfile  # only for this format: a text run starts without it

        self._out = out
        self._spool = tempfile.SpooledTemporaryFile(
            max_size=8 << 20, mode="w+", encoding="utf-8", errors="backslashreplace"
        )
        self._count = 0

    def document(self, result: DocumentResult) -> None:
        separator = ",\n    " if self._count else "\n    "
        self._spool.write(separator + json.dumps(result.as_dict(), ensure_ascii=False))
        self._count += 1

    def finish(self, totals: Totals) -> None:
        self._out.write('{\n  "ok": ' + json.dumps(totals.ok) + ',\n  "documents": [')
        self._spool.seek(0)
        while chunk := self._spool.read(1 << 16):
            self._out.write(chunk)
        self._spool.close()
        self._out.write("\n  ]\n}\n" if self._count else "]\n}\n")


class HtmlReporter:
    """One self-contained HTML page (the ``report.html`` treatment) on standard output,
    summarised in bounded memory (:class:`~campaign_contract.report.ValidationReport`)."""

    def __init__(self, out: TextIO) -> None:
        from campaign_contract.report import ValidationReport

        self._out = out
        self._report = ValidationReport()

    def document(self, result: DocumentResult) -> None:
        self._report.add(result.as_dict())

    def finish(self, totals: Totals) -> None:
        from campaign_contract.report import render_html

        self._out.write(render_html(self._report.record()))
        self._report.close()


class ReportDirWriter:
    """Writes report.json (every document, streamed), report.html and summary.md (the first
    documents of each outcome, the rest counted) for the run into a directory."""

    def __init__(self, directory: Path) -> None:
        from campaign_contract.report import ValidationReport

        self.directory = directory
        self.written: dict[str, Path] = {}
        self._report = ValidationReport()

    def document(self, result: DocumentResult) -> None:
        self._report.add(result.as_dict())

    def finish(self, totals: Totals) -> None:
        self.written = self._report.write(self.directory)
        self._report.close()


class Tee:
    """Hands every result to several reporters in turn."""

    def __init__(self, *reporters: Reporter) -> None:
        self.reporters = reporters

    def document(self, result: DocumentResult) -> None:
        for reporter in self.reporters:
            reporter.document(result)

    def finish(self, totals: Totals) -> None:
        for reporter in self.reporters:
            reporter.finish(totals)


REPORTERS: dict[str, ReporterFactory] = {
    "text": TextReporter,
    "json": JsonReporter,
    "html": HtmlReporter,
}
