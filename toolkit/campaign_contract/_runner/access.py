"""Access control: requests without valid credentials or for another account are refused."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from .._auth import sign_token
from .._exchange import Exchange
from .contract import Contract
from .expect import status_violations

PROBE: dict[str, Any] = {"type": "voice", "limit": 1}
DENIED = (401, 403)
NOT_YOURS = (401, 403, 404)
CLIENT_ERROR = range(400, 500)
OTHER = "campaign-contract-other"


def wrong_tokens() -> list[tuple[str, str]]:
    """Tokens that must not be accepted: garbage, and a well-formed JWT signed with a made-up
    secret (neither is a credential of anyone)."""
    forged = sign_token(OTHER, "campaign-contract-not-a-secret")
    return [
        ("a token that is not a JWT", "not-a-jwt"),
        ("a JWT signed with another secret", forged),
    ]


def refused(
    contract: Contract, exchange: Exchange, allowed: Container[int], expected: str, what: str
) -> None:
    __tracebackhide__ = True
    found = status_violations(exchange, allowed, expected, "auth")
    contract.require(
        found, exchange, what=f"{what}: expected {expected}, got HTTP {exchange.status}"
    )


def missing_auth(contract: Contract) -> None:
    __tracebackhide__ = True
    exchange = contract.post(PROBE, auth=None)
    refused(contract, exchange, DENIED, "401 or 403", "no auth header")


def wrong_auth(contract: Contract) -> None:
    __tracebackhide__ = True
    for what, token in wrong_tokens():
        exchange = contract.post(PROBE, auth=token)
        refused(contract, exchange, DENIED, "401 or 403", what)


def other_account(contract: Contract) -> None:
    __tracebackhide__ = True
    other = f"{OTHER}-account"
    exchange = contract.post(PROBE, headers={"accountid": other}, account_id_query=other)
    refused(contract, exchange, NOT_YOURS, "401, 403 or 404", "another account id")
    exchange = contract.post(PROBE, drop_headers=("accountid",), account_id_query=None)
    refused(contract, exchange, CLIENT_ERROR, "a 4xx", "no account id")


def wrong_app(contract: Contract) -> None:
    __tracebackhide__ = True
    exchange = contract.post(PROBE, headers={"iid": f"st-{OTHER}-app"})
    refused(
        contract, exchange, CLIENT_ERROR, "a 4xx", "an iid header other than the app id in the path"
    )
    exchange = contract.post(PROBE, drop_headers=("iid",))
    refused(contract, exchange, CLIENT_ERROR, "a 4xx", "no iid header")
