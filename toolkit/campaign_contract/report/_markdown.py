"""``summary.md``: a short Markdown summary for a CI step summary or a pull-request comment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from campaign_contract.report._format import VERDICT_WORDS, first_line, seconds
from campaign_contract.report._model import CheckResult, Coverage, Failure, Outcome, RunRecord

MAX_LINES = 200
"""The most lines summary.md has, however large the run."""

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")


def md_text(text: str) -> str:
    """``text`` on one line with Markdown (and inline HTML) neutralised."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_code(text: str) -> str:
    """An inline code span holding ``text`` whatever backticks it contains."""
    one_line = " ".join(text.split()).replace("|", "\\|")
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", one_line)), default=0) + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{ticks}{pad}{one_line}{pad}{ticks}"


def fence(text: str, language: str = "") -> str:
    """A fenced code block long enough not to be closed by ``text``."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    marks = "`" * (longest + 1)
    return f"{marks}{language}\n{text.rstrip()}\n{marks}"


def _first_problem(failure: Failure) -> str:
    if failure.violations:
        v = failure.violations[0]
        more = len(failure.violations) - 1 + failure.unlisted_violations
        tail = f" (+{more} more)" if more else ""
        return f"{md_code(v.pointer or '/')} {md_text(v.message)} [{md_code(v.check)}]{tail}"
    return md_text(first_line(failure.message)) or "no violation recorded"


def _heading(record: RunRecord) -> list[str]:
    lines = [f"## {md_text(record.title)}: {VERDICT_WORDS[record.verdict]}", ""]
    facts = []
    if record.target is not None:
        facts.append(f"target {md_code(record.target.host)}")
        facts.append(f"app {md_code(record.target.app_id)}")
    if record.seed is not None:
        facts.append(f"seed {md_code(str(record.seed))}")
    facts.append(f"campaign-contract {md_text(record.tool_version)}")
    lines += ["Verdict: **" + record.verdict + "** · " + " · ".join(facts), ""]
    if record.incomplete_reason:
        lines += [f"Stopped before every check ran: {md_text(record.incomplete_reason)}", ""]
    return lines


def _counts(record: RunRecord, noun: str) -> list[str]:
    t = record.totals()
    rows: list[tuple[str, int | str]] = [
        (noun.capitalize(), t.checks),
        ("Passed", t.passed),
        ("Failed", t.failed),
        ("Errors", t.error),
        ("Skipped", t.skipped),
    ]
    if record.kind == "contract":
        rows.append(("Requests", t.requests))
        plan = record.plan or {}
        if plan.get("budget") is not None:
            rows.append(("Planned", f"{plan.get('estimate')} of a budget of {plan['budget']}"))
    rows += [("Observations", t.observations)]
    if t.throttle_events:
        rows.append(("Throttled", f"{t.throttle_events} ({seconds(t.throttle_wait)})"))
    rows.append(("Duration", seconds(t.duration)))
    return ["| | |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in rows] + [""]


def _failing_check(check: CheckResult) -> list[str]:
    """One failing check: a line naming it and its first problem, and its reproduction."""
    where = f" ({md_code(check.nodeid)})" if check.nodeid not in ("", check.name) else ""
    head = f"- **{md_text(check.name)}**{where} — {check.outcome}"
    if not check.failures:
        return [head, ""]
    failure = check.failures[0]
    more = len(check.failures) - 1
    tail = f" (+{more} more failing examples)" if more else ""
    lines = [f"{head}: {_first_problem(failure)}{tail}"]
    if failure.curl:
        lines += ["", *("  " + line for line in fence(failure.curl, "sh").split("\n"))]
    return [*lines, ""]


def _failing(record: RunRecord, noun: str, budget: int) -> list[str]:
    """The failing checks, as many as fit in ``budget`` lines; the rest counted."""
    failing = [c for c in record.checks if c.outcome.failing]
    unlisted = record.unlisted.count(Outcome.FAILED) + record.unlisted.count(Outcome.ERROR)
    if not failing and not unlisted:
        return []
    lines = [f"### Failed {noun}", ""]
    shown = 0
    for check in failing:
        item = _failing_check(check)
        if len(lines) + len(item) > budget - 2:
            break
        lines += item
        shown += 1
    rest = len(failing) - shown + unlisted
    if rest:
        lines += [f"… and {rest} more failing {noun}: see report.html and report.json.", ""]
    return lines


def _coverage_lines(coverage: Coverage) -> list[str]:
    """The coverage section: one table row per dimension, and the shortfall if any."""
    judged = f"{coverage.judged} of {coverage.values} values judged"
    lines = [f"### Coverage: {coverage.percent:.0f}% ({judged})", ""]
    if coverage.min_percent is not None:
        if coverage.short:
            lines += [f"**FAILED**: {md_text(coverage.shortfall())}", ""]
        else:
            lines += [f"Every dimension at least {coverage.min_percent:g}%.", ""]
    lines += ["| Dimension | Judged | Not judged |", "|---|---:|---|"]
    for d in coverage.dimensions:
        missing = ", ".join(md_text(v) for v in d.missing()) or "—"
        lines.append(
            f"| {md_text(d.title)} | {d.judged}/{len(d.values)} ({d.percent:.0f}%) | {missing} |"
        )
    return [*lines, ""]


def render_markdown(record: RunRecord, paths: Mapping[str, Path] | None = None) -> str:
    """``summary.md``'s text, from the record's :meth:`~RunRecord.scrubbed` copy: at most
    :data:`MAX_LINES` lines whatever the run's size; ``paths`` are the other reports written,
    by format."""
    record = record.scrubbed()
    noun = "documents" if record.kind == "validation" else "checks"
    notes = record.spec_note_ids()
    observed = f"Observations: {record.totals().observations}"
    if notes:
        observed += " (doc discrepancies met: " + md_text(", ".join(notes)) + ")"
    tail = [observed, ""]
    if record.coverage is not None:
        tail = _coverage_lines(record.coverage) + tail
    if paths:
        order = {fmt: n for n, fmt in enumerate(("junit", "json", "html", "md"))}
        ranked = sorted(paths.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        listed = ", ".join(md_code(str(path)) for _, path in ranked)
        tail += [f"Reports: {listed}", ""]
    lines = _heading(record) + _counts(record, noun)
    lines += _failing(record, noun, MAX_LINES - len(lines) - len(tail))
    return "\n".join(lines + tail).rstrip() + "\n"
