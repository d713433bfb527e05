"""``report.html``: one self-contained page (inline CSS and JS, no external reference), rendered
from the Jinja2 templates in ``templates/`` with autoescape on.

Every value a template prints is escaped by Jinja2; only our own stylesheet and script, and
the ``inline_code`` filter's ``<code>`` spans (built from already-escaped text), are markup.
To add a section, add a template to ``templates/`` and its name to :data:`SECTIONS` (and, if
it should appear in the table of contents, to :func:`_toc`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from campaign_contract._text import plural
from campaign_contract.report._format import (
    VERDICT_WORDS,
    body_text,
    clock,
    count_phrase,
    first_line,
    moment,
    seconds,
    value_text,
)
from campaign_contract.report._model import OUTCOMES, CheckResult, Failure, RunRecord
from campaign_contract.report._notes import SpecNote, load_spec_notes

if TYPE_CHECKING:
    import jinja2

# Nothing on the page may be fetched: styles and script are inline, images only as data URIs.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

# The page's sections in order, one template each.
SECTIONS: tuple[str, ...] = (
    "target.html",
    "families.html",
    "coverage.html",
    "checks.html",
    "failures.html",
    "observations.html",
    "discrepancies.html",
    "throttling.html",
)

VIOLATIONS_SHOWN = 20
"""Violations of one failure shown in full; the rest are counted (report.json has them)."""

_CODE = re.compile(r"`([^`]+)`")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def inline_code(text: str) -> Markup:
    """``text`` escaped, with its Markdown `code` spans turned into ``<code>``."""
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def failing_checks(record: RunRecord) -> list[tuple[int, CheckResult]]:
    """The checks the failures section shows, with their index in the checks table."""
    return [
        (index, check)
        for index, check in enumerate(record.checks)
        if check.failures or check.outcome in ("failed", "error")
    ]


def failure_summary(failure: Failure) -> str:
    """A failure's one-line summary: its message's first line, else its first violation."""
    return first_line(failure.message) or (
        failure.violations[0].message if failure.violations else "failure"
    )


@dataclass
class FailureGroup:
    """Failures of one check with one cause: the same check and the same message shape."""

    index: int
    check: CheckResult
    shape: str
    failures: list[Failure]
    anchor: str


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def message_shape(failure: Failure) -> str:
    """What a failure says with its particulars (numbers, quoted values) blanked out: two
    failures of one check with the same shape have one cause."""
    v = failure.violations[0] if failure.violations else None
    text = f"{v.check}: {v.message}" if v is not None else first_line(failure.message)
    return _NUMBER.sub("N", _QUOTED.sub("'…'", text))


def failure_groups(record: RunRecord) -> list[FailureGroup]:
    """The failing checks' failures grouped by cause, in the order of the checks table."""
    groups: list[FailureGroup] = []
    for index, check in failing_checks(record):
        mine: dict[str, FailureGroup] = {}
        for failure in check.failures:
            shape = message_shape(failure)
            if shape not in mine:
                anchor = f"check-{index}" if not mine else f"check-{index}-{len(mine)}"
                mine[shape] = FailureGroup(index, check, shape, [], anchor)
            mine[shape].failures.append(failure)
        if not mine:
            mine[""] = FailureGroup(index, check, "", [], f"check-{index}")
        groups.extend(mine.values())
    return groups


@dataclass
class FamilyRow:
    """One family of checks in the summary: outcomes counted, requests, observations."""

    name: str
    counts: dict[str, int]
    requests: int
    total: int

    @property
    def outcome(self) -> str:
        """The row's worst outcome."""
        for outcome in ("error", "failed", "skipped"):
            if self.counts.get(outcome):
                return outcome
        return "passed"


CRAWL_FAMILY = "crawl"
"""Checks whose names start with ``crawl`` are summarised as a family of their own."""


def family_of(check: CheckResult) -> str:
    if check.name.startswith(CRAWL_FAMILY):
        return CRAWL_FAMILY
    return check.family or "other"


def family_rows(record: RunRecord) -> list[FamilyRow]:
    """The checks summarised per family, in the order families first appear."""
    rows: dict[str, FamilyRow] = {}
    for check in record.checks:
        name = family_of(check)
        row = rows.setdefault(name, FamilyRow(name, dict.fromkeys(OUTCOMES, 0), 0, 0))
        row.counts[check.outcome] += 1
        row.requests += check.requests
        row.total += 1
    return list(rows.values())


def unlisted_counts(record: RunRecord) -> str:
    """``3 passed, 120 failed``: the outcomes of the checks a summarised record only counts."""
    counts = [(o, record.unlisted.count(o)) for o in OUTCOMES]
    return ", ".join(f"{n} {o}" for o, n in counts if n)


def _toc(record: RunRecord) -> list[tuple[str, str]]:
    toc = [("target", "Target and run")]
    if record.checks:
        toc.append(("families", "By family"))
    if record.coverage is not None:
        toc.append(("coverage", "Coverage"))
    toc += [("checks", "Checks"), ("failures", "Failures")]
    toc += [("observations", "Observations"), ("discrepancies", "Doc discrepancies")]
    if record.throttling:
        toc.append(("throttling", "Throttling"))
    return toc


@cache
def environment() -> jinja2.Environment:
    """The templates' environment: package templates, autoescape on, undefined names fail.
    (Jinja2 is imported here: the workers of a run, which write no report, never need it.)"""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("campaign_contract.report", "templates"),
        bytecode_cache=_compiled_templates(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        seconds=seconds,
        moment=moment,
        clock=clock,
        body_text=body_text,
        value_text=value_text,
        inline_code=inline_code,
    )
    env.globals.update(
        csp=Markup(CSP),
        verdict_words=VERDICT_WORDS,
        outcomes=OUTCOMES,
        sections=SECTIONS,
        plural=plural,
        count_phrase=count_phrase,
        failing_checks=failing_checks,
        failure_groups=failure_groups,
        family_rows=family_rows,
        failure_summary=failure_summary,
        unlisted_counts=unlisted_counts,
        violations_shown=VIOLATIONS_SHOWN,
    )
    return env


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """Jinja2's cache of compiled templates in the user's own temporary directory (Jinja2's
    default place, private to the user), so that a run does not compile every template again:
    a file of it that cannot be read or written is compiled as if there were none. ``None``
    where no private directory can be had."""
    import jinja2

    class Quiet(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return Quiet()
    except (OSError, RuntimeError):
        return None


def _context(record: RunRecord, known: Mapping[str, SpecNote]) -> dict[str, Any]:
    settings = sorted(record.safe_settings().items(), key=lambda kv: str(kv[0]))
    return {
        "record": record,
        "totals": record.totals(),
        "known": known,
        "settings": settings,
        "toc": _toc(record),
        "css": Markup(_asset("report.css")),
        "js": Markup(_asset("report.js")),
    }


def render_html(record: RunRecord, notes: Mapping[str, SpecNote] | None = None) -> str:
    """``report.html``'s text: the whole page, rendered from the record's
    :meth:`~RunRecord.scrubbed` copy (the markup itself is never edited)."""
    known = load_spec_notes() if notes is None else notes
    context = _context(record.scrubbed(), known)
    return environment().get_template("report.html").render(context)
