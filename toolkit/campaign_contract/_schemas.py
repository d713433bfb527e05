"""Finding, loading and compiling the JSON Schemas in ``schemas/``.

Two profiles exist. ``documented`` is the schemas as written: every reading the vendor's page
allows passes. ``strict`` is derived from them: every object that lists its properties rejects
others, and each ``x-strict`` keyword block is merged into its node (see SPEC_NOTES).
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any, Literal

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

Profile = Literal["documented", "strict"]
Kind = Literal["request", "voice", "sms", "error", "report"]
PROFILES: tuple[Profile, ...] = ("documented", "strict")

BASE_URI = "https://campaign-contract.example/schemas/"
_FILES: dict[str, str] = {
    "request": "request.json",
    "voice": "response-voice.json",
    "sms": "response-sms.json",
    "error": "error.json",
    "report": "report.json",
}


def schema_dir() -> Path:
    """The folder holding the schemas: inside the installed package, or the checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas", here.parent.parent / "schemas"):
        if (candidate / "common.json").is_file():
            return candidate
    raise FileNotFoundError("campaign-contract's schemas/ folder is missing from this install")


@functools.cache
def _raw_documents() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for path in sorted(schema_dir().glob("*.json")):
        docs[path.name] = json.loads(path.read_text(encoding="utf-8"))
    return docs


def _strictify(node: Any) -> Any:
    if isinstance(node, list):
        return [_strictify(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strictify(value) for key, value in node.items() if key != "x-strict"}
    out.update(copy.deepcopy(node.get("x-strict", {})))
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


@functools.cache
def documents(profile: Profile = "documented") -> dict[str, dict[str, Any]]:
    """Every schema document by file name, transformed for ``profile``."""
    raw = _raw_documents()
    if profile == "documented":
        return raw
    return {name: _strictify(doc) for name, doc in raw.items()}


def schema(kind: Kind, profile: Profile = "documented") -> dict[str, Any]:
    """The schema document for ``kind`` under ``profile``."""
    return documents(profile)[_FILES[kind]]


@functools.cache
def registry(profile: Profile = "documented") -> Registry[Any]:
    """A ``referencing`` registry holding every schema so ``$ref`` across files resolves."""
    resources = [
        (BASE_URI + name, Resource.from_contents(doc, default_specification=DRAFT202012))
        for name, doc in documents(profile).items()
    ]
    return Registry().with_resources(resources).crawl()


@functools.cache
def validator(kind: Kind, profile: Profile = "documented") -> jsonschema.Draft202012Validator:
    """A reference (pure Python) validator for ``kind`` under ``profile``."""
    return jsonschema.Draft202012Validator(schema(kind, profile), registry=registry(profile))
