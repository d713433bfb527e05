"""``report.html``: one self-contained page (inline CSS and JS, no external reference), rendered
from the Jinja2 templates in ``templates/`` with autoescape on.

Every value a template prints is escaped by Jinja2; only our own stylesheet and script, and
the ``inline_code`` filter's ``<code>`` spans (built from already-escaped text), are markup.
To add a section, add a template to ``templates/`` and its name to :data:`SECTIONS` (and, if
it should appear in the table of contents, to :func:`_toc`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from campaign_contract.report._format import (
    VERDICT_WORDS,
    body_text,
    clock,
    count_phrase,
    first_line,
    moment,
    plural,
    seconds,
    value_text,
)
from campaign_contract.report._model import OUTCOMES, CheckResult, Failure, RunRecord
from campaign_contract.report._notes import SpecNote, load_spec_notes
from campaign_contract.report._scrub import scrub

# Nothing on the page may be fetched: styles and script are inline, images only as data URIs.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

# The page's sections in order, one template each.
SECTIONS: tuple[str, ...] = (
    "target.html",
    "checks.html",
    "failures.html",
    "observations.html",
    "discrepancies.html",
    "throttling.html",
)

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


def failure_count(failing: Sequence[tuple[int, CheckResult]]) -> int:
    return sum(len(check.failures) for _, check in failing)


def failure_summary(failure: Failure) -> str:
    """A failure's one-line summary: its message's first line, else its first violation."""
    return first_line(failure.message) or (
        failure.violations[0].message if failure.violations else "failure"
    )


def _toc(record: RunRecord) -> list[tuple[str, str]]:
    toc = [("target", "Target"), ("checks", "Checks"), ("failures", "Failures")]
    toc += [("observations", "Observations"), ("discrepancies", "Doc discrepancies")]
    if record.throttling:
        toc.append(("throttling", "Throttling"))
    return toc


@cache
def environment() -> jinja2.Environment:
    """The templates' environment: package templates, autoescape on, undefined names fail."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("campaign_contract.report", "templates"),
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
        failure_count=failure_count,
        failure_summary=failure_summary,
    )
    return env


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
    """``report.html``'s text: the whole page, secrets scrubbed."""
    known = load_spec_notes() if notes is None else notes
    text = environment().get_template("report.html").render(_context(record, known))
    return scrub(text, record.secrets)
