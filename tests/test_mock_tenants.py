"""Other accounts and apps: refused by the clean mock, served their own data by the access faults.

``account-not-checked`` and ``iid-not-checked`` are real leaks: the request's account or iid
selects another tenant's campaigns (a generated data set of its own), never ours.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from campaign_contract import MockServer
from mock_support import call, data, ids

BODY = {"type": "sms", "limit": 100, "sortBy": {"name": "asc"}}


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(campaigns=30, account_id="acc-1", app_id="st-app-1", seed=7) as server:
        yield server


@pytest.fixture(autouse=True)
def clean(mock: MockServer) -> Iterator[None]:
    mock.faults = ()
    yield
    mock.faults = ()


def _other_account_url(mock: MockServer) -> str:
    return mock.url().replace("accountId=acc-1", "accountId=acc-2")


def _listing(mock: MockServer, url: str | None = None, **headers: str | None) -> list[str]:
    response = call(mock, BODY, url=url, headers=headers)
    assert response.status_code == 200, response.text
    return ids(response.json()["data"]["results"])


def test_clean_mock_refuses_another_account_and_another_iid(mock: MockServer) -> None:
    assert (
        call(mock, BODY, url=_other_account_url(mock), headers={"accountid": "acc-2"}).status_code
        == 403
    )
    assert call(mock, BODY, headers={"iid": "st-app-2"}).status_code == 403


def test_account_not_checked_serves_another_accounts_campaigns(mock: MockServer) -> None:
    own = _listing(mock)
    mock.faults = {"account-not-checked"}
    other = _listing(mock, _other_account_url(mock), accountid="acc-2")
    assert len(other) == len(own) == 30
    assert set(other).isdisjoint(own)
    assert _listing(mock, _other_account_url(mock), accountid="acc-2") == other
    assert _listing(mock) == own


def test_account_not_checked_still_needs_an_account(mock: MockServer) -> None:
    mock.faults = {"account-not-checked"}
    assert call(mock, BODY, headers={"accountid": None}).status_code == 400
    assert call(mock, BODY, url=mock.url().split("?")[0]).status_code == 400


def test_iid_not_checked_serves_another_apps_campaigns(mock: MockServer) -> None:
    own = _listing(mock)
    mock.faults = {"iid-not-checked", "account-not-checked"}
    other_app = _listing(mock, iid="st-app-2")
    other_account = _listing(mock, _other_account_url(mock), accountid="acc-2")
    assert other_app and set(other_app).isdisjoint(own)
    assert set(other_app).isdisjoint(other_account)
    assert call(mock, BODY, headers={"iid": None}).status_code == 400


def test_tenant_data_is_the_same_for_the_same_seed() -> None:
    listings = []
    for _ in range(2):
        with MockServer(campaigns=5, seed=3, faults=["account-not-checked"]) as server:
            url = server.url().replace(server.account_id, "someone-else")
            listings.append(_listing(server, url, accountid="someone-else"))
    assert listings[0] == listings[1] and len(listings[0]) == 5


def test_other_accounts_page_like_ours(mock: MockServer) -> None:
    mock.faults = {"account-not-checked"}
    url = _other_account_url(mock)
    first = call(mock, {"type": "voice", "limit": 4}, url=url, headers={"accountid": "acc-2"})
    page = first.json()["data"]
    assert (len(page["results"]), page["totalResults"], page["hasMore"]) == (4, 30, True)
    assert data(mock, {"type": "voice", "limit": 4})["totalResults"] == 30
