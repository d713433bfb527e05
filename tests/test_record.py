"""``campaign-contract record``: a tenant's campaigns into a file the mock serves as they were."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from campaign_contract import MockServer, start_mock
from campaign_contract.cli._main import run_cli
from campaign_contract.export import anonymise
from campaign_contract.export._anonymise import name_mapping
from hypothesis import given
from hypothesis import strategies as st
from mock_support import data

KINDS = ("voice", "sms")
SORT_KEYS = ("name", "createdAt", "updatedAt")
SORTS: list[dict[str, str]] = [
    dict(zip(keys, directions, strict=True))
    for n in (1, 2, 3)
    for keys in itertools.permutations(SORT_KEYS, n)
    for directions in itertools.product(("asc", "desc"), repeat=n)
    if n < 3 or directions == ("asc",) * 3
]
FILTERS: list[dict[str, Any]] = [
    {"status": ["Active"]},
    {"status": ["Stopped", "Paused"]},
    {"priority": [1]},
    {"priority": [2, 5]},
    {"dialingMode": ["Preview"]},
    {"status": ["Ready"], "priority": [3, 4]},
]
WINDOWS: list[dict[str, str]] = [
    {"startDate": "2025-06-01"},
    {"endDate": "2025-08-15T12:00:00.000Z"},
    {"startDate": "2025-05-01T00:00:00+02:00", "endDate": "2025-10-01"},
]


def record(mock: MockServer, out: Path, *extra: str) -> tuple[int, str, str]:
    target = mock.target()
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["record", "--url", target.url, "--app-id", target.app_id]
    argv += ["--account-id", target.account_id, "--token", mock.token, "--out", str(out)]
    code = run_cli([*argv, *extra], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def listing(mock: MockServer, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every campaign ``body`` lists, walked by page."""
    found: list[dict[str, Any]] = []
    while True:
        page = data(mock, {**body, "limit": 100, "skip": len(found)})
        found.extend(page["results"])
        if not page["hasMore"]:
            return found


@pytest.fixture(scope="module")
def original() -> Any:
    with start_mock(campaigns=120) as mock:
        yield mock


@pytest.fixture(scope="module")
def recorded(original: MockServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("record") / "tenant.yaml"
    code, stdout, stderr = record(original, out)
    assert (code, stderr) == (0, ""), stderr
    assert "120 voice, 120 sms campaigns" in stdout
    return out


@pytest.fixture(scope="module")
def replayed(recorded: Path) -> Any:
    with start_mock(data=recorded) as mock:
        yield mock


def test_recording_holds_every_campaign_as_served(original: MockServer, recorded: Path) -> None:
    document = yaml.safe_load(recorded.read_text(encoding="utf-8"))
    for kind in KINDS:
        served = sorted(original.campaigns(kind), key=lambda c: c.get("_id", c.get("id")))
        kept = sorted(document[kind], key=lambda c: c.get("_id", c.get("id")))
        assert kept == served
        assert document["recorded"]["types"][kind]["complete"] is True


@pytest.mark.parametrize("kind", KINDS)
def test_replayed_listings_match_in_every_sort_order(
    original: MockServer, replayed: MockServer, kind: str
) -> None:
    for sort in [{}, *SORTS]:
        body: dict[str, Any] = {"type": kind, **({"sortBy": sort} if sort else {})}
        assert listing(replayed, body) == listing(original, body), sort


@pytest.mark.parametrize("kind", KINDS)
def test_replayed_filters_and_windows_match(
    original: MockServer, replayed: MockServer, kind: str
) -> None:
    for extra in [*({"filters": f} for f in FILTERS), *WINDOWS]:
        body = {"type": kind, "sortBy": {"createdAt": "asc"}, **extra}
        assert listing(replayed, body) == listing(original, body), extra


def test_no_credential_is_written(tmp_path: Path) -> None:
    token = "sentinel-token-7c1e9a40b2"
    with start_mock(campaigns=5, token=token) as mock:
        out = tmp_path / "tenant.json"
        code, stdout, stderr = record(mock, out)
    assert code == 0
    for text in (out.read_text(encoding="utf-8"), stdout, stderr):
        assert token not in text


def test_budget_spent_writes_what_was_recorded_and_exits_3(tmp_path: Path) -> None:
    with start_mock(campaigns=250) as mock:
        out = tmp_path / "tenant.json"
        code, _, stderr = record(mock, out, "--budget", "2", "--limit", "50")
    assert code == 3
    assert "incomplete" in stderr and "budget" in stderr and stderr.count("\n") == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["voice"]) == 100 and document["sms"] == []
    assert document["recorded"]["types"]["voice"]["complete"] is False


