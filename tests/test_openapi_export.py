"""``campaign-contract openapi``: a valid OpenAPI 3.1 document whose schemas are the contract's."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from campaign_contract.cli._main import run_cli
from campaign_contract.export import openapi_document
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OPERATION = ("/campaign/api/v2/public/{streamId}/campaign/getAllCampaignDetails", "post")
DOC_URI = "urn:campaign-contract:openapi"


def sample(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def operation(document: dict[str, Any]) -> dict[str, Any]:
    path, method = OPERATION
    op: dict[str, Any] = document["paths"][path][method]
    return op


def component_validator(document: dict[str, Any], ref: str) -> jsonschema.Draft202012Validator:
    """A validator for one component, resolving ``#/components/...`` inside the document."""
    registry: Registry[Any] = Registry().with_resource(
        DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    return jsonschema.Draft202012Validator({"$ref": DOC_URI + ref}, registry=registry)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(["openapi", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("ids", [{}, {"app_id": "st-app", "account_id": "acc-1"}])
def test_document_is_valid_openapi_3_1(ids: dict[str, str]) -> None:
    document = openapi_document(**ids)
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_cli_writes_json_to_stdout_and_yaml_by_suffix(tmp_path: Path) -> None:
    code, out, err = cli("--app-id", "st-app", "--account-id", "acc-1")
    assert (code, err) == (0, "")
    validate(json.loads(out))
    target = tmp_path / "openapi.yaml"
    code, out, err = cli("--out", str(target))
    assert code == 0 and out == "" and str(target) in err
    loaded = yaml.safe_load(target.read_text(encoding="utf-8"))
    validate(loaded)
    assert loaded == json.loads(json.dumps(openapi_document()))


def test_given_ids_are_pinned_in_path_query_and_headers() -> None:
    params = {
        (p["in"], p["name"]): p
        for p in operation(openapi_document(app_id="st-app", account_id="acc-1"))["parameters"]
    }
    assert set(params) == {
        ("path", "streamId"),
        ("query", "accountId"),
        ("header", "accountid"),
        ("header", "iid"),
    }
    assert all(p["required"] for p in params.values())
    assert params["path", "streamId"]["schema"]["enum"] == ["st-app"]
    assert params["header", "iid"]["schema"]["enum"] == ["st-app"]
    assert params["query", "accountId"]["schema"]["enum"] == ["acc-1"]
    assert params["header", "accountid"]["schema"]["enum"] == ["acc-1"]
    unpinned = operation(openapi_document())["parameters"]
    assert all("enum" not in p["schema"] for p in unpinned)


def test_auth_header_is_an_api_key_security_scheme() -> None:
    document = openapi_document()
    schemes = document["components"]["securitySchemes"]
    assert len(schemes) == 1
    scheme = next(iter(schemes.values()))
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "auth")
    assert operation(document)["security"] == [{name: []} for name in schemes]
    assert all(p["name"] != "auth" for p in operation(document)["parameters"])


def test_error_statuses_carry_the_error_body_and_200_both_types() -> None:
    responses = operation(openapi_document())["responses"]
    assert {"200", "400", "401", "403"} <= set(responses)
    for status, response in responses.items():
        schema = response["content"]["application/json"]["schema"]
        if status == "200":
            refs = [alt["$ref"] for alt in schema["anyOf"]]
            assert refs == [
                "#/components/schemas/VoiceCampaignsResponse",
                "#/components/schemas/SmsCampaignsResponse",
            ]
        else:
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}


def test_no_reference_leaves_the_document() -> None:
    text = json.dumps(openapi_document())
    assert ".json#" not in text and "$defs" not in text
    assert "x-strict" not in text and "x-messages" not in text


@pytest.mark.parametrize("kind", ["voice", "sms"])
def test_schemas_inside_accept_the_pages_samples(kind: str) -> None:
    document = openapi_document()
    request = component_validator(document, "#/components/schemas/CampaignsRequest")
    assert list(request.iter_errors(sample(f"request-{kind}"))) == []
    name = "VoiceCampaignsResponse" if kind == "voice" else "SmsCampaignsResponse"
    response = component_validator(document, f"#/components/schemas/{name}")
    assert list(response.iter_errors(sample(f"response-{kind}"))) == []
    ok = operation(document)["responses"]["200"]["content"]["application/json"]["schema"]
    registry: Registry[Any] = Registry().with_resource(
        DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    anyof = {"anyOf": [{"$ref": DOC_URI + alt["$ref"]} for alt in ok["anyOf"]]}
    assert jsonschema.Draft202012Validator(anyof, registry=registry).is_valid(
        sample(f"response-{kind}")
    )


def test_schemas_inside_still_reject_what_the_contract_rejects() -> None:
    document = openapi_document()
    broken = copy.deepcopy(sample("response-voice"))
    broken["data"]["results"][0]["priority"] = 5
    validator = component_validator(document, "#/components/schemas/VoiceCampaignsResponse")
    assert [e.message for e in validator.iter_errors(broken)] == ["5 is not of type 'string'"]
    request = component_validator(document, "#/components/schemas/CampaignsRequest")
    assert not request.is_valid({"type": "fax"})
    assert not request.is_valid({"type": "voice", "filters": {"priority": ["1"]}})


def test_unwritable_out_is_one_line_exit_1(tmp_path: Path) -> None:
    code, out, err = cli("--out", str(tmp_path / "missing" / "openapi.json"))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "cannot write" in err
