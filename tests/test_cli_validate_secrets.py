"""Credentials inside a HAR never appear in anything ``validate`` prints, in any format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from campaign_contract.cli._reporters import REPORTERS

FIXTURES = Path(__file__).parent / "fixtures"
CAPTURE = FIXTURES / "capture.har"
SCRIPT = Path(sys.executable).parent / "campaign-contract"
SENTINEL = "SENTINEL-7c1d-TOKEN"


def test_the_capture_really_carries_the_sentinel_in_every_credential_place() -> None:
    har = json.loads(CAPTURE.read_text(encoding="utf-8"))
    request = har["log"]["entries"][0]["request"]
    assert {h["name"] for h in request["headers"] if SENTINEL in h["value"]} == {
        "auth",
        "Authorization",
        "Cookie",
        "X-Auth-Token",
    }
    assert SENTINEL in request["url"] and SENTINEL in json.dumps(request["cookies"])
    assert SENTINEL in json.dumps(har["log"]["entries"][0]["response"]["headers"])


def leaky_capture(tmp_path: Path) -> Path:
    """The fixture plus entries whose problems are reported: a request body carrying a
    credential-named field, and a file cut off right inside a credential header."""
    har = json.loads(CAPTURE.read_text(encoding="utf-8"))
    entry = json.loads(json.dumps(har["log"]["entries"][1]))
    entry["request"]["postData"]["text"] = json.dumps({"type": "voice", "auth": SENTINEL})
    har["log"]["entries"].append(entry)
    path = tmp_path / "leaky.har"
    path.write_text(json.dumps(har), encoding="utf-8")
    text = json.dumps(har)
    cut = tmp_path / "cut.har"
    cut.write_text(text[: text.index(SENTINEL) + 5], encoding="utf-8")
    return path


@pytest.mark.parametrize("output", sorted(REPORTERS))
@pytest.mark.parametrize("extra", [[], ["--strict", "--type", "sms"]])
def test_no_output_format_reveals_a_credential(
    tmp_path: Path, output: str, extra: list[str]
) -> None:
    leaky = leaky_capture(tmp_path)
    done = subprocess.run(
        [
            str(SCRIPT),
            "validate",
            "--format",
            output,
            *extra,
            str(CAPTURE),
            str(leaky),
            str(tmp_path / "cut.har"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert done.stdout, "the run must report something for the check to mean anything"
    assert "getAllCampaignDetails" not in done.stderr
    assert SENTINEL not in done.stdout
    assert SENTINEL not in done.stderr
    assert SENTINEL[:12] not in done.stdout + done.stderr


def test_stdin_capture_reveals_no_credential() -> None:
    done = subprocess.run(
        [str(SCRIPT), "validate", "--format", "json", "--strict", "-"],
        input=CAPTURE.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1 and done.stdout
    assert SENTINEL.encode() not in done.stdout + done.stderr