def test_wrong_token_is_exit_1_and_missing_url_exit_2(tmp_path: Path) -> None:
    with start_mock(campaigns=5) as mock:
        target = mock.target()
        err = io.StringIO()
        argv = ["record", "--url", target.url, "--app-id", target.app_id, "--account-id"]
        argv += [target.account_id, "--token", "wrong", "--out", str(tmp_path / "t.json")]
        assert run_cli(argv, io.StringIO(), err) == 1
        assert "HTTP 401" in err.getvalue()
    err = io.StringIO()
    assert run_cli(["record", "--out", str(tmp_path / "t.json")], io.StringIO(), err) == 2
    assert "--url" in err.getvalue() and err.getvalue().count("\n") == 1


# anonymised ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def anonymised(original: MockServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("record") / "tenant-anon.yaml"
    code, _, stderr = record(original, out, "--anonymise")
    assert code == 0, stderr
    return out


def _id(item: dict[str, Any]) -> str:
    return str(item.get("_id", item.get("id")))


def test_anonymised_file_holds_no_name_description_id_or_list_name(
    original: MockServer, anonymised: Path
) -> None:
    text = anonymised.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    assert "host" not in document["recorded"] and "account_id" not in document["recorded"]
    for kind in KINDS:
        for item in original.campaigns(kind):
            assert _id(item) not in text
            assert f"name: {item['name']}\n" not in text
            if item.get("description"):
                assert item["description"] not in text
            for name in item.get("contactLists", []):
                assert name not in text
    assert len({_id(c) for k in KINDS for c in document[k]}) == 240


def test_anonymising_is_deterministic(original: MockServer) -> None:
    campaigns = {k: original.campaigns(k) for k in KINDS}
    assert anonymise(campaigns) == anonymise(campaigns)


@pytest.mark.parametrize("kind", KINDS)
def test_anonymised_data_keeps_every_sort_and_filter_relation(
    original: MockServer, anonymised: Path, kind: str
) -> None:
    document = yaml.safe_load(anonymised.read_text(encoding="utf-8"))
    # the file keeps the walk's order, so the n-th campaign is the n-th of the recording
    walked = listing(original, {"type": kind, "sortBy": {"name": "asc", "createdAt": "asc"}})
    back = {_id(a): _id(o) for a, o in zip(document[kind], walked, strict=True)}
    with start_mock(data=anonymised) as mock:
        for sort in SORTS:
            if "name" in sort:
                continue  # names: see test_name_mapping_keeps_the_decided_order
            body = {"type": kind, "sortBy": sort}
            mapped = [back[_id(c)] for c in listing(mock, body)]
            assert mapped == [_id(c) for c in listing(original, body)], sort
        for extra in [*({"filters": f} for f in FILTERS), *WINDOWS]:
            body = {"type": kind, "sortBy": {"createdAt": "asc"}, **extra}
            mapped = [back[_id(c)] for c in listing(mock, body)]
            assert mapped == [_id(c) for c in listing(original, body)], extra


names = st.text(st.sampled_from("aAbBzZéÉ 1"), min_size=1, max_size=4)


def _sign(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


@given(st.lists(names, min_size=2, max_size=12, unique=True))
def test_name_mapping_keeps_the_decided_order(values: list[str]) -> None:
    mapping = name_mapping(values)
    assert len(set(mapping.values())) == len(values)
    for a, b in itertools.combinations(values, 2):
        ma, mb = mapping[a], mapping[b]
        folded = _sign(a.casefold(), b.casefold())
        assert _sign(ma.casefold(), mb.casefold()) == folded
        if _sign(a, b) == folded or folded == 0:
            assert _sign(ma, mb) == _sign(a, b)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["recorded", "anonymised"])
def test_contract_suite_passes_on_the_replayed_recording(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    which: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    path: Path = request.getfixturevalue(which)
    with start_mock(data=path) as mock:
        target = mock.target()
        out, err = io.StringIO(), io.StringIO()
        argv = ["verify", "--url", target.url, "--app-id", target.app_id, "--account-id"]
        argv += [target.account_id, "--token", mock.token, "--max-examples", "3", "--seed", "7"]
        code = run_cli(argv, out, err)
    assert code == 0, out.getvalue()[-3000:]
    report = json.loads((tmp_path / "reports" / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "passed"
