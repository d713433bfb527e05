"""Every row of the vendor page's tables is covered by the schemas, as the list kept in
schemas/documented-fields.json records it, and that list is complete against the page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from campaign_contract.validation._schemas import (
    BASE_URI,
    PROFILES,
    Profile,
    documents,
    registry,
    schema_dir,
)
from schema_nodes import subschemas

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGE = REPO_ROOT.parent / "shared" / "api-doc" / "get-all-sms-voice-campaigns.txt"
FIELDS: list[dict[str, Any]] = json.loads(
    (schema_dir() / "documented-fields.json").read_text(encoding="utf-8")
)["fields"]
OUR_SCHEMAS = (
    "common.json",
    "request.json",
    "response-voice.json",
    "response-sms.json",
    "error.json",
    "endpoint.json",
)
TABLES = {
    "Path Parameters": "path-parameters",
    "Request Body Parameters": "request-body",
    "Response Body Parameters for Voice Campaign": "voice-response",
    "Response Body Parameters for SMS Campaign": "sms-response",
}
# The page's type words → (JSON Schema type, type of the items for an array). None: no type given.
DOC_TYPES: dict[str, tuple[str, str | None] | None] = {
    "string": ("string", None),
    "number": ("number", None),
    "integer": ("integer", None),
    "boolean": ("boolean", None),
    "object": ("object", None),
    "array of objects": ("array", "object"),
    "array of strings": ("array", "string"),
    "array[string]": ("array", "string"),
    "array[number]": ("array", "number"),
    "required": None,
}


def doc_type_words(doc_type: str) -> str:
    """``"string (ISO format), optional"`` → ``"string"``; ``"Boolean"`` → ``"boolean"``."""
    words = doc_type.split(",")[0].strip().lower()
    return re.sub(r"\s*\(.*\)\s*$", "", words)


# --- resolving "file#/pointer" with $ref followed along the way ------------------------------


@dataclass(frozen=True)
class Located:
    file: str
    tokens: tuple[str, ...]
    node: Any
    parent: Any  # the object schema whose ``properties`` hold the node, if any

    @property
    def uri(self) -> str:
        escaped = (t.replace("~", "~0").replace("/", "~1") for t in self.tokens)
        return BASE_URI + self.file + "#/" + "/".join(escaped)


def _at(file: str, tokens: tuple[str, ...], profile: Profile) -> Any:
    node: Any = documents(profile)[file]
    for token in tokens:
        node = node[token]
    return node


def _follow(file: str, node: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    target, _, fragment = str(node["$ref"]).partition("#")
    tokens = tuple(t.replace("~1", "/").replace("~0", "~") for t in fragment.split("/")[1:])
    return (target or file), tokens


def locate(reference: str, profile: Profile = "documented") -> Located:
    file, _, fragment = reference.partition("#")
    wanted = [t for t in fragment.split("/")[1:]]
    tokens: tuple[str, ...] = ()
    node: Any = documents(profile)[file]
    parent: Any = None
    while wanted:
        token = wanted[0]
        if isinstance(node, dict) and token in node:
            node = node[token]
            if len(tokens) >= 1 and tokens[-1] == "properties":
                parent = _at(file, tokens[:-1], profile)
            tokens = (*tokens, token)
            wanted.pop(0)
        elif isinstance(node, dict) and "$ref" in node:
            file, tokens = _follow(file, node)
            node = _at(file, tokens, profile)
        else:
            raise KeyError(f"{reference}: no {token!r} at {file}#/{'/'.join(tokens)}")
    return Located(file, tokens, node, parent)


def chain(file: str, node: Any, profile: Profile = "documented") -> Iterator[tuple[str, Any]]:
    """The node, then each node its ``$ref`` leads to."""
    yield file, node
    while isinstance(node, dict) and "$ref" in node:
        file, tokens = _follow(file, node)
        node = _at(file, tokens, profile)
        yield file, node


def types_of(file: str, node: Any) -> set[str]:
    found: set[str] = set()
    for where, each in chain(file, node):
        kind = each.get("type")
        found |= {kind} if isinstance(kind, str) else set(kind or ())
        for branch in each.get("oneOf", []) + each.get("anyOf", []):
            found |= types_of(where, branch)
    return found


def keyword(file: str, node: Any, name: str) -> tuple[str, Any] | None:
    for where, each in chain(file, node):
        if name in each:
            return where, each[name]
    return None


def field_id(entry: dict[str, Any]) -> str:
    return f"{entry['table']}:{entry['name']}"


# --- the list against the schemas -------------------------------------------------------------


@pytest.mark.parametrize("entry", FIELDS, ids=field_id)
def test_documented_field_resolves_to_a_property_of_its_documented_type(
    entry: dict[str, Any],
) -> None:
    found = locate(entry["schema"])
    assert found.tokens[-2] in ("properties", "items") or found.tokens == ()
    expected = entry["json_type"]
    assert types_of(found.file, found.node) == (
        {expected} if isinstance(expected, str) else set(expected)
    )
    if "items_type" in entry:
        items = keyword(found.file, found.node, "items")
        assert items is not None, f"{entry['schema']} has no items schema"
        assert types_of(*items) == {entry["items_type"]}
    documented = DOC_TYPES[doc_type_words(entry["doc_type"])]
    ours = (expected, entry.get("items_type")) if isinstance(expected, str) else None
    if documented != ours:
        assert entry.get("exception"), f"{field_id(entry)}: type differs from the page, say why"
        notes = re.findall(r"S-\d+", entry["exception"])
        assert set(notes) <= set(entry.get("spec_notes", [])), "cite the exception's notes"


@pytest.mark.parametrize("entry", FIELDS, ids=field_id)
def test_documented_required_or_optional_matches_the_schema(entry: dict[str, Any]) -> None:
    if entry["required"] is None:
        assert doc_type_words(entry["doc_type"]) in DOC_TYPES
        assert "required" not in entry["doc_type"] and "optional" not in entry["doc_type"]
        return
    assert entry["required"] == ("required" in entry["doc_type"].lower())
    found = locate(entry["schema"])
    assert found.parent is not None
    assert (found.tokens[-1] in found.parent.get("required", [])) is entry["required"]


ENUMS = [e for e in FIELDS if "enum" in e]


@pytest.mark.parametrize("entry", ENUMS, ids=field_id)
def test_every_value_the_page_lists_is_in_the_schema_enum(entry: dict[str, Any]) -> None:
    for value in entry["enum"]:
        assert str(value) in entry["doc_description"], f"{value!r} is not on the page's row"
    found = locate(entry["schema"])
    node: tuple[str, Any] = (found.file, found.node)
    if "items_type" in entry:
        items = keyword(found.file, found.node, "items")
        assert items is not None
        node = items
    listed = keyword(*node, "enum")
    assert listed is not None, f"{entry['schema']} has no enum"
    assert listed[1] == entry["enum"]


def test_every_enum_the_page_lists_is_recorded() -> None:
    for entry in FIELDS:
        text = entry["doc_description"]
        if "Allowed values" in text or "Possible values" in text:
            assert "enum" in entry, field_id(entry)


EXAMPLES = [e for e in FIELDS if "examples" in e]


@pytest.mark.parametrize("entry", EXAMPLES, ids=field_id)
@pytest.mark.parametrize("profile", PROFILES)
def test_the_page_s_example_values_are_accepted(entry: dict[str, Any], profile: Profile) -> None:
    found = locate(entry["schema"], profile)
    check = jsonschema.Draft202012Validator({"$ref": found.uri}, registry=registry(profile))
    for value in entry["examples"]:
        assert value in entry["doc_description"]
        assert list(check.iter_errors(value)) == []


def test_every_example_the_page_gives_is_recorded() -> None:
    for entry in FIELDS:
        text = entry["doc_description"]
        if "Example" in text or "example" in text or "Typically" in text:
            assert "examples" in entry, field_id(entry)


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@pytest.mark.parametrize("entry", FIELDS, ids=field_id)
def test_documented_field_has_a_description_in_our_own_words(entry: dict[str, Any]) -> None:
    found = locate(entry["schema"])
    described = keyword(found.file, found.node, "description")
    assert described is not None, f"{entry['schema']} has no description"
    assert _normalise(described[1]) != _normalise(entry["doc_description"])


def test_documented_fields_cite_only_notes_in_the_register() -> None:
    register = (schema_dir() / "SPEC_NOTES.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\|\s*(S-\d+)\s*\|", register, flags=re.MULTILINE))
    for entry in FIELDS:
        assert set(entry.get("spec_notes", [])) <= ids, field_id(entry)


def test_documented_fields_are_listed_once() -> None:
    keys = [field_id(e) for e in FIELDS]
    assert len(keys) == len(set(keys))


# --- the schemas on their own -----------------------------------------------------------------


def _properties(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every (location, property schema) in ``node``, outside strict-only blocks and conditions."""
    skip = ("x-strict", "if", "then", "else", "not", "enum", "const", "examples")
    for found, schema in subschemas(node, where, skip):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                yield f"{found}/properties/{name}", sub


