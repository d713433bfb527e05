"""The compiled fast path and the reference validator agree on generated documents.

Valid responses are built from the doc's samples and from generated campaigns; invalid ones are
mutations of valid ones (wrong types, missing required fields, extra fields, numeric priority,
malformed timestamps). Both profiles, both campaign types, and request bodies.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import detect_type, validate_request, validate_response
from campaign_contract.validation import _fastpath
from campaign_contract.validation._schemas import validator
from campaign_contract.validation._validators import detect_and_validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures"
PROFILES = ("documented", "strict")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pytestmark = pytest.mark.skipif(not _fastpath.available(), reason="jsonschema-rs not installed")


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- valid documents ------------------------------------------------------------------------

digits = st.integers(min_value=0, max_value=9).map(str)


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    """ISO 8601 date-times in every shape the response schema accepts."""
    year = draw(st.integers(min_value=1970, max_value=2099))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    hour, minute, second = (
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
    )
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"
    if draw(st.booleans()):
        text += f":{second:02d}"
        if draw(st.booleans()):
            text += "." + "".join(draw(st.lists(digits, min_size=1, max_size=9)))
    zone = draw(st.sampled_from(["Z", "", "+05:30", "-0800", "+02"]))
    return text + zone


names = st.text(max_size=20)
statuses = st.sampled_from(
    ["Active", "Completed", "Ready", "Paused", "Preparing", "Stopped", "Scheduled", "Rescheduled"]
)
priorities = st.sampled_from(["1", "2", "3", "4", "5"])
schedules = st.fixed_dictionaries(
    {}, optional={"isSchedulingEnabled": st.booleans(), "isRecurrenceEnabled": st.booleans()}
)
dnc_lists = st.fixed_dictionaries({}, optional={"id": names, "name": names})
contact_lists = st.lists(names, max_size=3)

COMMON_OPTIONAL = {
    "description": names,
    "dncLists": dnc_lists,
    "updatedAt": timestamps(),
    "campaignInstanceUpdatedAt": timestamps(),
    "schedule": schedules,
    "contactLists": contact_lists,
}


def campaigns(kind: str, strict: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Campaigns valid under ``strict`` (and so under ``documented`` too) or ``documented``."""
    required = {
        "id": names,
        "name": names,
        "status": statuses if strict else st.one_of(statuses, names),
        "priority": priorities if strict else st.one_of(priorities, names),
        "createdAt": timestamps(),
    }
    if kind == "voice":
        modes = ["Progressive", "Preview", "Agentless"]
        optional = {
            **COMMON_OPTIONAL,
            "dialingMode": st.sampled_from(modes) if strict else names,
            "isFiltersEnabled": st.booleans(),
            "connection": names,
        }
    else:
        optional = {
            **COMMON_OPTIONAL,
            "message": st.fixed_dictionaries({}, optional={"message": names}),
            "experienceFlow": names,
            "totalMessagesSent": st.integers(min_value=0, max_value=10**6),
            "campaignExecutionType": names,
            "format": st.sampled_from(["simple", "advanced"]),
        }
    base = st.fixed_dictionaries(required, optional=optional)
    if strict:
        return base
    # The documented profile also takes `_id` instead of `id`, and undocumented fields.
    return st.tuples(
        base, st.booleans(), st.dictionaries(st.sampled_from(["x", "templateId"]), names)
    ).map(lambda t: _documented_variant(*t))


def _documented_variant(
    item: dict[str, Any], use_underscore_id: bool, extra: dict[str, Any]
) -> dict[str, Any]:
    out = dict(item)
    if use_underscore_id:
        out["_id"] = out.pop("id")
    out.update(extra)
    return out


