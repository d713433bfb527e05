"""README's example outputs come from real runs (``benchmarks/readme_examples.py``): the
validate session is compared exactly, the verify blocks' check counts with the suite's."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from campaign_contract.cli._verify import suite_dir

ROOT = Path(__file__).resolve().parent.parent


def examples() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_examples", ROOT / "benchmarks" / "readme_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme_blocks() -> dict[str, str]:
    blocks: dict[str, str] = examples().blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    return blocks


def suite_checks() -> int:
    """How many checks a full run of the packaged suite has (its collected tests)."""
    suite = suite_dir()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--collect-only", "-q", "-p",
         "no:cacheprovider", "--rootdir", str(suite), "-c", "/dev/null"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    return sum(1 for line in done.stdout.splitlines() if "::" in line)


def test_every_generated_block_is_in_the_readme() -> None:
    assert set(readme_blocks()) == set(examples().GENERATORS)


def test_the_validate_session_is_what_validate_prints() -> None:
    assert readme_blocks()["validate"] == examples().validate_block()


def test_the_verify_blocks_count_the_checks_a_run_has() -> None:
    checks = suite_checks()
    assert checks > 40
    blocks = readme_blocks()
    passed = re.search(r"the contract holds \((\d+) checks passed\)", blocks["verify-summary"])
    assert passed is not None and int(passed.group(1)) == checks
    failed = re.search(r"FAILED — (\d+) of (\d+) checks failed: (.*)", blocks["verify-fault"])
    assert failed is not None and int(failed.group(2)) == checks
    assert int(failed.group(1)) == len(failed.group(3).split(", "))
