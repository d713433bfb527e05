"""Schema validation of requests and responses, returning :class:`Violation` lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import jsonschema

from ._schemas import Kind, Profile, validator
from ._violations import Violation, pointer

CampaignType = Literal["voice", "sms"]

VOICE_ONLY_FIELDS = frozenset({"dialingMode", "connection", "isFiltersEnabled", "_id"})
SMS_ONLY_FIELDS = frozenset(
    {"format", "totalMessagesSent", "campaignExecutionType", "message", "experienceFlow"}
)


def results_of(doc: Any) -> list[Any]:
    """``data.results`` when it is a list, else an empty list."""
    data = doc.get("data") if isinstance(doc, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    return results if isinstance(results, list) else []


def campaign_kind(item: Any) -> CampaignType | None:
    """``voice`` or ``sms`` from the fields only one kind carries, ``None`` when undecided."""
    if not isinstance(item, dict):
        return None
    keys = item.keys()
    voice = any(k in VOICE_ONLY_FIELDS for k in keys)
    sms = any(k in SMS_ONLY_FIELDS for k in keys)
    if voice and not sms:
        return "voice"
    if sms and not voice:
        return "sms"
    return None


def detect_type(doc: Any) -> CampaignType | None:
    """The campaign type of a response, by majority of its results' type-specific fields."""
    kinds = [campaign_kind(item) for item in results_of(doc)]
    voice, sms = kinds.count("voice"), kinds.count("sms")
    if voice > sms:
        return "voice"
    if sms > voice:
        return "sms"
    return None


def _schema_violations(kind: Kind, profile: Profile, doc: Any, check: str) -> list[Violation]:
    found = validator(kind, profile).iter_errors(doc)
    return sorted(
        (_to_violation(error, check) for error in found),
        key=lambda v: (v.pointer, v.message),
    )


def _to_violation(error: jsonschema.ValidationError, check: str) -> Violation:
    return Violation(pointer(*error.absolute_path), error.message, check)


def _strict_observations(doc: Any) -> Iterator[Violation]:
    for index, item in enumerate(results_of(doc)):
        if not isinstance(item, dict):
            continue
        created, updated = item.get("createdAt"), item.get("updatedAt")
        if isinstance(created, str) and isinstance(updated, str) and updated < created:
            yield Violation(
                pointer("data", "results", index, "updatedAt"),
                f"updatedAt {updated} is earlier than createdAt {created}",
                "timestamp-order",
            )


def validate_response(
    doc: Any,
    campaign_type: CampaignType | None = None,
    profile: Profile = "documented",
) -> list[Violation]:
    """Validate a success response body against the schema of its campaign type.

    With ``campaign_type=None`` the type is detected from the results; a page whose type
    cannot be told is accepted if it fits either schema.
    """
    kind = campaign_type or detect_type(doc)
    if kind is not None:
        found = _schema_violations(kind, profile, doc, "schema")
    else:
        voice = _schema_violations("voice", profile, doc, "schema")
        sms = _schema_violations("sms", profile, doc, "schema") if voice else []
        found = voice if not voice or len(voice) <= len(sms) else sms
        if voice and not sms:
            found = []
    if profile == "strict":
        found.extend(_strict_observations(doc))
    return found


def validate_request(body: Any, profile: Profile = "documented") -> list[Violation]:
    """Validate a request body against the request schema (pointers into the request)."""
    return _schema_violations("request", profile, body, "request-schema")


def validate_error(doc: Any) -> list[Violation]:
    """Validate an error (4xx/5xx) body against the lenient error schema."""
    return _schema_violations("error", "documented", doc, "error-schema")
