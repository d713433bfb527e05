"""The names and auth cases a worker leaves for its controller in the run's shared folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from campaign_contract.harness._checks_index import INDEX_FILE, read_index, write_index
from campaign_contract.harness._coverage import auth_cases


def test_what_a_worker_writes_its_controller_reads(tmp_path: Path) -> None:
    names = {"suite/test_filters.py::test_filter[filter-status]": "filter-status", "x": "y"}
    write_index(tmp_path, names, ["x"])
    index = read_index(tmp_path)
    assert index is not None
    assert index.names == names and index.repeated == {"x"}
    assert list(index.auth_cases.items()) == list(auth_cases().items())  # in the registry's order
    assert "auth-missing" in index.auth_cases
    assert [p.name for p in tmp_path.iterdir()] == [INDEX_FILE]  # no scratch file left


@pytest.mark.parametrize(
    "content",
    [
        "",
        '{"names": {"a": "b"}',
        "[]",
        '{"names": {"a": "b"}, "repeated": []}',
        '{"names": {"a": 1}, "repeated": [], "auth_cases": {}}',
        '{"names": [], "repeated": [], "auth_cases": {}}',
        '{"names": {}, "auth_cases": {}}',
        '{"names": {}, "repeated": {"a": "b"}, "auth_cases": {}}',
        '{"names": {}, "repeated": [1], "auth_cases": {}}',
    ],
    ids=[
        "empty",
        "half written",
        "not an object",
        "no auth cases",
        "a name not text",
        "names a list",
        "no repeated",
        "repeated not a list",
        "a repeated id not text",
    ],
)
def test_a_file_not_whole_and_well_formed_is_no_index(tmp_path: Path, content: str) -> None:
    (tmp_path / INDEX_FILE).write_text(content, encoding="utf-8")
    assert read_index(tmp_path) is None


def test_without_a_folder_or_a_file_there_is_no_index(tmp_path: Path) -> None:
    assert read_index(None) is None
    assert read_index(tmp_path) is None


def test_a_folder_that_cannot_be_written_leaves_no_index_and_raises_nothing(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "gone"
    write_index(missing, {"a": "b"})
    assert not missing.exists() and read_index(missing) is None


def test_the_index_is_plain_json_the_controller_can_read_without_the_checks(
    tmp_path: Path,
) -> None:
    write_index(tmp_path, {"x::test_crawl": "crawl"})
    data = json.loads((tmp_path / INDEX_FILE).read_text(encoding="utf-8"))
    assert data["names"] == {"x::test_crawl": "crawl"}
