"""The request model reads our schemas' ``$ref`` itself, as ``referencing`` would resolve them."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_contract.generation import _model
from campaign_contract.validation._schemas import BASE_URI, documents, registry
from campaign_contract.validation._violations import escape_token, pointer, unescape_token
from hypothesis import given
from hypothesis import strategies as st


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


REQUEST_REFS = sorted(set(_refs(documents("documented")["request.json"])))


def test_the_request_schema_refers_across_files() -> None:
    assert any(ref.startswith("common.json#") for ref in REQUEST_REFS)


@pytest.mark.parametrize("reference", REQUEST_REFS)
def test_every_reference_of_the_request_schema_resolves_as_referencing_does(reference: str) -> None:
    resolver = registry("documented").resolver(base_uri=BASE_URI + "request.json")
    assert _model._lookup(reference, "request.json")[1] == resolver.lookup(reference).contents


def test_pointers_unescape_and_index_arrays_and_absolute_ids_are_read() -> None:
    common = documents("documented")["common.json"]
    name = next(iter(common["$defs"]))
    assert _model._lookup(f"{BASE_URI}common.json#/$defs/{name}", "request.json") == (
        "common.json",
        common["$defs"][name],
    )
    assert _model._lookup("#", "common.json") == ("common.json", common)
    request = documents("documented")["request.json"]
    assert _model._lookup("#/required/0", "request.json")[1] == request["required"][0]


def test_an_unknown_reference_is_an_error() -> None:
    with pytest.raises(KeyError):
        _model._lookup("common.json#/$defs/no-such-definition", "request.json")


@given(st.text())
def test_a_token_unescapes_to_what_was_escaped(token: str) -> None:
    assert unescape_token(escape_token(token)) == token
    assert pointer(token) == "/" + escape_token(token)


def test_a_pointer_into_a_key_with_slashes_and_tildes_is_followed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trees = {"x.json": {"$defs": {"a/b~c": [{"type": "string"}]}}}
    monkeypatch.setattr(_model, "documents", lambda profile: trees)
    reference = "x.json#" + pointer("$defs", "a/b~c", 0)
    assert reference == "x.json#/$defs/a~1b~0c/0"
    assert _model._lookup(reference, "request.json") == ("x.json", {"type": "string"})
