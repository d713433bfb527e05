"""Finding, loading and compiling the JSON Schemas in ``schemas/``.

Two profiles exist. ``documented`` is the schemas as written: every reading the vendor's page
allows passes. ``strict`` is derived from them (see SPEC_NOTES):

- every object schema that lists its properties and says nothing about others rejects others;
- a property marked ``x-undocumented`` (a field seen in the page's samples but absent from its
  tables) is dropped, so strict reports it; the node keeps them in ``x-undocumented-fields``
  (name → SPEC_NOTES id) to cite in messages;
- each ``x-strict`` keyword block is merged into its node.

The keywords the strict profile adds to a node are listed in its ``x-strict-keywords``, so a
failure of one of them can be told from a failure of the documented schema.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # imported on first use: the compiled fast path never needs them
    import jsonschema
    from referencing import Registry

Profile = Literal["documented", "strict"]
Kind = Literal["request", "voice", "sms", "error", "report", "endpoint"]
PROFILES: tuple[Profile, ...] = ("documented", "strict")

BASE_URI = "https://campaign-contract.example/schemas/"
_FILES: dict[str, str] = {
    "request": "request.json",
    "voice": "response-voice.json",
    "sms": "response-sms.json",
    "error": "error.json",
    "report": "report.json",
    "endpoint": "endpoint.json",
}
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)


def schema_dir() -> Path:
    """The folder holding the schemas: inside the installed package, or the checkout's."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "schemas", package.parent.parent / "schemas"):
        if (candidate / "common.json").is_file():
            return candidate
    raise FileNotFoundError("campaign-contract's schemas/ folder is missing from this install")


@functools.cache
def _raw_documents() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(schema_dir().glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "$schema" in doc and "$id" in doc:
            docs[path.name] = doc
    return docs


def _strict_value(key: str, value: Any) -> Any:
    """One keyword's value in the strict profile: subschemas made strict, the rest copied."""
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {name: _strictify(sub) for name, sub in value.items()}
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [_strictify(sub) for sub in value]
    if key in _SCHEMA_ONE:
        return _strictify(value)
    return copy.deepcopy(value)


def _set_aside_undocumented(node: dict[str, Any], out: dict[str, Any]) -> None:
    """Properties marked ``x-undocumented`` leave ``properties`` (so that strict reports
    them as undocumented) and are listed, with why, in ``x-undocumented-fields``."""
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    undocumented = {
        name: str(sub["x-undocumented"])
        for name, sub in properties.items()
        if isinstance(sub, dict) and "x-undocumented" in sub
    }
    if undocumented:
        out["properties"] = {k: v for k, v in out["properties"].items() if k not in undocumented}
        out["x-undocumented-fields"] = undocumented


def _strictify(node: Any) -> Any:
    """A schema node of the strict profile: its ``x-strict`` keywords applied, undocumented
    properties set aside, objects with properties closed; ``x-strict-keywords`` lists the
    keywords strict added."""
    if not isinstance(node, dict):
        return node
    out = {key: _strict_value(key, value) for key, value in node.items() if key != "x-strict"}
    _set_aside_undocumented(node, out)
    block = node.get("x-strict", {})
    out.update(copy.deepcopy(block))
    added = [key for key in block if not key.startswith("x-")]
    if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
        added.append("additionalProperties")
    if added:
        out["x-strict-keywords"] = added
    return out


@functools.cache
def documents(profile: Profile = "documented") -> dict[str, dict[str, Any]]:
    """Every schema document by file name, transformed for ``profile``."""
    raw = _raw_documents()
    if profile == "documented":
        return raw
    return {name: _strictify(doc) for name, doc in raw.items()}


def schema_file(kind: Kind) -> str:
    """The file name of ``kind``'s schema (its ``$id`` is :data:`BASE_URI` + this)."""
    return _FILES[kind]


def schema(kind: Kind, profile: Profile = "documented") -> dict[str, Any]:
    """The schema document for ``kind`` under ``profile``."""
    return documents(profile)[_FILES[kind]]


@functools.cache
def registry(profile: Profile = "documented") -> Registry[Any]:
    """A ``referencing`` registry holding every schema so ``$ref`` across files resolves."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = [
        (BASE_URI + name, Resource.from_contents(doc, default_specification=DRAFT202012))
        for name, doc in documents(profile).items()
    ]
    return Registry().with_resources(resources).crawl()


@functools.cache
def validator(kind: Kind, profile: Profile = "documented") -> jsonschema.Draft202012Validator:
    """A reference (pure Python) validator for ``kind`` under ``profile``."""
    import jsonschema

    return jsonschema.Draft202012Validator(schema(kind, profile), registry=registry(profile))
