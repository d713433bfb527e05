"""Access: missing or wrong credentials, another account and a foreign app id are refused."""

from __future__ import annotations

from campaign_contract.checks import auth as access
from campaign_contract.harness._contract import Contract


def test_auth_missing(contract: Contract) -> None:
    access.missing_auth(contract)


def test_auth_wrong(contract: Contract) -> None:
    access.wrong_auth(contract)


def test_auth_other_account(contract: Contract) -> None:
    access.other_account(contract)


def test_auth_wrong_iid(contract: Contract) -> None:
    access.wrong_app(contract)