@pytest.mark.parametrize("file", OUR_SCHEMAS)
def test_every_property_of_our_schemas_has_a_description(file: str) -> None:
    missing = [
        where
        for where, sub in _properties(documents("documented")[file], file + "#")
        if keyword(file, sub, "description") is None
    ]
    assert missing == []


@pytest.mark.parametrize("file", OUR_SCHEMAS)
@pytest.mark.parametrize("profile", PROFILES)
def test_schema_is_valid_draft_2020_12(file: str, profile: Profile) -> None:
    jsonschema.Draft202012Validator.check_schema(documents(profile)[file])


def test_sample_call_fits_the_endpoint_schema() -> None:
    """The path, query and headers of the page's curl samples (header names lower-cased)."""
    call = {
        "path": {"host": "platform.kore.ai", "streamId": "st-0603182c-7ffb-53c3-b307-47ca14bxxxxx"},
        "query": {"accountId": "67777ce93e25326494exxxxx"},
        "headers": {
            "auth": "<token>",
            "accountid": "67777ce93e25326494exxxxx",
            "iid": "st-0603182c-7ffb-53c3-b307-47ca14bxxxxx",
            "content-type": "application/json",
        },
    }
    for profile in PROFILES:
        check = jsonschema.Draft202012Validator(
            documents(profile)["endpoint.json"], registry=registry(profile)
        )
        assert list(check.iter_errors(call)) == []
        del_auth = {**call, "headers": {k: v for k, v in call["headers"].items() if k != "auth"}}
        assert [e.validator for e in check.iter_errors(del_auth)] == ["required"]


