"""``validate``: request bodies recognised, a standalone response's own arithmetic, and inputs
that once aborted the run (an integer of more than 4,300 digits)."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

from campaign_contract.captures._run import REQUEST, RESPONSE, validate_paths
from campaign_contract.cli._validate import add_validate_arguments, run_validate

FIXTURES = Path(__file__).parent / "fixtures"
HUGE = "9" * 4400


def validate(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    add_validate_arguments(parser)
    out = io.StringIO()
    code = run_validate(parser.parse_args(list(argv)), out, io.StringIO())
    return code, out.getvalue()


def sample() -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / "response-voice.json").read_text("utf-8"))
    return body


def test_request_bodies_are_checked_against_the_request_schema_and_said_so() -> None:
    run = validate_paths([str(FIXTURES)])
    kinds = {Path(r.source).name: r.kind for r in run.results if r.entry is None}
    assert kinds["request-voice.json"] == kinds["request-sms.json"] == REQUEST
    assert kinds["response-voice.json"] == RESPONSE
    code, out = validate(str(FIXTURES / "request-voice.json"), str(FIXTURES / "request-sms.json"))
    assert code == 0, out
    assert "'data' is a required property" not in out
    assert "2 request bodies checked against the request schema" in out


def test_a_bad_request_body_fails_on_the_request_schema(tmp_path: Path) -> None:
    (tmp_path / "req.json").write_text(json.dumps({"type": "fax", "limit": 5}), "utf-8")
    (tmp_path / "reqs.jsonl").write_text('{"type": "sms"}\n{"type": "voice", "skip": -1}\n')
    code, out = validate(str(tmp_path / "req.json"), str(tmp_path / "reqs.jsonl"))
    assert code == 1
    assert "req.json: /type: 'fax' is not one of ['voice', 'sms'] [request-schema]" in out
    assert "reqs.jsonl:2: /skip" in out and "[request-schema]" in out
    assert "3 request bodies checked" in out


def har(*entries: str) -> str:
    """A HAR 1.2 document around ``entries`` (each the JSON text of one entry)."""
    head = '{"log": {"version": "1.2", "creator": {"name": "t"}, "entries": ['
    return head + ", ".join(entries) + "]}}"


def entry(body: Any, *, response: Any = None, time: str = "12") -> str:
    url = (
        "https://platform.kore.ai/campaign/api/v2/public/st-1/campaign/getAllCampaignDetails"
        "?accountId=a"
    )
    item: dict[str, Any] = {
        "startedDateTime": "2025-12-08T10:00:00.000Z",
        "time": "TIME",
        "request": {
            "method": "POST",
            "url": url,
            "headers": [],
            "postData": {"mimeType": "application/json", "text": json.dumps(body)},
        },
    }
    if response is not None:
        item["response"] = {
            "status": 200,
            "headers": [],
            "content": {"mimeType": "application/json", "text": json.dumps(response)},
        }
    return json.dumps(item).replace('"TIME"', time)


def test_har_requests_without_responses_are_checked_as_requests(tmp_path: Path) -> None:
    text = har(entry({"type": "voice"}), entry({"type": "fax"}))
    (tmp_path / "requests.har").write_text(text, "utf-8")
    code, out = validate(str(tmp_path / "requests.har"))
    assert code == 1
    assert "requests.har:1: /type: 'fax' is not one of" in out
    assert "2 request bodies checked" in out


def test_an_integer_past_4300_digits_in_a_har_entry_does_not_abort_the_run(
    tmp_path: Path,
) -> None:
    text = har(
        entry({"type": "voice"}, response=sample(), time=HUGE),
        entry({"type": "voice"}, response=sample()),
    )
    (tmp_path / "big.har").write_text(text, "utf-8")
    code, out = validate(str(FIXTURES / "response-voice.json"), str(tmp_path / "big.har"))
    assert code == 0, out
    assert out.splitlines()[-1].startswith("OK: 3 documents checked, 3 valid")


def test_an_integer_past_4300_digits_in_a_response_is_an_input_problem(tmp_path: Path) -> None:
    text = json.dumps(sample()).replace('"totalResults": 5', f'"totalResults": {HUGE}')
    assert HUGE in text
    (tmp_path / "big.json").write_text(text, "utf-8")
    code, out = validate(str(tmp_path / "big.json"), str(FIXTURES / "response-sms.json"))
    assert code == 1
    assert "[internal]" not in out and "could not check" not in out
    assert "holds an integer of 4,400 digits" in out and "[input]" in out
    assert out.splitlines()[-1].startswith("FAILED: 2 documents checked, 1 valid, 1 invalid")


def test_a_standalone_response_is_held_to_its_own_arithmetic(tmp_path: Path) -> None:
    cases = {
        "total-results": {"totalResults": 0},
        "has-more": {"hasMore": True, "totalResults": 5, "totalPages": 1},
        "total-pages": {"totalPages": 7},
        "page-size": {"limit": 3, "totalPages": 2},
    }
    for check, change in cases.items():
        body = sample()
        body["data"].update(change)
        path = tmp_path / f"{check}.json"
        path.write_text(json.dumps(body), "utf-8")
        lines = [path.with_suffix(".jsonl")]
        lines[0].write_text(json.dumps(body) + "\n", "utf-8")
        for target in (path, lines[0]):
            run = validate_paths([str(target)])
            assert [v.check for v in run.results[0].violations] == [check], (check, target)
    assert validate_paths([str(FIXTURES / "response-voice.json")]).ok
    assert validate_paths([str(FIXTURES / "response-sms.json")]).ok
