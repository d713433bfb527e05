"""``report.html``: one self-contained page (inline CSS and JS, no external reference)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from importlib import resources

from campaign_contract.report._format import (
    VERDICT_WORDS,
    count_phrase,
    moment,
    plural,
    seconds,
    value_text,
)
from campaign_contract.report._html_sections import (
    failures_section,
    notes_section,
    observations_section,
    throttling_section,
)
from campaign_contract.report._model import OUTCOMES, RunRecord
from campaign_contract.report._notes import SpecNote, load_spec_notes
from campaign_contract.report._scrub import scrub

# Nothing on the page may be fetched: styles and script are inline, images only as data URIs.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _banner(record: RunRecord) -> str:
    t = record.totals()
    verdict = record.verdict
    noun = "documents" if record.kind == "validation" else "checks"
    stats = [
        f'<li><b data-testid="failure-count">{t.failing}</b> failing</li>',
        f'<li><b data-testid="passed-count">{t.passed}</b> passed</li>',
        f'<li><b data-testid="skipped-count">{t.skipped}</b> skipped</li>',
        f'<li><b data-testid="check-count">{t.checks}</b> {noun}</li>',
    ]
    if record.kind == "contract":
        stats.append(f"<li><b>{t.requests}</b> requests</li>")
    stats.append(f"<li><b>{t.observations}</b> observations</li>")
    if t.throttle_events:
        stats.append(f"<li><b>{t.throttle_events}</b> throttled ({seconds(t.throttle_wait)})</li>")
    stats.append(f"<li>{escape(seconds(t.duration))}</li>")
    meta = [f"started {escape(moment(record.started_at))}"]
    if record.target is not None:
        meta.insert(0, escape(record.target.host))
    if record.seed is not None:
        meta.append(f"seed {record.seed}")
    meta.append(f"campaign-contract {escape(record.tool_version)}")
    reason = ""
    if record.incomplete_reason:
        reason = (
            '<p class="reason" data-testid="incomplete-reason">Stopped before every check ran: '
            f"{escape(record.incomplete_reason)}</p>"
        )
    return (
        f'<header class="banner {verdict}" data-testid="verdict-banner">'
        f'<div class="wrap"><p class="title">{escape(record.title)}</p>'
        f'<div class="verdict" data-testid="verdict" data-verdict="{verdict}">'
        f"{escape(VERDICT_WORDS[verdict])}</div>{reason}"
        f'<ul class="stats" aria-label="{escape(count_phrase(record))}">{"".join(stats)}</ul>'
        f'<p class="meta">{" · ".join(meta)}</p></div></header>'
    )


def _target(record: RunRecord) -> str:
    rows: list[tuple[str, str, str]] = []
    if record.target is None:
        rows.append(("Target", "none: documents checked from files", ""))
    else:
        rows += [
            ("Host", record.target.host, "mono"),
            ("App id", record.target.app_id, "mono"),
            ("Account id", record.target.account_id, "mono"),
        ]
    rows.append(("Started", moment(record.started_at), ""))
    if record.finished_at is not None:
        rows.append(("Finished", moment(record.finished_at), ""))
    rows.append(("Seed", "none" if record.seed is None else str(record.seed), "mono"))
    target = '<dl class="kv" data-testid="target">' + "".join(
        f'<dt>{escape(k)}</dt><dd class="{cls}">{escape(v)}</dd>' for k, v, cls in rows
    )
    target += "</dl>"
    settings = record.safe_settings()
    if settings:
        body = "".join(
            f"<tr><td>{escape(str(k))}</td><td class='mono wrap-any'>{escape(value_text(v))}</td>"
            "</tr>"
            for k, v in sorted(settings.items(), key=lambda kv: str(kv[0]))
        )
        settings_html = f'<table class="settings" data-testid="settings">{body}</table>'
    else:
        settings_html = '<p class="empty-note">No settings recorded.</p>'
    return (
        '<section class="card" id="target"><h2>Target and settings</h2><div class="grid2">'
        f"<div><h3>Target</h3>{target}</div><div><h3>Settings</h3>{settings_html}</div>"
        "</div></section>"
    )


def _checks(record: RunRecord) -> str:
    t = record.totals()
    noun = "Documents" if record.kind == "validation" else "Checks"
    counts = {"passed": t.passed, "failed": t.failed, "error": t.error, "skipped": t.skipped}
    buttons = [
        '<button type="button" class="active" aria-pressed="true" data-filter="all" '
        f'data-testid="filter-all">All<span class="n">{t.checks}</span></button>'
    ]
    for outcome in OUTCOMES:
        buttons.append(
            f'<button type="button" aria-pressed="false" data-filter="{outcome}" '
            f'data-testid="filter-{outcome}">{outcome.capitalize()}'
            f'<span class="n">{counts[outcome]}</span></button>'
        )
    if not record.checks:
        return (
            f'<section class="card" id="checks"><h2>{noun} <span class="n">0</span></h2>'
            f'<p class="empty-note" data-testid="no-checks">No {noun.lower()} ran.</p></section>'
        )
    rows = []
    for index, check in enumerate(record.checks):
        if check.failures or check.outcome in ("failed", "error"):
            count = len(check.failures)
            label = plural(count, "failure") if count else "details"
            note = f'<a href="#check-{index}">{label}</a>'
        elif check.skip_reason:
            note = f'<span class="muted">{escape(check.skip_reason)}</span>'
        else:
            note = ""
        nodeid = (
            f'<span class="nodeid">{escape(check.nodeid)}</span>'
            if check.nodeid and check.nodeid != check.name
            else ""
        )
        rows.append(
            f'<tr data-testid="check-row" data-outcome="{check.outcome}">'
            f'<td><span class="badge {check.outcome}">{check.outcome}</span></td>'
            f"<td class=wrap-any><b>{escape(check.name)}</b>{nodeid}</td>"
            f"<td>{escape(check.family)}</td>"
            f'<td class="num">{check.requests}</td><td class="num">{check.examples}</td>'
            f'<td class="num">{escape(seconds(check.duration))}</td><td>{note}</td></tr>'
        )
    head = (
        "<tr><th>Outcome</th><th>Name</th><th>Family</th><th class=num>Requests</th>"
        "<th class=num>Examples</th><th class=num>Time</th><th>Failures / note</th></tr>"
    )
    return (
        f'<section class="card" id="checks"><h2>{noun} <span class="n">{t.checks}</span></h2>'
        f'<div class="filters" role="group" aria-label="Filter by outcome">{"".join(buttons)}</div>'
        f'<table data-testid="checks-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
        "</table>"
        '<p class="empty-note" id="no-match" data-testid="no-match" hidden>'
        "Nothing with this outcome.</p></section>"
    )


def render_html(record: RunRecord, notes: Mapping[str, SpecNote] | None = None) -> str:
    """``report.html``'s text: the whole page, secrets scrubbed."""
    known = load_spec_notes() if notes is None else notes
    title = f"{record.title}: {VERDICT_WORDS[record.verdict].lower()}"
    toc = [("target", "Target"), ("checks", "Checks"), ("failures", "Failures")]
    toc += [("observations", "Observations"), ("discrepancies", "Doc discrepancies")]
    if record.throttling:
        toc.append(("throttling", "Throttling"))
    nav = "".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in toc)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{_asset('report.css')}</style></head><body>",
        _banner(record),
        f'<nav class="toc"><div class="wrap">{nav}</div></nav>',
        '<main class="wrap">',
        _target(record),
        _checks(record),
        failures_section(record),
        observations_section(record, known),
        notes_section(record, known),
        throttling_section(record),
        "</main>",
        f'<footer class="wrap">Written by campaign-contract {escape(record.tool_version)}'
        f" · verdict {record.verdict}</footer>",
        f"<script>\n{_asset('report.js')}</script>",
        "</body></html>\n",
    ]
    return scrub("\n".join(parts), record.secrets)
