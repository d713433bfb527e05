"""Access control: no credentials, wrong credentials, another account, another app.

A request without a valid ``auth`` must be refused: any 4xx passes (which one is recorded); a
2xx or a 5xx fails. For another account id or a wrong ``iid`` the page is less clear: the
server may take the account and app from the token. So a 4xx passes, a 2xx that lists our own
campaigns (or none) is recorded, and only a 2xx listing campaigns our own listing lacks fails
(another tenant's data); a 5xx fails (SPEC_NOTES S-41).
"""

from __future__ import annotations

import time
from typing import Any

import jwt

from campaign_contract.checks._expect import refused_in_body, status_violations
from campaign_contract.client._auth import sign_token
from campaign_contract.client._exchange import Exchange
from campaign_contract.harness._contract import Compared, Contract
from campaign_contract.oracles._common import identity, show_ids
from campaign_contract.oracles._registry import declare
from campaign_contract.validation._validators import results_of
from campaign_contract.validation._violations import Violation, pointer

PROBE: dict[str, Any] = {"type": "voice", "limit": 10}
CLIENT_ERROR = range(400, 500)
OTHER = "campaign-contract-other"
for _name in ("auth-missing", "auth-wrong", "auth-other-account", "auth-wrong-iid"):
    declare(_name, family="auth")
NOTE = "S-41"
"""The SPEC_NOTES entry on access control, which the page leaves undocumented."""


def wrong_tokens(app_id: str = OTHER) -> list[tuple[str, str]]:
    """Tokens that must not be accepted: garbage, a well-formed JWT signed with a made-up
    secret, and an unsigned JWT (``alg: none``) claiming ``app_id`` (none is a credential)."""
    forged = sign_token(OTHER, "campaign-contract-not-a-secret")
    unsigned = jwt.encode({"appId": app_id, "iat": int(time.time())}, None, algorithm="none")
    return [
        ("a token that is not a JWT", "not-a-jwt"),
        ("a JWT signed with another secret", forged),
        ("an unsigned JWT (alg none) claiming our app id", unsigned),
    ]


def refused(contract: Contract, exchange: Exchange, what: str) -> None:
    """Any 4xx, or a 2xx refusing in its body (S-46), passes and is recorded; anything else
    fails."""
    __tracebackhide__ = True
    if refused_in_body(contract, exchange, what):
        return
    found = status_violations(exchange, CLIENT_ERROR, "a 4xx")
    contract.require(found, exchange, what=f"{what}: expected a 4xx, got HTTP {exchange.status}")
    contract.observe(NOTE, f"{what} answered HTTP {exchange.status}", exchange=exchange)


def missing_auth(contract: Contract) -> None:
    __tracebackhide__ = True
    refused(contract, contract.post(PROBE, auth=None), "no auth header")


def wrong_auth(contract: Contract) -> None:
    __tracebackhide__ = True
    for what, token in wrong_tokens(contract.target.app_id):
        refused(contract, contract.post(PROBE, auth=token), what)


def _campaigns(exchange: Exchange) -> set[Any]:
    return {identity(item) for item in results_of(exchange.response_body)}


def not_theirs(contract: Contract, what: str, **changes: Any) -> None:
    """Send :data:`PROBE` with ``changes`` (another account or app id, or one left out).

    A 4xx (or a 2xx refusing in its body, S-46) passes; a 2xx listing no campaign, or the
    same campaigns as our own request, is recorded (the server takes the tenant from another
    part of the request, S-41); a 2xx listing campaigns our own listing lacks fails, as does a
    5xx or any other status.
    """
    __tracebackhide__ = True
    answers: list[Exchange] = []

    def compare() -> Compared:
        exchange = contract.post(PROBE, **changes)
        answers.append(exchange)
        if exchange.refused:
            return Compared()
        if not 200 <= exchange.status < 300:
            found = status_violations(exchange, CLIENT_ERROR, "a 4xx or our own listing")
            got = f"{what}: expected a 4xx, got HTTP {exchange.status}"
            return Compared(found, exchange, got, drift=False)
        theirs = _campaigns(exchange)
        foreign = theirs - _campaigns(contract.ok(PROBE))
        if not foreign:
            return Compared()
        message = (
            f"{what}: HTTP {exchange.status} listing {len(foreign)} campaign(s) our own account's "
            f"listing lacks ({show_ids(foreign)}): another tenant's data"
        )
        return Compared([Violation(pointer("data", "results"), message)], exchange, message)

    contract.stable(compare)
    answer = answers[-1]
    if answer.refused:
        outcome = "refused"
    elif _campaigns(answer):
        outcome = (
            "served our own campaigns (the server takes the tenant from another part of the "
            "request: the token, the path or another header)"
        )
    else:
        outcome = "listed no campaign"
    contract.observe(NOTE, f"{what} answered {answer.answer}: {outcome}", exchange=answer)


def other_account(contract: Contract) -> None:
    __tracebackhide__ = True
    other = f"{OTHER}-account"
    not_theirs(contract, "another account id", headers={"accountid": other}, account_id_query=other)
    # the page names the account twice (S-24): a server may check one and serve by the other
    not_theirs(contract, "another accountId in the query only", account_id_query=other)
    not_theirs(contract, "another accountid header only", headers={"accountid": other})
    not_theirs(contract, "no account id", drop_headers=("accountid",), account_id_query=None)


def wrong_app(contract: Contract) -> None:
    __tracebackhide__ = True
    what = "an iid header other than the app id in the path"
    not_theirs(contract, what, headers={"iid": f"st-{OTHER}-app"})
    not_theirs(contract, "no iid header", drop_headers=("iid",))