@st.composite
def responses(draw: st.DrawFn, kind: str, strict: bool) -> dict[str, Any]:
    """A response page (the doc's sample envelope or a generated one) of generated campaigns."""
    results = draw(st.lists(campaigns(kind, strict), max_size=4))
    total = draw(st.integers(min_value=len(results), max_value=500))
    if draw(st.booleans()):
        doc = _fixture(f"response-{kind}.json")
        doc["data"]["results"] = results
        doc["data"]["totalResults"] = total
        return dict(doc)
    doc = {
        "status": draw(st.sampled_from(["success", "error"]) if strict else names),
        "data": {
            "results": results,
            "skip": draw(st.integers(0, 1000)),
            "limit": draw(st.integers(0, 100)),
            "hasMore": draw(st.booleans()),
            "totalPages": draw(st.integers(0, 100)),
            "totalResults": total,
        },
    }
    if draw(st.booleans()):
        doc["message"] = draw(names)
    return doc


def valid_responses(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        responses(kind, strict=True),
        responses(kind, strict=False),
        st.just(_fixture(f"response-{kind}.json")),
    )


# --- invalid documents: mutations of valid ones ---------------------------------------------

WRONG_TYPES = st.sampled_from([None, True, 7, 2.5, "x", [], {}, ["a"], {"a": 1}])
BAD_TIMESTAMPS = st.sampled_from(
    [
        "",
        "2025-12-08",
        "2025-12-08 09:17:21Z",
        "08/12/2025",
        "2025-12-08T09",
        "2025-12-08T0917",
        "2025-12-8T09:17:21Z",
        "2025-12-08T09:17:21.Z",
        "2025-12-08T09:17:21.0123456789Z",
        "2025-12-08T09:17:21ZZ",
        "yesterday",
    ]
)


def _paths(doc: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Every field path of a response: envelope, data, and each campaign's nested fields."""
    found: list[tuple[str | int, ...]] = []

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.append((*path, key))
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                found.append((*path, index))
                walk(value, (*path, index))

    walk(doc, ())
    return found


def _parent(doc: Any, path: tuple[str | int, ...]) -> Any:
    node = doc
    for token in path[:-1]:
        node = node[token]
    return node


@st.composite
def mutated_responses(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    doc = copy.deepcopy(draw(valid_responses(kind)))
    results = doc["data"]["results"]
    mutation = draw(
        st.sampled_from(["wrong-type", "missing", "extra", "numeric-priority", "bad-timestamp"])
    )
    if mutation == "wrong-type":
        path = draw(st.sampled_from(_paths(doc)))
        _parent(doc, path)[path[-1]] = draw(WRONG_TYPES)
    elif mutation == "missing":
        targets: list[tuple[str | int, ...]] = [("status",), ("data",)]
        targets += [("data", key) for key in doc["data"]]
        for index, item in enumerate(results):
            targets += [("data", "results", index, key) for key in item]
        path = draw(st.sampled_from(targets))
        del _parent(doc, path)[path[-1]]
    elif mutation == "extra":
        objects: list[Any] = [doc, doc["data"], *results]
        objects += [v for item in results for v in item.values() if isinstance(v, dict)]
        draw(st.sampled_from(objects))[draw(st.sampled_from(["extra", "campaignInstanceId"]))] = 1
    elif results:
        item = draw(st.sampled_from(results))
        if mutation == "numeric-priority":
            item["priority"] = draw(st.integers(1, 5))
        else:
            field = draw(st.sampled_from(["createdAt", "updatedAt", "campaignInstanceUpdatedAt"]))
            item[field] = draw(BAD_TIMESTAMPS)
    else:
        doc["data"]["results"] = [{"name": "n", "status": "Ready", "priority": 5, "createdAt": 0}]
    return doc


# --- the properties -------------------------------------------------------------------------


def _verdicts(kind: str, profile: str, doc: Any) -> tuple[bool | None, bool]:
    return _fastpath.fast_is_valid(kind, profile, doc), validator(kind, profile).is_valid(doc)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["voice", "sms"])
@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=st.data())
def test_fast_and_reference_agree_on_generated_valid_responses(
    kind: str, profile: str, data: st.DataObject
) -> None:
    doc = data.draw(valid_responses(kind))
    fast, reference = _verdicts(kind, profile, doc)
    assert fast == reference
    if profile == "documented":
        assert fast is True


