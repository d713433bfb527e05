"""``campaign-contract validate`` end to end: inputs, formats, options and exit codes."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from campaign_contract import Violation
from campaign_contract.cli import _main as cli_main
from campaign_contract.cli import main
from campaign_contract.cli._reporters import REPORTERS

FIXTURES = Path(__file__).parent / "fixtures"
CAPTURE = FIXTURES / "capture.har"
SCRIPT = Path(sys.executable).parent / "campaign-contract"


def sample(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"response-{kind}.json").read_text("utf-8"))
    return loaded


def write(path: Path, doc: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def with_number_priority(kind: str, index: int) -> dict[str, Any]:
    doc = copy.deepcopy(sample(kind))
    doc["data"]["results"][index]["priority"] = 5
    return doc


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "validate", "--format", "json", *args)
    assert err == ""
    report: dict[str, Any] = json.loads(out)
    return code, report


@pytest.fixture(autouse=True)
def in_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def test_installed_command_accepts_the_doc_samples_from_an_empty_directory(
    in_empty_directory: Path,
) -> None:
    for kind in ("voice", "sms"):
        shutil.copy(FIXTURES / f"response-{kind}.json", in_empty_directory)
    done = subprocess.run(
        [str(SCRIPT), "validate", "response-voice.json", "response-sms.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "OK: 2 documents checked, 2 valid, 0 invalid (0 errors, 0 warnings)\n"


@pytest.mark.parametrize(("kind", "index"), [("voice", 2), ("sms", 4)])
def test_priority_as_number_is_rejected_with_its_pointer(
    capsys: pytest.CaptureFixture[str], kind: str, index: int
) -> None:
    write(Path("bad.json"), with_number_priority(kind, index))
    code, report = run_json(capsys, "bad.json")
    assert code == 1
    assert report == {
        "ok": False,
        "documents": [
            {
                "source": "bad.json",
                "entry": None,
                "kind": "response",
                "valid": False,
                "errors": [
                    {
                        "pointer": f"/data/results/{index}/priority",
                        "message": "5 is not of type 'string'",
                        "check": "schema",
                        "severity": "error",
                    }
                ],
            }
        ],
    }


def test_text_format_prints_one_line_per_violation_and_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(Path("good.json"), sample("voice"))
    lines = [json.dumps(sample("sms")), "", json.dumps(with_number_priority("sms", 1))]
    Path("dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write(Path("array.json"), [1, 2])
    code, out, err = run(capsys, "validate", "good.json", "dump.jsonl", "array.json")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "dump.jsonl:3: /data/results/1/priority: 5 is not of type 'string' [schema]",
        "array.json: (root): the document is not a response object (it is an array) [schema]",
        "FAILED: 4 documents checked, 2 valid, 2 invalid (2 errors, 0 warnings)",
    ]


def test_json_format_is_exactly_one_object_of_the_documented_shape(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(Path("good.json"), sample("voice"))
    Path("dump.jsonl").write_text(json.dumps(with_number_priority("voice", 0)) + "\n")
    code, report = run_json(capsys, "good.json", "dump.jsonl", str(CAPTURE))
    assert code == 1
    assert set(report) == {"ok", "documents"} and report["ok"] is False
    for document in report["documents"]:
        assert set(document) == {"source", "entry", "kind", "valid", "errors"}
        assert isinstance(document["source"], str)
        assert document["entry"] is None or isinstance(document["entry"], int)
        assert document["valid"] is (not any(e["severity"] == "error" for e in document["errors"]))
        for error in document["errors"]:
            assert set(error) == {"pointer", "message", "check", "severity"}
            assert error["severity"] in {"error", "warning"}
    entries = [(d["source"], d["entry"]) for d in report["documents"]]
    assert entries[:2] == [("good.json", None), ("dump.jsonl", 1)]
    assert [e for s, e in entries[2:]] == [0, 1, 2, 3, 5]


def test_json_format_of_a_valid_run_says_ok(capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("good.json"), sample("sms"))
    code, report = run_json(capsys, "good.json")
    assert (code, report["ok"], report["documents"][0]["valid"]) == (0, True, True)


def test_har_entries_are_checked_by_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, str(CAPTURE))
    assert code == 1
    verdicts = {
        d["entry"]: (d["valid"], [(e["pointer"], e["check"]) for e in d["errors"]])
        for d in report["documents"]
    }
    assert verdicts == {
        0: (True, []),
        1: (False, [("/data/results/1/priority", "schema")]),
        2: (False, [("/type", "request-schema")]),
        3: (False, [("", "server-error"), ("", "error-schema")]),
        5: (True, []),
    }


def test_text_summary_counts_ignored_har_entries(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(CAPTURE))
    assert code == 1
    assert out.splitlines()[-1] == (
        "FAILED: 5 documents checked, 2 valid, 3 invalid (4 errors, 0 warnings); "
        "1 other HAR entry ignored (not getAllCampaignDetails)"
    )


def har_with(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "t", "version": "1"},
            "entries": list(entries),
        }
    }


def exchange(status: int, body: Any, request: Any = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "request": {
            "method": "POST",
            "url": "https://h/campaign/api/v2/public/st-1/campaign/getAllCampaignDetails",
            "headers": [],
        },
        "response": {"status": status, "content": {"text": json.dumps(body)}},
    }
    if request is not None:
        entry["request"]["postData"] = {"mimeType": "application/json", "text": json.dumps(request)}
    return entry


def test_har_error_responses_are_checked_against_the_error_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(
        Path("errors.har"),
        har_with(
            exchange(404, {"status": "error", "message": "not found"}, {"type": "voice"}),
            exchange(401, {"status": 401}, {"type": "voice"}),
            exchange(429, [1], {"type": "voice"}),
            exchange(500, {"status": "error"}, {"type": "voice"}),
        ),
    )
    code, report = run_json(capsys, "errors.har")
    assert code == 1
    assert [[(e["pointer"], e["check"]) for e in d["errors"]] for d in report["documents"]] == [
        [],
        [("/status", "error-schema")],
        [("", "error-schema")],
        [("", "server-error")],
    ]


def test_har_refusals_under_http_200_are_checked_as_error_bodies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The page documents no error status: an envelope with ``status: error`` and no ``data``
    under a 2xx is a refusal, judged as an error body, not a listing (S-46)."""
    write(
        Path("refusals.har"),
        har_with(
            exchange(200, {"status": "error", "message": "no", "code": 400}, {"type": "voice"}),
            exchange(200, {"status": "Error", "message": 7}, {"type": "voice"}),
            exchange(200, {"status": "error", "data": {}}, {"type": "voice"}),
        ),
    )
    _, report = run_json(capsys, "refusals.har")
    errors = [[(e["pointer"], e["check"]) for e in d["errors"]] for d in report["documents"]]
    assert errors[:2] == [[], [("/message", "error-schema")]]
    assert errors[2] and all(check == "schema" for _, check in errors[2])  # data: a listing


