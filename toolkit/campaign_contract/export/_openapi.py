"""An OpenAPI 3.1 document for the endpoint, derived from ``schemas/``.

Generic tools (Schemathesis, Prism, Spectral, code generators) speak OpenAPI, not this
project's schema files. The document is built from the documented profile: every ``$defs``
entry becomes a component, every cross-file ``$ref`` is rewritten to point at its component,
and the project's own keywords (``x-strict``, ``x-messages``) are left out. Ids given by the
caller are pinned with ``enum`` so a generic tool sends requests the server will accept.
"""

from __future__ import annotations

import copy
from typing import Any

from campaign_contract.client._exchange import ENDPOINT_PATH
from campaign_contract.validation._schemas import documents, schema

OPENAPI_VERSION = "3.1.0"
DEFAULT_SERVER = "https://platform.kore.ai"
SECURITY_SCHEME = "authJwt"
DROPPED_KEYWORDS = frozenset({"$schema", "$id", "x-strict", "x-messages"})
"""Keywords of the schema files that mean nothing to another tool."""
COMPONENT_FOR_FILE: dict[str, str] = {
    "request": "CampaignsRequest",
    "voice": "VoiceCampaignsResponse",
    "sms": "SmsCampaignsResponse",
    "error": "ErrorBody",
}
"""The component each top-level schema becomes (by its kind in ``validation``)."""
_FILE_NAMES = {
    "request.json": "request",
    "response-voice.json": "voice",
    "response-sms.json": "sms",
    "error.json": "error",
}
ERROR_STATUSES: dict[str, str] = {
    "400": "The body is not valid JSON or breaks the request schema",
    "401": "The auth header is missing or wrong",
    "403": "The token, account id or app id does not grant access to this account",
    "404": "No such path",
    "413": "The body is too large",
    "429": "Too many requests; retry after Retry-After",
    "503": "The service is unavailable; retry after Retry-After",
}


def _ref(target: str, here: str) -> str:
    """A schema file's ``$ref`` as a reference to its component."""
    document, _, fragment = target.partition("#")
    kind = _FILE_NAMES.get(document) if document else here
    if document and kind is None and document != "common.json":
        raise ValueError(f"unknown schema file in $ref {target!r}")
    if fragment.startswith("/$defs/"):
        return "#/components/schemas/" + fragment.removeprefix("/$defs/")
    if fragment in ("", "/"):
        return "#/components/schemas/" + COMPONENT_FOR_FILE[kind or here]
    raise ValueError(f"cannot map $ref {target!r} to a component")


def _convert(node: Any, here: str) -> Any:
    if isinstance(node, list):
        return [_convert(item, here) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in DROPPED_KEYWORDS or key == "$defs":
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = _ref(value, here)
        elif key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {name: _convert(sub, here) for name, sub in value.items()}
        else:
            out[key] = _convert(value, here)
    return out


def component_schemas() -> dict[str, Any]:
    """Every schema of the documented profile as OpenAPI components, by component name."""
    components: dict[str, Any] = {}
    for file_name, document in documents("documented").items():
        here = _FILE_NAMES.get(file_name)
        if here is None and file_name != "common.json":
            continue
        for name, definition in document.get("$defs", {}).items():
            components[name] = _convert(definition, here or "")
        if here is not None:
            components[COMPONENT_FOR_FILE[here]] = _convert(document, here)
    return dict(sorted(components.items()))


def _pinned(value: str | None, example: str) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "string", "minLength": 1}
    if value is not None:
        body["enum"] = [value]
    else:
        body["examples"] = [example]
    return body


def _parameters(app_id: str | None, account_id: str | None) -> list[dict[str, Any]]:
    endpoint = schema("endpoint")["properties"]
    path_doc = endpoint["path"]["properties"]["streamId"]["description"]
    query_doc = endpoint["query"]["properties"]["accountId"]["description"]
    headers = endpoint["headers"]["properties"]
    return [
        {
            "name": "streamId",
            "in": "path",
            "required": True,
            "description": path_doc,
            "schema": _pinned(app_id, "st-0603182c-xxxx"),
        },
        {
            "name": "accountId",
            "in": "query",
            "required": True,
            "description": query_doc,
            "schema": _pinned(account_id, "67777ce93exxxx"),
        },
        {
            "name": "accountid",
            "in": "header",
            "required": True,
            "description": headers["accountid"]["description"],
            "schema": _pinned(account_id, "67777ce93exxxx"),
        },
        {
            "name": "iid",
            "in": "header",
            "required": True,
            "description": headers["iid"]["description"],
            "schema": _pinned(app_id, "st-0603182c-xxxx"),
        },
    ]


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": "#/components/schemas/" + ref}}}


def openapi_document(
    *,
    app_id: str | None = None,
    account_id: str | None = None,
    server: str = DEFAULT_SERVER,
    version: str = "",
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of getAllCampaignDetails; ``app_id`` and ``account_id``, when
    given, are the only values the path, query and headers allow (``enum``)."""
    from campaign_contract import __version__

    request = schema("request")
    auth_doc = schema("endpoint")["properties"]["headers"]["properties"]["auth"]["description"]
    path = ENDPOINT_PATH.replace("{app_id}", "{streamId}")
    responses: dict[str, Any] = {
        "200": {
            "description": "One page of campaigns of the requested type: the voice shape for "
            'type "voice", the SMS shape for type "sms" (an empty page fits both).',
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/VoiceCampaignsResponse"},
                            {"$ref": "#/components/schemas/SmsCampaignsResponse"},
                        ]
                    }
                }
            },
        }
    }
    for status, text in ERROR_STATUSES.items():
        responses[status] = {"description": text, "content": _json("ErrorBody")}
    operation = {
        "operationId": "getAllCampaignDetails",
        "summary": "Get All SMS/Voice Campaigns",
        "description": "Lists the account's voice or SMS campaigns, filtered, sorted and "
        "paged. Read-only, though sent as POST. Where the vendor's page contradicts itself the "
        "schemas accept every reading it allows (campaign-contract's schemas/SPEC_NOTES.md).",
        "tags": ["campaigns"],
        "parameters": _parameters(app_id, account_id),
        "requestBody": {
            "required": True,
            "description": request.get("description", ""),
            "content": _json("CampaignsRequest"),
        },
        "responses": responses,
        "security": [{SECURITY_SCHEME: []}],
    }
    return {
        "openapi": OPENAPI_VERSION,
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Kore.ai Get All SMS/Voice Campaigns",
            "version": version or __version__,
            "description": "Exported by campaign-contract from its schemas (documented "
            "profile). Only the getAllCampaignDetails endpoint is described.",
        },
        "servers": [{"url": server.rstrip("/")}],
        "tags": [{"name": "campaigns", "description": "SMS and voice campaigns"}],
        "paths": {path: {"post": operation}},
        "components": {
            "schemas": copy.deepcopy(component_schemas()),
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "auth",
                    "description": auth_doc,
                }
            },
        },
    }
