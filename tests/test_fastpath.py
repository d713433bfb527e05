"""The compiled fast path: what it answers, and that everything works without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import validate_error, validate_request, validate_response
from campaign_contract.validation import _fastpath
from campaign_contract.validation._schemas import validator

FIXTURES = Path(__file__).parent / "fixtures"
needs_backend = pytest.mark.skipif(not _fastpath.available(), reason="jsonschema-rs not installed")


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _numeric_priority(kind: str) -> Any:
    doc = _fixture(f"response-{kind}.json")
    doc["data"]["results"][1]["priority"] = 5
    return doc


@pytest.fixture
def no_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fastpath, "_rs", None)


@needs_backend
@pytest.mark.parametrize("kind", ["voice", "sms"])
def test_doc_samples_are_valid_on_the_fast_path(kind: str) -> None:
    assert _fastpath.fast_is_valid(kind, "documented", _fixture(f"response-{kind}.json")) is True
    for profile in ("documented", "strict"):
        request = _fixture(f"request-{kind}.json")
        assert _fastpath.fast_is_valid("request", profile, request) is True


@needs_backend
@pytest.mark.parametrize("kind", ["voice", "sms"])
def test_strict_fast_path_rejects_the_samples_like_the_reference(kind: str) -> None:
    doc = _fixture(f"response-{kind}.json")
    assert _fastpath.fast_is_valid(kind, "strict", doc) is False
    assert validator(kind, "strict").is_valid(doc) is False


@needs_backend
def test_compiled_validators_resolve_references_across_files() -> None:
    for profile in ("documented", "strict"):
        for kind in ("request", "voice", "sms", "error"):
            assert _fastpath.compiled_validator(kind, profile) is not None
    doc = _fixture("response-voice.json")
    doc["data"]["results"][0]["createdAt"] = "08/12/2025"  # checked through common.json
    assert _fastpath.fast_is_valid("voice", "documented", doc) is False


@needs_backend
def test_numeric_priority_is_invalid_on_the_fast_path() -> None:
    assert _fastpath.fast_is_valid("voice", "documented", _numeric_priority("voice")) is False


@needs_backend
def test_deeply_nested_values_do_not_break_the_fast_path() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    doc = _fixture("response-voice.json")
    doc["data"]["results"][0]["contactLists"] = deep
    assert _fastpath.fast_is_valid("voice", "documented", doc) is False
    doc["data"]["results"][0]["contactLists"] = []
    doc["data"]["results"][0]["undocumented"] = deep
    assert _fastpath.fast_is_valid("voice", "documented", doc) is True
    assert _fastpath.fast_is_valid("voice", "strict", doc) is False


@pytest.mark.usefixtures("no_fast_path")
def test_without_fast_path_fast_is_valid_answers_none() -> None:
    assert not _fastpath.available()
    assert _fastpath.fast_is_valid("voice", "documented", {}) is None
    assert _fastpath.compiled_validator("voice") is None


@pytest.mark.usefixtures("no_fast_path")
@pytest.mark.parametrize("kind", ["voice", "sms"])
def test_without_fast_path_validation_still_works(kind: str) -> None:
    assert validate_response(_fixture(f"response-{kind}.json")) == []
    assert validate_request(_fixture(f"request-{kind}.json"), "documented") == []
    found = validate_response(_numeric_priority(kind))
    assert [(v.pointer, v.check) for v in found] == [("/data/results/1/priority", "schema")]
    strict = validate_response(_fixture(f"response-{kind}.json"), kind, "strict")
    assert strict and all(v.pointer.startswith("/data/results/") for v in strict)
    assert validate_error({"status": 1}) != []


@pytest.mark.parametrize("kind", ["voice", "sms"])
def test_fast_and_reference_paths_give_identical_violations(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = [
        _fixture(f"response-{kind}.json"),
        _numeric_priority(kind),
        {"status": "success", "data": {"results": [{}]}},
        [],
    ]
    fast = [validate_response(d, None, p) for d in docs for p in ("documented", "strict")]
    monkeypatch.setattr(_fastpath, "_rs", None)
    reference = [validate_response(d, None, p) for d in docs for p in ("documented", "strict")]
    assert fast == reference
    assert any(fast)


def _run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_environment_switch_turns_the_fast_path_off() -> None:
    code = "from campaign_contract.validation import _fastpath; print(_fastpath.available())"
    assert _run_python(code, CAMPAIGN_CONTRACT_FASTPATH="0") == "False"


def test_missing_backend_falls_back_to_the_reference_path() -> None:
    code = (
        "import sys, json; sys.modules['jsonschema_rs'] = None\n"
        "from campaign_contract import validate_response\n"
        "from campaign_contract.validation import _fastpath\n"
        f"doc = json.load(open({str(FIXTURES / 'response-voice.json')!r}))\n"
        "doc['data']['results'][0]['priority'] = 5\n"
        "print(_fastpath.available(), [v.pointer for v in validate_response(doc)])"
    )
    assert _run_python(code) == "False ['/data/results/0/priority']"
