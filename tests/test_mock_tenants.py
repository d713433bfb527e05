"""Other accounts and apps: refused by the clean mock, served their own data by the access faults;
several tenants, each credential reaching only its own campaigns.

``account-not-checked`` and ``iid-not-checked`` are real leaks: the request's account or iid
selects another tenant's campaigns (a generated data set of its own), never ours.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml
from campaign_contract import MockServer
from campaign_contract.mock import TenantError
from mock_support import call, data, ids, outcomes, run_suite

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


# --- several tenants ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three() -> Iterator[MockServer]:
    with MockServer(campaigns=12, tenants=3, seed=5) as server:
        yield server


def _as(mock: MockServer, caller: int, addressed: int) -> requests.Response:
    """A request with tenant ``caller``'s token addressed to tenant ``addressed``'s ids."""
    headers = mock.headers(addressed)
    headers["auth"] = mock.headers(caller)["auth"]
    return call(mock, BODY, url=mock.url(addressed), headers=headers)


def _every_id(mock: MockServer, tenant: int) -> set[str]:
    return {
        str(c.get("_id", c.get("id"))) for k in ("voice", "sms") for c in mock.campaigns(k, tenant)
    }


def test_generated_tenants_have_their_own_ids_credentials_and_data(three: MockServer) -> None:
    accounts = [t.account_id for t in three.tenants]
    assert accounts == ["mock-account", "mock-account-2", "mock-account-3"]
    assert len({t.token for t in three.tenants}) == 3
    listings = [set(_listing(three, three.url(n), **three.headers(n))) for n in range(3)]
    assert all(len(listing) == 12 for listing in listings)
    assert not (listings[0] & listings[1] or listings[1] & listings[2] or listings[0] & listings[2])


@pytest.mark.parametrize(("caller", "addressed"), [(0, 1), (1, 0), (2, 1)])
def test_a_token_reaches_only_its_own_tenant_and_leaks_nothing(
    three: MockServer, caller: int, addressed: int
) -> None:
    response = _as(three, caller, addressed)
    assert response.status_code == 403
    assert not any(cid in response.text for cid in _every_id(three, addressed))


def test_another_tenants_app_in_the_path_is_403_not_its_data(three: MockServer) -> None:
    url = three.url(0).replace(three.tenants[0].app_id, three.tenants[1].app_id)
    headers = {"iid": three.tenants[1].app_id}
    response = call(three, BODY, url=url, headers=headers)
    assert response.status_code == 403 and "app this token cannot read" in response.text


def test_tenants_from_a_data_file_each_with_token_or_jwt(tmp_path: Path) -> None:
    voice = {
        "_id": "cd-a-1",
        "name": "A",
        "status": "Active",
        "priority": "1",
        "dialingMode": "Preview",
        "createdAt": "2025-01-01T00:00:00.000Z",
    }
    sms = {
        "id": "cd-b-1",
        "name": "B",
        "status": "Ready",
        "priority": "2",
        "format": "simple",
        "createdAt": "2025-01-02T00:00:00.000Z",
    }
    data_file = tmp_path / "tenants.yaml"
    data_file.write_text(
        yaml.safe_dump(
            {
                "tenants": [
                    {
                        "accountId": "acc-a",
                        "appId": "st-a",
                        "token": "tok-a",
                        "campaigns": {"voice": [voice]},
                    },
                    {
                        "accountId": "acc-b",
                        "appId": "st-b",
                        "clientId": "cs-b",
                        "clientSecret": "secret-b" * 8,
                        "campaigns": [sms],
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    with MockServer(data=data_file) as mock:
        assert [t.account_id for t in mock.tenants] == ["acc-a", "acc-b"]
        assert mock.headers(0)["auth"] == "tok-a" and mock.headers(1)["auth"].count(".") == 2
        first = call(mock, {"type": "voice"}, url=mock.url(0), headers=mock.headers(0))
        second = call(mock, {"type": "sms"}, url=mock.url(1), headers=mock.headers(1))
        assert ids(first.json()["data"]["results"]) == ["cd-a-1"]
        assert ids(second.json()["data"]["results"]) == ["cd-b-1"]
        assert _as(mock, 0, 1).status_code == 403 and _as(mock, 1, 0).status_code == 403
        crossed = call(mock, {"type": "sms"}, url=mock.url(0), headers={"auth": "tok-a"})
        assert crossed.json()["data"]["results"] == []  # tenant a has no SMS of b's


@pytest.mark.parametrize(
    ("tenants", "word"),
    [
        (
            [
                {"accountId": "a", "appId": "x", "token": "t"},
                {"accountId": "b", "appId": "y", "token": "t"},
            ],
            "share the token",
        ),
        (
            [
                {"accountId": "a", "appId": "x", "token": "t"},
                {"accountId": "b", "appId": "x", "token": "u"},
            ],
            "share the app id",
        ),
        ([{"accountId": "a", "appId": "x"}], "no credentials"),
        ([{"accountId": "a", "appId": "x", "clientId": "c"}], "go together"),
        ([{"appId": "x", "token": "t"}], "needs an accountId"),
        ([{"accountId": "a", "appId": "x", "token": "t", "secret": "s"}], "unknown field 'secret'"),
    ],
)
def test_tenants_that_cannot_be_told_apart_are_refused(
    tmp_path: Path, tenants: list[dict[str, str]], word: str
) -> None:
    data_file = tmp_path / "tenants.json"
    data_file.write_text(json.dumps({"tenants": tenants}), encoding="utf-8")
    with pytest.raises(ValueError, match=word):
        MockServer(data=data_file).start()


def test_a_token_shared_by_two_tenants_never_leaks_its_value() -> None:
    from campaign_contract.mock import Tenant
    from campaign_contract.mock._tenants import checked_tenants

    with pytest.raises(TenantError) as caught:
        checked_tenants([Tenant("a", "x", "same-SENTINEL"), Tenant("b", "y", "same-SENTINEL")])
    assert "SENTINEL" not in str(caught.value)


@pytest.mark.slow
def test_the_suite_passes_against_the_second_of_several_tenants(pytester: pytest.Pytester) -> None:
    with MockServer(tenants=3) as mock:
        code, record = run_suite(pytester, target=mock.target(1), seed=5)
    failing = [name for name, outcome in outcomes(record).items() if outcome != "passed"]
    assert (code, failing) == (0, [])
