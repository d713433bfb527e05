"""One test per SPEC_NOTES entry encoded in the schemas or the validator: each fails under the
reading the register did not choose."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from campaign_contract import Violation, validate_error, validate_request, validate_response
from campaign_contract.validation._schemas import registry, schema

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def sample(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def voice(**changes: Any) -> dict[str, Any]:
    """The voice sample cut to its first campaign, with ``changes`` applied to that campaign
    (``None`` removes a field) and its ``_id`` renamed ``id`` so strict has nothing to say."""
    doc = sample("response-voice")
    item = doc["data"]["results"][0]
    item["id"] = item.pop("_id")
    return _one(doc, item, changes)


def sms(index: int = 0, **changes: Any) -> dict[str, Any]:
    """The SMS sample cut to campaign ``index`` (0 simple, 1 advanced), timestamps put in order."""
    doc = sample("response-sms")
    item = doc["data"]["results"][index]
    item["updatedAt"] = item["createdAt"]
    return _one(doc, item, changes)


def _one(doc: dict[str, Any], item: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    doc["data"].update(results=[item], totalResults=1)
    return doc


def request(**changes: Any) -> dict[str, Any]:
    body = sample("request-voice")
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def where(violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.pointer, v.check) for v in violations]


def strict(doc: Any) -> list[tuple[str, str]]:
    return where(validate_response(doc, profile="strict"))


def documented(doc: Any) -> list[tuple[str, str]]:
    return where(validate_response(doc))


def test_fixtures_cut_to_one_campaign_are_clean_in_both_profiles() -> None:
    for doc in (voice(), sms(0), sms(1)):
        assert documented(doc) == []
        assert strict(doc) == []


def test_s01_id_or_underscore_id_accepted_and_strict_reports_underscore_id() -> None:
    item = voice()["data"]["results"][0]
    underscore = voice(id=None, _id=item["id"])
    assert documented(underscore) == []
    assert strict(underscore) == [("/data/results/0/_id", "undocumented-field")]
    assert documented(voice()) == []
    neither = voice(id=None)
    assert documented(neither) == [("/data/results/0", "schema")]
    assert "S-01" in validate_response(neither)[0].message
    assert documented(voice(id=None, _id=7)) == [("/data/results/0/_id", "schema")]
    assert documented(sms(0, id=None, _id="cd-1")) == []


def test_s02_response_priority_is_a_string_and_filter_priority_a_number() -> None:
    assert documented(voice(priority="5")) == []
    assert documented(voice(priority=5)) == [("/data/results/0/priority", "schema")]
    assert validate_request(request(filters={"priority": [1, 5]})) == []
    wrong = validate_request(request(filters={"priority": ["5"]}))
    assert where(wrong) == [("/filters/priority/0", "request-schema")]
    assert where(validate_request(request(filters={"priority": [6]}))) == [
        ("/filters/priority/0", "request-schema")
    ]


def test_s03_dialing_mode_filter_takes_the_listed_strings_not_numbers() -> None:
    assert validate_request(request(filters={"dialingMode": ["Progressive", "Preview"]})) == []
    numbers = validate_request(request(filters={"dialingMode": [1]}))
    assert where(numbers) == [("/filters/dialingMode/0", "request-schema")]


def test_s04_agentless_accepted_in_responses_but_not_as_a_filter_value() -> None:
    assert documented(voice(dialingMode="Agentless")) == []
    assert strict(voice(dialingMode="Agentless")) == []
    assert documented(voice(dialingMode="Predictive")) == []
    assert strict(voice(dialingMode="Predictive")) == [
        ("/data/results/0/dialingMode", "undocumented-value")
    ]
    assert where(validate_request(request(filters={"dialingMode": ["Agentless"]}))) == [
        ("/filters/dialingMode/0", "request-schema")
    ]


@pytest.mark.parametrize("field", ["skip", "page", "limit"])
def test_s05_empty_string_accepted_for_skip_page_limit_other_strings_rejected(field: str) -> None:
    assert validate_request(request(**{field: ""})) == []
    assert validate_request(request(**{field: ""}), "strict") == []
    for text in ("abc", "5", " "):
        assert where(validate_request(request(**{field: text}))) == [
            (f"/{field}", "request-schema")
        ]
    assert validate_request(request(**{field: 3})) == []


def test_s05_skip_may_be_zero_page_and_limit_start_at_one() -> None:
    assert validate_request(request(skip=0)) == []
    assert where(validate_request(request(skip=-1))) == [("/skip", "request-schema")]
    assert where(validate_request(request(page=0))) == [("/page", "request-schema")]


def test_s06_sort_keys_without_name_accepted() -> None:
    for sort in ({"createdAt": "desc"}, {"updatedAt": "asc", "createdAt": "desc"}, {}):
        assert validate_request(request(sortBy=sort)) == []
        assert validate_request(request(sortBy=sort), "strict") == []
    assert validate_request(request(sortBy={"name": "asc", "createdAt": "desc"})) == []


@pytest.mark.parametrize(
    "value",
    [
        "2025-12-01T00:00:00.000Z",
        "2025-12-01",
        "2025-12-01T00:00Z",
        "2025-12-01T00:00:00",
        "2025-12-01T05:30:00+05:30",
        "2025-12-01T05:30:00.123456789-0800",
    ],
)
def test_s08_any_iso_8601_date_or_date_time_accepted(value: str) -> None:
    assert validate_request(request(startDate=value, endDate=value)) == []


@pytest.mark.parametrize(
    "value", ["2025-12-01T0000.000Z", "2025-13-01", "2025-12-01T24:00:00Z", "yesterday", ""]
)
def test_s08_the_typo_s_literal_shape_and_non_dates_rejected(value: str) -> None:
    assert where(validate_request(request(startDate=value))) == [("/startDate", "request-schema")]


def test_s10_dnc_list_id_need_not_be_a_uuid() -> None:
    for ident in ("cl-68b802a-2b99-4245-8eea-6d322a8xxxxx", "0b9e3c2a-1f7e-4a57-9a0e-3f6c2d1b8e44"):
        doc = voice(dncLists={"id": ident, "name": "DNC"})
        assert documented(doc) == []
        assert strict(doc) == []
    assert documented(voice(dncLists={"id": 7})) == [("/data/results/0/dncLists/id", "schema")]


def test_s11_message_text_may_be_plain_or_base64() -> None:
    for text in ("Your bill is due on Friday.", "TWVzc2FnZSBmb3IgeW91ciB0YXJnZXRlZCBjdXN0b21lcg=="):
        doc = sms(0, message={"message": text})
        assert documented(doc) == []
        assert strict(doc) == []


def test_s12_undocumented_sample_fields_accepted_and_reported_by_strict() -> None:
    message = {"message": "x", "template_name": "Welcome", "templateId": "cmt-1"}
    doc = sms(0, message=message, campaignInstanceId="cid-1")
    assert documented(doc) == []
    reported = validate_response(doc, profile="strict")
    assert sorted(where(reported)) == [
        ("/data/results/0/campaignInstanceId", "undocumented-field"),
        ("/data/results/0/message/templateId", "undocumented-field"),
        ("/data/results/0/message/template_name", "undocumented-field"),
    ]
    assert all("S-12" in v.message for v in reported)
    assert strict(voice(campaignInstanceId="cid-1")) == [
        ("/data/results/0/campaignInstanceId", "undocumented-field")
    ]


def test_s13_updated_before_created_accepted_and_reported_by_strict() -> None:
    doc = sms(0, createdAt="2025-12-05T09:31:52.281Z", updatedAt="2025-12-05T09:31:52.092Z")
    assert documented(doc) == []
    assert strict(doc) == [("/data/results/0/updatedAt", "timestamp-order")]
    same = sms(0, createdAt="2025-12-05T09:31:52.281Z", updatedAt="2025-12-05T09:31:52.281Z")
    assert strict(same) == []


def test_s16_envelope_status_any_string_strict_success_or_error() -> None:
    doc = voice()
    doc["status"] = "ok"
    assert documented(doc) == []
    assert strict(doc) == [("/status", "undocumented-value")]
    for status in ("success", "error"):
        doc["status"] = status
        assert strict(doc) == []


def test_s17_error_body_is_any_object_with_string_status_and_message() -> None:
    assert validate_error({}) == []
    assert validate_error({"status": "error", "message": "bad limit", "code": 400}) == []
    assert validate_error({"errors": [{"msg": "x"}]}) == []
    assert where(validate_error({"status": 400})) == [("/status", "error-schema")]
    assert where(validate_error(["error"])) == [("", "error-schema")]


def test_s21_unknown_top_level_request_field_allowed_unless_strict() -> None:
    body = request(accountId="67777ce93e25326494exxxxx")
    assert validate_request(body) == []
    assert where(validate_request(body, "strict")) == [("/accountId", "undocumented-field")]


def test_s22_empty_filter_lists_accepted() -> None:
    empty = {"status": [], "priority": [], "dialingMode": []}
    assert validate_request(request(filters=empty)) == []


def test_s23_dialing_mode_filter_accepted_with_type_sms() -> None:
    body = request(type="sms", filters={"dialingMode": ["Preview"]})
    assert validate_request(body) == []
    assert validate_request(body, "strict") == []


def test_s24_endpoint_needs_the_app_id_in_path_and_header_and_the_account_in_both_places() -> None:
    check = jsonschema.Draft202012Validator(schema("endpoint"), registry=registry())
    call = {
        "path": {"host": "platform.kore.ai", "streamId": "st-1"},
        "query": {"accountId": "acc-1"},
        "headers": {"auth": "t", "iid": "st-1", "accountid": "acc-1"},
    }
    assert list(check.iter_errors(call)) == []
    for part, name in (("query", "accountId"), ("headers", "accountid"), ("headers", "iid")):
        broken = copy.deepcopy(call)
        del broken[part][name]
        assert [e.validator for e in check.iter_errors(broken)] == ["required"]


def test_s28_which_response_fields_are_required() -> None:
    optional = ("description", "dncLists", "schedule", "updatedAt", "contactLists", "connection")
    assert documented(voice(**dict.fromkeys(optional))) == []
    assert documented(voice(schedule={"isSchedulingEnabled": False})) == []
    assert documented(sms(1, dncLists=None)) == []
    for name in ("name", "status", "priority", "createdAt"):
        assert documented(voice(**{name: None})) == [("/data/results/0", "schema")]
    doc = voice()
    del doc["data"]["hasMore"]
    assert documented(doc) == [("/data", "schema")]
    assert documented({"status": "success", "message": "x"}) == [("", "schema")]


def test_s29_campaign_status_any_string_strict_the_eight_listed_states() -> None:
    assert documented(voice(status="Archived")) == []
    assert strict(voice(status="Archived")) == [("/data/results/0/status", "undocumented-value")]
    for state in ("Active", "Completed", "Paused", "Preparing", "Scheduled", "Rescheduled"):
        assert strict(voice(status=state)) == []


@pytest.mark.parametrize("priority", ["7", "0", "high", "05"])
def test_s30_priority_outside_one_to_five_accepted_and_reported_by_strict(priority: str) -> None:
    assert documented(voice(priority=priority)) == []
    assert strict(voice(priority=priority)) == [("/data/results/0/priority", "undocumented-value")]


def test_s31_data_limit_is_a_page_size_not_the_count_on_the_page() -> None:
    doc = voice()
    assert doc["data"]["limit"] == 50 and len(doc["data"]["results"]) == 1
    assert documented(doc) == []
    doc["data"]["limit"] = "50"
    assert documented(doc) == [("/data/limit", "schema")]


def test_s32_dialing_mode_on_an_sms_campaign_reported_only_by_strict() -> None:
    doc = sms(0, dialingMode="Preview")
    assert documented(doc) == []
    reported = validate_response(doc, "sms", profile="strict")
    assert where(reported) == [("/data/results/0/dialingMode", "undocumented-field")]
    assert "S-32" in reported[0].message
    assert documented(voice(dialingMode=None)) == []


def test_s33_sms_dnc_list_may_carry_an_id_in_both_profiles() -> None:
    doc = sms(0, dncLists={"id": "cl-68b802a-2b99-4245-8eea-6d322a8xxxxx", "name": "DNC"})
    assert documented(doc) == []
    assert strict(doc) == []


def test_s34_message_and_experience_flow_follow_format_in_strict_only() -> None:
    advanced_with_message = sms(1, message={"message": "hi"})
    assert documented(advanced_with_message) == []
    assert strict(advanced_with_message) == [("/data/results/0/message", "sms-format-fields")]
    simple_with_flow = sms(0, experienceFlow="cf-1")
    assert documented(simple_with_flow) == []
    assert strict(simple_with_flow) == [("/data/results/0/experienceFlow", "sms-format-fields")]
    assert strict(sms(0, message=None)) == []
    assert strict(sms(1, experienceFlow=None)) == []
    assert strict(sms(1, format=None, message={"message": "hi"})) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "ready"), ("status", "READY"), ("dialingMode", "preview")],
)
def test_s35_filter_values_must_be_spelt_as_listed(field: str, value: str) -> None:
    body = request(filters={field: [value]})
    assert where(validate_request(body)) == [(f"/filters/{field}/0", "request-schema")]
    assert where(validate_request(request(type="Voice"))) == [("/type", "request-schema")]


def test_s36_repeated_filter_values_accepted() -> None:
    filters = {"status": ["Ready", "Ready"], "priority": [5, 5], "dialingMode": ["Preview"] * 2}
    assert validate_request(request(filters=filters)) == []
    assert validate_request(request(filters=filters), "strict") == []


def test_s37_unknown_sort_and_filter_keys_rejected_in_both_profiles() -> None:
    for profile in ("documented", "strict"):
        body = request(sortBy={"priority": "asc"}, filters={"name": ["x"]})
        assert where(validate_request(body, profile)) == [  # type: ignore[arg-type]
            ("/filters/name", "request-schema"),
            ("/sortBy/priority", "request-schema"),
        ]
    body = request(sortBy={"name": "up"})
    assert where(validate_request(body)) == [("/sortBy/name", "request-schema")]


def test_s38_timestamps_with_offsets_accepted_and_compared_as_instants() -> None:
    later_but_smaller = sms(
        0, createdAt="2025-12-05T10:00:00+02:00", updatedAt="2025-12-05T09:00:00Z"
    )
    assert documented(later_but_smaller) == []
    assert strict(later_but_smaller) == []
    earlier_but_larger = sms(
        0, createdAt="2025-12-05T09:00:00Z", updatedAt="2025-12-05T10:00:00+02:00"
    )
    assert strict(earlier_but_larger) == [("/data/results/0/updatedAt", "timestamp-order")]
    no_offset = sms(0, createdAt="2025-12-05T09:00:00", updatedAt="2025-12-05T08:59:59Z")
    assert documented(no_offset) == []
    assert strict(no_offset) == [("/data/results/0/updatedAt", "timestamp-order")]


@pytest.mark.parametrize(
    "bad", ["2025-12-05", "2025-12-05 09:00:00Z", "2025-02-30T25:00:00Z", 1733390000]
)
def test_s38_response_timestamps_must_be_iso_8601_date_times(bad: Any) -> None:
    assert documented(voice(createdAt=bad)) == [("/data/results/0/createdAt", "schema")]


@pytest.mark.parametrize(
    ("written", "extended"),
    [
        ("20251205T090000.250Z", "2025-12-05T09:00:00.250Z"),
        ("2025-12-05T09:00:00,250Z", "2025-12-05T09:00:00.250Z"),
        ("20251205T110000,25+0200", "2025-12-05T09:00:00.250Z"),
        ("20251205T0900Z", "2025-12-05T09:00:00.000Z"),
    ],
)
def test_s38_basic_format_and_a_comma_are_iso_8601_too(written: str, extended: str) -> None:
    from campaign_contract.checks._crawl import request_bound
    from campaign_contract.oracles._common import instant

    assert documented(voice(createdAt=written, updatedAt=written)) == []
    assert instant(written) == instant(extended)
    bound = request_bound(written)  # what a window built from this timestamp sends
    assert instant(bound) == instant(extended)
    assert validate_request({"type": "voice", "startDate": bound, "endDate": bound}) == []
    assert request_bound(extended) == extended


@pytest.mark.parametrize("bad", ["2025-12-05t09:00:00z", "20251205T09:00:00Z", "2025-12-05T0900Z"])
def test_s38_lower_case_or_mixed_forms_are_not_iso_8601(bad: str) -> None:
    assert documented(voice(createdAt=bad)) == [("/data/results/0/createdAt", "schema")]


def test_s39_host_may_be_a_name_or_a_root_url() -> None:
    check = jsonschema.Draft202012Validator(schema("endpoint"), registry=registry())
    for host in ("platform.kore.ai", "https://platform.kore.ai"):
        call = {"path": {"host": host, "streamId": "st-1"}}
        assert list(check.iter_errors(call)) == []
    assert [e.validator for e in check.iter_errors({"path": {"host": "", "streamId": "s"}})] == [
        "minLength"
    ]


def test_s40_single_example_values_are_not_a_list() -> None:
    assert strict(voice(connection="Overflow Queue")) == []
    assert strict(sms(0, campaignExecutionType="SCHEDULED")) == []
    assert documented(voice(connection=3)) == [("/data/results/0/connection", "schema")]


# --- the register itself ----------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent.parent
REGISTER = (REPO_ROOT / "schemas" / "SPEC_NOTES.md").read_text(encoding="utf-8")


def test_register_has_a_section_for_every_row_of_its_table() -> None:
    rows = re.findall(r"^\| (S-\d+) \|", REGISTER, flags=re.MULTILINE)
    sections = re.findall(r"^## (S-\d+) — ", REGISTER, flags=re.MULTILINE)
    assert rows == sections
    assert rows == [f"S-{n:02d}" for n in range(1, len(rows) + 1)]
    for block in re.split(r"^## ", REGISTER, flags=re.MULTILINE)[1:]:
        for part in ("**Page:**", "**Decision:**", "**Encoded:**", "**Test:**"):
            assert part in block, (block[:5], part)


def test_register_cites_tests_that_exist() -> None:
    cited = re.findall(r"`((?:tests|contract_tests)/[\w./]+\.py)::(\w+)`", REGISTER)
    assert len(cited) > 40
    for path, name in cited:
        source = (REPO_ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, flags=re.MULTILINE), f"{path}::{name}"


def test_register_names_every_schema_level_entry_s_test_here() -> None:
    here = Path(__file__).read_text(encoding="utf-8")
    for note in re.findall(r"def test_s(\d\d)_", here):
        block = REGISTER.split(f"## S-{note} — ")[1].split("\n## ")[0]
        assert "tests/test_spec_notes.py::test_s" + note in block, f"S-{note}"


def test_s45_integral_numbers_with_a_zero_fraction_are_integers() -> None:
    from campaign_contract.oracles import check_pair
    from campaign_contract.oracles._common import whole

    assert (whole(5.0), whole(5), whole(5.5), whole(True), whole(float("inf"))) == (
        5,
        5,
        None,
        None,
        None,
    )
    page = voice()
    data = page["data"]
    figures = {name: float(data[name]) for name in ("skip", "limit", "totalPages", "totalResults")}
    data.update(figures)
    assert validate_response(page, "voice") == []
    assert check_pair({"type": "voice"}, page, "voice") == []
    data["hasMore"] = not data["hasMore"]  # still judged: the figures are read, not skipped
    assert [v.check for v in check_pair({"type": "voice"}, page, "voice")] == ["has-more"]


@pytest.mark.parametrize("name", ["description", "updatedAt"])
def test_s48_null_is_not_a_value_of_an_optional_field(name: str) -> None:
    assert documented(voice(**{name: None})) == []  # absent: allowed (S-28)
    doc = voice()
    doc["data"]["results"][0][name] = None
    assert documented(doc) == [(f"/data/results/0/{name}", "schema")]