@pytest.mark.parametrize("kind", ["voice", "sms"])
@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=st.data())
def test_fast_and_reference_agree_on_mutated_responses(
    kind: str, profile: str, data: st.DataObject
) -> None:
    doc = data.draw(mutated_responses(kind))
    fast, reference = _verdicts(kind, profile, doc)
    assert fast == reference


@pytest.mark.parametrize("kind", ["voice", "sms"])
@SETTINGS
@given(data=st.data())
def test_numeric_priority_and_bad_timestamps_are_rejected_by_both(
    kind: str, data: st.DataObject
) -> None:
    doc = data.draw(responses(kind, strict=True))
    item = dict(data.draw(campaigns(kind, strict=True)))
    if data.draw(st.booleans()):
        item["priority"] = data.draw(st.integers(1, 5))
    else:
        item["createdAt"] = data.draw(BAD_TIMESTAMPS)
    doc["data"]["results"] = [*doc["data"]["results"], item]
    for profile in PROFILES:
        assert _verdicts(kind, profile, doc) == (False, False)


@pytest.mark.parametrize("kind", ["voice", "sms"])
@SETTINGS
@given(data=st.data())
def test_strict_rejects_what_documented_accepts_on_both_paths(
    kind: str, data: st.DataObject
) -> None:
    doc = data.draw(responses(kind, strict=True))
    target = data.draw(st.sampled_from(["envelope", "data", "campaign"]))
    if target == "campaign" and not doc["data"]["results"]:
        target = "envelope"
    holder = {"envelope": doc, "data": doc["data"]}.get(target) or doc["data"]["results"][0]
    holder["undocumentedField"] = data.draw(names)
    assert _verdicts(kind, "documented", doc) == (True, True)
    assert _verdicts(kind, "strict", doc) == (False, False)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(data=st.data())
def test_validate_response_is_the_same_with_and_without_fast_path(
    profile: str, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(["voice", "sms"]))
    doc = data.draw(st.one_of(valid_responses(kind), mutated_responses(kind)))
    campaign_type = data.draw(st.sampled_from([None, "voice", "sms"]))
    fast = validate_response(doc, campaign_type, profile)  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_fastpath, "_rs", None)
        reference = validate_response(doc, campaign_type, profile)  # type: ignore[arg-type]
    assert fast == reference


def _mixed(voice: dict[str, Any], sms: dict[str, Any], cut: int) -> dict[str, Any]:
    """A page holding the voice page's first ``cut`` results and the SMS page's others."""
    doc = copy.deepcopy(voice)
    doc["data"]["results"] = voice["data"]["results"][:cut] + sms["data"]["results"][cut:]
    return doc


pages = st.one_of(
    st.sampled_from(["voice", "sms"]).flatmap(
        lambda kind: st.one_of(valid_responses(kind), mutated_responses(kind))
    ),
    st.builds(_mixed, valid_responses("voice"), valid_responses("sms"), st.integers(0, 6)),
)


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(doc=pages)
def test_detecting_and_validating_at_once_is_detect_type_then_validate_response(
    profile: str, doc: dict[str, Any]
) -> None:
    kind = detect_type(doc)
    expected = (kind, validate_response(doc, kind, profile))  # type: ignore[arg-type]
    assert detect_and_validate(doc, profile) == expected  # type: ignore[arg-type]


@st.composite
def edited_timestamps(draw: st.DrawFn) -> str:
    """A valid timestamp with one character replaced, inserted or removed: near the pattern's
    edge, where the two regex dialects could part."""
    text = draw(timestamps())
    at = draw(st.integers(0, len(text)))
    char = draw(st.sampled_from([*"09-:T.Z+ \n", "\u0663", "\uff12", ""]))
    return text[:at] + char + text[at + draw(st.integers(0, 1)) :]


