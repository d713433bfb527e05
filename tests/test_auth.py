"""The JWT for the auth header: signing from client credentials and choosing the token."""

from __future__ import annotations

import jwt
import pytest
from campaign_contract import resolve_token, sign_token

SECRET = "s3cr3t-client-secret-value-of-32-bytes-or-more"


def test_signed_token_decodes_with_the_secret_and_names_the_client() -> None:
    token = sign_token("cs-1234", SECRET, now=1_700_000_000)
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}
    )
    assert claims == {"appId": "cs-1234", "iat": 1_700_000_000, "exp": 1_700_003_600}
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_signed_token_fails_to_decode_with_another_secret() -> None:
    token = sign_token("cs-1234", SECRET)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-also-of-32-bytes-or-more", algorithms=["HS256"])


def test_fresh_token_is_valid_now() -> None:
    claims = jwt.decode(sign_token("cs-1", SECRET), SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 3600


def test_given_token_wins_over_client_credentials() -> None:
    assert resolve_token("given.jwt.token", "cs-1", SECRET) == "given.jwt.token"


def test_client_credentials_are_signed_when_no_token_is_given() -> None:
    token = resolve_token("", "cs-1", SECRET)
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["appId"] == "cs-1"


@pytest.mark.parametrize(
    ("client_id", "client_secret", "expected"),
    [
        (None, None, "no credentials"),
        ("cs-1", None, "without a client secret"),
        (None, SECRET, "without a client id"),
        ("cs-1", "", "without a client secret"),
    ],
)
def test_missing_credentials_raise_a_clear_error_without_the_secret(
    client_id: str | None, client_secret: str | None, expected: str
) -> None:
    with pytest.raises(ValueError, match=expected) as caught:
        resolve_token(None, client_id, client_secret)
    assert SECRET not in str(caught.value)


def test_signing_refuses_empty_credentials() -> None:
    with pytest.raises(ValueError, match="client id is empty"):
        sign_token("", SECRET)
    with pytest.raises(ValueError, match="client secret is empty"):
        sign_token("cs-1", "")


def test_short_platform_secret_signs_without_a_warning(recwarn: pytest.WarningsRecorder) -> None:
    sign_token("cs-1", "short")
    assert not recwarn.list


def test_the_wrong_tokens_include_an_unsigned_jwt_claiming_our_own_app() -> None:
    from campaign_contract.checks.auth import wrong_tokens

    tokens = dict(wrong_tokens("st-our-app"))
    unsigned = tokens["an unsigned JWT (alg none) claiming our app id"]
    assert jwt.get_unverified_header(unsigned)["alg"] == "none"
    assert unsigned.endswith(".")  # no signature at all
    claims = jwt.decode(unsigned, options={"verify_signature": False})
    assert claims["appId"] == "st-our-app"
