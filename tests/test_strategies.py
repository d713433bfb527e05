"""Generated request bodies: valid ones pass the request schema, broken ones fail where broken."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import PROFILES, validate_request
from campaign_contract.strategies import (
    InvalidRequest,
    data_aware_requests,
    invalid_requests,
    valid_requests,
)
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

FIXTURES = Path(__file__).parent / "fixtures"
FEW = settings(max_examples=40, deadline=None)
REACH = settings(max_examples=1000, phases=[Phase.generate], database=None, deadline=None)
OPTIONAL = ("skip", "page", "limit", "startDate", "endDate", "sortBy", "filters")


def sample_campaigns(kind: str) -> list[dict[str, Any]]:
    doc = json.loads((FIXTURES / f"response-{kind}.json").read_text(encoding="utf-8"))
    results: list[dict[str, Any]] = doc["data"]["results"]
    return results


VARIED_VOICE = [
    {
        "name": f"c{i}",
        "status": status,
        "priority": str(priority),
        "dialingMode": mode,
        "createdAt": f"2025-0{1 + i % 9}-1{i % 10}T0{i % 10}:00:00.{i:03d}Z",
    }
    for i, (status, priority, mode) in enumerate(
        [
            ("Ready", 1, "Preview"),
            ("Stopped", 5, "Progressive"),
            ("Active", 3, "Agentless"),
            ("Paused", 9, "Preview"),
            ("Weird", 2, "Progressive"),
        ]
    )
]


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def selects(body: dict[str, Any], campaign: dict[str, Any]) -> bool:
    """Whether ``campaign`` meets every filter and the date window of ``body`` (S-02, S-09)."""
    filters = body.get("filters", {})
    if "status" in filters and campaign.get("status") not in filters["status"]:
        return False
    if "priority" in filters and campaign.get("priority") not in [
        str(p) for p in filters["priority"]
    ]:
        return False
    if "dialingMode" in filters and campaign.get("dialingMode") not in filters["dialingMode"]:
        return False
    created = _moment(campaign["createdAt"])
    if "startDate" in body and created < _moment(body["startDate"]):
        return False
    return not ("endDate" in body and created > _moment(body["endDate"]))


@FEW
@given(valid_requests())
def test_valid_requests_pass_both_profiles(body: dict[str, Any]) -> None:
    for profile in PROFILES:
        assert validate_request(body, profile) == [], (profile, body)


@FEW
@given(valid_requests("sms"))
def test_valid_sms_requests_leave_out_dialing_mode(body: dict[str, Any]) -> None:
    assert body["type"] == "sms"
    assert "dialingMode" not in body.get("filters", {})


@FEW
@given(valid_requests("voice", empty_filters=True))
def test_valid_requests_keep_the_documented_shape(body: dict[str, Any]) -> None:
    assert body["type"] == "voice"
    assert validate_request(body) == []
    for name in ("page", "limit"):
        assert body.get(name, 1) != 0
    assert 1 <= (body.get("limit") or 1) <= 100
    if "startDate" in body and "endDate" in body:
        assert _moment(body["startDate"]) <= _moment(body["endDate"])
    assert len(body.get("sortBy", {"name": "asc"})) >= 1
    assert "Agentless" not in body.get("filters", {}).get("dialingMode", [])


def reaches(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> bool:
    """Whether ``strategy`` generates an example meeting ``condition`` within a few hundred."""
    try:
        find(strategy, condition, settings=REACH)
    except NoSuchExample:
        return False
    return True


@pytest.mark.parametrize(
    ("what", "condition"),
    [
        *((name, lambda b, n=name: n in b) for name in OPTIONAL),
        *(
            (f"filters.{name}", lambda b, n=name: n in b.get("filters", {}))
            for name in ("status", "priority", "dialingMode")
        ),
        *((f"{name}=''", lambda b, n=name: b.get(n) == "") for name in ("skip", "page", "limit")),
        ("several sort keys", lambda b: len(b.get("sortBy", {})) > 1),
        ("a full window", lambda b: "startDate" in b and "endDate" in b),
    ],
)
def test_valid_requests_reach_every_optional_field_and_blank(
    what: str, condition: Callable[[Any], bool]
) -> None:
    assert reaches(valid_requests(), condition), what


@pytest.mark.parametrize("kind", ["voice", "sms"])
def test_data_aware_requests_select_a_sample_campaign(kind: str) -> None:
    campaigns = sample_campaigns(kind)

    @FEW
    @given(data_aware_requests(campaigns, kind))
    def check(body: dict[str, Any]) -> None:
        assert body["type"] == kind
        for profile in PROFILES:
            assert validate_request(body, profile) == []
        assert any(selects(body, c) for c in campaigns), body

    check()


@FEW
@given(data_aware_requests(VARIED_VOICE, "voice"))
def test_data_aware_filters_use_values_present_and_allowed(body: dict[str, Any]) -> None:
    filters = body.get("filters", {})
    assert set(filters.get("status", [])) <= {"Ready", "Stopped", "Active", "Paused"}
    assert set(filters.get("priority", [])) <= {1, 5, 3, 2}
    assert set(filters.get("dialingMode", [])) <= {"Preview", "Progressive"}
    created = {c["createdAt"] for c in VARIED_VOICE}
    assert {body[k] for k in ("startDate", "endDate") if k in body} <= created
    assert filters or "startDate" in body or "endDate" in body
    assert any(selects(body, c) for c in VARIED_VOICE), body


def test_data_aware_requests_need_campaigns() -> None:
    with pytest.raises(ValueError, match="no voice campaigns"):
        data_aware_requests([], "voice")
    with pytest.raises(ValueError, match="campaign type"):
        data_aware_requests(VARIED_VOICE, "email")


@settings(max_examples=100, deadline=None)
@given(invalid_requests())
def test_invalid_requests_fail_exactly_where_broken(broken: InvalidRequest) -> None:
    for profile in PROFILES:
        found = validate_request(broken.body, profile)
        assert found, (profile, broken)
        assert all(v.pointer.startswith(broken.pointer) for v in found), (profile, broken, found)
        assert any(v.pointer == broken.pointer for v in found), (profile, broken, found)
    if broken.field == "type" and "type" not in broken.body:
        assert any("'type'" in v.message for v in validate_request(broken.body))


@settings(max_examples=60, deadline=None)
@given(invalid_requests())
def test_invalid_requests_avoid_the_ambiguous_readings(broken: InvalidRequest) -> None:
    body = broken.body
    filters = body["filters"] if isinstance(body.get("filters"), dict) else {}
    if body.get("type") == "sms":
        assert "dialingMode" not in filters
    assert "Agentless" not in json.dumps(body)
    for name in ("page", "limit"):
        assert body.get(name) is not False
        assert body.get(name) != 0 and not isinstance(body.get(name), float)
    assert set(body) <= set(OPTIONAL) | {"type"}
    # null only for type, which is required whatever a server reads null as
    assert None not in (value for name, value in body.items() if name != "type")


@pytest.mark.parametrize(
    "field",
    [*OPTIONAL, "type", "sortBy.name", "filters.status", "filters.priority", "filters.dialingMode"],
)
def test_invalid_requests_cover_every_field(field: str) -> None:
    assert reaches(invalid_requests("voice"), lambda broken: broken.field == field)


@pytest.mark.parametrize(
    "description",
    [
        "type is missing",
        "missing or unknown",
        "is negative",
        "has the direction",
        "holds",
        "not an array",
    ],
)
def test_invalid_requests_cover_every_kind_of_break(description: str) -> None:
    assert reaches(invalid_requests(), lambda broken: description in broken.description)


@pytest.mark.parametrize("blank", ["", None])
def test_a_blank_or_null_type_is_among_the_type_breaks(blank: object) -> None:
    from campaign_contract.generation._invalid import _type_breaks

    assert reaches(_type_breaks(), lambda broken: broken.value == blank and broken.path)


@given(st.data())
@settings(max_examples=20, deadline=None)
def test_invalid_request_bodies_are_json(data: st.DataObject) -> None:
    broken = data.draw(invalid_requests())
    assert json.loads(json.dumps(broken.body)) == broken.body


@FEW
@given(data=st.data(), empty=st.booleans())
def test_filter_values_are_allowed_values_without_repeats(data: st.DataObject, empty: bool) -> None:
    from campaign_contract.generation._model import request_model
    from campaign_contract.generation._strategies import filter_values

    for name, allowed in request_model().filters.items():
        values = data.draw(filter_values(name, empty=empty))
        assert len(values) == len(set(map(str, values))) and set(values) <= set(allowed)
        assert values or empty


STATUSES = ("Active", "Completed", "Ready", "Paused", "Preparing", "Stopped", "Scheduled",
            "Rescheduled")  # fmt: skip


@pytest.mark.parametrize(
    ("what", "condition", "empty"),
    [
        ("one value", lambda v: len(v) == 1, False),
        ("every value", lambda v: len(v) == len(STATUSES), False),
        ("the last value first", lambda v: len(v) > 1 and v[0] == STATUSES[-1], False),
        ("none", lambda v: v == [], True),
    ],
)
def test_filter_values_reach_every_size_and_order(
    what: str, condition: Callable[[Any], bool], empty: bool
) -> None:
    from campaign_contract.generation._model import request_model
    from campaign_contract.generation._strategies import filter_values

    assert request_model().filters["status"] == STATUSES
    assert reaches(filter_values("status", empty=empty), condition), what


@pytest.mark.parametrize(
    ("what", "condition"),
    [
        ("one key", lambda s: len(s) == 1),
        ("every key", lambda s: len(s) == 3),
        ("updatedAt leading", lambda s: next(iter(s)) == "updatedAt"),
        (
            "name last of three, descending",
            lambda s: len(s) == 3 and list(s.items())[-1] == ("name", "desc"),
        ),
    ],
)
def test_sort_specs_reach_every_count_order_and_direction(
    what: str, condition: Callable[[Any], bool]
) -> None:
    from campaign_contract.generation._strategies import sort_specs

    assert reaches(sort_specs(), condition), what


@FEW
@given(spec=st.data(), least=st.integers(1, 3))
def test_sort_specs_name_each_key_once_with_a_direction(spec: st.DataObject, least: int) -> None:
    from campaign_contract.generation._model import request_model
    from campaign_contract.generation._strategies import sort_specs

    drawn = spec.draw(sort_specs(least))
    model = request_model()
    assert least <= len(drawn) <= len(model.sort_keys) and set(drawn) <= set(model.sort_keys)
    assert set(drawn.values()) <= set(model.directions)