@SETTINGS
@given(
    source=st.sampled_from(["any", "valid", "edited"]),
    data=st.data(),
    kind=st.sampled_from(["voice", "sms"]),
)
def test_fast_valid_implies_reference_valid_for_any_timestamp_text(
    source: str, data: st.DataObject, kind: str
) -> None:
    strategy = {"any": st.text(max_size=40), "valid": timestamps(), "edited": edited_timestamps()}
    text = data.draw(strategy[source])
    doc = _fixture(f"response-{kind}.json")
    doc["data"]["results"][0]["createdAt"] = text
    for profile in PROFILES:
        fast, reference = _verdicts(kind, profile, doc)
        assert fast is not None
        assert reference or not fast, f"the fast path accepts {text!r} that the reference rejects"
    if source == "valid":
        assert _verdicts(kind, "documented", doc) == (True, True)


def test_regex_dialect_differences_never_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled engine reads patterns as ECMA-262 (``$`` never matches before a final
    newline, ``\\d`` is ASCII); whatever it rejects the reference explains or accepts."""
    docs = []
    for text in ["2025-12-08T09:17:21.090Z\n", "２０２５-12-08T09:17:21.090Z", "2025-12-08T09:17Z"]:
        doc = _fixture("response-voice.json")
        doc["data"]["results"][0]["createdAt"] = text
        docs.append(doc)
        fast, reference = _verdicts("voice", "documented", doc)
        assert reference or not fast
    fast_results = [validate_response(d, "voice") for d in docs]
    monkeypatch.setattr(_fastpath, "_rs", None)
    assert [validate_response(d, "voice") for d in docs] == fast_results
    assert fast_results[2] == []


# --- requests -------------------------------------------------------------------------------

requests_bodies = st.fixed_dictionaries(
    {"type": st.sampled_from(["voice", "sms"])},
    optional={
        "skip": st.one_of(st.integers(0, 100), st.just("")),
        "page": st.one_of(st.integers(1, 100), st.just("")),
        "limit": st.one_of(st.integers(1, 100), st.just("")),
        "startDate": timestamps(),
        "endDate": st.dates().map(lambda d: d.isoformat()),
        "sortBy": st.fixed_dictionaries(
            {}, optional={k: st.sampled_from(["asc", "desc"]) for k in ("name", "createdAt")}
        ),
        "filters": st.fixed_dictionaries(
            {},
            optional={
                "status": st.lists(statuses, max_size=3),
                "priority": st.lists(st.integers(1, 5), max_size=3),
                "dialingMode": st.lists(st.sampled_from(["Progressive", "Preview"]), max_size=2),
            },
        ),
    },
)


@st.composite
def any_requests(draw: st.DrawFn) -> dict[str, Any]:
    body = draw(
        st.one_of(
            requests_bodies,
            st.sampled_from([_fixture("request-voice.json"), _fixture("request-sms.json")]),
        )
    )
    body = copy.deepcopy(body)
    if draw(st.booleans()):
        path = draw(st.sampled_from(_paths(body)))
        how = draw(st.sampled_from(["wrong-type", "missing", "extra"]))
        parent = _parent(body, path)
        if how == "wrong-type":
            parent[path[-1]] = draw(WRONG_TYPES)
        elif how == "missing":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent["extra"] = 1
    return body


@pytest.mark.parametrize("profile", PROFILES)
@SETTINGS
@given(body=any_requests())
def test_fast_and_reference_agree_on_requests(profile: str, body: dict[str, Any]) -> None:
    fast, reference = _verdicts("request", profile, body)
    assert fast == reference
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_fastpath, "_rs", None)
        without = validate_request(body, profile)  # type: ignore[arg-type]
    assert validate_request(body, profile) == without  # type: ignore[arg-type]
