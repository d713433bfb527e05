"""report.html is one self-contained, escaped page; validate's results get the same page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from campaign_contract.report import (
    Observation,
    RunRecord,
    load_spec_notes,
    render_html,
    validation_html,
    write_reports,
)
from campaign_contract.report._validation import record_from_validation
from campaign_contract.validation._violations import Violation
from report_records import RECORDS, failing_record

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


class _Page(HTMLParser):
    """Collects tags, their attributes, and inline style/script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self.scripts = 0
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag in ("style", "script"):
            self._in = tag
        if tag == "script":
            self.scripts += 1
        if "style" in found:
            self.styles.append(found["style"])

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.styles.append(data)

    def with_testid(self, testid: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.tags if attrs.get("data-testid") == testid]


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _external_references(page: _Page) -> list[str]:
    found = []
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "data", "action", "poster", "background"):
            value = attrs.get(name, "")
            if name in attrs and (EXTERNAL.match(value) or tag in ("script", "link", "img")):
                found.append(f"<{tag} {name}={value!r}>")
    for css in page.styles:
        found += [f"css {m}" for m in re.findall(r"url\([^)]*\)|@import[^;]*", css)]
    return found


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_page_has_no_external_reference(kind: str, tmp_path: Path) -> None:
    text = write_reports(RECORDS[kind](), tmp_path, ("html",))["html"].read_text()
    page = _parse(text)
    assert _external_references(page) == []
    assert page.scripts == 1
    assert [t for t, _ in page.tags if t in ("link", "img", "iframe", "object", "embed")] == []
    assert "default-src 'none'" in text


def test_the_check_under_test_would_catch_external_assets() -> None:
    page = _parse(
        '<script src="https://cdn.example/x.js"></script><link href="//fonts.example/a.css">'
        '<img src="logo.png"><style>body{background:url(https://x.example/a.png)}</style>'
    )
    assert len(_external_references(page)) == 4


def test_every_value_is_escaped() -> None:
    text = render_html(failing_record())
    page = _parse(text)
    assert page.scripts == 1
    assert "statuses [&#39;Ready&#39;] &lt;script&gt;" in text
    assert "'Stopped' is not among" not in text


def test_failing_page_shows_verdict_counts_failures_and_curl() -> None:
    record = failing_record()
    page = _parse(render_html(record))
    assert page.with_testid("verdict")[0]["data-verdict"] == "failed"
    rows = page.with_testid("check-row")
    assert [r["data-outcome"] for r in rows] == [c.outcome for c in record.checks]
    assert len(page.with_testid("failure")) == 2
    assert len(page.with_testid("curl")) == 1
    copy = page.with_testid("copy-curl")[0]
    assert page.with_testid("curl")[0]["id"] == copy["data-copy"]
    filters = [attrs["data-filter"] for _, attrs in page.tags if "data-filter" in attrs]
    assert filters == ["all", "passed", "failed", "error", "skipped"]


def test_doc_discrepancies_link_ids_to_their_spec_notes_entry() -> None:
    notes = load_spec_notes()
    assert "S-14" in notes and "skip" in notes["S-14"].point
    text = render_html(failing_record())
    page = _parse(text)
    assert [a["id"] for a in page.with_testid("spec-note")] == [
        "note-S-14",
        "note-S-20",
        "note-S-23",
    ]
    links = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#note")]
    assert sorted(set(links)) == ["#note-S-14", "#note-S-20", "#note-S-23"]
    assert "S-14 — skip vs page precedence" in text
    assert "<code>filters.dialingMode</code>" in text


def test_unknown_register_shows_the_id_alone() -> None:
    record = RunRecord(target=None)
    record.add_observation(Observation("x", "S-99", "something odd"))
    text = render_html(record, notes={})
    page = _parse(text)
    assert [a["id"] for a in page.with_testid("spec-note")] == ["note-S-99"]
    assert "<h3>S-99</h3>" in text


def test_validation_results_get_the_same_page() -> None:
    documents = [
        {"source": "captures/ok.json", "entry": None, "valid": True, "errors": []},
        {
            "source": "captures/run.har",
            "entry": 3,
            "valid": False,
            "errors": [
                Violation("/data/totalPages", "-1 is less than the minimum of 0", "schema"),
                {
                    "pointer": "/data/results/0/_id",
                    "message": "undocumented",
                    "check": "strict",
                    "severity": "warning",
                },
            ],
        },
        {
            "source": "b.json",
            "entry": None,
            "valid": True,
            "errors": [Violation("/data/results/0/_id", "undocumented", "strict", "warning")],
        },
    ]
    text = validation_html(documents, title="Validation of captures")
    page = _parse(text)
    assert page.with_testid("verdict")[0]["data-verdict"] == "failed"
    assert [r["data-outcome"] for r in page.with_testid("check-row")] == [
        "passed",
        "failed",
        "passed",
    ]
    assert "captures/run.har#3" in text and "Validation of captures" in text
    assert len(page.with_testid("violation")) == 2
    assert len(page.with_testid("observation")) == 1
    assert _external_references(page) == []
    record = record_from_validation(documents)
    assert record.kind == "validation" and record.target is None
    assert record.totals().failed == 1
