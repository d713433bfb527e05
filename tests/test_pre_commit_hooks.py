"""``.pre-commit-hooks.yaml``: the hooks run ``validate`` on the files pre-commit passes them."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from campaign_contract.cli._main import SUBCOMMANDS, run_cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
REQUIRED_KEYS = {"id", "name", "entry", "language"}


def hooks() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return loaded


def run_hook(hook: dict[str, Any], files: list[Path]) -> tuple[int, str]:
    """What pre-commit does: ``entry`` + ``args`` + the staged file names that match."""
    program, *argv = shlex.split(hook["entry"])
    assert program == "campaign-contract"
    out, err = io.StringIO(), io.StringIO()
    code = run_cli([*argv, *hook.get("args", []), *map(str, files)], out, err)
    return code, out.getvalue() + err.getvalue()


def test_every_hook_is_well_formed_and_runs_a_subcommand() -> None:
    found = hooks()
    assert [h["id"] for h in found] == [
        "campaign-contract-validate",
        "campaign-contract-validate-strict",
    ]
    for hook in found:
        assert REQUIRED_KEYS <= set(hook)
        assert hook["language"] == "python"
        assert shlex.split(hook["entry"])[1] in SUBCOMMANDS


@pytest.mark.parametrize(
    ("name", "matched"),
    [
        ("captures/page.json", True),
        ("captures/run.jsonl", True),
        ("traffic/session.har", True),
        ("README.md", False),
        ("page.json.bak", False),
        ("schema.yaml", False),
    ],
)
def test_files_pattern_matches_json_jsonl_and_har(name: str, matched: bool) -> None:
    for hook in hooks():
        assert bool(re.search(hook["files"], name)) is matched


def test_hook_passes_valid_captures_and_fails_a_broken_one(tmp_path: Path) -> None:
    hook = hooks()[0]
    valid = [FIXTURES / "response-voice.json", FIXTURES / "response-sms.json"]
    code, output = run_hook(hook, valid)
    assert code == 0, output
    broken = tmp_path / "broken.json"
    text = (FIXTURES / "response-voice.json").read_text(encoding="utf-8")
    broken.write_text(text.replace('"priority": "5"', '"priority": 5', 1), encoding="utf-8")
    assert text != broken.read_text(encoding="utf-8")
    code, output = run_hook(hook, [*valid, broken])
    assert code == 1
    assert "broken.json" in output and "[schema]" in output


def test_strict_hook_reports_what_the_documented_one_accepts() -> None:
    sample = [FIXTURES / "response-voice.json"]
    documented, strict = hooks()
    assert run_hook(documented, sample)[0] == 0
    code, output = run_hook(strict, sample)
    assert code == 1 and "undocumented-field" in output


def test_hook_validates_a_har_capture() -> None:
    code, output = run_hook(hooks()[0], [FIXTURES / "capture.har"])
    assert code == 1 and "capture.har" in output
