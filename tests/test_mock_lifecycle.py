"""Starting and stopping the mock: ports, threads, sockets, target and data sources."""

from __future__ import annotations

import json
import re
import socket
import threading
from datetime import datetime
from pathlib import Path

import pytest
import requests
import yaml
from campaign_contract import MockServer, start_mock
from campaign_contract.client._exchange import ENDPOINT_PATH, Target
from campaign_contract.mock import MockDataError, UnknownFaultError
from mock_support import call, data

FIXTURES = Path(__file__).parent / "fixtures"


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def test_start_binds_a_free_loopback_port_and_stop_releases_it() -> None:
    mock = start_mock(campaigns=5)
    try:
        assert mock.running and mock.port > 0
        assert mock.base_url == f"http://127.0.0.1:{mock.port}"
        assert call(mock, {"type": "voice"}).status_code == 200
    finally:
        mock.stop()
    assert not mock.running
    assert _refused(mock.port)


def test_start_and_stop_twice_are_harmless() -> None:
    mock = MockServer(campaigns=3)
    assert mock.start() is mock.start()
    port = mock.port
    mock.stop()
    mock.stop()
    mock.start()
    try:
        assert mock.port == port
        assert call(mock, {"type": "sms"}).status_code == 200
    finally:
        mock.stop()


def test_stop_joins_the_server_thread_and_closes_open_connections() -> None:
    before = {t.name for t in threading.enumerate()}
    mock = start_mock(campaigns=3)
    session = requests.Session()
    assert call(mock, {"type": "voice"}, session=session).status_code == 200
    mock.stop()
    leftover = {t.name for t in threading.enumerate()} - before
    assert not [name for name in leftover if name.startswith("campaign-contract-mock")]
    with pytest.raises(requests.ConnectionError):
        call(mock, {"type": "voice"}, session=session)


def test_context_manager_serves_inside_and_stops_after() -> None:
    with MockServer(campaigns=2) as mock:
        assert data(mock, {"type": "voice"})["totalResults"] == 2
    assert not mock.running


def test_target_points_at_the_documented_endpoint() -> None:
    with MockServer(app_id="st-x", account_id="acc-1", token="tok", campaigns=1) as mock:
        target = mock.target()
        assert isinstance(target, Target)
        assert (target.url, target.app_id, target.account_id, target.token) == (
            mock.base_url,
            "st-x",
            "acc-1",
            "tok",
        )
        assert target.endpoint().startswith(mock.base_url + ENDPOINT_PATH.format(app_id="st-x"))
        answer = requests.post(
            target.endpoint(), headers=target.headers(), json={"type": "sms"}, timeout=5
        )
        assert answer.status_code == 200


def test_port_in_use_raises_oserror() -> None:
    with MockServer(campaigns=1) as first:
        with pytest.raises(OSError):
            start_mock(port=first.port, campaigns=1)


def test_unknown_fault_is_refused_before_starting() -> None:
    with pytest.raises(UnknownFaultError, match="no-such-fault"):
        start_mock(faults=["no-such-fault"])


def test_faults_can_be_switched_while_running() -> None:
    with MockServer(campaigns=2) as mock:
        mock.faults = {"auth-not-checked"}
        assert call(mock, {"type": "voice"}, headers={"auth": None}).status_code == 200
        mock.faults = ()
        assert call(mock, {"type": "voice"}, headers={"auth": None}).status_code == 401
        with pytest.raises(UnknownFaultError):
            mock.faults = {"nope"}


def test_data_file_in_json_serves_the_doc_samples(tmp_path: Path) -> None:
    crawl = [
        json.loads((FIXTURES / f"response-{kind}.json").read_text()) for kind in ("voice", "sms")
    ]
    path = tmp_path / "crawl.json"
    path.write_text(json.dumps(crawl))
    with MockServer(data=path) as mock:
        assert mock.counts() == {"voice": 5, "sms": 7}
        page = data(mock, {"type": "sms", "limit": 50, "sortBy": {"createdAt": "desc"}})
        assert page["results"] == crawl[1]["data"]["results"]


def test_data_file_in_yaml_with_explicit_types(tmp_path: Path) -> None:
    voice = json.loads((FIXTURES / "response-voice.json").read_text())["data"]["results"]
    path = tmp_path / "campaigns.yaml"
    # unquoted timestamps: YAML reads them as datetimes, the mock turns them back into ISO text
    text = yaml.safe_dump({"voice": voice[:2], "sms": []})
    path.write_text(re.sub(r"'(\d{4}-\d\d-\d\dT[^']*Z)'", r"\1", text))
    assert isinstance(yaml.safe_load(path.read_text())["voice"][0]["createdAt"], datetime)
    with MockServer(data=path) as mock:
        results = data(mock, {"type": "voice", "sortBy": {"createdAt": "desc"}})["results"]
        assert [r["createdAt"] for r in results] == [v["createdAt"] for v in voice[:2]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"data": 3}', "neither campaigns"),
        ('[{"name": "x", "status": "Ready"}]', "neither clearly voice nor SMS"),
        ('{"voice": {"a": 1}}', "must be a list"),
        ('{"sms": [1]}', "is not an object"),
    ],
)
def test_unusable_data_file_is_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(MockDataError, match=message) as caught:
        MockServer(data=path).start()
    assert "\n" not in str(caught.value)


def test_db_file_keeps_the_data_set_across_runs(tmp_path: Path) -> None:
    db = tmp_path / "mock.sqlite"
    with MockServer(db=db, seed=1, campaigns=4) as mock:
        first = mock.campaigns("voice")
    with MockServer(db=db, seed=2, campaigns=9) as mock:
        assert mock.campaigns("voice") == first
    with MockServer(db=tmp_path / "other.sqlite", seed=2, campaigns=4) as mock:
        assert mock.campaigns("voice") != first


def test_db_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "mock.sqlite"
    db.write_text("this is not a database, just text long enough to have a header" * 10)
    with pytest.raises(MockDataError, match="cannot use"):
        MockServer(db=db).start()
