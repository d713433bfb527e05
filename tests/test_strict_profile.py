"""The strict profile is derived from the documented schemas: it closes every documented object,
so an unknown field is reported at any level while the documented profile accepts it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import validate_request, validate_response
from campaign_contract.validation._schemas import documents
from hypothesis import given, settings
from hypothesis import strategies as st
from schema_nodes import subschemas

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNKNOWN = "zzNotOnThePage"

# (sample, location of an object in it) for every kind of object a response holds.
LEVELS = [
    ("voice", ()),
    ("voice", ("data",)),
    ("voice", ("data", "results", 0)),
    ("voice", ("data", "results", 0, "schedule")),
    ("voice", ("data", "results", 0, "dncLists")),
    ("sms", ()),
    ("sms", ("data",)),
    ("sms", ("data", "results", 2)),
    ("sms", ("data", "results", 2, "schedule")),
    ("sms", ("data", "results", 2, "dncLists")),
    ("sms", ("data", "results", 2, "message")),
]


def sample(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def at(doc: Any, path: tuple[str | int, ...]) -> Any:
    for token in path:
        doc = doc[token]
    return doc


def findings(doc: Any, kind: str, profile: str) -> set[tuple[str, str]]:
    found = validate_response(doc, kind, profile=profile)  # type: ignore[arg-type]
    return {(v.pointer, v.check) for v in found}


@pytest.mark.parametrize(("kind", "path"), LEVELS, ids=lambda x: str(x))
def test_unknown_field_reported_by_strict_at_every_level_and_accepted_when_documented(
    kind: str, path: tuple[str | int, ...]
) -> None:
    doc = sample(f"response-{kind}")
    baseline = findings(doc, kind, "strict")
    at(doc, path)[UNKNOWN] = {"any": ["value"]}
    assert validate_response(doc, kind) == []  # type: ignore[arg-type]
    where = "".join(f"/{token}" for token in (*path, UNKNOWN))
    assert findings(doc, kind, "strict") - baseline == {(where, "undocumented-field")}


@pytest.mark.parametrize("kind", ["voice", "sms"])
def test_unknown_request_field_reported_only_by_strict(kind: str) -> None:
    body = sample(f"request-{kind}")
    body[UNKNOWN] = 1
    assert validate_request(body) == []
    reported = validate_request(body, "strict")
    assert [(v.pointer, v.check) for v in reported] == [(f"/{UNKNOWN}", "undocumented-field")]


def _object_schemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for found, schema in subschemas(node, where, ("x-strict", "enum", "const")):
        if schema.get("type") == "object" and "properties" in schema:
            yield found, schema


@pytest.mark.parametrize(
    "file", ["request.json", "response-voice.json", "response-sms.json", "common.json"]
)
def test_every_documented_object_is_closed_in_strict_and_open_unless_the_page_lists_it(
    file: str,
) -> None:
    strict = dict(_object_schemas(documents("strict")[file], file + "#"))
    documented = dict(_object_schemas(documents("documented")[file], file + "#"))
    assert strict.keys() == documented.keys() and strict
    for where, node in strict.items():
        assert node["additionalProperties"] is False, where
        if "additionalProperties" not in documented[where]:
            assert "additionalProperties" in node["x-strict-keywords"], where


def test_strict_is_derived_not_written_by_hand() -> None:
    for name, doc in documents("documented").items():
        text = json.dumps(doc)
        assert '"x-strict-keywords"' not in text and '"x-undocumented-fields"' not in text, name
    strict = documents("strict")["response-voice.json"]
    campaign = strict["$defs"]["voiceCampaign"]
    assert "_id" not in campaign["properties"]
    assert campaign["x-undocumented-fields"] == {"_id": "S-01", "campaignInstanceId": "S-12"}
    assert '"x-strict":' not in json.dumps(strict)


def test_open_objects_stay_open_in_strict() -> None:
    endpoint = documents("strict")["endpoint.json"]
    assert endpoint["properties"]["headers"]["additionalProperties"] is True
    assert documents("strict")["error.json"]["additionalProperties"] is True


NAMES = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF), min_size=1, max_size=12
)


@settings(max_examples=30, deadline=None)
@given(name=NAMES, value=st.one_of(st.none(), st.integers(), st.text(max_size=5)))
def test_any_unknown_campaign_field_is_accepted_when_documented_and_reported_when_strict(
    name: str, value: Any
) -> None:
    doc = sample("response-voice")
    item = doc["data"]["results"][0]
    if (
        name in item
        or name
        in documents("documented")["response-voice.json"]["$defs"]["voiceCampaign"]["properties"]
    ):
        return
    item[name] = value
    assert validate_response(doc, "voice") == []
    escaped = name.replace("~", "~0").replace("/", "~1")
    assert ("/data/results/0/" + escaped, "undocumented-field") in findings(doc, "voice", "strict")
