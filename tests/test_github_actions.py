"""The documented GitHub Actions workflow: its steps, run as Actions would run them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "github-actions.yml"
EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")
INSTALL_STEP = "Install campaign-contract"


def steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = workflow["jobs"]["contract"]["steps"]
    return found


def test_readme_shows_the_workflow_file_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert WORKFLOW.read_text(encoding="utf-8").strip() in readme


def test_workflow_installs_verifies_summarises_and_keeps_junit() -> None:
    named = {s.get("name", s.get("uses", "")): s for s in steps()}
    assert "pip install" in named[INSTALL_STEP]["run"]
    assert named["Verify the contract"]["run"].startswith("campaign-contract verify")
    assert "$GITHUB_STEP_SUMMARY" in named["Summary"]["run"]
    assert named["Summary"]["if"] == "always()"
    kept = named["Keep the reports"]
    assert kept["uses"].startswith("actions/upload-artifact@") and kept["if"] == "always()"
    assert "reports/junit.xml" in kept["with"]["path"].split()
    secrets = named["Verify the contract"]["env"]["CAMPAIGN_CLIENT_SECRET"]
    assert "secrets." in secrets


@pytest.mark.slow
def test_the_workflows_commands_run_as_actions_runs_them(tmp_path: Path) -> None:
    """Every ``run`` step but the install (this environment has the toolkit installed), in
    order, with ``bash -e``, the step's env (unset repository variables are empty, as on
    Actions: the embedded mock is used) and ``GITHUB_STEP_SUMMARY`` pointing at a file."""
    summary = tmp_path / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    base = {
        **os.environ,
        "GITHUB_STEP_SUMMARY": str(summary),
        "CAMPAIGN_MAX_EXAMPLES": "3",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for step in steps():
        if "run" not in step or step.get("name") == INSTALL_STEP:
            continue
        env = {**base, **{k: EXPRESSION.sub("", str(v)) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, (step["name"], done.stdout[-2000:], done.stderr[-2000:])
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## ") and "passed" in text
    kept = next(s for s in steps() if s.get("name") == "Keep the reports")
    for path in kept["with"]["path"].split():
        assert (tmp_path / path).is_file(), path