# --- the list against the page ----------------------------------------------------------------


def page_rows(text: str) -> list[tuple[str, str, str, str]]:
    """(table, name, description, type) for every row of every parameter table on the page.

    A table starts with a line ``| Parameter |`` or ``| Header |``; each following line ending in
    ``|`` is one cell; cells come three to a row, the first row being the column headings. A
    ``Parameter`` table takes its name from the heading above it; the ``Header`` table has none.
    """
    lines = text.splitlines()
    rows: list[tuple[str, str, str, str]] = []
    heading: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        heading = TABLES.get(line, heading)
        index += 1
        if not (line.startswith("| ") and line.endswith(" |")):
            continue
        first = line[2:-2].strip()
        cells: list[str] = []
        while index < len(lines) and lines[index].rstrip().endswith("|"):
            if lines[index].startswith("| "):
                break
            cells.append(lines[index].rstrip()[:-1].strip())
            index += 1
        if first not in ("Parameter", "Header"):
            continue
        table = "headers" if first == "Header" else heading
        assert table is not None, f"a parameter table without a heading before line {index}"
        body = cells[2:]
        assert len(body) % 3 == 0, f"{table}: cells do not come three to a row"
        rows.extend((table, *body[k : k + 3]) for k in range(0, len(body), 3))  # type: ignore[misc]
    return rows


def test_documented_fields_list_every_row_of_every_table_on_the_page() -> None:
    if not PAGE.is_file():
        pytest.skip(f"the vendor page is not at {PAGE} (a copy of shared/ beside the checkout)")
    rows = page_rows(PAGE.read_text(encoding="utf-8"))
    on_page = {(t, n, d, ty) for t, n, d, ty in rows}
    assert len(on_page) == len(rows)
    listed = {(e["table"], e["name"], e["doc_description"], e["doc_type"]) for e in FIELDS}
    assert on_page - listed == set(), "rows on the page missing from documented-fields.json"
    assert listed - on_page == set(), "rows in documented-fields.json not on the page"
    tables = {t for t, *_ in rows}
    assert tables == {
        "path-parameters",
        "headers",
        "request-body",
        "voice-response",
        "sms-response",
    }


def test_page_parser_reads_a_table_of_three_column_rows() -> None:
    text = "Request Body Parameters\n| Parameter |\nDescription |\nType |\nskip |\nOffset. |\n"
    text += "number, optional |\nSample Response\n"
    assert page_rows(text) == [("request-body", "skip", "Offset.", "number, optional")]