def test_har_request_type_decides_the_response_schema(capsys: pytest.CaptureFixture[str]) -> None:
    write(
        Path("typed.har"),
        har_with(exchange(200, sample("voice"), {"type": "sms"}), exchange(200, sample("voice"))),
    )
    _, report = run_json(capsys, "--type", "voice", "typed.har")
    asked_sms, untyped = report["documents"]
    assert asked_sms["valid"] is False and untyped["valid"] is True
    assert untyped["errors"] == [
        {
            "pointer": "",
            "message": "the capture holds no request body; request not checked",
            "check": "input",
            "severity": "warning",
        }
    ]


def single_sms_page() -> dict[str, Any]:
    """An SMS page the strict profile accepts: one result, no undocumented field."""
    doc = copy.deepcopy(sample("sms"))
    doc["data"]["results"] = doc["data"]["results"][1:2]
    doc["data"]["totalResults"] = 1
    return doc


def test_type_option_selects_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("sms.json"), single_sms_page())
    assert run(capsys, "validate", "--strict", "--type", "sms", "sms.json")[0] == 0
    assert run(capsys, "validate", "--strict", "--type", "auto", "sms.json")[0] == 0
    code, report = run_json(capsys, "--strict", "--type", "voice", "sms.json")
    pointers = {e["pointer"] for e in report["documents"][0]["errors"]}
    assert code == 1
    assert "/data/results/0/totalMessagesSent" in pointers


