"""The failure, observation, doc-discrepancy and throttling sections of ``report.html``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from campaign_contract.report._format import body_text, clock, first_line, plural, seconds
from campaign_contract.report._model import CheckResult, Failure, Observation, RunRecord
from campaign_contract.report._notes import SpecNote

_CODE = re.compile(r"`([^`]+)`")


def inline_code(text: str) -> str:
    """Escape ``text`` and turn its Markdown `code` spans into ``<code>``."""
    return _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", escape(text))


def _note_link(note: str | None, known: Mapping[str, SpecNote]) -> str:
    if not note:
        return '<span class="muted">—</span>'
    title = f' title="{escape(known[note].point)}"' if note in known else ""
    return f'<a href="#note-{escape(note)}"{title}>{escape(note)}</a>'


def _violations(failure: Failure) -> str:
    if not failure.violations:
        return ""
    rows = "".join(
        "<tr data-testid='violation'>"
        f"<td class='mono wrap-any'>{escape(v.pointer or '/')}</td>"
        f"<td class=mono>{escape(v.check)}</td>"
        f"<td class=wrap-any>{escape(v.message)}</td>"
        f"<td>{escape(v.severity)}</td></tr>"
        for v in failure.violations
    )
    return (
        f"<h4>Violations ({len(failure.violations)})</h4><table>"
        "<thead><tr><th>Pointer</th><th>Check</th><th>Message</th><th>Severity</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _failure(failure: Failure, anchor: str) -> str:
    summary = first_line(failure.message) or (
        failure.violations[0].message if failure.violations else "failure"
    )
    status = (
        f' <span class="badge status">HTTP {failure.response_status}</span>'
        if failure.response_status is not None
        else ""
    )
    facts = []
    if failure.seed is not None:
        facts.append(f"seed <span class=mono>{failure.seed}</span>")
    if failure.example:
        facts.append(f"example <span class=mono>{escape(failure.example)}</span>")
    body = [f'<p class="facts">{" · ".join(facts)}</p>' if facts else ""]
    if failure.message.strip() != summary:
        body.append(f"<h4>Message</h4><pre>{escape(failure.message)}</pre>")
    if failure.request_body is not None:
        body.append(
            "<h4>Request body</h4>"
            f'<pre data-testid="request">{escape(body_text(failure.request_body))}</pre>'
        )
    if failure.response_status is not None or failure.response_excerpt:
        label = "Response"
        if failure.response_status is not None:
            label += f" (HTTP {failure.response_status})"
        excerpt = failure.response_excerpt or "(empty)"
        body.append(f'<h4>{label}</h4><pre data-testid="response">{escape(excerpt)}</pre>')
    body.append(_violations(failure))
    if not any(body[1:]) and not failure.curl:
        body.append(f"<h4>Message</h4><pre>{escape(failure.message)}</pre>")
    if failure.curl:
        body.append(
            '<h4>Reproduce</h4><div class="curl">'
            f'<pre id="{anchor}-curl" data-testid="curl">{escape(failure.curl)}</pre>'
            f'<button type="button" data-copy="{anchor}-curl" data-testid="copy-curl">'
            "Copy</button></div>"
        )
    return (
        f'<details class="failure" id="{anchor}" data-testid="failure">'
        f"<summary>{escape(summary)}{status}</summary>"
        f'<div class="failure-body">{"".join(body)}</div></details>'
    )


def _group(index: int, check: CheckResult) -> str:
    details = "".join(_failure(f, f"failure-{index}-{n}") for n, f in enumerate(check.failures))
    if not details:
        details = '<p class="none">No details were recorded for this outcome.</p>'
    family = f'<span class="muted">{escape(check.family)}</span>' if check.family else ""
    nodeid = (
        f'<span class="nodeid">{escape(check.nodeid)}</span>'
        if check.nodeid and check.nodeid != check.name
        else ""
    )
    return (
        f'<div class="group {check.outcome}" id="check-{index}" data-testid="failure-group">'
        f'<header><span class="badge {check.outcome}">{check.outcome}</span>'
        f"<h3>{escape(check.name)}</h3>{family}{nodeid}</header>{details}</div>"
    )


def failures_section(record: RunRecord) -> str:
    failing = [
        (i, c)
        for i, c in enumerate(record.checks)
        if c.failures or c.outcome in ("failed", "error")
    ]
    total = sum(len(c.failures) for _, c in failing)
    if not failing:
        inner = '<p class="empty-note">No failures.</p>'
    else:
        inner = "".join(_group(i, c) for i, c in failing)
    return (
        f'<section class="card" id="failures"><h2>Failures <span class="n">{total}</span></h2>'
        f"{inner}</section>"
    )


def _observation_row(o: Observation, known: Mapping[str, SpecNote]) -> str:
    extra = []
    if o.detail:
        extra.append(f"<pre>{escape(o.detail)}</pre>")
    if o.request_body is not None:
        extra.append(f"<h4>Request body</h4><pre>{escape(body_text(o.request_body))}</pre>")
    more = (
        f'<details class="more"><summary>details</summary>'
        f'<div class="more-body">{"".join(extra)}</div></details>'
        if extra
        else ""
    )
    return (
        "<tr data-testid='observation'>"
        f"<td class=mono>{escape(o.check)}</td><td>{_note_link(o.spec_note, known)}</td>"
        f"<td class=wrap-any>{escape(o.message)}{more}</td></tr>"
    )


def observations_section(record: RunRecord, known: Mapping[str, SpecNote]) -> str:
    if not record.observations:
        inner = (
            '<p class="empty-note">None: the server never had to choose between readings of '
            "the page.</p>"
            if record.kind == "contract"
            else '<p class="empty-note">None.</p>'
        )
    else:
        rows = "".join(_observation_row(o, known) for o in record.observations)
        inner = (
            '<p class="muted">Behaviour the page allows several readings of: recorded, '
            "not failed.</p>"
            '<table class="observations"><thead><tr><th>Check</th><th>Note</th>'
            "<th>What the server did</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    return (
        '<section class="card" id="observations"><h2>Observations '
        f'<span class="n" data-testid="observation-count">{len(record.observations)}</span>'
        f"</h2>{inner}</section>"
    )


def notes_section(record: RunRecord, known: Mapping[str, SpecNote]) -> str:
    ids = record.spec_note_ids()
    blocks = []
    for note in ids:
        related = [o for o in record.observations if o.spec_note == note]
        if note in known:
            head = f"{escape(note)} — {inline_code(known[note].point)}"
            decision = f"<p><span class=muted>Decision:</span> {inline_code(known[note].decision)}"
            decision += "</p>"
        else:
            head, decision = escape(note), ""
        items = "".join(
            f"<li><span class=mono>{escape(o.check)}</span>: {escape(o.message)}</li>"
            for o in related
        )
        blocks.append(
            f'<div class="note" id="note-{escape(note)}" data-testid="spec-note">'
            f"<h3>{head}</h3>{decision}"
            f'<p class="muted">{plural(len(related), "observation")}</p><ul>{items}</ul></div>'
        )
    inner = "".join(blocks) or '<p class="empty-note">None met during this run.</p>'
    return (
        '<section class="card" id="discrepancies"><h2>Doc discrepancies met '
        f'<span class="n">{len(ids)}</span></h2>'
        '<p class="muted">Points where the vendor page contradicts itself or is silent '
        "(SPEC_NOTES), and what the run saw.</p>"
        f"{inner}</section>"
    )


def throttling_section(record: RunRecord) -> str:
    if not record.throttling:
        return ""
    rows = "".join(
        f"<tr data-testid='throttle'><td class=mono>{escape(clock(t.at))}</td>"
        f"<td class=num>{t.status}</td><td class=num>{escape(seconds(t.wait))}</td></tr>"
        for t in record.throttling
    )
    total = seconds(sum(t.wait for t in record.throttling))
    return (
        '<section class="card" id="throttling"><h2>Throttling '
        f'<span class="n">{len(record.throttling)}</span></h2>'
        f'<p class="muted">Waited {escape(total)} in all.</p>'
        '<table class="throttle"><thead><tr><th>At (UTC)</th><th class=num>Status</th>'
        "<th class=num>Wait</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )
