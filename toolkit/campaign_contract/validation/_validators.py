"""Schema validation of requests and responses, returning :class:`Violation` lists.

Check names: ``schema`` (response), ``request-schema``, ``error-schema`` for what the documented
schemas reject; under the strict profile also ``undocumented-field`` (a field no table lists,
pointer at the field), ``undocumented-value`` (a value outside what the page lists or shows),
``sms-format-fields`` (SPEC_NOTES S-34) and ``timestamp-order`` (S-13).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import repeat
from typing import TYPE_CHECKING, Any, Final, Literal

from campaign_contract.validation._fastpath import (
    compile_schema,
    compiled_validator,
    fast_is_valid,
    is_valid_with,
)
from campaign_contract.validation._schemas import BASE_URI, Kind, Profile, schema_file, validator
from campaign_contract.validation._violations import Violation, pointer

if TYPE_CHECKING:
    import jsonschema

CampaignType = Literal["voice", "sms"]
CAMPAIGN_TYPES: tuple[CampaignType, ...] = ("voice", "sms")

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
    voice = not VOICE_ONLY_FIELDS.isdisjoint(item)
    sms = not SMS_ONLY_FIELDS.isdisjoint(item)
    if voice and not sms:
        return "voice"
    if sms and not voice:
        return "sms"
    return None


class _Undetected(enum.Enum):
    TYPE = "not detected yet"


UNDETECTED: Final = _Undetected.TYPE
"""For a caller that has not run :func:`detect_type` on a response (see :data:`Detection`)."""
Detection = CampaignType | None | Literal[_Undetected.TYPE]
"""What :func:`detect_type` said about a response, or :data:`UNDETECTED` when it was not asked."""

_KEYS_DISJOINT: Callable[[Any, Any], bool] = type({}.keys()).isdisjoint


def holds_none(items: list[dict[str, Any]], fields: frozenset[str]) -> bool:
    """Whether no item (each a dict) has a key among ``fields``; at C speed, looking up each
    of ``fields`` rather than walking each item's keys."""
    return all(map(_KEYS_DISJOINT, map(dict.keys, items), repeat(fields)))


def detect_type(doc: Any) -> CampaignType | None:
    """The campaign type of a response, by majority of its results' type-specific fields.

    Results holding fields of both kinds count for neither; they add one to both counts
    compared here, so counting each kind's fields on every result decides the same.
    """
    items = results_of(doc)
    if not items:
        return None
    if set(map(type, items)) != {dict}:  # C-level passes: this runs on every page checked
        items = [item for item in items if isinstance(item, dict)]
    keys = list(map(dict.keys, items))
    without_voice = sum(map(_KEYS_DISJOINT, keys, repeat(VOICE_ONLY_FIELDS)))
    without_sms = sum(map(_KEYS_DISJOINT, keys, repeat(SMS_ONLY_FIELDS)))
    if without_voice < without_sms:
        return "voice"
    if without_sms < without_voice:
        return "sms"
    return None


_MAX_REPR = 120


# Once a value has the wrong type, what these keywords say about it adds nothing.
_MOOT_AFTER_TYPE = frozenset(
    {"enum", "const", "pattern", "minimum", "maximum", "minLength", "maxLength", "format"}
)


def _schema_violations(kind: Kind, profile: Profile, doc: Any, check: str) -> list[Violation]:
    if fast_is_valid(kind, profile, doc):
        return []
    errors: list[jsonschema.ValidationError] = []
    try:
        errors.extend(validator(kind, profile).iter_errors(doc))
    except RecursionError:
        return [Violation("", "the document nests too deeply to be validated", check)]
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    found: list[Violation] = []
    for error in errors:
        if error.validator in _MOOT_AFTER_TYPE and tuple(error.absolute_path) in mistyped:
            continue
        found.extend(_to_violations(error, check))
    return sorted(found, key=_order)


def _order(violation: Violation) -> tuple[tuple[tuple[int, int, str], ...], str]:
    tokens = violation.pointer.split("/")[1:]
    key = tuple((0, int(t), "") if t.isascii() and t.isdigit() else (1, 0, t) for t in tokens)
    return key, violation.message


def _to_violations(error: jsonschema.ValidationError, check: str) -> list[Violation]:
    """One violation per schema error; an ``additionalProperties`` error gives one per field.

    Failures of keywords the strict profile added (``x-strict-keywords``) are named
    ``undocumented-field`` (a closed object) or ``undocumented-value`` unless the node names its
    own check (``x-check``); ``x-message`` / ``x-messages`` replace the library's wording.
    """
    node: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    keyword = str(error.validator)
    strict_keywords = node.get("x-strict-keywords", ())
    named = node.get("x-check")
    if keyword in strict_keywords:
        check = "undocumented-field" if keyword == "additionalProperties" else "undocumented-value"
    if isinstance(named, str) and (not strict_keywords or keyword in strict_keywords):
        check = named
    where = tuple(error.absolute_path)
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        extras = _extra_fields(node, error.instance)
        if extras:
            notes = node.get("x-undocumented-fields", {})
            return [
                Violation(pointer(*where, name), _undocumented(name, notes.get(name)), check)
                for name in extras
            ]
    messages = node.get("x-messages", {})
    message = node.get("x-message") or messages.get(keyword) or _shorten(error)
    return [Violation(pointer(*where), str(message), check)]


def _extra_fields(node: dict[str, Any], instance: dict[str, Any]) -> list[str]:
    known = node.get("properties", {})
    patterns = [re.compile(p) for p in node.get("patternProperties", {})]
    return [
        str(name)
        for name in instance
        if name not in known and not any(p.search(str(name)) for p in patterns)
    ]


def _undocumented(name: str, note: str | None) -> str:
    where = f" (SPEC_NOTES {note})" if note else ""
    return f"{name!r} is not a documented field here{where}"


def _shorten(error: jsonschema.ValidationError) -> str:
    """The library's message with a long rendering of the instance cut down."""
    message = error.message
    if len(message) <= 2 * _MAX_REPR:
        return message
    rendered = repr(error.instance)
    if message.startswith(rendered):
        return rendered[:_MAX_REPR] + "…" + message[len(rendered) :]
    return message[: 2 * _MAX_REPR] + "…"


def _instant(value: Any) -> datetime | None:
    """A timestamp as an aware instant (no offset read as UTC), ``None`` when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _strict_observations(doc: Any) -> Iterator[Violation]:
    for index, item in enumerate(results_of(doc)):
        if not isinstance(item, dict):
            continue
        created, updated = _instant(item.get("createdAt")), _instant(item.get("updatedAt"))
        if created is not None and updated is not None and updated < created:
            yield Violation(
                pointer("data", "results", index, "updatedAt"),
                f"updatedAt {item['updatedAt']} is earlier than createdAt {item['createdAt']}"
                " (SPEC_NOTES S-13)",
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


@functools.cache
def _sole_kind_validator(kind: CampaignType, profile: Profile) -> Any | None:
    """Compiled: a page of ``kind``'s campaigns alone (each holds a field only ``kind`` has
    and none only the other has, at least one result), valid under ``kind``'s schema."""
    own, other = VOICE_ONLY_FIELDS, SMS_ONLY_FIELDS
    if kind == "sms":
        own, other = other, own
    item = {
        "type": "object",
        "anyOf": [{"required": [name]} for name in sorted(own)],
        "not": {"anyOf": [{"required": [name]} for name in sorted(other)]},
    }
    results = {"type": "array", "minItems": 1, "items": item}
    sole = {"type": "object", "properties": {"data": {"properties": {"results": results}}}}
    return compile_schema({"allOf": [sole, {"$ref": BASE_URI + schema_file(kind)}]}, profile)


def _sole_kind(doc: Any, profile: Profile) -> CampaignType | None:
    """``voice`` or ``sms`` when ``doc`` is a page of that type's campaigns alone (so
    :func:`detect_type` says that type) that its schema accepts; ``None`` when one compiled
    pass cannot tell."""
    results = results_of(doc)
    if not results:
        return None
    first = results[0]
    sms_first = isinstance(first, dict) and not SMS_ONLY_FIELDS.isdisjoint(first)
    kinds: tuple[CampaignType, CampaignType] = ("sms", "voice") if sms_first else ("voice", "sms")
    for kind in kinds:
        compiled = _sole_kind_validator(kind, profile)
        if compiled is None:
            return None
        if is_valid_with(compiled, doc):
            return kind
    return None


def compile_validators(profile: Profile = "documented") -> None:
    """Compile every validator a run under ``profile`` uses now, not on first use (once for
    a process and the workers it forks)."""
    for kind in ("voice", "sms", "request", "error"):
        compiled_validator(kind, profile)
    for campaign in CAMPAIGN_TYPES:
        _sole_kind_validator(campaign, profile)


def detect_and_validate(
    doc: Any, profile: Profile = "documented"
) -> tuple[CampaignType | None, list[Violation]]:
    """``detect_type(doc)`` and ``validate_response(doc, None, profile)`` at once: for a valid
    page of one type's campaigns, one compiled pass decides both."""
    kind = _sole_kind(doc, profile)
    if kind is not None:
        return kind, list(_strict_observations(doc)) if profile == "strict" else []
    kind = detect_type(doc)
    return kind, validate_response(doc, kind, profile)


def validate_request(body: Any, profile: Profile = "documented") -> list[Violation]:
    """Validate a request body against the request schema (pointers into the request)."""
    return _schema_violations("request", profile, body, "request-schema")


def validate_error(doc: Any) -> list[Violation]:
    """Validate an error (4xx/5xx) body against the lenient error schema."""
    return _schema_violations("error", "documented", doc, "error-schema")