def test_strict_reports_what_the_documented_profile_accepts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(Path("sms.json"), sample("sms"))
    assert run_json(capsys, "sms.json")[0] == 0
    code, report = run_json(capsys, "--strict", "sms.json")
    pointers = {e["pointer"] for e in report["documents"][0]["errors"]}
    assert code == 1
    assert {"/data/results/4/campaignInstanceId", "/data/results/0/updatedAt"} <= pointers


def test_directories_are_read_recursively_in_sorted_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(Path("caps/b/two.json"), with_number_priority("voice", 3))
    write(Path("caps/a.json"), sample("voice"))
    Path("caps/b/notes.txt").write_text("ignored")
    code, report = run_json(capsys, "caps")
    assert code == 1
    assert [(d["source"], d["valid"]) for d in report["documents"]] == [
        (str(Path("caps/a.json")), True),
        (str(Path("caps/b/two.json")), False),
    ]


def run_stdin(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), "validate", *args, "-"], input=data, capture_output=True, check=False
    )


def test_stdin_holds_one_response() -> None:
    done = run_stdin(
        json.dumps(with_number_priority("voice", 4), indent=2).encode(), "--format", "json"
    )
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert report["documents"][0]["source"] == "<stdin>"
    assert report["documents"][0]["entry"] is None
    assert report["documents"][0]["errors"][0]["pointer"] == "/data/results/4/priority"


def test_stdin_holds_jsonl() -> None:
    lines = [json.dumps(sample("voice")), json.dumps(with_number_priority("voice", 0))]
    done = run_stdin(("\n".join(lines) + "\n").encode())
    assert done.returncode == 1
    assert done.stdout.decode().splitlines()[0] == (
        "<stdin>:2: /data/results/0/priority: 5 is not of type 'string' [schema]"
    )


def test_stdin_holds_a_har() -> None:
    done = run_stdin(CAPTURE.read_bytes(), "--format", "json")
    assert [d["entry"] for d in json.loads(done.stdout)["documents"]] == [0, 1, 2, 3, 5]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["validate"], "the following arguments are required: PATH"),
        (["validate", "--type", "fax", "x.json"], "argument --type: invalid choice: 'fax'"),
        (["validate", "--format", "xml", "x.json"], "argument --format: invalid choice: 'xml'"),
        (["validate", "--jobz", "x.json"], "unrecognized arguments: --jobz"),
    ],
)
def test_usage_errors_exit_2_with_usage_and_no_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("usage: campaign-contract")
    assert message in err and "Traceback" not in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--help")
    assert code == 0
    assert "--format {html,json,text}" in out and "--strict" in out


