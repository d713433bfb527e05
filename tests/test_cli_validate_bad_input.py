"""Bad input: one clear line per document, never a traceback, and the rest still checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from campaign_contract.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SCRIPT = Path(sys.executable).parent / "campaign-contract"
VOICE = (FIXTURES / "response-voice.json").read_bytes()
LATIN1_OFFSET = VOICE.index(b'"Preview"') + 3
DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def har(entries: list[Any]) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": entries}}).encode()


def endpoint_entry(body: bytes) -> dict[str, Any]:
    return {
        "request": {
            "method": "POST",
            "url": "https://h/c/getAllCampaignDetails",
            "headers": [],
            "postData": {"mimeType": "application/json", "text": '{"type": "voice"}'},
        },
        "response": {"status": 200, "content": {"text": body.decode("utf-8", "replace")}},
    }


# file name → (content, expected (check, message)) for each class of bad input
BAD_INPUTS: dict[str, tuple[bytes, tuple[str, str]]] = {
    "empty.json": (b"", ("input", "empty document: no JSON text")),
    "truncated.json": (
        VOICE[:500],
        (
            "input",
            "truncated JSON: the text ends before the document is complete (line 12 column 30)",
        ),
    ),
    "binary.json": (bytes(range(256)) * 64, ("input", "binary data, not JSON text")),
    "latin1.json": (
        VOICE.replace(b'"Preview"', b'"Pr\xe9view"', 1),
        ("input", f"not UTF-8 text: invalid byte 0xe9 at offset {LATIN1_OFFSET}"),
    ),
    "error-page.json": (
        b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>\n",
        ("input", "an HTML page, not JSON"),
    ),
    "array.json": (b"[{}]", ("schema", "the document is not a response object (it is an array)")),
    "string.json": (b'"ok"', ("schema", "the document is not a response object (it is a string)")),
    "deep.json": (DEEP, ("input", "JSON nested deeper than 1024 levels")),
    "deep-object.json": (DEEP_OBJECT, ("input", "JSON nested deeper than 1024 levels")),
    "no-entries.har": (har([]), ("input", "HAR holds no entries")),
    "not-a-har.har": (b'{"entries": []}', ("input", 'not a HAR file: no top-level "log" object')),
    "deep-body.har": (
        har([endpoint_entry(DEEP)]),
        ("schema", "response body: JSON nested deeper than 1024 levels"),
    ),
    "empty-lines.jsonl": (b"\n \n", ("input", "empty file: no JSON lines")),
}


def check_all(paths: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "json", *paths])
    out, err = capsys.readouterr()
    assert err == ""
    report: dict[str, Any] = json.loads(out)
    return code, report


@pytest.fixture
def bad_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name, (content, _) in BAD_INPUTS.items():
        (folder / name).write_bytes(content)
    (folder / "zz-valid.json").write_bytes(VOICE)
    return folder


def test_every_bad_input_is_one_clear_error_and_the_rest_is_still_checked(
    bad_inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = check_all(["inputs"], capsys)
    assert code == 1 and report["ok"] is False
    by_name = {Path(d["source"]).name: d for d in report["documents"]}
    assert set(by_name) == {*BAD_INPUTS, "zz-valid.json"}
    for name, (_, (check, message)) in BAD_INPUTS.items():
        document = by_name[name]
        assert document["valid"] is False, name
        assert [(e["pointer"], e["check"], e["message"]) for e in document["errors"]] == [
            ("", check, message)
        ], name
    assert by_name["zz-valid.json"]["valid"] is True


def test_text_output_has_one_line_per_bad_input_and_no_traceback(bad_inputs: Path) -> None:
    done = subprocess.run(
        [str(SCRIPT), "validate", "inputs"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == len(BAD_INPUTS) + 1
    for name in BAD_INPUTS:
        where = str(Path("inputs") / name)
        assert sum(1 for line in lines if line.startswith((f"{where}: ", f"{where}:0: "))) == 1
    assert lines[-1].startswith(f"FAILED: {len(BAD_INPUTS) + 1} documents checked, 1 valid")


def test_unreadable_input_is_a_document_with_an_input_error(
    bad_inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = check_all(
        ["missing.json", "inputs/zz-valid.json", "inputs/subdir-missing"], capsys
    )
    assert code == 1
    assert [
        (d["source"], d["valid"], [e["check"] for e in d["errors"]]) for d in report["documents"]
    ] == [
        ("missing.json", False, ["input"]),
        ("inputs/zz-valid.json", True, []),
        ("inputs/subdir-missing", False, ["input"]),
    ]
    assert (
        report["documents"][0]["errors"][0]["message"] == "cannot read: No such file or directory"
    )


def test_a_directory_without_inputs_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("nothing to check")
    code, report = check_all([str(tmp_path)], capsys)
    assert code == 1
    assert report["documents"][0]["errors"][0]["message"] == (
        "directory holds no .json, .jsonl or .har files"
    )


def test_bad_lines_of_a_jsonl_file_do_not_hide_the_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    compact = json.dumps(json.loads(VOICE)).encode()
    path.write_bytes(b"\n".join([compact, b"{", b"\xff\xfe", DEEP, b"null", compact]) + b"\n")
    code, report = check_all([str(path)], capsys)
    assert code == 1
    assert [(d["entry"], d["valid"]) for d in report["documents"]] == [
        (1, True),
        (2, False),
        (3, False),
        (4, False),
        (5, False),
        (6, True),
    ]
    messages = [d["errors"][0]["message"] for d in report["documents"] if d["errors"]]
    assert messages == [
        "truncated JSON: the text ends before the document is complete (line 1 column 2)",
        "not UTF-8 text: invalid byte 0xff at offset 0",
        "JSON nested deeper than 1024 levels",
        "the document is not a response object (it is null)",
    ]


def test_a_huge_invalid_value_gives_a_bounded_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(VOICE)
    doc["data"]["results"] = {"x": "y" * 1_000_000}
    (tmp_path / "huge.json").write_text(json.dumps(doc))
    _, report = check_all([str(tmp_path / "huge.json")], capsys)
    (error,) = report["documents"][0]["errors"]
    assert error["pointer"] == "/data/results"
    assert len(error["message"]) < 600


def test_a_file_name_that_is_not_utf8_is_escaped_not_fatal(tmp_path: Path) -> None:
    odd = tmp_path / "odd\udcff.json"  # the file system name holds the byte 0xff
    odd.write_bytes(VOICE)
    done = subprocess.run(
        [str(SCRIPT), "validate", "--format", "json", str(tmp_path)],
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout)["documents"][0]["source"].endswith("odd\udcff.json")
