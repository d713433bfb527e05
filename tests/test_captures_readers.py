"""The capture readers: JSON, JSONL, HAR (streamed), directories and stdin, as documents."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from campaign_contract._json import MAX_DEPTH, parse_json
from campaign_contract._secrets import mask_url
from campaign_contract.captures._documents import Document, ReadStats
from campaign_contract.captures._har import (
    HarError,
    har_entries,
    is_endpoint,
)
from campaign_contract.captures._inputs import STDIN_SOURCE, files_under, iter_documents
from campaign_contract.captures._jsonl import buffer_documents, line_documents
from hypothesis import given
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures"
CAPTURE = FIXTURES / "capture.har"


def read(paths: list[str], stdin: bytes | None = None) -> tuple[list[Document], ReadStats]:
    stats = ReadStats()
    stream = io.BytesIO(stdin) if stdin is not None else None
    return list(iter_documents(paths, stdin=stream, stats=stats)), stats


def test_json_file_is_one_document_with_no_entry(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(b'{"status": "success"}')
    (document,), _ = read([str(path)])
    assert (document.source, document.entry, document.body) == (
        str(path),
        None,
        b'{"status": "success"}',
    )
    assert document.problem is None and document.request is None


def test_jsonl_yields_one_document_per_non_blank_line_numbered_from_one(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(b'{"a": 1}\n\n   \n{"b": 2}\r\n{"c": 3}')
    documents, _ = read([str(path)])
    assert [(d.entry, d.body) for d in documents] == [
        (1, b'{"a": 1}'),
        (4, b'{"b": 2}'),
        (5, b'{"c": 3}'),
    ]


def test_empty_jsonl_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n\n")
    (document,), _ = read([str(path)])
    assert document.problem == "empty file: no JSON lines"


def test_har_keeps_only_get_all_campaign_details_entries_with_their_index() -> None:
    documents, stats = read([str(CAPTURE)])
    assert [d.entry for d in documents] == [0, 1, 2, 3, 5]
    assert [d.status for d in documents] == [200, 200, 400, 503, 200]
    assert stats.ignored_entries == 1
    assert all(d.request is not None and d.request.method == "POST" for d in documents)


def test_har_base64_body_is_decoded() -> None:
    documents, _ = read([str(CAPTURE)])
    plain, encoded = documents[0], documents[-1]
    assert encoded.body is not None and plain.body is not None
    assert json.loads(encoded.body) == json.loads(plain.body)


def test_har_request_keeps_no_credential() -> None:
    documents, _ = read([str(CAPTURE)])
    for document in documents:
        assert document.request is not None
        kept = repr(document.request)
        assert "SENTINEL" not in kept
        headers = dict(document.request.headers)
        assert headers["auth"] == headers["Authorization"] == headers["Cookie"] == "***"
        assert headers["X-Auth-Token"] == "***"
        assert headers["accountid"] == "67777ce9"
        assert "access_token=***" in document.request.url
        assert "accountId=67777ce9" in document.request.url


def test_mask_url_masks_user_info_and_credential_parameters() -> None:
    url = "https://user:pw@h.example/p/getAllCampaignDetails?accountId=a&api_key=k&Token=t#frag"
    assert (
        mask_url(url)
        == "https://***@h.example/p/getAllCampaignDetails?accountId=a&api_key=***&Token=***"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://h/campaign/api/v2/public/st-1/campaign/getAllCampaignDetails?accountId=1", True),
        ("https://h/campaign/getAllCampaignDetails/", True),
        ("https://h/campaign/getAllCampaignDetailsX", False),
        ("https://h/other?next=/getAllCampaignDetails", False),
    ],
)
def test_endpoint_is_recognised_by_url_path(url: str, expected: bool) -> None:
    assert is_endpoint(url) is expected


def test_json_file_holding_a_har_is_read_as_a_har(tmp_path: Path) -> None:
    path = tmp_path / "capture.json"
    path.write_bytes(CAPTURE.read_bytes())
    documents, stats = read([str(path)])
    assert [d.entry for d in documents] == [0, 1, 2, 3, 5]
    assert stats.ignored_entries == 1


def har_bytes(entries: list[object], *, before: str = "", after: str = "") -> bytes:
    log = '{"version": "1.2", ' + before + '"entries": ' + json.dumps(entries) + after + "}"
    return ('{"log": ' + log + "}").encode()


def endpoint_entry(body: str = '{"status": "success"}', status: int = 200) -> dict[str, object]:
    return {
        "request": {"method": "POST", "url": "https://h/c/getAllCampaignDetails", "headers": []},
        "response": {"status": status, "content": {"text": body}},
    }


def test_har_scanner_handles_keys_in_any_order_and_entries_larger_than_a_chunk() -> None:
    big = json.dumps({"status": "success", "message": "x" * 3_000_000})
    text = (
        b'{"comment": {"nested": [1, {"log": 2}]}, "log": {"pages": [{"id": "p"}], '
        + b'"entries": '
        + json.dumps([endpoint_entry(big), endpoint_entry()]).encode()
        + b', "creator": {"name": "n"}}, "tail": 1}'
    )
    entries = list(har_entries(io.BytesIO(text)))
    assert len(entries) == 2
    assert len(entries[0]["response"]["content"]["text"]) == len(big)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"log": {"version": "1.2", "entries": []}}', "HAR holds no entries"),
        (b'{"log": {"version": "1.2"}}', 'HAR holds no entries: "log" has no "entries" array'),
        (b'{"other": 1}', 'not a HAR file: no top-level "log" object'),
        (b'{"log": {"entries": {}}}', 'not a HAR file: "log.entries" is not an array'),
        (b"[1, 2]", "not a HAR file: the top level is not a JSON object"),
        (b"", "not a HAR file: the top level is not a JSON object"),
        (b'{"log": {"entries": [{"request": {', 'the file ends inside "log.entries" (truncated?)'),
        (
            b'{"log": {"entries": [1 2]}}',
            "expected ',' or ']' in \"log.entries\" at character 23 (after reading 1 entry)",
        ),
        (b'{"log": {"entries": [\xff]}}', "not UTF-8 text near character 0: invalid start byte"),
    ],
)
def test_broken_har_is_one_problem_document(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "broken.har"
    path.write_bytes(content)
    (document,), _ = read([str(path)])
    assert (document.entry, document.body, document.problem) == (None, None, problem)


def test_har_without_an_endpoint_entry_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "other.har"
    entry = endpoint_entry()
    entry["request"] = {"method": "GET", "url": "https://h/other"}
    path.write_bytes(har_bytes([entry, entry]))
    (document,), stats = read([str(path)])
    assert document.problem == "HAR holds no getAllCampaignDetails entries among its 2"
    assert stats.ignored_entries == 2


def test_har_breaking_part_way_keeps_the_entries_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.har"
    whole = har_bytes([endpoint_entry(), endpoint_entry()])
    path.write_bytes(whole[: len(whole) - 30])
    documents, _ = read([str(path)])
    assert [d.entry for d in documents] == [0, None]
    assert (
        documents[1].problem
        == 'the file ends inside "log.entries" (truncated?) (after reading 1 entry)'
    )


def test_har_entry_nested_too_deeply_stops_the_file_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "deep.har"
    path.write_bytes(b'{"log": {"entries": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}}")
    (document,), _ = read([str(path)])
    assert document.problem == '"log.entries" is nested too deeply to read'


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        ({"status": 0, "content": {}}, "no response was recorded (status 0: aborted or blocked)"),
        (
            {"status": 200, "content": {}},
            "the capture holds no response body (content.text is missing)",
        ),
        (
            {"status": 200, "content": {"text": "%%%", "encoding": "base64"}},
            "response body is marked base64 but is not valid base64",
        ),
        ({"content": {"text": "{}"}}, "response has no numeric status"),
    ],
)
def test_har_entry_without_a_usable_response_is_a_problem(
    tmp_path: Path, response: dict[str, object], problem: str
) -> None:
    entry = endpoint_entry()
    entry["response"] = response
    path = tmp_path / "entry.har"
    path.write_bytes(har_bytes([entry]))
    (document,), _ = read([str(path)])
    assert (document.entry, document.problem) == (0, problem)


def test_directory_is_searched_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b/z.json", "b/a.JSONL", "a.har", "c/d/e.json", "notes.txt", "x.json.bak"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"{}")
    found = [p.relative_to(tmp_path).as_posix() for p in files_under(tmp_path)]
    assert found == ["a.har", "b/a.JSONL", "b/z.json", "c/d/e.json"]


def test_empty_directory_is_a_problem(tmp_path: Path) -> None:
    (document,), _ = read([str(tmp_path)])
    assert document.problem == "directory holds no .json, .jsonl or .har files"


def test_missing_file_is_a_problem_and_the_next_input_is_still_read(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_bytes(b"{}")
    documents, stats = read([str(tmp_path / "missing.json"), str(good)])
    assert documents[0].problem == "cannot read: No such file or directory"
    assert documents[1].body == b"{}"
    assert stats.inputs == 2


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": 1}', [(STDIN_SOURCE, None, b'{"a": 1}')]),
        (b'{\n  "a": 1\n}\n', [(STDIN_SOURCE, None, b'{\n  "a": 1\n}\n')]),
        (
            b'\n{"a": 1}\n\n{"b": 2}\n',
            [(STDIN_SOURCE, 2, b'{"a": 1}'), (STDIN_SOURCE, 4, b'{"b": 2}')],
        ),
        (b'{"a": \n1}\n', [(STDIN_SOURCE, None, b'{"a": \n1}\n')]),
    ],
)
def test_stdin_is_sniffed_as_one_json_or_jsonl(
    data: bytes, expected: list[tuple[str, int | None, bytes]]
) -> None:
    documents, _ = read(["-"], stdin=data)
    assert [(d.source, d.entry, d.body) for d in documents] == expected


def test_stdin_holding_a_har_is_read_as_a_har() -> None:
    documents, stats = read(["-"], stdin=CAPTURE.read_bytes())
    assert [d.entry for d in documents] == [0, 1, 2, 3, 5]
    assert stats.ignored_entries == 1


def test_file_with_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n')
    documents, _ = read([str(path)])
    assert [d.entry for d in documents] == [1, 2]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty document: no JSON text"),
        (b"  \n\t", "empty document: no JSON text"),
        (
            b'{"a": [1, 2',
            "truncated JSON: the text ends before the document is complete (line 1 column 12)",
        ),
        (bytes(range(256)) * 4, "binary data, not JSON text"),
        (b'{"name": "caf\xe9"}', "not UTF-8 text: invalid byte 0xe9 at offset 13"),
        (b"<!DOCTYPE html>\n<html><body>Bad Gateway</body></html>", "an HTML page, not JSON"),
        (b"<?xml version='1.0'?><error/>", "markup (starts with '<'), not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested deeper than 1024 levels"),
        (b'{"a": NaN}', "not valid JSON: NaN is not a JSON value"),
        (b'{"a": 1}}', "not valid JSON: Extra data (line 1 column 9)"),
    ],
)
def test_parse_json_explains_every_kind_of_bad_text(data: bytes, problem: str) -> None:
    assert parse_json(data) == (None, problem)


@given(
    st.binary(max_size=60)
    | st.lists(st.sampled_from([b"{}", b" ", b"\r", b"\n", b"\t", b"x"])).map(b"".join),
    st.integers(0, 8),
)
def test_lines_cut_from_a_buffer_are_the_lines_of_the_split_bytes(data: bytes, slack: int) -> None:
    buffer = bytearray(data + b"\n" * slack)  # bytes past the length are not read
    documents, line_ends = buffer_documents("f.jsonl", buffer, len(data))
    lines = data.split(b"\n")
    expected = list(line_documents("f.jsonl", lines))
    assert line_ends == len(lines) - 1
    assert [(d.entry, bytes(d.body or b"")) for d in documents] == [
        (d.entry, d.body) for d in expected
    ]
    assert all(isinstance(d.body, memoryview) for d in documents)  # views, not copies


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'\xef\xbb\xbf{"a": 1}', ({"a": 1}, None)),
        (b'"\\ud800"', ("\ud800", None)),
        (
            b"{",
            (
                None,
                "truncated JSON: the text ends before the document is complete (line 1 column 2)",
            ),
        ),
        (b"\xff\xfe", (None, "not UTF-8 text: invalid byte 0xff at offset 0")),
    ],
)
def test_parse_json_reads_a_view_of_a_larger_buffer_as_its_bytes(
    data: bytes, expected: tuple[object, str | None]
) -> None:
    buffer = b"[" + data + b"]"
    view = memoryview(buffer)[1 : 1 + len(data)]
    assert parse_json(view) == parse_json(data) == expected


def test_parse_json_accepts_what_the_grammar_allows_and_orjson_refuses() -> None:
    assert parse_json(b'"\\ud800"') == ("\ud800", None)
    assert parse_json(b'\xef\xbb\xbf{"a": 1}') == ({"a": 1}, None)
    assert parse_json(b"[" * 1000 + b"]" * 1000)[1] is None


@pytest.mark.parametrize("levels", [1025, 5000, 100_000])
@pytest.mark.parametrize("inner", [b"", b'"\\ud800"', b"123456789012345678901234567890"])
def test_nesting_past_the_limit_is_refused_whatever_the_parser(levels: int, inner: bytes) -> None:
    # orjson refuses these on its own; the reference parser, asked for the lone surrogate and
    # the long integer, would accept thousands of levels on some Python versions.
    text = b"[" * levels + inner + b"]" * levels
    assert parse_json(text) == (None, f"JSON nested deeper than {MAX_DEPTH} levels")
    shallow = b"[" * MAX_DEPTH + inner + b"]" * MAX_DEPTH
    assert parse_json(shallow)[1] is None


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = b'["' + b"[" * 5000 + b'\\"' + b"{" * 5000 + b'", "\\ud800"]'
    assert parse_json(text) == (["[" * 5000 + '"' + "{" * 5000, "\ud800"], None)


def test_har_error_is_an_exception_with_the_message() -> None:
    with pytest.raises(HarError, match="top level is not a JSON object"):
        list(har_entries(io.BytesIO(b'"x"')))
