"""The run's cache shared through its folder: what one process wrote, another reads as it was."""

from __future__ import annotations

from pathlib import Path

from campaign_contract.client._exchange import Exchange
from campaign_contract.harness._run_cache import RunCache, request_key


def _exchange(request_body: object, response_body: object) -> Exchange:
    return Exchange(
        method="POST",
        url="http://127.0.0.1:1/x",
        request_headers={"auth": "***"},
        request_body=request_body,
        status=200,
        response_headers={"Content-Type": "application/json"},
        response_body=response_body,
        response_text="{}",
        raw_request_body=b"\xff\x00raw",
    )


def test_an_answer_written_by_one_process_is_read_whole_by_another(tmp_path: Path) -> None:
    cases = [
        ({"type": "voice", "limit": 5}, {"results": [{"name": "é ☃", "id": 1}], "more": True}),
        ({"type": "voice", "page": 10**40}, {"status": "error"}),  # past 64 bits: kept exact
        ({"type": "sms"}, {"name": "\ud800 lone surrogate"}),
        ({"type": "voice"}, {"totalResults": float("inf"), "page": float("-inf")}),  # 1e400
    ]
    for request_body, response_body in cases:
        key = request_key(request_body, None, None, ())
        writer, reader = RunCache(folder=tmp_path), RunCache(folder=tmp_path)
        exchange = _exchange(request_body, response_body)
        writer.put(key, exchange)
        assert reader.get(key) == exchange


def test_not_a_number_is_read_back_as_not_a_number(tmp_path: Path) -> None:
    key = request_key({"type": "voice"}, None, None, ())
    RunCache(folder=tmp_path).put(key, _exchange({"type": "voice"}, {"x": float("nan")}))
    found = RunCache(folder=tmp_path).get(key)
    assert found is not None and found.response_body["x"] != found.response_body["x"]


def test_a_damaged_answer_file_is_a_miss(tmp_path: Path) -> None:
    key = request_key({"type": "voice"}, None, None, ())
    (tmp_path / f"{key}.json").write_bytes(b"{not json")
    assert RunCache(folder=tmp_path).get(key) is None


def test_exact_json_is_orjson_text_unless_orjson_would_change_the_value() -> None:
    import json

    from campaign_contract._json import dumps_exact

    for value in [
        {"a": None, "b": [1, 2.5, "x"]},
        {"n": 10**40},
        {"s": "\ud800"},
        {"f": float("inf")},
        {1: "key not a string"},
    ]:
        assert json.loads(dumps_exact(value)) == json.loads(json.dumps(value))
    assert dumps_exact({"a": None}) == '{"a":null}'  # orjson's text: it wrote the value as is


def test_writing_an_answer_leaves_no_scratch_file(tmp_path: Path) -> None:
    cache = RunCache(folder=tmp_path)
    for limit in range(5):
        key = request_key({"type": "voice", "limit": limit}, None, None, ())
        cache.put(key, _exchange({"type": "voice", "limit": limit}, {"data": None}))
        cache.put(key, _exchange({"type": "voice", "limit": limit}, {"data": [limit]}))
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json"] * 5
    assert RunCache(folder=tmp_path).get(key).response_body == {"data": [4]}  # type: ignore[union-attr]