def test_format_choices_come_from_the_reporters_dict(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class CountingReporter:
        def __init__(self, out: Any) -> None:
            self.out = out

        def document(self, result: Any) -> None:
            self.out.write(f"{result.source} {result.valid}\n")

        def finish(self, totals: Any) -> None:
            self.out.write(f"{totals.documents} documents\n")

    monkeypatch.setitem(REPORTERS, "count", CountingReporter)
    write(Path("good.json"), sample("voice"))
    code, out, _ = run(capsys, "validate", "--format", "count", "good.json")
    assert (code, out) == (0, "good.json True\n1 documents\n")


@pytest.mark.parametrize("command", ["mock", "verify"])
def test_subcommand_without_its_module_is_reported_not_available(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    missing = cli_main.Subcommand("h", "campaign_contract._nowhere", "add_x", "run_x")
    monkeypatch.setitem(cli_main.SUBCOMMANDS, command, missing)
    code, out, err = run(capsys, command, "--port", "1")
    assert (code, out) == (2, "")
    assert err.startswith(f"campaign-contract {command}: not available in this installation")
    assert "Traceback" not in err


def test_subcommand_module_is_loaded_lazily_and_given_args_out_err(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("campaign_contract._fake_command")
    seen: list[Any] = []

    def add_arguments(parser: Any) -> None:
        parser.add_argument("--port", type=int)

    def run_fake(args: Any, out: Any, err: Any) -> int:
        seen.append(args.port)
        out.write("served\n")
        return 3

    fake.add_arguments = add_arguments  # type: ignore[attr-defined]
    fake.run_fake = run_fake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    monkeypatch.setitem(
        cli_main.SUBCOMMANDS,
        "mock",
        cli_main.Subcommand("h", fake.__name__, "add_arguments", "run_fake"),
    )
    assert run(capsys, "mock", "--port", "8080") == (3, "served\n", "")
    assert seen == [8080]


def test_an_unexpected_failure_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("campaign_contract.cli._validate.validate_inputs_parallel", explode)
    code, out, err = run(capsys, "validate", "x.json")
    assert (code, out) == (2, "")
    assert err == "campaign-contract: internal error: RuntimeError: disk on fire\n"


def test_a_check_that_crashes_on_one_document_does_not_stop_the_others(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from campaign_contract.captures import _run as _validation_run

    original = _validation_run.detect_and_validate  # what checks a response of no given type

    def fragile(doc: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[Violation]]:
        if doc.get("message") == "boom":
            raise KeyError("boom")
        return original(doc, *args, **kwargs)

    monkeypatch.setattr(_validation_run, "detect_and_validate", fragile)
    write(Path("a.json"), {**sample("voice"), "message": "boom"})
    write(Path("b.json"), with_number_priority("voice", 0))
    code, report = run_json(capsys, "a.json", "b.json")
    assert code == 1
    first, second = report["documents"]
    assert first["errors"][0]["check"] == "internal"
    assert "KeyError" in first["errors"][0]["message"]
    assert second["errors"][0]["pointer"] == "/data/results/0/priority"


def test_pairs_of_a_har_go_to_check_pair(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from campaign_contract.captures import _run as _validation_run

    calls: list[tuple[Any, ...]] = []

    def fake_check_pair(
        request: Any, response: Any, kind: Any, *, status_code: Any, detected: Any
    ) -> list[Violation]:
        calls.append((request["type"], kind, status_code))
        return [Violation("/data/hasMore", "hasMore disagrees", "has-more")]

    monkeypatch.setattr(_validation_run, "pair_checker", lambda: fake_check_pair)
    code, report = run_json(capsys, str(CAPTURE))
    assert code == 1
    assert calls == [
        ("voice", "voice", 200),
        ("voice", "voice", 200),
        ("fax", None, 400),
        ("voice", "voice", 200),
    ]
    first = report["documents"][0]
    assert first["valid"] is False
    assert first["errors"] == [
        {
            "pointer": "/data/hasMore",
            "message": "hasMore disagrees",
            "check": "has-more",
            "severity": "error",
        }
    ]


def test_html_format_and_report_dir_give_the_report_treatment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = json.loads((FIXTURES / "response-sms.json").read_text())
    bad["data"]["results"][1]["priority"] = 5
    target = tmp_path / "bad.json"
    target.write_text(json.dumps(bad))
    reports = tmp_path / "reports"
    code = main(["validate", "--format", "html", "--report-dir", str(reports), str(target)])
    page = capsys.readouterr().out
    assert code == 1
    assert page.startswith("<!doctype html>")
    assert "/data/results/1/priority" in page
    assert sorted(p.name for p in reports.iterdir()) == ["report.html", "report.json", "summary.md"]
    written = json.loads((reports / "report.json").read_text())
    assert written["verdict"] == "failed"
    assert "/data/results/1/priority" in (reports / "summary.md").read_text()
