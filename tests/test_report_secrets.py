"""No token, client secret or credential-named setting reaches any report file."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from campaign_contract.report import Observation, RunRecord, record_to_dict, scrub, write_reports
from campaign_contract.report._validation import record_from_validation
from report_records import CLIENT_SECRET, RECORDS, SENTINEL_TOKEN, failing_record


def _leaks(directory: Path, secret: str) -> list[str]:
    forms = {secret, html.escape(secret), json.dumps(secret)[1:-1]}
    return [
        f"{path.name}: {form!r}"
        for path in sorted(directory.iterdir())
        for form in forms
        if form in path.read_text(encoding="utf-8")
    ]


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_sentinel_token_and_client_secret_are_absent_from_every_file(
    kind: str, tmp_path: Path
) -> None:
    record = RECORDS[kind]()
    record.add_observation(
        Observation("auth-header", None, f"the server echoed {SENTINEL_TOKEN} {CLIENT_SECRET}")
    )
    record.settings["note"] = f"token was {SENTINEL_TOKEN}"
    write_reports(record, tmp_path)
    assert len(list(tmp_path.iterdir())) == 3
    assert _leaks(tmp_path, SENTINEL_TOKEN) == []
    assert _leaks(tmp_path, CLIENT_SECRET) == []
    assert "token was ***" in (tmp_path / "report.json").read_text(encoding="utf-8")
    assert "the server echoed *** ***" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_failure_message_holding_the_token_is_masked_in_every_format(tmp_path: Path) -> None:
    record = failing_record()
    assert SENTINEL_TOKEN in record.checks[4].failures[0].message
    write_reports(record, tmp_path)
    for name in ("report.json", "report.html", "summary.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert SENTINEL_TOKEN not in text, name
    assert "sent with ***" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_credential_named_settings_are_dropped_and_their_values_scrubbed(tmp_path: Path) -> None:
    record = RunRecord(
        target=None,
        settings={
            "budget": 10,
            "token": "tok-abcdef-123",
            "Client-Secret": "cs-xyz-987",
            "nested": {"password": "pw-secret-555", "keep": 1},
            "auth": {"scheme": "jwt"},
        },
    )
    assert record.settings == {"budget": 10, "nested": {"keep": 1}}
    assert {"tok-abcdef-123", "cs-xyz-987", "pw-secret-555", "jwt"} <= record.secrets
    record.settings["password"] = "added-later-1"
    record.settings["echo"] = "tok-abcdef-123"
    write_reports(record, tmp_path)
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert doc["settings"] == {"budget": 10, "echo": "***", "nested": {"keep": 1}}
    for name in ("report.json", "report.html", "summary.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "added-later-1" not in text and "tok-abcdef-123" not in text


def test_secrets_are_never_serialised_nor_shown_in_repr() -> None:
    record = RECORDS["passing"]()
    assert SENTINEL_TOKEN in record.secrets
    assert SENTINEL_TOKEN not in repr(record)
    data = json.dumps(record_to_dict(record))
    assert "_secrets" not in data and "secrets" not in json.loads(data)


def test_scrub_masks_escaped_forms_and_ignores_empty_secrets() -> None:
    secret = 'a"b<c>&d/e'
    text = f"raw {secret} json {json.dumps(secret)} html {html.escape(secret)}"
    out = scrub(text, [secret, ""])
    assert secret not in out
    assert json.dumps(secret)[1:-1] not in out
    assert html.escape(secret) not in out
    assert out.count("***") == 3
    assert scrub("nothing to hide", [""]) == "nothing to hide"


def test_validation_record_has_no_target_and_scrubs_too(tmp_path: Path) -> None:
    record = record_from_validation(
        [{"source": "a.json", "entry": None, "valid": True, "errors": []}],
        settings={"token": SENTINEL_TOKEN, "profile": "strict"},
    )
    write_reports(record, tmp_path)
    assert _leaks(tmp_path, SENTINEL_TOKEN) == []
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert doc["target"] is None and doc["settings"] == {"profile": "strict"}
