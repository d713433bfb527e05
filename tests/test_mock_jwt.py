"""JWT auth: with a client id and secret the mock takes HS256 JWTs (claim appId) and nothing else.

Every refusal is a 401 whose JSON body names the reason and never the secret; the contract
suite signing its own tokens from the same client id and secret passes against it.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from campaign_contract import MockServer
from campaign_contract.client._auth import sign_token
from mock_support import call, outcomes, run_suite

CLIENT_ID = "cs-test-client"
SECRET = "jwt-secret-SENTINEL-" + "0123456789abcdef" * 3
BODY = {"type": "voice", "limit": 3}


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(campaigns=8, client_id=CLIENT_ID, client_secret=SECRET) as server:
        yield server


def _token(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")


def _refusal(mock: MockServer, token: str) -> str:
    response = call(mock, BODY, headers={"auth": token})
    assert response.status_code == 401, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "error"
    assert SECRET not in response.text and "SENTINEL" not in response.text
    message: str = body["message"]
    return message


def test_a_jwt_signed_by_the_toolkit_is_served(mock: MockServer) -> None:
    token = sign_token(CLIENT_ID, SECRET)
    response = call(mock, BODY, headers={"auth": str(token)})
    assert response.status_code == 200 and len(response.json()["data"]["results"]) == 3


def test_the_mocks_own_target_carries_a_valid_jwt(mock: MockServer) -> None:
    claims = jwt.decode(mock.token, SECRET, algorithms=["HS256"])
    assert claims["appId"] == CLIENT_ID and claims["exp"] > time.time()
    assert call(mock, BODY).status_code == 200


def test_a_jwt_without_exp_is_served(mock: MockServer) -> None:
    assert call(mock, BODY, headers={"auth": _token({"appId": CLIENT_ID})}).status_code == 200


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (_token({"appId": CLIENT_ID, "exp": int(time.time()) - 60}), "expired"),
        (_token({"appId": CLIENT_ID, "nbf": int(time.time()) + 3600}), "not valid yet"),
        (_token({"appId": CLIENT_ID}, key="another-secret-" + "x" * 64), "signature"),
        (_token({"appId": "cs-someone-else"}), "appId"),
        (_token({"sub": CLIENT_ID}), "no appId"),
        (_token({"appId": CLIENT_ID}, algorithm="HS512"), "algorithm HS512"),
        (f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'appId': CLIENT_ID})}.", "alg none"),
        (f"{_b64({'alg': 'None'})}.{_b64({'appId': CLIENT_ID})}.", "alg none"),
        (f"{_b64({'typ': 'JWT'})}.{_b64({'appId': CLIENT_ID})}.eHg", "unsigned"),
        ("not-a-jwt", "neither a known token nor a JWT"),
        ("campaign-contract-mock-token", "neither a known token nor a JWT"),
        ("", "missing"),
    ],
)
def test_bad_tokens_are_refused_naming_the_reason(
    mock: MockServer, token: str, reason: str
) -> None:
    assert reason in _refusal(mock, token)


def test_a_good_signature_over_a_tampered_payload_is_refused(mock: MockServer) -> None:
    header, _, signature = _token({"appId": CLIENT_ID, "exp": 1}).split(".")
    forged = f"{header}.{_b64({'appId': CLIENT_ID})}.{signature}"
    assert "signature" in _refusal(mock, forged)


def test_a_literal_token_and_jwts_are_both_taken_when_both_are_configured() -> None:
    with MockServer(campaigns=2, token="tok-1", client_id=CLIENT_ID, client_secret=SECRET) as m:
        assert call(m, BODY, headers={"auth": "tok-1"}).status_code == 200
        assert call(m, BODY, headers={"auth": _token({"appId": CLIENT_ID})}).status_code == 200
        assert call(m, BODY, headers={"auth": "tok-2"}).status_code == 401


@pytest.mark.slow
def test_the_suite_signing_from_client_credentials_passes_against_the_jwt_mock(
    pytester: pytest.Pytester,
) -> None:
    code, record = run_suite(
        pytester,
        f"--campaign-client-id={CLIENT_ID}",
        f"--campaign-client-secret={SECRET}",
        seed=3,
    )
    failing = [name for name, outcome in outcomes(record).items() if outcome != "passed"]
    assert (code, failing) == (0, [])
    assert record["settings"]["credentials"] == "client id and secret"
    for path in (pytester.path / "reports").iterdir():
        assert SECRET not in path.read_text(encoding="utf-8", errors="replace")
