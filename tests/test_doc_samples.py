"""The page's own sample requests and responses against the schemas, in both profiles."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import detect_type, validate_request, validate_response

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KINDS = ("voice", "sms")


def sample(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def found(violations: list[Any]) -> set[tuple[str, str]]:
    return {(v.pointer, v.check) for v in violations}


@pytest.mark.parametrize("kind", KINDS)
def test_sample_response_is_valid_under_the_documented_profile(kind: str) -> None:
    doc = sample(f"response-{kind}")
    assert validate_response(doc) == []
    assert validate_response(doc, kind) == []  # type: ignore[arg-type]
    assert detect_type(doc) == kind


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("profile", ["documented", "strict"])
def test_sample_request_is_valid_in_both_profiles(kind: str, profile: str) -> None:
    body = sample(f"request-{kind}")
    assert body["type"] == kind
    assert validate_request(body, profile) == []  # type: ignore[arg-type]


def test_strict_reports_only_the_id_alias_on_the_voice_sample() -> None:
    doc = sample("response-voice")
    violations = validate_response(doc, profile="strict")
    expected = {(f"/data/results/{i}/_id", "undocumented-field") for i in range(5)}
    assert found(violations) == expected
    assert len(violations) == 5
    assert all("S-01" in v.message and v.severity == "error" for v in violations)


def test_strict_reports_undocumented_fields_and_timestamp_order_on_the_sms_sample() -> None:
    doc = sample("response-sms")
    violations = validate_response(doc, profile="strict")
    undocumented = {
        ("/data/results/2/message/template_name", "undocumented-field"),
        ("/data/results/2/message/templateId", "undocumented-field"),
        ("/data/results/4/campaignInstanceId", "undocumented-field"),
        ("/data/results/5/message/template_name", "undocumented-field"),
        ("/data/results/5/message/templateId", "undocumented-field"),
    }
    order = {(f"/data/results/{i}/updatedAt", "timestamp-order") for i in (0, 3, 6)}
    assert found(violations) == undocumented | order
    assert len(violations) == len(undocumented | order)
    notes = {v.check: v.message for v in violations}
    assert "S-12" in notes["undocumented-field"]
    assert "S-13" in notes["timestamp-order"]


@pytest.mark.parametrize("kind", KINDS)
def test_validation_leaves_the_document_unchanged(kind: str) -> None:
    doc = sample(f"response-{kind}")
    before = copy.deepcopy(doc)
    validate_response(doc, profile="strict")
    assert doc == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("given", [True, False], ids=["type-given", "type-detected"])
def test_priority_as_a_number_fails_with_a_pointer_to_it(kind: str, given: bool) -> None:
    doc = sample(f"response-{kind}")
    last = len(doc["data"]["results"]) - 1
    for index in (0, last):
        broken = copy.deepcopy(doc)
        broken["data"]["results"][index]["priority"] = 5
        violations = validate_response(broken, kind if given else None)  # type: ignore[arg-type]
        assert [(v.pointer, v.check, v.severity) for v in violations] == [
            (f"/data/results/{index}/priority", "schema", "error")
        ]
        assert "5 is not of type 'string'" in violations[0].message


def test_every_campaign_with_a_numeric_priority_is_reported() -> None:
    doc = sample("response-sms")
    for item in doc["data"]["results"]:
        item["priority"] = int(item["priority"])
    pointers = [v.pointer for v in validate_response(doc)]
    assert pointers == [f"/data/results/{i}/priority" for i in range(7)]
